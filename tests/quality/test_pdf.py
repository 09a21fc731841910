"""The PDFs, opened with real tools: pikepdf (structure tree), poppler (pdffonts, pdftotext,
pdfinfo), qpdf --check. Screen edition from the shared build; print and archive editions
built once here for one Spanish and one English kit."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.conftest import ROOT, pdf_text
from tests.tools import require

pytestmark = pytest.mark.slow


def screen_pdfs(output: Path) -> list[Path]:
    pdfs = sorted(p for p in output.rglob("*.pdf") if not re.search(r"-(print|archive)\.pdf$",
                                                                        p.name))
    assert len(pdfs) == 11
    return pdfs


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("editions")
    build(Settings(content=ROOT / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", countries=("MX", "US"), formats=("pdf",),
                   editions=("screen", "print", "archive")), Reporter())
    return output


def struct_elements(pdf) -> list:
    """Every structure element of the tagged PDF, depth first."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, list) or hasattr(kids, "append") else [kids]):
            if hasattr(kid, "get") and kid.get("/S") is not None:
                found.append(kid)
                stack.append(kid)
    return found


def outline_titles(pdf) -> list[str]:
    import pikepdf

    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        titles, stack = [], list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(str(item.title))
            stack[:0] = list(item.children)
    return titles


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("us", "en"), ("bz", "en"), ("do", "es")])
def test_tagged_structure_language_title_and_alt(shipped_build, code, lang):
    import pikepdf

    output, _ = shipped_build
    path = next((output / code / lang).glob("*.pdf"))
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title).startswith("Iniciativas" if lang == "es" else
                                                 "Entrepreneurship")
        elements = struct_elements(pdf)
        tags = {str(e.S) for e in elements}
        assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/TR", "/L", "/LI",
                "/Figure"} <= tags, tags
        figures = [e for e in elements if e.S == "/Figure"]
        alts = [str(e.get("/Alt", "")) for e in figures]
        assert alts and all(alts), alts
        emblem = "Emblema" if lang == "es" else "Emblem"
        assert any(alt.startswith(emblem) for alt in alts), alts


def test_every_pdf_passes_qpdf_check_and_embeds_all_fonts(shipped_build, editions):
    qpdf, pdffonts = require("qpdf"), require("pdffonts")
    output, _ = shipped_build
    pdfs = screen_pdfs(output) + sorted(editions.rglob("*.pdf"))
    assert len(pdfs) == 11 + 6
    for pdf in pdfs:
        check = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, (pdf, check.stdout, check.stderr)
        assert "No syntax or stream encoding errors" in check.stdout
        fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts, pdf
        for row in fonts:  # name type encoding emb sub uni object ID
            columns = row.split()
            assert columns[-5] == "yes", (pdf, row)  # emb
            assert "Noto" in columns[0], (pdf, row)  # only the shipped fonts


@pytest.mark.parametrize("code, lang, page_word, sections", [
    ("mx", "es", "Página", ["Nota conceptual", "Agenda", "Orientaciones para participantes",
                            "Referencias"]),
    ("us", "en", "Page", ["Concept note", "Agenda", "Participant guidance", "References"]),
])
def test_bookmarks_contents_and_page_numbers_in_kit_language(shipped_build, code, lang,
                                                             page_word, sections):
    output, _ = shipped_build
    path = next((output / code / lang).glob("*.pdf"))
    titles = outline_titles(path)
    for section in sections:
        assert section in titles, titles
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        [require("pdfinfo"), str(path)], capture_output=True, text=True).stdout).group(1))
    text = pdf_text(path)
    assert f"{page_word} 1 de {pages}" in text if lang == "es" else f"Page 1 of {pages}" in text
    last = f"{page_word} {pages} de {pages}" if lang == "es" else f"Page {pages} of {pages}"
    assert last in text
    # The contents page lists every section with a page number.
    for section in sections:
        assert re.search(re.escape(section) + r"[ .]*\d+", text), section


def test_cover_fits_on_the_first_page(shipped_build):
    output, _ = shipped_build
    for pdf in screen_pdfs(output):
        second = subprocess.run([require("pdftotext"), "-f", "2", "-l", "2", str(pdf), "-"],
                                capture_output=True, text=True, check=True).stdout
        assert re.search(r"Cont(ents|enido)", second), (pdf, second[:300])


def test_print_edition_has_bleed_trim_and_right_hand_chapters(editions):
    import pikepdf

    for pdf_path in sorted(editions.rglob("*-print.pdf")):
        with pikepdf.open(pdf_path) as pdf:
            for page in pdf.pages:
                media = [float(v) for v in page.MediaBox]
                trim = [float(v) for v in page.TrimBox]
                bleed = [float(v) for v in page.BleedBox]
                # WeasyPrint: MediaBox = BleedBox = trim box + 3 mm (8.5 pt) on every side;
                # the crop marks are drawn in that margin.
                assert trim != media and bleed != trim
                assert [round(b - t, 1) for t, b in zip(trim, bleed, strict=True)] \
                    == [-8.5, -8.5, 8.5, 8.5]
                assert media == bleed
            assert str(pdf.Root.Lang) in ("es", "en")
            # Every chapter (a level-1 bookmark) starts on a right-hand, odd page.
            with pdf.open_outline() as outline:
                starts = []
                for item in outline.root:
                    target = item.destination or item.action.D
                    starts.append(pdf.pages.index(pikepdf.Page(target[0])) + 1)
            assert len(starts) == 4 and all(n % 2 == 1 for n in starts), (pdf_path, starts)


def test_screen_edition_is_lean_without_marks(shipped_build):
    import pikepdf

    output, _ = shipped_build
    with pikepdf.open(screen_pdfs(output)[0]) as pdf:
        page = pdf.pages[0]
        assert "/BleedBox" not in page or list(page.BleedBox) == list(page.MediaBox)


def test_archive_edition_is_pdfa3b_and_still_tagged(editions):
    import pikepdf

    for pdf_path in sorted(editions.rglob("*-archive.pdf")):
        with pikepdf.open(pdf_path) as pdf:
            meta = pdf.open_metadata()
            assert meta.pdfa_status == "3B", (pdf_path, meta.pdfa_status)
            assert "/OutputIntents" in pdf.Root
            assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
            assert str(pdf.Root.Lang) in ("es", "en")


def text_with_breaks(pdf: Path) -> str:
    """PDF text where a word the layout hyphenated keeps its U+2010 (and loses the newline)."""
    require("pdftotext")
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return re.sub(r"\s+", " ", re.sub("\u2010\\s*\n\\s*", "\u2010", raw))


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("do", "es"), ("us", "en"), ("ca", "en")])
def test_text_is_hyphenated_but_names_are_not(shipped_build, code, lang):
    from kitbuilder.content.loader import load_project
    from kitbuilder.errors import Problems
    from kitbuilder.render.names import names_of

    output, _ = shipped_build
    text = text_with_breaks(output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf")
    assert "\u2010" in text, "hyphens: auto should break some long words in justified prose"
    project = load_project(ROOT / "content", Problems())
    names = names_of(project, lang, project.workshop.cldr_locales.get(lang, lang))
    assert "International Labour Organization" in names or "Organización Internacional del " \
        "Trabajo" in names
    broken = []
    for name in names:  # the name with an optional line-end hyphen between any two letters
        pattern = "\u2010?".join(r"\s+" if ch == " " else re.escape(ch) for ch in name)
        broken += [m.group(0) for m in re.finditer(pattern, text) if "\u2010" in m.group(0)]
    assert broken == [], f"names hyphenated across a line: {broken}"
