"""The list of participants: by country, in each language's alphabetical order of country
names, then by family name; PDF, DOCX and HTML, with the list's document symbol."""

from __future__ import annotations

import io

from markupsafe import Markup

from .. import locale as loc
from .design import PAPER, Design, person_context, sort_key
from .registrations import Delegate
from .render import render_pdf


def groups(design: Design, people: list[Delegate], contexts: bool = True) -> list[dict]:
    by_country: dict[str, list[Delegate]] = {}
    for person in people:
        by_country.setdefault(person.country, []).append(person)
    result = []
    for code, members in by_country.items():
        members.sort(key=lambda p: (sort_key(p.family_name, design.lang),
                                    sort_key(p.given_name, design.lang), p.key))
        result.append({"code": code, "members": members,
                       "country_name": loc.country_name(code, design.locale),
                       "people": [person_context(design, p, f"p{i}")
                                  for i, p in enumerate(members)] if contexts else []})
    result.sort(key=lambda g: sort_key(g["country_name"], design.lang))
    return result


def _html(design: Design, grouped: list[dict], target: str, paper: str,
          heading: bool = True) -> str:
    # Print: the shared sheets come as the render's stylesheet (parsed once per process).
    css = "" if target == "print" else _without_font_faces(design.css)
    return design.env().get_template("delegates/list.html.j2").render(
        lang=design.lang, css=Markup(css), paper=PAPER[paper], target=target, groups=grouped,
        workshop=design.workshop, symbol=design.list_symbol, issued=design.issued,
        dates=design.dates, emblem_src=design.emblem_src, heading=heading)


def _without_font_faces(css: str) -> str:
    # The HTML list is a single file: it uses the reader's fonts, never a path beside it.
    return "\n".join(line for line in css.splitlines() if not line.startswith("@font-face"))


def list_html(design: Design, people: list[Delegate], paper: str) -> bytes:
    return _html(design, groups(design, people), "screen", paper).encode("utf-8")


# The PDF list is laid out in parts of whole countries, at least this many people each (the
# last may be smaller): an edited delegate re-renders only their part, and a part's size,
# not the whole list's, bounds a render's memory.
PART_ROWS = 100


def list_parts(design: Design, people: list[Delegate]) -> list[list[Delegate]]:
    """The people of each part of the PDF list, in the list's order (consecutive countries in
    this language's order, each country whole)."""
    parts: list[list[Delegate]] = []
    current: list[Delegate] = []
    for group in groups(design, people, contexts=False):
        current.extend(group["members"])
        if len(current) >= PART_ROWS:
            parts.append(current)
            current = []
    if current or not parts:
        parts.append(current)
    return parts


def list_part_pdf(design: Design, people: list[Delegate], paper: str, first: bool) -> bytes:
    """One part of the PDF list: its countries, the list's heading on the first part only;
    no page numbers (they are stamped on the joined list, ``join_list``)."""
    html = _html(design, groups(design, people), "print", paper, heading=first)
    data, _ = render_pdf(html, design.layouts / "delegates", (design.layouts,), [],
                         title=design.gettext("List of participants"), css=design.css)
    return data


def page_numbers_pdf(design: Design, paper: str, count: int) -> bytes:
    """``count`` pages holding only "Page N of COUNT", where the list's footer has it."""
    html = design.env().get_template("delegates/list-pages.html.j2").render(
        lang=design.lang, paper=PAPER[paper], count=count)
    data, _ = render_pdf(html, design.layouts / "delegates", (design.layouts,), [],
                         css=design.css)
    return data


