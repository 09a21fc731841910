"""Markdown with citations → sanitised HTML, once per document and language.

pandoc's citeproc resolves ``[@key]`` against references.json and formats the
bibliography in the kit's language; nh3 then removes anything a content file
should not be able to put into a kit (scripts, styles, images, event handlers).
"""

from __future__ import annotations

import html as html_module
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nh3
from markupsafe import Markup

from ..content.words import LONGEST_WORD, NOT_IN_A_WORD
from .pandoc_process import pandoc_path

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "span", "div", "sup", "sub", "code", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    # lang and dir: a passage in another language (translation/fallback.py _in_source).
    "*": {"id", "class", "role", "lang", "dir"},
    # The preview's block origins (translation/fallback.py _origin): inert text, no URL.
    "span": {"data-kb-where", "data-kb-state"},
    "a": {"href"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_REFS = re.compile(r'<div id="[\w-]*refs".*\Z', re.S)
_TAG = re.compile(r"(<[^>]*>)")
_LONG_WORD = re.compile(f"[^<>{NOT_IN_A_WORD}]{{{LONGEST_WORD + 1},}}")
_CHARACTER = re.compile(r"&[#\w]+;|.", re.S)  # an entity counts as one character
BREAK_EVERY = 40  # characters between the break opportunities of a long word
# Author-date with a comma and the locator's label: "(ITC-ILO, 2017, p. 1)", in the kit's language.
CITATION_STYLE = Path(__file__).with_name("citations.csl")
NOCITE = Path(__file__).with_name("nocite.yaml")


@dataclass(frozen=True)
class RenderedDocument:
    body: Markup  # sanitised HTML of the prose
    bibliography: Markup  # sanitised HTML list of the works cited (may be empty)


def sanitise(html: str) -> Markup:
    """Markup that templates may insert unescaped, because nh3 has cleaned it."""
    return Markup(break_long_words(keep_url_hosts(nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ))))


_URL = re.compile(r"https?://[^\s<>]+")
_URL_SEGMENT = re.compile(r"(/)")


def _unbreakable(text: str) -> str:
    return f'<span class="url-part">{text}</span>'


def _url(match: re.Match) -> str:
    # A sentence's full stop after an address is the sentence's: outside the address's span.
    address = match.group(0).rstrip(".,;:!?")
    return _address(address) + match.group(0)[len(address):]


def _address(address: str) -> str:
    scheme, _, rest = address.partition("://")
    host, *path = _URL_SEGMENT.split(rest)
    # Lines break after a "/" only: never right after "https://", nor at a hyphen of the
    # address (where it would read as a hyphenation, and copy as one).
    pieces = [_unbreakable(f"{scheme}://{host}")]
    for piece in path:
        if not piece:
            continue
        if piece == "/":  # browsers do not break after a slash of their own accord
            pieces.append("/<wbr>")
        elif "-" not in piece and len(piece) > BREAK_EVERY:
            pieces.append(piece)
        elif len(piece) <= BREAK_EVERY:  # whole: a file name is not cut ("wc|ms_7633.pdf")
            pieces.append(_unbreakable(piece))
        else:  # a long name-with-hyphens.pdf may break before a hyphen, as style guides do
            first, *rest = piece.split("-")
            pieces.append("<wbr>".join([_unbreakable(first),
                                        *(_unbreakable("-" + part) for part in rest)]))
    # Left to right inside right-to-left text, whatever the parts: "example.org/sdg" must not
    # read "sdg/example.org" in an Arabic sentence.
    return '<span dir="ltr">' + "".join(pieces) + "</span>"


def keep_url_hosts(html: str) -> str:
    """Mark the parts of a web address in text that stay on one line. Only text between tags
    changes."""
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):
        if "://" in parts[index]:
            parts[index] = _URL.sub(_url, parts[index])
    return "".join(parts)


