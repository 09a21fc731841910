"""The list of participants, in sections by kind (delegations of countries, international
organisations, resource persons, observers, the secretariat): delegations by country and
organisations by name, in each language's alphabetical order, then people by family name;
PDF, DOCX and HTML, with the list's document symbol."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from markupsafe import Markup

from .. import locale as loc
from ..quality.glyphs import noto_family
from .bidi import FIRST_RTL, needs_bidi
from .design import PAPER, SECTIONS, Design, group_name, person_context, sort_key
from .pdfwriter import PageStream
from .registrations import KINDS, Delegate
from .render import Sample, Shared, lay_out_shared
from .typeset import Canvas, lines
from .webfonts import embedded_fonts


def groups(design: Design, people: list[Delegate], contexts: bool = True) -> list[dict]:
    """The list's groups in order: each kind's section, within it a group per country
    (delegations) or organisation; resource persons, observers and the secretariat are one
    group each, under their section's title only. ``section`` is set on a section's first
    group: the title printed above it."""
    by_group: dict[tuple[int, str], list[Delegate]] = {}
    for person in people:
        kind = KINDS.index(person.kind)
        name = group_name(design, person) if person.kind in ("delegation", "organisation") \
            else ""
        by_group.setdefault((kind, name), []).append(person)
    ordered = sorted(by_group.items(), key=lambda item: (item[0][0],
                                                         sort_key(item[0][1], design.lang)))
    result, previous, anchor = [], None, 0
    # In a list written in Latin letters, a name also given in them sorts by them.
    latin = loc.script_of(design.lang) == "Latn"
    for (kind, name), members in ordered:
        members.sort(key=lambda p: (
            sort_key(latin and p.family_name_latin or p.family_name, design.lang),
            sort_key(latin and p.given_name_latin or p.given_name, design.lang), p.key))
        section = design.gettext(SECTIONS[KINDS[kind]]) if kind != previous else None
        previous = kind
        result.append({"kind": KINDS[kind], "section": section, "country_name": name,
                       "members": members,
                       "people": [person_context(design, p, f"p{anchor + i}")
                                  for i, p in enumerate(members)] if contexts else []})
        anchor += len(members)  # an anchor is unique in the whole list
    return result


_FONTS = "/*KB-FONTS*/"


def _html(design: Design, grouped: list[dict], target: str, paper: str,
          heading: bool = True) -> str:
    # Print: the shared sheets come as the render's stylesheet (parsed once per process).
    css = "" if target == "print" else _without_font_faces(design.css) + _FONTS
    return design.env().get_template("delegates/list.html.j2").render(
        lang=design.lang, css=Markup(css), paper=PAPER[paper], target=target, groups=grouped,
        workshop=design.workshop, symbol=design.list_symbol, issued=design.issued,
        dates=design.dates, emblem_src=design.emblem_src, heading=heading)


def _without_font_faces(css: str) -> str:
    # The faces' files are paths beside the layouts: the single file embeds its own instead.
    return "\n".join(line for line in css.splitlines() if not line.startswith("@font-face"))


def list_html(design: Design, people: list[Delegate], paper: str) -> bytes:
    """One self-contained file: its fonts embedded (webfonts.py), for the letters it prints."""
    html = _html(design, groups(design, people), "screen", paper)
    return html.replace(_FONTS, embedded_fonts(design.layouts, html), 1).encode("utf-8")


def list_pdf(design: Design, people: list[Delegate], paper: str) -> bytes:
    """The PDF list: the shared pages (letterhead, footer) laid out once per process, the
    countries' headings and tables set on them, a table's header row repeated on every page
    it continues on, and "Page N of M" where the footer has room for it."""
    shared = design.once(("list", paper), lambda: _shared_pages(design, paper))
    pages = _ListPages(shared, design)
    labels = [design.gettext(h) for h in ("Name", "Position", "Organisation", "Participation")]
    for group in groups(design, people, contexts=False):
        pages.country(group["country_name"], labels,
                      (person_context(design, p, "") for p in group["members"]),
                      group["section"])
    return pages.finish()


def _shared_pages(design: Design, paper: str) -> Shared:
    html = design.env().get_template("delegates/list-pdf.html.j2").render(
        lang=design.lang, paper=PAPER[paper], workshop=design.workshop,
        symbol=design.list_symbol, issued=design.issued, dates=design.dates,
        emblem_src=design.emblem_src)
    return lay_out_shared(html, design.layouts / "delegates", (design.layouts,),
                          "the list of participants", css=design.css,
                          title=design.gettext("List of participants"), pages=3, forms=2,
                          needs=("body", "section", "country", "table", "name", "cell",
                                 "cell-even",
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
        self.section = s["section"]
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

    def _heading(self, sample: Sample, text: str) -> tuple[float, list]:
        """A heading's height (text, bottom padding, rule) and its lines; none for ""."""
        if not text:
            return 0.0, []
        found = lines(text, sample.style, sample.area.w)
        return (sample.padding[0] + sum(x.style.line_height for x in found) + sample.padding[2]
                + (sample.rule[0] if sample.rule else 0.0)), found

    def _draw_heading(self, sample: Sample, height: float, found: list, role: str) -> None:
        x = sample.area.x
        if sample.background:
            left = x - sample.padding[3]
            self.canvas.rect(left, self.y, sample.area.w + sample.padding[3] +
                             sample.padding[1], height, sample.background)
        self.y = self.canvas.paragraph(found, x, self.y + sample.padding[0], sample.area.w,
                                       role=role)
        self.y += sample.padding[2]
        if sample.rule:
            width, color = sample.rule
            self.canvas.rect(x, self.y, sample.area.w, width, color)
            self.y += width

    def country(self, name: str, labels: list[str], people, section: str | None = None
                ) -> None:
        """A group's headings (its section's title above its first group, then the group's
        name: a country, an organisation; none for a kind listed whole) and its table.
        ``people`` (their contexts) is read once, row by row, so a group of thousands is
        never held whole; the headings are kept with the table's first row."""
        section_h, section_lines = self._heading(self.section, section or "")
        heading_h, heading = self._heading(self.heading, name)
        header_h, _ = self._row(labels, self.heads)
        samples = [self.name, self.cell, self.cell, self.cell]
        rows = (self._row([p["list_name"], p["position"], p["organisation"],
                           p["participation_label"]], samples) for p in people)
        first = next(rows, None)
        above = self.section if section_lines else self.heading
        top_margin = 0.0 if self.at_top else max(self.margin, above.margin_top)
        between = max(self.section.margin_bottom, self.heading.margin_top) \
            if section_lines and heading else 0.0
        last = self.heading if heading else self.section
        after = max(last.margin_bottom, self.table.margin_top) if heading or section_lines \
            else 0.0
        needed = (top_margin + section_h + between + heading_h + after + header_h
                  + (first[0] if first else 0.0))
        if not self.at_top and self.y + needed > self.bottom:
            self._page()
            top_margin = 0.0
        self.at_top = False
        self.y += top_margin
        # One Sect a group: its section's title (H2) when it opens one, its name (H3), table.
        self.canvas.open("Sect", slot="body")
        if section_lines:
            self._draw_heading(self.section, section_h, section_lines, "H2")
            self.y += between
        if heading:
            self._draw_heading(self.heading, heading_h, heading, "H3")
        self.y += after
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


