"""The agenda's tables in Word as the PDF draws them (layouts/styles/kit.css): a shaded, bold
header row, bold session titles, quiet breaks, parallel sessions grouped under one time."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BRAND, ACCENT, MUTED, TINT = "0F4C81", "1B7F79", "4A5563", "EEF3F8"
# The paragraph styles the layout asks pandoc for (agenda.html.j2, html_to_docx.lua).
TITLE, TRACK, BREAK, PARALLEL = "AgendaTitle", "AgendaTrack", "AgendaBreak", "AgendaParallel"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def agenda_styles(doc) -> None:
    """The agenda's paragraph styles pandoc created (on Normal), given the PDF's look."""
    from docx.shared import Pt, RGBColor

    by_id = {style.style_id: style for style in doc.styles}
    for style_id, bold, italic, colour in ((TITLE, True, False, None),
                                           (TRACK, False, False, MUTED),
                                           (BREAK, False, True, MUTED),
                                           (PARALLEL, None, None, None)):
        style = by_id.get(style_id)
        if style is None:
            continue
        if "Compact" in {s.name for s in doc.styles}:
            style.base_style = doc.styles["Compact"]
        style.font.bold, style.font.italic = bold, italic
        if colour:
            style.font.color.rgb = RGBColor.from_string(colour)
        style.font.all_caps = style_id == TRACK
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(2 if style_id == TITLE else 0)


# CT_TcPr's elements in their schema order: Word refuses a file that mixes them up.
TC_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
            "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def put(tc, element):
    """Set ``element`` in the cell's properties (replacing one of its kind), in schema order."""
    from docx.oxml.ns import qn

    tc_pr = tc.get_or_add_tcPr()
    name = element.tag.split("}")[1]
    for old in tc_pr.findall(qn(f"w:{name}")):
        tc_pr.remove(old)
    rank = TC_ORDER.index(name)
    later = next((child for child in tc_pr
                  if child.tag.split("}")[1] in TC_ORDER[rank + 1:]), None)
    if later is None:
        tc_pr.append(element)
    else:
        later.addprevious(element)
    return element


def _shade(tc, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    put(tc, shading)


def _row_style(row) -> str | None:
    styles = {p.get(_w("val")) for p in row._tr.iter(_w("pStyle"))}
    return next((s for s in (BREAK, PARALLEL) if s in styles), None)


def shade_header(tr) -> None:
    """A table's header row as the PDF's: white bold on the brand colour, kept with the row
    below it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tc in tr.tc_lst:
        _shade(tc, BRAND)
        for p in tc.iter(qn("w:p")):
            p_pr = p.get_or_add_pPr()
            if p_pr.find(qn("w:keepNext")) is None:
                p_pr.insert(1 if p_pr.find(qn("w:pStyle")) is not None else 0,
                            OxmlElement("w:keepNext"))
            for r in p.iter(qn("w:r")):
                r_pr = r.get_or_add_rPr()
                for tag in ("w:b", "w:color"):
                    for old in r_pr.findall(qn(tag)):
                        r_pr.remove(old)
                bold, colour = OxmlElement("w:b"), OxmlElement("w:color")
                colour.set(qn("w:val"), "FFFFFF")
                # CT_RPr's order: rStyle, rFonts, b, …, color, …, sz
                r_pr.insert(_rank(r_pr, ("rStyle", "rFonts")), bold)
                r_pr.insert(_rank(r_pr, ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
                                         "smallCaps", "strike", "dstrike", "outline", "shadow",
                                         "emboss", "imprint", "noProof", "snapToGrid",
                                         "vanish", "webHidden")), colour)


def _rank(r_pr, before: tuple[str, ...]) -> int:
    """Where an element goes in run properties: after those named ``before``."""
    return sum(1 for child in r_pr if child.tag.split("}")[1] in before)


def style_agenda_table(table, time_columns: int) -> None:
    """Header row shaded in the brand colour, white and bold, kept with the first session;
    break rows tinted; parallel sessions marked by an accent rule and their shared time said
    once (the time cells merged)."""
    rows = list(table.rows)
    shade_header(rows[0]._tr)
    previous = None  # the row above, if a parallel session
    for row in rows[1:]:
        kind, cells = _row_style(row), row._tr.tc_lst
        if kind == BREAK:
            for tc in cells:
                _shade(tc, TINT)
        if kind == PARALLEL:
            _accent_rule(cells[time_columns])
            times = [_text(tc) for tc in cells[:time_columns]]
            if previous is not None and times == [_text(tc) for tc in previous[:time_columns]]:
                for column in range(time_columns):
                    _continue_merge(previous[column], cells[column])
            previous = cells
        else:
            previous = None


def _text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(_w("t")))


def _accent_rule(tc) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = put(tc, OxmlElement("w:tcBorders"))
    for side in ("left",):  # transitional OOXML's name for the start edge
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "24")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), ACCENT)
        borders.append(edge)


def _continue_merge(above, tc) -> None:
    """This time cell joins the one above (w:vMerge): one time for the parallel group."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    above_pr = above.get_or_add_tcPr()
    if above_pr.find(qn("w:vMerge")) is None:
        start = OxmlElement("w:vMerge")
        start.set(qn("w:val"), "restart")
        put(above, start)
    put(tc, OxmlElement("w:vMerge"))
    paragraphs = tc.findall(qn("w:p"))
    for paragraph in paragraphs[1:]:
        tc.remove(paragraph)
    for run in paragraphs[0].findall(qn("w:r")):
        paragraphs[0].remove(run)
