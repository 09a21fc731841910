"""Certificates of participation: attendees only, PDF/A-3b, each with its place and date of
issue, a verification code and a QR code carrying it (or the address that checks it), and the
register of codes (certificates.csv) the secretariat answers enquiries from."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import quote

import segno

from .design import PAPER, SHORT_SIDE_MM, Design, person_context, verification_code
from .pdfwriter import write_pdf
from .registrations import Delegate, safe_cell
from .render import PDF_A, Shared, lay_out_shared
from .typeset import Canvas, stacked

REGISTER_COLUMNS = ("code", "family_name", "given_name", "country", "email", "file")


def certificate_pdfs(design: Design, paper: str, people: list[Delegate], workshop_id: str,
                     issues: list[tuple[str, str]]) -> list[bytes]:
    """Each attendee's certificate: the shared design (laid out once per process, PDF/A)
    with their name, affiliation, date of issue, verification code and QR code set in its
    slots."""
    shared = design.once(("certificate", paper), lambda: _shared_certificate(design, paper))
    result = []
    for person, (_, day) in zip(people, issues, strict=True):
        context = person_context(design, person, "p")
        context["dateline"] = design.dateline(dt.date.fromisoformat(day))
        code = verification_code(workshop_id, person)
        result.append(write_pdf(shared.template, [_personal_page(design, shared, context, code)],
                                design.lang))
    return result


def verification_target(design: Design, code: str) -> str:
    """What the QR code carries: the verification address with the code, else the code."""
    url = design.texts.certificate.verify_at
    if not url:
        return code
    if "{code}" in url:
        return url.replace("{code}", quote(code))
    return f"{url}{'&' if '?' in url else '?'}code={quote(code)}"


def _qr(canvas: Canvas, design: Design, slot, code: str) -> None:
    """The QR code as filled squares (one per dark module, merged along each row): vector,
    sharp at any size, no image to embed."""
    matrix = [list(row) for row in segno.make(verification_target(design, code),
                                               error="m").matrix]
    size = min(slot.w, slot.bottom - slot.y)
    module = size / len(matrix)
    x0, y0 = slot.x + slot.w - size, slot.y
    # A figure in the tagged PDF, described by what it carries.
    label = design.gettext("Verification code")
    canvas.open("Figure", slot="qr", alt=f"QR · {label}: {verification_target(design, code)}")
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                canvas.rect(x0 + start * module, y0 + r * module, (c - start) * module,
                            module, (0.0, 0.0, 0.0))
            else:
                c += 1
    canvas.close()


_SLOT = {"dateline": "issue"}  # the sample → the slot that holds it, where they differ


def _personal_page(design: Design, shared: Shared, context: dict, code: str) -> Canvas:
    width, height = shared.template.sizes[0]
    canvas = Canvas(width, height)
    canvas.form(0)
    affiliation = ", ".join(t for t in (context["organisation"], context["country_name"]) if t)
    line = f"{design.gettext('Verification code')}: {code}"
    if design.texts.certificate.verify_at:
        line += f" · {design.texts.certificate.verify_at.replace('{code}', code)}"
    _qr(canvas, design, shared.slots["qr"], code)
    for field, text in (("recipient", context["formal_name"]), ("affiliation", affiliation),
                        ("dateline", context["dateline"]), ("code", line)):
        sample, slot = shared.samples[field], shared.slots[_SLOT.get(field, field)]
        # A long name is set smaller rather than cut, and never runs into what follows.
        room = slot.bottom - sample.area.y
        for block in stacked([(text, sample.style)], sample.area.w, room, smallest=0.3):
            canvas.paragraph(block, sample.area.x, sample.area.y, sample.area.w, slot.bottom,
                             slot=field)
    return canvas


def _shared_certificate(design: Design, paper: str) -> Shared:
    # The bordered frame fills the landscape page inside its 12 mm margins.
    height = f"{SHORT_SIDE_MM[paper] - 24 - 0.5:.1f}mm"
    shared_html = design.env().get_template("delegates/certificate.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper],
        people=[{"anchor": "certificate"}], workshop=design.workshop, texts=design.texts,
        certifies=design.message(design.texts.certificate.certifies),
        participated=design.message(design.texts.certificate.participated),
        signature_src=design.signature_src, cert_height=height, emblem_src=design.emblem_src)
    return lay_out_shared(shared_html, design.layouts / "delegates", (design.layouts,),
                          "the certificate", variant=PDF_A, css=design.css,
                          title=design.gettext("Certificate of participation"),
                          needs=("recipient", "affiliation", "issue", "dateline", "code", "qr"))


def register_csv(rows: list[tuple[str, Delegate, str]]) -> bytes:
    """(code, person, file) rows; every cell made safe for spreadsheets (formula injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for code, person, file in sorted(rows, key=lambda r: r[0]):
        writer.writerow([safe_cell(v) for v in (code, person.family_name, person.given_name,
                                                 person.country, person.email, file)])
    return buffer.getvalue().encode("utf-8")
