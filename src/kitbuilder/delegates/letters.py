"""Letters of invitation: PDF (many per render, split per person) and DOCX (the design made
once per language and paper; each person's file differs only in their own fields)."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from ..placeholders import fill
from .design import PAPER, Design, person_context
from .pdfwriter import write_pdf
from .registrations import Delegate
from .render import Shared, lay_out_shared
from .typeset import Canvas, stacked


def letter_pdfs(design: Design, paper: str, people: list[Delegate]) -> list[bytes]:
    """Each person's letter: the shared letter of their kind of participation (laid out once
    per process), with their address and salutation set where it keeps room for them."""
    result = []
    for person in people:
        context = person_context(design, person, "p")
        shared = design.once(("letter", paper, context["participation"]),
                             lambda c=context: _background(design, paper, c))
        canvas = _personal_page(shared, context)
        result.append(write_pdf(shared.template, [canvas], design.lang))
    return result


def _personal_page(shared: Shared, context: dict) -> Canvas:
    width, height = shared.template.sizes[0]
    canvas = Canvas(width, height)
    canvas.form(0)
    slot, name, line = (shared.slots["addressee"], shared.samples["addressee-name"],
                        shared.samples["addressee-line"])
    top = name.area.y
    address = [(context["formal_name"], name.style)] + [
        (text, line.style) for text in (context["position"], context["organisation"],
                                        context["country_name"])]
    for block in stacked(address, name.area.w, slot.bottom - top):
        top = canvas.paragraph(block, name.area.x, top, name.area.w, slot.bottom)
    salutation = shared.samples["salutation"]
    room = shared.slots["salutation"].bottom - salutation.area.y
    for block in stacked([(context["salutation"], salutation.style)], salutation.area.w, room):
        canvas.paragraph(block, salutation.area.x, salutation.area.y, salutation.area.w,
                         shared.slots["salutation"].bottom)
    return canvas


def _background(design: Design, paper: str, sample: dict) -> Shared:
    """The shared letter for people like ``sample`` (only their participation is used)."""
    shared = {"anchor": "letter", "participation_label": sample["participation_label"],
              "join_link": sample["join_link"]}
    html = design.env().get_template("delegates/letter.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper], people=[shared],
        workshop=design.workshop, texts=design.texts, issued=design.issued,
        dates=design.dates, venue=design.venue, symbol=design.symbol,
        subject=fill(design.texts.letter.subject, design.values()),
        closing=fill(design.texts.letter.closing, design.values()),
        body=[fill(p, design.values()) for p in design.texts.letter.body],
        emblem_src=design.emblem_src)
    return lay_out_shared(html, design.layouts / "delegates", (design.layouts,),
                          "the letter of invitation", css=design.css,
                          title=design.gettext("Letter of invitation"),
                          needs=("addressee", "addressee-name", "addressee-line", "salutation"))


# Fields a DOCX letter varies per person; each is one run of the template, so replacing the
# marker in word/document.xml cannot cross formatting.
FIELDS = ("ADDRESSEE", "SUBJECT", "SALUTATION", "PARTICIPATION", "JOINLINE")


def _marker(field: str) -> str:
    return f"KBFIELD{field}KB"


def _docx_template(design: Design, paper: str) -> tuple[bytes, bytes]:
    return design.once(("docx", paper), lambda: _make_docx_template(design, paper))


def _make_docx_template(design: Design, paper: str) -> tuple[bytes, bytes]:
    """The letter's DOCX with a marker in place of each personal field: (a zip of every other
    part, compressed once, and word/document.xml)."""
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(210), Mm(297)) if paper == "a4" \
        else (Mm(215.9), Mm(279.4))
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin = section.bottom_margin = Mm(18)
    style = doc.styles["Normal"]
    style.font.name = "Noto Sans"
    style.font.size = Pt(10.5)
    _write_letter(doc, design)
    doc.core_properties.title = design.gettext("Letter of invitation")
    doc.core_properties.author = design.workshop["conference"]
    return _template_parts(doc)


def _write_letter(doc, design: Design) -> None:
    """The letter's paragraphs, a marker where each personal field goes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    brand = RGBColor(0x0B, 0x3A, 0x63)
    head = doc.add_paragraph()
    emblem = design.layouts / "brand" / "emblem.png"
    if emblem.is_file():
        head.add_run().add_picture(str(emblem), width=Mm(14))
        head.add_run("  ")
    run = head.add_run(f"{design.workshop['conference']} ({design.workshop['conference_short']})")
    run.font.size, run.font.color.rgb, run.font.name = Pt(12), brand, "Noto Serif"
    if design.symbol:
        symbol = doc.add_paragraph(design.symbol)
        symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = doc.add_paragraph(f"{design.texts.place}, {design.issued}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph().add_run(_marker("ADDRESSEE"))
    subject = doc.add_paragraph().add_run(_marker("SUBJECT"))
    subject.bold, subject.font.color.rgb = True, brand
    doc.add_paragraph().add_run(_marker("SALUTATION"))
    for paragraph in design.texts.letter.body:
        doc.add_paragraph(fill(paragraph, design.values())).alignment = \
            WD_ALIGN_PARAGRAPH.JUSTIFY
    facts = doc.add_paragraph()
    facts.add_run(f"{design.gettext('Dates')}: ").bold = True
    facts.add_run(design.dates)
    if design.venue:
        facts.add_run().add_break()
        facts.add_run(f"{design.gettext('Venue')}: ").bold = True
        facts.add_run(design.venue)
    facts.add_run().add_break()
    facts.add_run(f"{design.gettext('Participation')}: ").bold = True
    facts.add_run(_marker("PARTICIPATION"))
    facts.add_run(_marker("JOINLINE"))
    doc.add_paragraph(fill(design.texts.letter.closing, design.values()))
    doc.add_paragraph()
    signature = doc.add_paragraph()
    signature.add_run(design.texts.signatory.name).bold = True
    signature.add_run().add_break()
    signature.add_run(design.texts.signatory.title)


def _template_parts(doc) -> tuple[bytes, bytes]:
    """(a zip of every part but word/document.xml, compressed once; word/document.xml)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    document = members.pop("word/document.xml")
    shared = io.BytesIO()
    with zipfile.ZipFile(shared, "w") as archive:
        for name, data in members.items():  # [Content_Types].xml first, as python-docx has it
            archive.writestr(_fixed(name), data)
    return shared.getvalue(), document


_BREAK = '</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space="preserve">'
_BOLD = '</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">'


def letter_docx(design: Design, paper: str, person: Delegate) -> bytes:
    shared, document = _docx_template(design, paper)
    context = person_context(design, person, "p")
    lines = [context["formal_name"], person.position, person.organisation,
             context["country_name"]]
    join = ""
    if context["join_link"]:
        join = _BREAK + _BOLD + escape(design.gettext("Join link")) + ": " + \
            '</w:t></w:r><w:r><w:t xml:space="preserve">' + escape(context["join_link"])
    values = {
        "ADDRESSEE": _BREAK.join(escape(line) for line in lines if line),
        "SUBJECT": escape(context["subject"]),
        "SALUTATION": escape(context["salutation"]),
        "PARTICIPATION": escape(context["participation_label"]),
        "JOINLINE": join,
    }
    xml = document.decode("utf-8")
    for field in FIELDS:
        # The marker sits in a <w:t> without xml:space; make the run keep its spaces.
        xml = xml.replace(f"<w:t>{_marker(field)}</w:t>",
                          f'<w:t xml:space="preserve">{values[field]}</w:t>')
    # The shared parts' compressed bytes are copied as they are; only the person's
    # document.xml is compressed (compressing the 0.8 MB of styles for every person was most
    # of a letter's cost, and storing them uncompressed made each letter 850 KB).
    buffer = io.BytesIO(shared)
    buffer.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(_fixed("word/document.xml"), xml.encode("utf-8"))
    return buffer.getvalue()


def _fixed(name: str) -> zipfile.ZipInfo:
    # A fixed date: a re-render of the same person gives the same bytes.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
