"""The DOCX's page layout after pandoc: the table of contents on the cover, the delegation form
in a landscape section of its own, and the proofing language. python-docx is imported by the
functions that need it (the writer's prepare() loads it once per worker)."""

from __future__ import annotations

import copy

from .docx_agenda import shade_header

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _style_of(paragraph) -> str | None:
    style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    return None if style is None else style.get(_w("val"))


def _element(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _run(*children):
    run = _element("r")
    run.extend(children)
    return run


def _text(value: str):
    text = _element("t")
    text.text = value
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return text


def _field_runs(instruction: str, result: str) -> list:
    """A complex field (begin, instruction, separate, cached result, end)."""
    instr = _element("instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [_run(_element("fldChar", fldCharType="begin")), _run(instr),
            _run(_element("fldChar", fldCharType="separate")), _run(_text(result)),
            _run(_element("fldChar", fldCharType="end"))]


def add_contents(doc, title: str, text_width: int) -> None:
    """A Word table of contents (a TOC field over the chapters' Heading 1) before the first
    chapter, its entries already written: it reads right without updating fields. Each entry
    links to a bookmark on its heading. The written entries have no page numbers: only a
    layout engine knows them, and LibreOffice shows a TOC's written entries as they are, so a
    number written here would be a guess; Word adds them when the field is updated."""
    body = doc.element.body
    headings = [p for p in body.iter(_w("p")) if _style_of(p) == "Heading1"]
    if not headings:
        return
    _contents_styles(doc, text_width)
    heading = _element("p")
    heading.append(_element("pPr"))
    heading[0].append(_element("pStyle", val="TOCHeading"))
    heading.append(_run(_text(title)))
    entries = []
    for number, target in enumerate(headings, start=1):
        name = f"_Toc{number:08d}"
        target.insert(1, _element("bookmarkStart", id=str(900 + number), name=name))
        target.append(_element("bookmarkEnd", id=str(900 + number)))
        entry = _element("p")
        entry.append(_element("pPr"))
        entry[0].append(_element("pStyle", val="TOC1"))
        link = _element("hyperlink", anchor=name, history="1")
        text = "".join(t.text or "" for t in target.iter(_w("t")))
        link.append(_run(_text(text)))
        entry.append(link)
        entries.append(entry)
    toc = _field_runs('TOC \\o "1-1" \\h \\z \\u', "")
    begin, end = toc[:3], toc[4:]
    for run in reversed(begin):
        entries[0].insert(1, run)
    entries[-1].extend(end)
    anchor = headings[0]
    for paragraph in [heading, *entries]:
        anchor.addprevious(paragraph)


def _contents_styles(doc, text_width: int) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Pt

    names = {style.name for style in doc.styles}
    if "TOC Heading" in names:
        toc_heading = doc.styles["TOC Heading"]
    else:
        toc_heading = doc.styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        toc_heading.base_style = doc.styles["Heading 1"]
    toc_heading.paragraph_format.page_break_before = False
    toc_heading.paragraph_format.space_before = Pt(24)
    toc_heading.font.size = Pt(13)
    p_pr = toc_heading.element.get_or_add_pPr()
    for old in p_pr.findall(_w("outlineLvl")):
        p_pr.remove(old)
    p_pr.append(_element("outlineLvl", val="9"))  # not a heading of the document itself
    entry = doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH) if "toc 1" not in names \
        else doc.styles["toc 1"]
    entry.style_id = "TOC1"
    entry.base_style = doc.styles["Normal"]
    entry.paragraph_format.space_after = Pt(3)
    # Where Word puts the page numbers once the field is updated.
    entry.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)


def cover_without_running_head(doc) -> None:
    """The cover (the first page) carries no running head; its footer is the others'."""
    from docx.oxml.ns import qn

    section = doc.sections[0]
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    template = section.footer._element
    footer_element = footer._element
    for child in list(footer_element):
        footer_element.remove(child)
    for child in template:
        footer_element.append(copy.deepcopy(child))
    for paragraph in first._element.iter(qn("w:p")):
        for run in paragraph.findall(qn("w:r")):
            paragraph.remove(run)