def _breakable(match: re.Match) -> str:
    characters = _CHARACTER.findall(match.group(0))
    pieces = ["".join(characters[i:i + BREAK_EVERY])
              for i in range(0, len(characters), BREAK_EVERY)]
    return '<span class="long-word">' + "<wbr>".join(pieces) + "</span>"


def break_long_words(html: str) -> str:
    """Give every word of more than 60 characters a break opportunity every 40.

    Hyphenating a 20,000-character word made WeasyPrint's line breaking run for minutes
    (each candidate break re-measures the rest of the word); with <wbr> it takes a fraction
    of a second, and the word no longer runs off the page. Only text between tags changes.
    """
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):  # even items are text, odd ones tags
        if len(parts[index]) > 60:
            parts[index] = _LONG_WORD.sub(_breakable, parts[index])
    return "".join(parts)


def render_markdown(
    body: str, lang: str, bibliography: Path | None, id_prefix: str = ""
) -> RenderedDocument:
    args = ["--wrap=none", f"--id-prefix={id_prefix}", f"--metadata=lang:{lang}"]
    if bibliography is not None and bibliography.is_file():
        args += ["--citeproc", f"--bibliography={bibliography}", f"--csl={CITATION_STYLE}",
                 "--metadata=link-citations:true",
                 # Every entry of the references file is listed, cited or not, like the seed's.
                 f"--metadata-file={NOCITE}"]
    # Raw HTML passes through pandoc and is then cleaned by sanitise(), which keeps harmless
    # tags (<sup>, <br>, …) and drops scripts, styles, images and event handlers. No YAML
    # blocks in the body: a '---' line after a blank one made pandoc parse what followed as
    # YAML, and fail the build on anything that is not (or swallow the text when it is).
    done = subprocess.run(
        [pandoc_path(), "--from=markdown-raw_attribute-yaml_metadata_block", "--to=html5",
         *args, "--sandbox"],
        input=body, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pandoc failed (exit status {done.returncode}): "
                           f"{done.stderr.strip()}")
    html = done.stdout
    refs = _REFS.search(html)
    bibliography_html = refs.group(0) if refs else ""
    if bibliography_html:
        bibliography_html = mark_languages(bibliography_html, _languages(bibliography), lang)
    prose = html[: refs.start()] if refs else html
    return RenderedDocument(sanitise(prose), sanitise(bibliography_html))


_ENTRY = re.compile(
    r'(<div id="[\w-]*?ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>)(?P<body>.*?)(</div>)', re.S)


def _languages(bibliography: Path) -> dict[str, tuple[str, str]]:
    """Each reference's (language, title) where the references file gives its language."""
    try:
        items = json.loads(bibliography.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(item["id"]): (str(item["language"]), str(item.get("title", "")))
            for item in items if isinstance(item, dict) and "id" in item
            and isinstance(item.get("language"), str) and item["language"].strip()}


def mark_languages(bibliography_html: str, languages: dict[str, tuple[str, str]],
                   lang: str) -> str:
    """A reference's title written in another language than the kit's carries ``lang`` (the
    references file's ``language``: CSL's field), so that a screen reader reads an English
    title in a Spanish list in English, and the PDF tags it so."""
    primary = lang.split("-")[0].lower()

    def entry(match: re.Match) -> str:
        language, title = languages.get(match["key"], ("", ""))
        if not language or language.split("-")[0].lower() == primary or not title:
            return match.group(0)
        body = match["body"]
        # citeproc may change the title's case (title case in English): found regardless.
        escaped = html_module.escape(title, quote=False)
        found = re.search(r"\s+".join(map(re.escape, escaped.split())), body, re.I)
        if found is None:
            return match.group(0)
        marked = (body[:found.start()] + f'<span lang="{html_module.escape(language)}">'
                  + found.group(0) + "</span>" + body[found.end():])
        return match.group(1) + marked + match.group(4)

    return _ENTRY.sub(entry, bibliography_html)
