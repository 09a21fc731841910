"""No wasted or stranded pages (issue 23), measured on the PDFs of the shipped workshop and the
example project, every edition: how full each page is, where headings fall, continued days,
even print editions, and the participant guidance that content gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polib
import pytest
import yaml

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.render.pages import chapters, read_pages

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hybrid-workshop"
EDITIONS = ("screen", "print", "archive")
# One country for each language and paper size of the shipped workshop.
SHIPPED_COUNTRIES = ("CA", "MX", "DO")

pytestmark = pytest.mark.slow


def _build(content: Path, output: Path, countries=(), editions=EDITIONS, formats=("pdf",)):
    reporter = Reporter()
    build(Settings(content=content, output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", countries=countries, formats=formats,
                   editions=editions), reporter)
    return reporter


@pytest.fixture(scope="module")
def kits(shipped_build, shipped_editions, example_build) -> list[Path]:
    """Every PDF edition of the example's kits and of one shipped kit per language and paper:
    the shared builds' (tests/conftest.py)."""
    shipped = [pdf for folder in (shipped_build[0], shipped_editions)
               for code in SHIPPED_COUNTRIES for pdf in (folder / code.lower()).rglob("*.pdf")]
    found = sorted([*shipped, *example_build[0].rglob("*.pdf")])
    assert len(found) == 3 * (len(SHIPPED_COUNTRIES) + 4)
    return found


def _edition(pdf: Path) -> str:
    stem = pdf.stem
    return next((e for e in ("print", "archive") if stem.endswith("-" + e)), "screen")


def test_no_page_is_less_than_a_third_full(kits):
    wasted = []
    for pdf in kits:
        pages, headings = read_pages(pdf)
        last_of_long = {spread[-1] for _, spread in chapters(pages, headings) if len(spread) > 1}
        for n, page in enumerate(pages):
            if page.blank:
                continue  # blank pages: test_print_editions_are_even
            before_landscape = n + 1 < len(pages) and pages[n + 1].landscape
            if page.fill < 1 / 3 and n not in last_of_long and not before_landscape:
                wasted.append(f"{pdf.name} page {page.number}: {page.fill:.0%} full")
    assert not wasted


def test_headings_never_end_a_page(kits):
    stranded = []
    for pdf in kits:
        pages, headings = read_pages(pdf)
        for heading in headings:
            # Something after the heading's own words: its text, the day's table.
            if not pages[heading.page].followed(heading):
                stranded.append(f"{pdf.name} page {heading.page + 1}: {heading.title}")
    assert not stranded


def _continued(lang: str, agenda_title: str) -> tuple[tuple[str, str], str]:
    """("Día ", "(continuación)") for a day, "Agenda (continuación)" for a one-day agenda."""
    catalog = polib.pofile(str(ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po"))
    day = catalog.find("Day %(n)s (continued)").msgstr
    whole = catalog.find("%(title)s (continued)").msgstr % {"title": agenda_title}
    return (day.split("%(n)s")[0], day.split("%(n)s")[1].strip()), whole


def test_a_day_that_goes_on_says_so(kits):
    continued = 0
    for pdf in kits:
        lang = pdf.parent.name
        project = EXAMPLE if "example" in pdf.name else ROOT
        title = yaml.safe_load((project / "content" / lang / "agenda.yaml").read_text())["title"]
        (before, after), whole = _continued(lang, title)
        pages, headings = read_pages(pdf)
        agenda = next(spread for name, spread in chapters(pages, headings) if name == title)
        for n in agenda[1:]:
            first = pages[n].lines()[0]
            days = {h.title for h in headings if h.level == 2 and h.page == n}
            if first not in days:  # the page goes on with a day begun before
                assert first.startswith(whole) or (first.startswith(before) and after in first), \
                    (pdf.name, n + 1, first)
                continued += 1
    # The example's first day runs over a page in its Canadian kit: the rule is exercised.
    assert continued >= 1


def test_print_editions_are_even_and_blank_only_where_meant(kits):
    for pdf in kits:
        pages, _ = read_pages(pdf)
        blank = [p.number for p in pages if p.blank]
        if _edition(pdf) == "print":
            assert len(pages) % 2 == 0, pdf.name
            # The cover's back, and a last verso that makes the count even.
            assert set(blank) <= {2, len(pages)}, (pdf.name, blank)
        else:
            assert not blank, (pdf.name, blank)


def test_guidance_comes_from_content_and_is_said_once(kits):
    from tests.conftest import pdf_text

    for pdf in kits:
        lang = pdf.parent.name
        project = EXAMPLE if "example" in pdf.name else ROOT
        people = yaml.safe_load((project / "content" / lang / "participants.yaml").read_text())
        text = pdf_text(pdf)
        guidance = text[text.rindex(people["notes"][0]["title"]) - 2000:]
        for note in people["notes"]:
            assert note["title"] in guidance, (pdf.name, note["title"])
        if project == ROOT:  # the concept note ends with the recommended delegation
            assert text.count(people["regional_intro"]) == 1, pdf.name


def test_a_print_only_build_packages_the_print_edition(tmp_path):
    output = tmp_path / "out"
    _build(ROOT / "content", output, countries=("BZ",), editions=("print",))
    [package] = output.rglob("*.zip")
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        readme = archive.read("README.txt").decode("utf-8")
    assert [n for n in names if n.endswith("-print.pdf")], names
    assert len(readme) > 100 and "-print.pdf" in readme