# As the PDF list (delegates.css): column shares, the brand's colours, the cells' padding.
_SHARES = (30, 24, 30, 16)
_BRAND, _BRAND_DARK, _RULE, _STRIPE = "0F4C81", "0B3A63", "C9D3DE", "F6F8FB"
_TABLE_PR = ('<w:tblPr><w:tblW w:type="pct" w:w="5000"/><w:tblBorders>'
             f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{_RULE}"/>'
             f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{_RULE}"/>'
             '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
             '<w:top w:w="80" w:type="dxa"/><w:left w:w="120" w:type="dxa"/>'
             '<w:bottom w:w="80" w:type="dxa"/><w:right w:w="120" w:type="dxa"/>'
             '</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
             'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>')


def _cell(text: str, width: int, fill: str | None = None, bold: bool = False,
          color: str | None = None) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    # 9 pt as the PDF's table; its head row 8 pt (white on the brand's colour).
    run = ("<w:b/>" if bold else "") + (f'<w:color w:val="{color}"/>' if color else "") + \
        f'<w:sz w:val="{16 if color else 18}"/>'
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{shade}</w:tcPr><w:p>'
            '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:r>'
            f'{"<w:rPr>" + run + "</w:rPr>" if run else ""}'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')


def _heading_xml(text: str, level: int) -> str:
    """A section's title (level 2: a dark band, white capitals) or a group's heading
    (level 3: a rule under it), as the PDF sets them."""
    if level == 2:
        look = (f'<w:shd w:val="clear" w:color="auto" w:fill="{_BRAND_DARK}"/>',
                '<w:caps/><w:color w:val="FFFFFF"/>')
    else:
        look = (f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="{_RULE}"/>'
                '</w:pBdr>', f'<w:color w:val="{_BRAND_DARK}"/>')
    return (f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/><w:keepNext/>{look[0]}</w:pPr>'
            f'<w:r><w:rPr>{look[1]}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t>'
            "</w:r></w:p>")