def join_list(design: Design, parts: list[bytes], numbers: bytes | None) -> bytes:
    """The parts' pages in order, each under its page number."""
    import pikepdf

    result = pikepdf.new()
    opened = [pikepdf.open(io.BytesIO(part)) for part in parts]
    for source in opened:
        result.pages.extend(source.pages)
    if numbers is not None:
        stamps = pikepdf.open(io.BytesIO(numbers))
        if len(stamps.pages) != len(result.pages):
            raise RuntimeError("the list's page numbers do not match its pages")
        for page, stamp in zip(result.pages, stamps.pages, strict=True):
            page.add_overlay(result.copy_foreign(stamp.as_form_xobject()))
    result.docinfo["/Title"] = design.gettext("List of participants")
    result.Root.Lang = pikepdf.String(design.lang)
    buffer = io.BytesIO()
    # A fixed /ID keeps a re-render of unchanged input byte-identical.
    result.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def page_count(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def list_pdf(design: Design, people: list[Delegate], paper: str) -> bytes:
    """The whole PDF list in one process (the build renders its parts in parallel)."""
    parts = [list_part_pdf(design, part, paper, i == 0)
             for i, part in enumerate(list_parts(design, people))]
    pages = sum(page_count(part) for part in parts)
    return join_list(design, parts, page_numbers_pdf(design, paper, pages))


_BODY = "KBLISTBODYKB"


def list_docx(design: Design, people: list[Delegate], paper: str) -> bytes:
    """The list as Word: python-docx makes the document around a marker paragraph, replaced
    by the countries' headings and tables written as WordprocessingML (building 2,000 rows
    with python-docx took ~1 s per language; the XML, a tenth of that)."""
    import zipfile

    from docx import Document
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(210), Mm(297)) if paper == "a4" \
        else (Mm(215.9), Mm(279.4))
    section.left_margin = section.right_margin = Mm(18)
    doc.styles["Normal"].font.name = "Noto Sans"
    doc.styles["Normal"].font.size = Pt(9.5)
    brand = RGBColor(0x0B, 0x3A, 0x63)
    if design.list_symbol:
        section.header.paragraphs[0].text = design.list_symbol
    head = doc.add_paragraph()
    run = head.add_run(f"{design.workshop['conference']} ({design.workshop['conference_short']})")
    run.font.color.rgb = brand
    doc.add_heading(design.gettext("List of participants"), level=1)
    doc.add_paragraph(f"{design.workshop['kind']}: {design.workshop['title']} · {design.dates}")
    doc.add_paragraph(_BODY)
    doc.core_properties.title = design.gettext("List of participants")
    buffer = io.BytesIO()
    doc.save(buffer)
    width = int((section.page_width - section.left_margin - section.right_margin) / 635 / 4)
    body = _tables_xml(design, groups(design, people), width)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) \
            as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                marker = f"<w:p><w:r><w:t>{_BODY}</w:t></w:r></w:p>"
                text = data.decode("utf-8")
                if marker not in text:
                    raise RuntimeError("the list's DOCX lost its body marker")
                data = text.replace(marker, body).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def _tables_xml(design: Design, grouped: list[dict], width: int) -> str:
    """Each country: a Heading 2 and a grid table (bold header row, then one row a person)."""
    from xml.sax.saxutils import escape

    def cell(text: str, bold: bool = False) -> str:
        style = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p><w:r>{style}'
                f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')

    labels = [design.gettext(h) for h in ("Name", "Position", "Organisation", "Participation")]
    header = "<w:tr>" + "".join(cell(label, bold=True) for label in labels) + "</w:tr>"
    table_start = ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" '
                   'w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
                   'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
                   "<w:tblGrid>" + f'<w:gridCol w:w="{width}"/>' * 4 + "</w:tblGrid>")
    parts = []
    for group in grouped:
        parts.append('<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t '
                     f'xml:space="preserve">{escape(group["country_name"])}</w:t></w:r></w:p>')
        parts.append(table_start + header)
        for p in group["people"]:
            parts.append("<w:tr>" + "".join(cell(value) for value in (
                p["list_name"], p["position"], p["organisation"], p["participation_label"]))
                + "</w:tr>")
        parts.append("</w:tbl>")
    parts.append("<w:p/>")  # Word expects a paragraph after a table that ends the body
    return "".join(parts)
