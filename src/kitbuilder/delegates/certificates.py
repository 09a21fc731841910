"""Certificates of participation: attendees only, PDF/A-3b, each with a verification code,
and the register of codes (certificates.csv) the secretariat answers enquiries from."""

from __future__ import annotations

import csv
import io

from ..placeholders import fill
from .design import PAPER, SHORT_SIDE_MM, Design, person_context, verification_code
from .registrations import Delegate, safe_cell
from .render import PDF_A, layout_once, merge_layers, render_pdf

REGISTER_COLUMNS = ("code", "family_name", "given_name", "country", "email", "file")


def certificate_pdfs(design: Design, paper: str, people: list[Delegate],
                     workshop_id: str) -> list[bytes]:
    """Each attendee's certificate: their name, affiliation and code (one render for the
    batch) over the certificate's shared design (laid out once)."""
    contexts = []
    for i, person in enumerate(people):
        context = person_context(design, person, f"p{i}")
        context["code"] = verification_code(workshop_id, person)
        contexts.append(context)
    env = design.env()
    roots = (design.layouts,)
    background, slots, page_height = design.once(
        ("certificate", paper), lambda: _shared_certificate(design, paper))
    html = env.get_template("delegates/certificate-personal.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper], people=contexts,
        slots=slots, page_height=f"{page_height:.2f}", symbol=design.symbol)
    data, starts = render_pdf(html, design.layouts / "delegates", roots,
                              [c["anchor"] for c in contexts], variant=PDF_A,
                              title=design.gettext("Certificate of participation"),
                              css=design.css)
    return merge_layers(data, starts, [background] * len(contexts), archival=True)


def _shared_certificate(design: Design, paper: str) -> tuple[bytes, dict, float]:
    # The bordered frame fills the landscape page inside its 12 mm margins.
    height = f"{SHORT_SIDE_MM[paper] - 24 - 0.5:.1f}mm"
    shared_html = design.env().get_template("delegates/certificate.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper],
        people=[{"anchor": "certificate"}], workshop=design.workshop, texts=design.texts,
        participated=fill(design.texts.certificate.participated, design.values()),
        cert_height=height, emblem_src=design.emblem_src)
    return layout_once(shared_html, design.layouts / "delegates", (design.layouts,),
                       "the certificate", variant=PDF_A, css=design.css)


def register_csv(rows: list[tuple[str, Delegate, str]]) -> bytes:
    """(code, person, file) rows; every cell made safe for spreadsheets (formula injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for code, person, file in sorted(rows, key=lambda r: r[0]):
        writer.writerow([safe_cell(v) for v in (code, person.family_name, person.given_name,
                                                 person.country, person.email, file)])
    return buffer.getvalue().encode("utf-8")