def _tables_xml(design: Design, grouped: list[dict], width: int) -> str:
    """Each kind: a Heading 2; each country or organisation: a Heading 3; then a table whose
    shaded header row repeats on every page, rows never split across pages, striped."""
    widths = [width * 4 * share // 100 for share in _SHARES]
    labels = [design.gettext(h) for h in ("Name", "Position", "Organisation", "Participation")]
    header = ('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' + "".join(
        _cell(label, w, _BRAND, bold=True, color="FFFFFF")
        for label, w in zip(labels, widths, strict=True)) + "</w:tr>")
    table_start = ("<w:tbl>" + _TABLE_PR + "<w:tblGrid>"
                   + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>")
    parts = []
    for group in grouped:
        if group["section"]:
            parts.append(_heading_xml(group["section"], 2))
        if group["country_name"]:
            parts.append(_heading_xml(group["country_name"], 3))
        parts.append(table_start + header)
        for index, p in enumerate(group["people"]):
            fill = _STRIPE if index % 2 == 1 else None
            values = (p["position"], p["organisation"], p["participation_label"])
            parts.append('<w:tr><w:trPr><w:cantSplit/></w:trPr>' + _name_cell(p, widths[0], fill)
                         + "".join(_cell(value, w, fill)
                                   for value, w in zip(values, widths[1:], strict=True))
                         + "</w:tr>")
        parts.append("</w:tbl>")
    parts.append("<w:p/>")  # Word expects a paragraph after a table that ends the body
    return "".join(parts)


def _name_cell(person: dict, width: int, fill: str | None = None) -> str:
    """The name as it is written, in its script's font (Word's complex-script and East Asian
    font slots) and right to left where it is, then its Latin letters if given; bold, as
    the PDF's name column."""
    runs = [_docx_run(person["list_original"])]
    if person["list_latin"]:
        runs.append(_docx_run(f" ({person['list_latin']})"))
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{shade}</w:tcPr><w:p>'
            f'<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>{"".join(runs)}</w:p></w:tc>')


def _docx_run(text: str) -> str:
    family = next((noto_family(c) for c in text if c >= FIRST_RTL and c.isalpha()), None)
    if family == "Noto Sans CJK":
        family = "Noto Sans CJK SC"
    fonts = f'<w:rFonts w:cs="{family}" w:eastAsia="{family}"/>' if family else ""
    direction = "<w:rtl/>" if needs_bidi(text) else ""
    return (f'<w:r><w:rPr>{fonts}<w:b/><w:bCs/><w:sz w:val="18"/>{direction}</w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')
