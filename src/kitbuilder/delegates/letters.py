"""Letters of invitation: PDF (many per render, split per person) and DOCX (the design made
once per language and paper; each person's file differs only in their own fields)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from .design import PAPER, Design, person_context
from .pdfwriter import write_pdf
from .registrations import Delegate
from .render import Shared, lay_out_shared
from .typeset import Canvas, stacked


def letter_pdfs(design: Design, paper: str, people: list[Delegate],
                issues: list[tuple[str, str]]) -> list[bytes]:
    """Each person's letter: the shared letter of their kind of participation (laid out once
    per process), with their reference, date of issue, address and salutation set where it
    keeps room for them."""
    result = []
    for person, issue in zip(people, issues, strict=True):
        context = person_context(design, person, "p")
        shared = design.once(("letter", paper, context["participation"]),
                             lambda c=context: _background(design, paper, c))
        canvas = _personal_page(shared, {**context, **issue_lines(design, issue)})
        result.append(write_pdf(shared.template, [canvas], design.lang))
    return result


def _personal_page(shared: Shared, context: dict) -> Canvas:
    width, height = shared.template.sizes[0]
    canvas = Canvas(width, height)
    canvas.form(0)
    top, room = shared.samples["reference"].area.y, shared.slots["issue"].bottom
    lines = [(context["reference"], shared.samples["reference"].style),
             (context["dateline"], shared.samples["dateline"].style)]
    names = [name for (text, _), name in zip(lines, ("reference", "dateline"), strict=True)
             if text]  # stacked() leaves an empty line out
    for block, name in zip(stacked(lines, shared.samples["reference"].area.w, room - top),
                           names, strict=True):
        top = canvas.paragraph(block, shared.samples["reference"].area.x, top,
                               shared.samples["reference"].area.w, room, slot=name)
    slot, name, line = (shared.slots["addressee"], shared.samples["addressee-name"],
                        shared.samples["addressee-line"])
    top = name.area.y
    address = [(context["formal_name"], name.style)] + [
        (text, line.style) for text in (context["position"], context["organisation"],
                                        context["country_name"])]
    for index, block in enumerate(stacked(address, name.area.w, slot.bottom - top)):
        top = canvas.paragraph(block, name.area.x, top, name.area.w, slot.bottom,
                               slot="addressee-line" if index else "addressee-name")
    salutation = shared.samples["salutation"]
    room = shared.slots["salutation"].bottom - salutation.area.y
    for block in stacked([(context["salutation"], salutation.style)], salutation.area.w, room):
        canvas.paragraph(block, salutation.area.x, salutation.area.y, salutation.area.w,
                         shared.slots["salutation"].bottom, slot="salutation")
    return canvas


def issue_lines(design: Design, issue: tuple[str, str]) -> dict[str, str]:
    """The reference line and the date line of a document issued as ``issue`` says."""
    number, day = issue
    return {"reference": design.gettext("Ref.: %(number)s") % {"number": number},
            "dateline": design.once(("dateline", day),
                                    lambda: design.dateline(dt.date.fromisoformat(day)))}


def paragraphs(design: Design, participation: str) -> list[str]:
    """The letter's body for this participation: a paragraph whose message is empty for it
    (travel and visa for someone who does not travel) is left out."""
    def make() -> list[str]:
        texts = (design.message(p, participation) for p in design.texts.letter.body)
        return [text for text in texts if text]

    return design.once(("paragraphs", participation), make)


def _background(design: Design, paper: str, sample: dict) -> Shared:
    """The shared letter for people like ``sample`` (only their participation is used)."""
    participation = sample["participation"]
    shared = {"anchor": "letter", "participation_label": _label(design, sample),
              "join_link": sample["join_link"]}
    html = design.env().get_template("delegates/letter.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper], people=[shared],
        workshop=design.workshop, texts=design.texts,
        dates=design.dates, venue=design.venue, signature_src=design.signature_src,
        subject=design.message(design.texts.letter.subject, participation),
        closing=design.message(design.texts.letter.closing, participation),
        body=paragraphs(design, participation), emblem_src=design.emblem_src)
    return lay_out_shared(html, design.layouts / "delegates", (design.layouts,),
                          "the letter of invitation", css=design.css,
                          title=design.gettext("Letter of invitation"),
                          needs=("issue", "reference", "dateline", "addressee",
                                 "addressee-name", "addressee-line", "salutation"))


def _label(design: Design, context: dict) -> str:
    """'Participation: In person' only where there is a choice (not at a virtual meeting)."""
    return "" if design.meeting["format"] == "virtual" else context["participation_label"]


# Fields a DOCX letter varies per person; each is one run of the template, so replacing the
# marker in word/document.xml cannot cross formatting.
FIELDS = ("REFERENCE", "DATELINE", "ADDRESSEE", "SUBJECT", "SALUTATION", "PARTICIPATION",
          "JOINLINE", "BODY")


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
    issue = doc.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    issue.add_run(_marker("REFERENCE"))
    issue.add_run().add_break()
    issue.add_run(_marker("DATELINE"))
    doc.add_paragraph().add_run(_marker("ADDRESSEE"))
    subject = doc.add_paragraph().add_run(_marker("SUBJECT"))
    subject.bold, subject.font.color.rgb = True, brand
    doc.add_paragraph().add_run(_marker("SALUTATION"))
    # The body differs by participation: its paragraphs are one field.
    body = doc.add_paragraph()
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.add_run(_marker("BODY"))
    facts = doc.add_paragraph()
    facts.add_run(f"{design.gettext('Dates')}: ").bold = True
    facts.add_run(design.dates)
    if design.venue:
        facts.add_run().add_break()
        facts.add_run(f"{design.gettext('Venue')}: ").bold = True
        facts.add_run(design.venue)
    facts.add_run(_marker("PARTICIPATION"))
    facts.add_run(_marker("JOINLINE"))
    doc.add_paragraph(design.message(design.texts.letter.closing))
    signature_image = design.brand / design.texts.signatory.signature \
        if design.texts.signatory.signature else None
    if signature_image is not None and signature_image.suffix.lower() != ".svg":
        doc.add_paragraph().add_run().add_picture(str(signature_image), height=Mm(16))
    else:
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


_PARAGRAPH = ('</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r>'
              '<w:t xml:space="preserve">')


def letter_docx(design: Design, paper: str, person: Delegate, issue: tuple[str, str]) -> bytes:
    shared, document = _docx_template(design, paper)
    context = person_context(design, person, "p")
    lines = [context["formal_name"], person.position, person.organisation,
             context["country_name"]]
    issued = issue_lines(design, issue)
    label = _label(design, context)
    participation = ""
    if label:
        participation = _BREAK + _BOLD + escape(design.gettext("Participation")) + ": " + \
            '</w:t></w:r><w:r><w:t xml:space="preserve">' + escape(label)
    join = ""
    if context["join_link"]:
        join = _BREAK + _BOLD + escape(design.gettext("Join link")) + ": " + \
            '</w:t></w:r><w:r><w:t xml:space="preserve">' + escape(context["join_link"])
    values = {
        "REFERENCE": escape(issued["reference"]),
        "DATELINE": escape(issued["dateline"]),
        "ADDRESSEE": _BREAK.join(escape(line) for line in lines if line),
        "SUBJECT": escape(context["subject"]),
        "SALUTATION": escape(context["salutation"]),
        "PARTICIPATION": participation,
        "JOINLINE": join,
        "BODY": _PARAGRAPH.join(escape(p) for p in paragraphs(design, person.participation)),
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
