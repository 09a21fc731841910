"""The list of participants: by country, in each language's alphabetical order of country
names, then by family name; PDF, DOCX and HTML, with the list's document symbol."""

from __future__ import annotations

import io

from markupsafe import Markup

from .. import locale as loc
from .design import PAPER, Design, person_context, sort_key
from .registrations import Delegate
from .render import render_pdf


def groups(design: Design, people: list[Delegate]) -> list[dict]:
    by_country: dict[str, list[Delegate]] = {}
    for person in people:
        by_country.setdefault(person.country, []).append(person)
    result = []
    for code, members in by_country.items():
        members.sort(key=lambda p: (sort_key(p.family_name, design.lang),
                                    sort_key(p.given_name, design.lang), p.key))
        result.append({"code": code,
                       "country_name": loc.country_name(code, design.locale),
                       "people": [person_context(design, p, f"p{i}")
                                  for i, p in enumerate(members)]})
    result.sort(key=lambda g: sort_key(g["country_name"], design.lang))
    return result


def _html(design: Design, grouped: list[dict], target: str, paper: str) -> str:
    css = design.css if target == "print" else _without_font_faces(design.css)
    return design.env().get_template("delegates/list.html.j2").render(
        lang=design.lang, css=Markup(css), paper=PAPER[paper], target=target, groups=grouped,
        workshop=design.workshop, symbol=design.list_symbol, issued=design.issued,
        dates=design.dates, emblem_src=design.emblem_src)


def _without_font_faces(css: str) -> str:
    # The HTML list is a single file: it uses the reader's fonts, never a path beside it.
    return "\n".join(line for line in css.splitlines() if not line.startswith("@font-face"))


def list_html(design: Design, people: list[Delegate], paper: str) -> bytes:
    return _html(design, groups(design, people), "screen", paper).encode("utf-8")


def list_pdf(design: Design, people: list[Delegate], paper: str) -> bytes:
    html = _html(design, groups(design, people), "print", paper)
    data, _ = render_pdf(html, design.layouts / "delegates", (design.layouts,), [],
                         title=design.gettext("List of participants"))
    return data


def list_docx(design: Design, people: list[Delegate], paper: str) -> bytes:
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
    labels = [design.gettext(h) for h in ("Name", "Position", "Organisation", "Participation")]
    for group in groups(design, people):
        doc.add_heading(group["country_name"], level=2)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, labels, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(label).bold = True
        for p in group["people"]:
            cells = table.add_row().cells
            values = (p["list_name"], p["position"], p["organisation"],
                      p["participation_label"])
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    doc.core_properties.title = design.gettext("List of participants")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