def landscape_form(doc, column: str) -> None:
    """The delegation form (the tables headed ``column``), from the heading above them to the
    end of its tables, in a landscape section of its own, its tables widened to the landscape
    text width in the PDF's proportions."""
    from docx.oxml.ns import qn

    body = doc.element.body
    form = next((t for t in body.iter(qn("w:tbl"))
                 if column in "".join(x.text or "" for x in t.find(qn("w:tr")).iter(qn("w:t")))),
                None)
    start = form
    while start is not None and not (start.tag == qn("w:p") and
                                     (_style_of(start) or "").startswith("Heading")):
        start = start.getprevious()
    if start is None:
        return
    tables, after = [], start.getnext()
    while after is not None and not (after.tag == qn("w:p") and _style_of(after) == "Heading1") \
            and after.tag != qn("w:sectPr"):
        if after.tag == qn("w:tbl"):
            tables.append(after)
        after = after.getnext()
    if not tables:
        return
    portrait = body.find(qn("w:sectPr"))
    closing = _element("p")  # the paragraph ending the portrait part
    closing.append(_element("pPr"))
    # The first section holds the header and footer; the later ones inherit them.
    closing[0].append(_section_properties(portrait, landscape=False, keep_heads=True))
    start.addprevious(closing)
    form_end = _element("p")
    form_end.append(_element("pPr"))
    landscape = _section_properties(portrait, landscape=True)
    form_end[0].append(landscape)
    tables[-1].addnext(form_end)
    following = form_end.getnext()
    if following is not None and following.tag == qn("w:p"):
        # The next section starts a page already; a page break before its heading as well
        # would leave a blank page.
        style = following.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None:
            style.addnext(_element("pageBreakBefore", val="0"))
    for reference in _head_references(portrait):
        portrait.remove(reference)
    width = _text_width(landscape)
    for table in tables:
        _scale_grid(table, width)
        shade_header(table.find(qn("w:tr")))


def _head_references(properties) -> list:
    return properties.findall(_w("headerReference")) + properties.findall(_w("footerReference"))


def _section_properties(portrait, landscape: bool, keep_heads: bool = False):
    from docx.oxml.ns import qn

    properties = copy.deepcopy(portrait)
    if not keep_heads:
        for reference in _head_references(properties):
            properties.remove(reference)
    kind = properties.find(qn("w:type"))
    if kind is None:
        kind = _element("type")
        properties.insert(0, kind)
    kind.set(qn("w:val"), "nextPage")
    size = properties.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    if landscape:
        size.set(qn("w:w"), height)
        size.set(qn("w:h"), width)
        size.set(qn("w:orient"), "landscape")
    return properties


def _text_width(properties) -> int:
    from docx.oxml.ns import qn

    size, margins = properties.find(qn("w:pgSz")), properties.find(qn("w:pgMar"))
    return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - \
        int(margins.get(qn("w:right")))


def _scale_grid(table, width: int) -> None:
    from docx.oxml.ns import qn

    grid = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    total = sum(int(col.get(qn("w:w"))) for col in grid) or 1
    for col in grid:
        col.set(qn("w:w"), str(int(col.get(qn("w:w"))) * width // total))
    table_width = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(width))


def proofing_language(doc, tag: str) -> None:
    """The language Word checks spelling in, with its region (es-CR), in the default run
    properties every style inherits; Arabic and Chinese runs are checked as theirs."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = _element("lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)
    base = tag.split("-")[0]
    lang.set(qn("w:bidi"), tag if base in ("ar", "he", "fa", "ur") else "ar-SA")
    lang.set(qn("w:eastAsia"), tag if base in ("zh", "ja", "ko") else "zh-CN")
