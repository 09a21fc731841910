"""Certificates of participation: attendees only, PDF/A-3b, each with a verification code,
and the register of codes (certificates.csv) the secretariat answers enquiries from."""

from __future__ import annotations

import csv
import io

from ..placeholders import fill
from .design import PAPER, SHORT_SIDE_MM, Design, person_context, verification_code
from .pdfwriter import write_pdf
from .registrations import Delegate, safe_cell
from .render import PDF_A, Shared, lay_out_shared
from .typeset import Canvas, stacked

REGISTER_COLUMNS = ("code", "family_name", "given_name", "country", "email", "file")


def certificate_pdfs(design: Design, paper: str, people: list[Delegate],
                     workshop_id: str) -> list[bytes]:
    """Each attendee's certificate: the shared design (laid out once per process, PDF/A)
    with their name, affiliation and verification code set in its slots."""
    shared = design.once(("certificate", paper), lambda: _shared_certificate(design, paper))
    result = []
    for person in people:
        context = person_context(design, person, "p")
        code = verification_code(workshop_id, person)
        result.append(write_pdf(shared.template, [_personal_page(design, shared, context, code)],
                                design.lang))
    return result


def _personal_page(design: Design, shared: Shared, context: dict, code: str) -> Canvas:
    width, height = shared.template.sizes[0]
    canvas = Canvas(width, height)
    canvas.form(0)
    affiliation = ", ".join(t for t in (context["organisation"], context["country_name"]) if t)
    line = f"{design.gettext('Verification code')}: {code}"
    if design.symbol:
        line += f" · {design.symbol}"
    for field, text in (("recipient", context["formal_name"]), ("affiliation", affiliation),
                        ("code", line)):
        sample, slot = shared.samples[field], shared.slots[field]
        # A long name is set smaller rather than cut, and never runs into what follows.
        room = slot.bottom - sample.area.y
        for block in stacked([(text, sample.style)], sample.area.w, room, smallest=0.3):
            canvas.paragraph(block, sample.area.x, sample.area.y, sample.area.w, slot.bottom)
    return canvas


def _shared_certificate(design: Design, paper: str) -> Shared:
    # The bordered frame fills the landscape page inside its 12 mm margins.
    height = f"{SHORT_SIDE_MM[paper] - 24 - 0.5:.1f}mm"
    shared_html = design.env().get_template("delegates/certificate.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper],
        people=[{"anchor": "certificate"}], workshop=design.workshop, texts=design.texts,
        participated=fill(design.texts.certificate.participated, design.values()),
        cert_height=height, emblem_src=design.emblem_src)
    return lay_out_shared(shared_html, design.layouts / "delegates", (design.layouts,),
                          "the certificate", variant=PDF_A, css=design.css,
                          title=design.gettext("Certificate of participation"),
                          needs=("recipient", "affiliation", "code"))


def register_csv(rows: list[tuple[str, Delegate, str]]) -> bytes:
    """(code, person, file) rows; every cell made safe for spreadsheets (formula injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for code, person, file in sorted(rows, key=lambda r: r[0]):
        writer.writerow([safe_cell(v) for v in (code, person.family_name, person.given_name,
                                                 person.country, person.email, file)])
    return buffer.getvalue().encode("utf-8")
