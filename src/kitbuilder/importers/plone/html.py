"""Rich text as the editor stored it → clean, sanitised HTML for pandoc.

Word pastes bring ``MsoNormal`` paragraphs, ``<o:p>`` elements, ``mso-*`` styles, ``lang``
spans, empty ``&nbsp;`` paragraphs and lists made of ``Symbol``-font bullets between
conditional comments; those lists become lists again and the rest goes. Links and images go
through a callback that turns Plone links into the project's. The result is cleaned by nh3 with
the build's URL schemes, so nothing a kit would refuse reaches the Markdown.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import nh3

from .items import UNWRITABLE

IMPORT_TAGS = {
    "p", "br", "em", "strong", "b", "i", "a", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "sup", "sub", "code", "pre", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "caption", "img", "hr", "div", "dl", "dt", "dd",
}
IMPORT_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
    "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
}
DROPPED_WITH_CONTENT = {"script", "style", "meta", "link", "title", "head", "xml", "object",
                        "embed", "iframe", "noscript", "template", "svg", "math"}
_DOWNLEVEL = re.compile(r"<!\[(?:end)?if[^\]>]*\]>", re.I)
_BULLET = re.compile(r"^[\s\u00a0]*(?:[\u00b7\u2022\u25aa\u25cf\u2013\-o\u00a7\uf0b7\uf0a7]|"
                     r"(\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)])[\s\u00a0]+")
_EMPTY = re.compile(r"^[\s\u00a0\u200b]*$")
# Word's footnotes and endnotes: a reference <a href="#_ftn1">, the note <div id="ftn1"> (its
# back link <a href="#_ftnref1">) in a <div style="mso-element:footnote-list">.
_NOTE_REF = re.compile(r"#_?(ftn|edn)(\d{1,4})$")
_NOTE_BACK = re.compile(r"#_?(ftn|edn)ref\d{1,4}$")
_NOTE_BODY = re.compile(r"(ftn|edn)(\d{1,4})")
# Footnotes cross pandoc as marker words nobody can have typed (letters and digits, which
# pandoc writes as they are), and become Markdown footnotes after it (markdown.py).
NOTE_MARK = "KBNOTE" + secrets.token_hex(6)

# (url, text, is_image) → the new URL, or None to keep only the text.
Rewrite = Callable[[str, str, bool], "str | None"]


def clean_html(raw: str, rewrite: Rewrite) -> str:
    """The cleaned HTML of one rich-text value ("" when nothing is left)."""
    from lxml import etree
    from lxml import html as lhtml

    raw = UNWRITABLE.sub("", _DOWNLEVEL.sub("", raw))
    if _EMPTY.match(raw):
        return ""
    try:
        root = lhtml.fragment_fromstring(raw, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    _word_lists(root, etree)
    _footnotes(root)
    _strip(root, etree)
    _links(root, rewrite)
    _empty_paragraphs(root)
    _headings_below_title(root)
    html = lhtml.tostring(root, encoding="unicode")
    return sanitise(html)


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=IMPORT_TAGS, attributes=IMPORT_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel=None,
                     clean_content_tags={"script", "style"})


def _drop_tag(node) -> None:
    """Remove an element but keep its text and children in place."""
    parent = node.getparent()
    if parent is None:
        return
    node.drop_tag()


def _drop_tree(node) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    if node.getparent() is not None:
        node.drop_tree()


def _is_list_paragraph(node) -> bool:
    return node.tag == "p" and ("MsoListParagraph" in (node.get("class") or "")
                                or "mso-list" in (node.get("style") or ""))


def _drop_bullet(paragraph, etree) -> str:
    """Remove the hand-made bullet (between Word's conditional comments, or typed) and say
    which it was."""
    removed = ""
    for comment in list(paragraph.iter(etree.Comment)):
        if "supportLists" not in (comment.text or ""):
            continue
        node = comment.getnext()
        while node is not None and not (node.tag is etree.Comment and
                                        "endif" in (node.text or "")):
            following = node.getnext()
            removed += node.text_content() if hasattr(node, "text_content") else ""
            _drop_tree(node)
            node = following
    if not removed:
        typed = _BULLET.match(paragraph.text or "")
        if typed:
            removed = typed.group(0)
            paragraph.text = paragraph.text[typed.end():]
    return removed


def _word_lists(root, etree) -> None:
    for paragraph in list(root.iter("p")):
        if not _is_list_paragraph(paragraph) or paragraph.getparent() is None:
            continue
        previous = paragraph.getprevious()
        bullet = _drop_bullet(paragraph, etree)
        numbered = bool(re.match(r"[\s\u00a0]*(\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]",
                                 bullet))
        kind = "ol" if numbered else "ul"
        paragraph.tag = "li"
        if previous is not None and previous.tag == kind and previous.get("data-word"):
            previous.append(paragraph)
        else:
            holder = etree.Element(kind)
            holder.set("data-word", "1")
            paragraph.addprevious(holder)
            holder.append(paragraph)


def _replace_with_text(node, text: str) -> None:
    parent, previous = node.getparent(), node.getprevious()
    text += node.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(node)


def _footnotes(root) -> None:
    """Word's footnotes → a marker where each is referenced, and each note's text at the end
    after its own marker paragraph."""
    from lxml import html as lhtml

    bodies = {}
    for node in root.iter("div"):
        found = _NOTE_BODY.fullmatch(node.get("id") or "")
        if found:
            bodies[found.group(0)] = node
    if not bodies:
        return
    order: list[str] = []
    for anchor in list(root.iter("a")):
        found = _NOTE_REF.search(anchor.get("href") or "")
        key = found.group(1) + found.group(2) if found else ""
        if key in bodies and key not in order and bodies[key] not in anchor.iterancestors():
            order.append(key)
            _replace_with_text(anchor, f"{NOTE_MARK}x{len(order)}y")
    for number, key in enumerate(order, start=1):
        body = bodies[key]
        for back in [a for a in body.iter("a") if _NOTE_BACK.search(a.get("href") or "")]:
            _replace_with_text(back, "")
        body.getparent().remove(body)
        note = lhtml.Element("div")
        marker = lhtml.Element("p")
        marker.text = f"{NOTE_MARK}def{number}y"
        note.append(marker)
        note.extend(list(body))
        root.append(note)
    for rest in [d for d in root.iter("div") if "footnote-list" in (d.get("style") or "")
                 or "endnote-list" in (d.get("style") or "")]:
        _drop_tree(rest)


def _strip(root, etree) -> None:
    for comment in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop_tree(comment)
    for node in list(root.iter()):
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if tag in DROPPED_WITH_CONTENT or tag.startswith(("v:", "w:", "m:")):
            _drop_tree(node)
        elif ":" in tag:  # <o:p>, <st1:place> …
            _drop_tag(node)


def _links(root, rewrite: Rewrite) -> None:
    for anchor in list(root.iter("a")):
        href = anchor.get("href")
        new = rewrite(href, anchor.text_content(), False) if href else None
        if new is None:
            _drop_tag(anchor)
        else:
            anchor.attrib.clear()
            anchor.set("href", new)
    for image in list(root.iter("img")):
        src, alt = image.get("src") or "", (image.get("alt") or "").strip()
        new = rewrite(src, alt, True) if src else None
        if new is None:
            if alt:
                image.tail = f"[{alt}]" + (image.tail or "")
            _drop_tree(image)
        else:
            image.attrib.clear()
            image.set("src", new)
            image.set("alt", alt)


def _headings_below_title(root) -> None:
    """The page's title is the chapter's heading: a page that used <h1> in its text has its
    headings moved one level down, so its sections are ## as in every kit document."""
    if next(root.iter("h1"), None) is None:
        return
    for heading in list(root.iter("h1", "h2", "h3", "h4", "h5")):
        heading.tag = f"h{int(heading.tag[1]) + 1}"


def _empty_paragraphs(root) -> None:
    for paragraph in list(root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6")):
        if _EMPTY.match(paragraph.text_content()) and not len(paragraph.xpath(".//img")):
            _drop_tree(paragraph)
