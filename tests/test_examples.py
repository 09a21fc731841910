"""The example projects under examples/ build, and their kits show what the examples are for:
several days, breaks, parallel sessions, a venue, join links, extra Markdown documents, and
local times on both sides of a daylight-saving change."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings
from tests.conftest import EXAMPLE, ROOT, pdf_text
from tests.render.test_html import open_kit
from tests.tools import require


def example_settings(output: Path) -> Settings:
    return Settings(content=EXAMPLE / "content", output=output, layouts=ROOT / "layouts",
                    locales=ROOT / "locales")


def kit_file(output: Path, code: str, lang: str, suffix: str) -> Path:
    return output / code / lang / f"example-hybrid-2027-{code}-{lang}.{suffix}"


def test_example_checks_clean():
    _, problems = load_and_check(example_settings(ROOT / "output"))
    assert [str(p) for p in problems.items] == []  # parallel sessions are declared: no overlap


def test_six_language_example_checks_clean():
    """examples/un-six-languages: every translation confirmed, every character in a font."""
    content = ROOT / "examples" / "un-six-languages" / "content"
    _, problems = load_and_check(Settings(content=content, output=ROOT / "output",
                                          layouts=ROOT / "layouts", locales=ROOT / "locales"))
    assert [str(p) for p in problems.items] == []


@pytest.mark.slow
def test_example_builds_every_kit(example_build):
    output, result = example_build
    kits = {(a.country.code, a.lang) for a in result.artifacts}
    assert kits == {("GT", "es"), ("MX", "es"), ("CA", "en"), ("ES", "es")}
    for code, lang in kits:
        for suffix in ("pdf", "docx", "html", "ics"):
            assert kit_file(output, code.lower(), lang, suffix).stat().st_size > 0


@pytest.mark.slow
def test_local_times_on_both_sides_of_a_daylight_saving_change(example_build):
    """Madrid moves to summer time on 28 March 2027, between day 2 and day 3: 09:00 at the
    venue (UTC−6) is 16:00 in Madrid on day 1 and 17:00 on day 3."""
    output, _ = example_build
    text = pdf_text(kit_file(output, "es", "es", "pdf"))
    day1 = text.index("Día 1 · jueves, 25 de marzo de 2027")
    day2 = text.index("Día 2 · viernes, 26 de marzo de 2027")
    day3 = text.index("Día 3 · lunes, 29 de marzo de 2027")
    assert day1 < day2 < day3
    assert "09:00–09:30 16:00–16:30" in text[day1:day2]  # UTC+1
    assert "09:00–10:30 17:00–18:30" in text[day3:]  # UTC+2
    assert "UTC+1" in text[day1:day2] and "UTC+2" in text[day3:]
    # The reception (17:00 at the venue) starts at midnight in Madrid: the next day.
    reception = text.index("Recepción de bienvenida")
    row = text[text.rindex("17:00–18:00", 0, reception):reception]
    assert "00:00–01:00" in row and "+1 día" in row

    calendar = Calendar.from_ical(kit_file(output, "es", "es", "ics").read_bytes())
    starts = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert len(starts) == 19
    first, last = starts[1], starts[-3]  # Opening (day 1), first session of day 3
    assert (first.hour, first.minute, last.hour) == (9, 0, 9)  # in the venue's own zone
    assert str(first.tzinfo) == "America/Guatemala"


@pytest.mark.slow
def test_days_breaks_parallel_sessions_venue_and_links_are_printed(example_build):
    output, _ = example_build
    text = pdf_text(kit_file(output, "ca", "en", "pdf"))
    assert "Example: invented content, not a real meeting" in text  # labelled on the cover
    assert "Venue: Example Conference Centre, 1a Avenida 1-00, Zona 10, Guatemala City" in text
    assert "PARALLEL SESSION · TRACK A · ROOM: ROOM A" in text.upper()
    assert "Parallel session · Track B" in text or "PARALLEL SESSION · TRACK B" in text
    assert "Coffee break" in text and "Lunch" in text
    # Day 2 has a join link of its own; the other days use the workshop's.
    assert "https://meet.example.org/example-hybrid-2027-day2" in text
    assert "Join online: https://meet.example.org/example-hybrid-2027 " in text
    # Hybrid: the venue's time first, Toronto's beside it for remote participants.
    # Zones by their CLDR names, offsets with a true minus sign.
    assert "Times are the venue's local time in Guatemala: Central Time (UTC\u22126)." in text


@pytest.mark.slow
def test_every_listed_document_is_a_chapter_in_order(example_build):
    from docx import Document
    from pypdf import PdfReader

    output, _ = example_build
    outline = [item.title for item in PdfReader(kit_file(output, "gt", "es", "pdf")).outline
               if not isinstance(item, list)]
    # kit.yaml's order: the references right after the note that cites them.
    chapters = ["Nota conceptual", "Referencias", "Agenda", "Nota logística",
                "Orientaciones para participantes"]
    assert [t for t in outline if t in chapters] == chapters

    doc = Document(str(kit_file(output, "gt", "es", "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == chapters
    days = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"
            and p.text.startswith("Día")]
    assert days == ["Día 1 · jueves, 25 de marzo de 2027", "Día 2 · viernes, 26 de marzo de 2027",
                    "Día 3 · lunes, 29 de marzo de 2027"]
    agendas = [t for t in doc.tables if "Actividad" in [c.text for c in t.rows[0].cells]]
    assert len(agendas) == 3  # one table a day (the cover's facts table is not one)
    agenda_rows = sum(len(t.rows) - 1 for t in agendas)
    assert agenda_rows == 19

    html = kit_file(output, "gt", "es", "html").read_text(encoding="utf-8")
    for anchor in ("concept-note", "agenda", "logistics-note", "participants", "references"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html


@pytest.mark.slow
def test_example_docx_opens_in_libreoffice(example_build, tmp_path):
    soffice = require("soffice")
    output, _ = example_build
    files = [kit_file(output, "es", "es", "docx"), kit_file(output, "ca", "en", "docx")]
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *map(str, files)], capture_output=True, timeout=300, check=True)
    text = pdf_text(tmp_path / (files[0].stem + ".pdf"))
    # The track's label is set in capitals by its style (AgendaTrack), as in the PDF.
    assert "Día 3 · lunes, 29 de marzo de 2027" in text and "SESIÓN PARALELA" in text


@pytest.mark.slow
@pytest.mark.parametrize("width", [360, 1280])
def test_example_html_reads_at_phone_and_desktop_width(example_build, browser, width):
    output, _ = example_build
    page = open_kit(browser, output, "es", "es", width)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.locator("#agenda-day-3").is_visible()
    assert page.locator("tr.slot-parallel").count() == 2
    page.close()


def test_any_markdown_document_falls_back_and_reports_status(tmp_path):
    """A document missing in one language: the kit shows the source text marked, `status`
    lists it — the same treatment the concept note has, for any document of the kit."""
    import shutil

    from kitbuilder.content.loader import load_project
    from kitbuilder.errors import Problems
    from kitbuilder.render.context import kit_context, render_language
    from kitbuilder.translation.status import project_status

    content = tmp_path / "content"
    shutil.copytree(EXAMPLE / "content", content)
    (content / "es" / "logistics-note.md").unlink()
    note = content / "es" / "concept-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "## Formato\n\nEl taller se reúne durante tres días en una sede de la Ciudad de Guatemala. "
        "Las personas delegadas que no puedan viajar se conectan en línea; la agenda indica la "
        "hora de la sede y la hora propia de cada delegación.\n", ""), encoding="utf-8")
    _, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                          locales=ROOT / "locales"))
    assert any(str(p).endswith("es/logistics-note.md: warning: missing in 'es'; kits in this "
                               "language will use the 'en' text, marked as pending translation")
               for p in problems.warnings)
    project = load_project(content, Problems())
    rendered = render_language(project, "es", ROOT / "locales")
    context = kit_context(project, project.countries[0], "es", rendered)
    chapters = {c["id"]: c for c in context["documents"]}
    assert chapters["logistics-note"]["fallback"] and chapters["logistics-note"]["lang"] == "en"
    assert chapters["logistics-note"]["title"] == "Logistics note"
    assert not chapters["concept-note"]["fallback"]
    assert "Traducción pendiente" in str(chapters["concept-note"]["html"])  # the lost section
    assert "concept-note.md:s3" in " ".join(context["kit"]["fallbacks"])
    rows = {(s.lang, s.document): s for s in project_status(project)}
    assert rows[("es", "logistics-note.md")].exists is False
    assert rows[("es", "concept-note.md")].count("missing") == 2
