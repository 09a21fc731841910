"""The list of participants: by country, in each language's alphabetical order of country
names, then by family name; PDF, DOCX and HTML, with the list's document symbol."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from markupsafe import Markup

from .. import locale as loc
from ..quality.glyphs import noto_family
from .bidi import FIRST_RTL, needs_bidi
from .design import PAPER, Design, person_context, sort_key
from .pdfwriter import PageStream
from .registrations import Delegate
from .render import Sample, Shared, lay_out_shared
from .typeset import Canvas, lines


def groups(design: Design, people: list[Delegate], contexts: bool = True) -> list[dict]:
    by_country: dict[str, list[Delegate]] = {}
    for person in people:
        by_country.setdefault(person.country, []).append(person)
    result = []
    # In a list written in Latin letters, a name also given in them sorts by them.
    latin = loc.script_of(design.lang) == "Latn"
    for code, members in by_country.items():
        members.sort(key=lambda p: (
            sort_key(latin and p.family_name_latin or p.family_name, design.lang),
            sort_key(latin and p.given_name_latin or p.given_name, design.lang), p.key))
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


def list_pdf(design: Design, people: list[Delegate], paper: str) -> bytes:
    """The PDF list: the shared pages (letterhead, footer) laid out once per process, the
    countries' headings and tables set on them, a table's header row repeated on every page
    it continues on, and "Page N of M" where the footer has room for it."""
    shared = design.once(("list", paper), lambda: _shared_pages(design, paper))
    pages = _ListPages(shared, design)
    labels = [design.gettext(h) for h in ("Name", "Position", "Organisation", "Participation")]
    for group in groups(design, people, contexts=False):
        pages.country(group["country_name"], labels,
                      (person_context(design, p, "") for p in group["members"]))
    return pages.finish()


def _shared_pages(design: Design, paper: str) -> Shared:
    html = design.env().get_template("delegates/list-pdf.html.j2").render(
        lang=design.lang, paper=PAPER[paper], workshop=design.workshop,
        symbol=design.list_symbol, issued=design.issued, dates=design.dates,
        emblem_src=design.emblem_src)
    return lay_out_shared(html, design.layouts / "delegates", (design.layouts,),
                          "the list of participants", css=design.css,
                          title=design.gettext("List of participants"), pages=3, forms=2,
                          needs=("body", "country", "table", "name", "cell", "cell-even",
                                 "page-number", *(f"head-{i}" for i in range(4))))


class _ListPages:
    """The list's pages as they fill: countries in order, rows kept whole, a country's
    heading kept with its first row. A finished page goes to the PageStream at once."""

    def __init__(self, shared: Shared, design: Design):
        self.shared, self.design = shared, design
        self.stream = PageStream(shared.template, design.lang)
        self.count = 0
        s = shared.samples
        self.heading, self.table, self.name = s["country"], s["table"], s["name"]
        self.cell, self.even = s["cell"], s["cell-even"]
        self.heads = [s[f"head-{i}"] for i in range(4)]
        self.canvas: Canvas | None = None
        self.y = self.bottom = 0.0
        self.at_top = False
        self.margin = 0.0  # the last table's bottom margin, collapsing with the next heading
        self._page(first=True)

    def _page(self, first: bool = False) -> None:
        if self.canvas is not None:
            self.stream.add(self.canvas)
        width, height = self.shared.template.sizes[0 if first else 1]
        self.canvas = Canvas(width, height)
        self.canvas.form(0 if first else 1)
        self.count += 1
        area = self.shared.pages[0 if first else 1]
        self.y = self.shared.slots["body"].y if first else area.y
        self.bottom = area.bottom
        self.at_top = not first  # a page's first heading has no margin above it

    def _row(self, texts: list[str], samples: list[Sample]) -> tuple[float, list]:
        """The row's height and each cell's lines."""
        cells, height = [], 0.0
        for text, head, sample in zip(texts, self.heads, samples, strict=True):
            found = lines(text, sample.style, head.area.w)
            cells.append(found)
            top, _, bottom, _ = sample.padding
            height = max(height, top + bottom + sum(x.style.line_height for x in found))
        return height + (samples[0].rule[0] if samples[0].rule else 0.0), cells

    def _draw_row(self, height: float, cells: list, samples: list[Sample],
                  background, role: str = "TD") -> None:
        first, last = self.heads[0], self.heads[-1]
        left = first.area.x - first.padding[3]
        right = last.area.x + last.area.w + last.padding[1]
        if background:
            self.canvas.rect(left, self.y, right - left, height, background)
        self.canvas.open("TR")
        for found, head, sample in zip(cells, self.heads, samples, strict=True):
            self.canvas.open(role)
            self.canvas.paragraph(found, head.area.x, self.y + sample.padding[0], head.area.w,
                                  role="")
            self.canvas.close()
        self.canvas.close()
        rule = samples[0].rule
        if rule:
            self.canvas.rect(left, self.y + height - rule[0], right - left, rule[0], rule[1])
        self.y += height

    def _header(self, labels: list[str], again: bool = False) -> None:
        """The table's header row; ``again`` on a page it continues on: pagination, which
        the structure (and a screen reader) has once."""
        height, cells = self._row(labels, self.heads)
        self.canvas.open("Artifact" if again else "THead")
        self._draw_row(height, cells, self.heads, self.heads[0].background, "TH")
        self.canvas.close()

    def country(self, name: str, labels: list[str], people) -> None:
        """A country's heading and table; ``people`` (their contexts) is read once, row by
        row, so a country of thousands is never held whole."""
        heading = lines(name, self.heading.style, self.heading.area.w)
        heading_h = (sum(x.style.line_height for x in heading) + self.heading.padding[2] +
                     (self.heading.rule[0] if self.heading.rule else 0.0))
        header_h, _ = self._row(labels, self.heads)
        samples = [self.name, self.cell, self.cell, self.cell]
        rows = (self._row([p["list_name"], p["position"], p["organisation"],
                           p["participation_label"]], samples) for p in people)
        first = next(rows, None)
        top_margin = 0.0 if self.at_top else max(self.margin, self.heading.margin_top)
        needed = (top_margin + heading_h + max(self.heading.margin_bottom, self.table.margin_top)
                  + header_h + (first[0] if first else 0.0))
        if not self.at_top and self.y + needed > self.bottom:
            self._page()
            top_margin = 0.0
        self.at_top = False
        self.y += top_margin
        self.canvas.open("Sect", slot="body")
        self.y = self.canvas.paragraph(heading, self.heading.area.x, self.y,
                                       self.heading.area.w, role="H2")
        self.y += self.heading.padding[2]
        if self.heading.rule:
            width, color = self.heading.rule
            self.canvas.rect(self.heading.area.x, self.y, self.heading.area.w, width, color)
            self.y += width
        self.y += max(self.heading.margin_bottom, self.table.margin_top)
        self.canvas.open("Table")
        self._header(labels)
        self.canvas.open("TBody")
        for index, (height, cells) in enumerate(_chain(first, rows)):
            if self.y + height > self.bottom:
                self._page()
                self._header(labels, again=True)
            even = index % 2 == 1
            self._draw_row(height, cells, samples, self.even.background if even else
                           self.cell.background)
        for _ in ("TBody", "Table", "Sect"):
            self.canvas.close()
        self.margin = self.table.margin_bottom

    def finish(self) -> bytes:
        """The file, with "Page N of M" over each page where its footer has room."""
        self.stream.add(self.canvas)
        number = self.shared.samples["page-number"]
        overlays = []
        for index in range(self.count):
            which = 0 if index == 0 else 1
            width, height = self.shared.template.sizes[which]
            baseline = self.shared.footer_baseline[which]
            area = self.shared.pages[which]
            if baseline is None:
                baseline = area.bottom + number.style.line_height
            overlay = Canvas(width, height)
            text = self.design.gettext("Page {page} of {pages}").format(
                page=index + 1, pages=self.count)
            for line in lines(text, number.style, area.w)[:1]:
                overlay.line(line, area.x, baseline - line.style.baseline, area.w)
            overlays.append(overlay)
        return self.stream.finish(overlays)


def _chain(first, rest):
    if first is not None:
        yield first
        yield from rest


_BODY = "KBLISTBODYKB"


def list_docx(design: Design, people: list[Delegate], paper: str) -> bytes:
    """The list as Word: python-docx makes the document around a marker paragraph, replaced
    by the countries' headings and tables written as WordprocessingML (building 2,000 rows
    with python-docx took ~1 s per language; the XML, a tenth of that)."""
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
            info.date_time = (1980, 1, 1, 0, 0, 0)  # python-docx dates parts by the clock
            target.writestr(info, data)
    return out.getvalue()


def _tables_xml(design: Design, grouped: list[dict], width: int) -> str:
    """Each country: a Heading 2 and a grid table (bold header row, then one row a person)."""
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
            parts.append("<w:tr>" + _name_cell(p, width) + "".join(cell(value) for value in (
                p["position"], p["organisation"], p["participation_label"])) + "</w:tr>")
        parts.append("</w:tbl>")
    parts.append("<w:p/>")  # Word expects a paragraph after a table that ends the body
    return "".join(parts)


def _name_cell(person: dict, width: int) -> str:
    """The name as it is written, in its script's font (Word's complex-script and East Asian
    font slots) and right to left where it is, then its Latin letters if given."""
    runs = [_docx_run(person["list_original"])]
    if person["list_latin"]:
        runs.append(_docx_run(f" ({person['list_latin']})"))
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p>{"".join(runs)}'
            "</w:p></w:tc>")


def _docx_run(text: str) -> str:
    family = next((noto_family(c) for c in text if c >= FIRST_RTL and c.isalpha()), None)
    if family == "Noto Sans CJK":
        family = "Noto Sans CJK SC"
    fonts = f'<w:rFonts w:cs="{family}" w:eastAsia="{family}"/>' if family else ""
    direction = "<w:rtl/>" if needs_bidi(text) else ""
    return (f"<w:r><w:rPr>{fonts}{direction}</w:rPr>"
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')
