"""Personal pages written over a shared design, read back with pikepdf, poppler and fontTools."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest

from kitbuilder.delegates.pdfwriter import write_pdf
from kitbuilder.delegates.render import PDF_A, lay_out_shared
from kitbuilder.delegates.typeset import Canvas, lines
from tests.conftest import pdf_text
from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = ROOT / "layouts"
CSS = (LAYOUTS / "styles" / "fonts.css").read_text(encoding="utf-8")

pytestmark = pytest.mark.slow

DESIGN = """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Carta</title>
<style>@page { size: A4; margin: 20mm; } body { font-family: "Noto Sans"; font-size: 10pt; }
#slot-name { height: 40pt; } .name { font: bold 14pt "Noto Serif"; color: #0b3a63; margin: 0; }
</style></head><body><p>Texto compartido por todos.</p>
<div id="slot-name"><p class="name" data-style="name"></p></div><p>Fin.</p></body></html>"""


@pytest.fixture(scope="module")
def shared():
    return lay_out_shared(DESIGN, LAYOUTS / "delegates", (LAYOUTS,), "the test design", css=CSS)


@pytest.fixture(scope="module")
def archival():
    return lay_out_shared(DESIGN, LAYOUTS / "delegates", (LAYOUTS,), "the test design",
                          css=CSS, variant=PDF_A, title="Certificado")


def page(shared, name: str) -> Canvas:
    width, height = shared.template.sizes[0]
    canvas = Canvas(width, height)
    canvas.form(0)
    sample = shared.samples["name"]
    canvas.paragraph(lines(name, sample.style, sample.area.w), sample.area.x, sample.area.y,
                     sample.area.w, shared.slots["name"].bottom)
    return canvas


def assert_qpdf_clean(path: Path) -> None:
    """qpdf reads every object through the cross-reference table: a wrong offset or length
    is a warning (exit code 3), which the writer must never cause."""
    done = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True,
                          text=True)
    assert done.returncode == 0 and "WARNING" not in done.stdout + done.stderr, done.stdout


NAME = "Αικατερίνη Кузнецова-Ødegård, Officer «Núñez»"


def test_the_page_reads_back_with_the_shared_text_and_the_persons_own(tmp_path, shared):
    path = tmp_path / "a.pdf"
    path.write_bytes(write_pdf(shared.template, [page(shared, NAME)], "es"))
    text = pdf_text(path)
    assert "Texto compartido por todos." in text and "Fin." in text
    assert NAME in text
    assert_qpdf_clean(path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
        assert len(pdf.pages) == 1


def test_the_name_sits_inside_its_slot(tmp_path, shared):
    require("pdftotext")
    path = tmp_path / "a.pdf"
    path.write_bytes(write_pdf(shared.template, [page(shared, "Kwame Mensah")], "es"))
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    import re

    words = {m.group(5): tuple(float(m.group(i)) for i in range(1, 5)) for m in re.finditer(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html)}
    slot = shared.slots["name"]
    x_min, y_min, _, y_max = words["Kwame"]
    # pdftotext reports points; the slot is in CSS px.
    assert slot.x * 0.75 - 1 <= x_min
    assert slot.y * 0.75 - 1 <= y_min and y_max <= slot.bottom * 0.75 + 1
    assert words["Texto"][1] < y_min < words["Fin."][1]


def test_fonts_are_embedded_subsets_with_widths_that_match_their_glyphs(tmp_path, shared):
    from fontTools.ttLib import TTFont

    data = write_pdf(shared.template, [page(shared, NAME)], "es")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        # The writer's own fonts (the design's, WeasyPrint's, are beside them).
        fonts = {k: v for k, v in pdf.pages[0].Resources.Font.items() if k[2:].isdigit()}
        assert fonts.keys()
        for _, font in fonts.items():
            cid = font.DescendantFonts[0]
            assert str(font.BaseFont).split("+")[0].isupper() and "+" in str(font.BaseFont)
            program = TTFont(io.BytesIO(cid.FontDescriptor.FontFile2.read_bytes()))
            advances = [program["hmtx"][g][0] for g in program.getGlyphOrder()]
            widths = [int(w) for w in cid.W[1]]
            assert widths == [round(a * 1000 / program["head"].unitsPerEm) for a in advances]
            assert len(advances) < 60  # only the glyphs this page uses
            assert "/ToUnicode" in font


def test_one_persons_file_holds_no_glyph_of_anothers(shared):
    """Fonts are subset per file: a file cannot be mined for other delegates' letters."""
    mine = write_pdf(shared.template, [page(shared, "Ana")], "es")
    with pikepdf.open(io.BytesIO(mine)) as pdf:
        font = pdf.pages[0].Resources.Font
        serif = next(f for _, f in font.items() if "Serif" in str(f.BaseFont))
        unicode_map = serif.ToUnicode.read_bytes().decode()
        assert unicode_map.count("<00") >= 3 and "<004B>" not in unicode_map  # no "K"


def test_same_input_same_bytes(shared):
    first = write_pdf(shared.template, [page(shared, NAME)], "es")
    assert first == write_pdf(shared.template, [page(shared, NAME)], "es")
    assert first != write_pdf(shared.template, [page(shared, NAME + "x")], "es")


def test_an_archival_design_keeps_pdfa_metadata_and_output_intent(tmp_path, archival):
    data = write_pdf(archival.template, [page(archival, NAME)], "es")
    (tmp_path / "c.pdf").write_bytes(data)
    assert_qpdf_clean(tmp_path / "c.pdf")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.open_metadata().pdfa_status.startswith("3")
        assert "/OutputIntents" in pdf.Root and "/DestOutputProfile" in pdf.Root.OutputIntents[0]
        assert str(pdf.docinfo.Title) == "Certificado"
        assert len(pdf.trailer.ID) == 2


def test_many_pages_share_one_set_of_fonts_and_forms(shared):
    pages = [page(shared, f"Persona {n}") for n in range(5)]
    with pikepdf.open(io.BytesIO(write_pdf(shared.template, pages, "es"))) as pdf:
        assert len(pdf.pages) == 5
        # The design's content (drawn on every page, its own stream) and resources: one
        # object each, shared by the pages.
        forms = {p.Contents[1].objgen for p in pdf.pages}
        assert len(forms) == 1
        assert len({p.Resources.objgen for p in pdf.pages}) == 1


def test_a_page_stream_keeps_glyph_ids_and_draws_overlays_over_its_pages(tmp_path, shared):
    """The list's writer: pages compressed as they are finished, glyph ids kept (a
    retain-gids subset), widths given for exactly the glyphs drawn, page numbers on top."""
    from fontTools.ttLib import TTFont

    from kitbuilder.delegates.pdfwriter import PageStream

    stream = PageStream(shared.template, "es")
    for n in range(3):
        stream.add(page(shared, f"Persona {n} Кузнецова"))
    sample = shared.samples["name"]
    overlays = []
    for n in range(3):
        overlay = Canvas(*shared.template.sizes[0])
        overlay.line(lines(f"Página {n + 1} de 3", sample.style, 300)[0], 10, 10, 300)
        overlays.append(overlay)
    path = tmp_path / "list.pdf"
    path.write_bytes(stream.finish(overlays))
    assert_qpdf_clean(path)
    reader_text = pdf_text(path)
    assert all(f"Persona {n} Кузнецова" in reader_text for n in range(3))
    assert all(f"Página {n} de 3" in reader_text for n in (1, 2, 3))
    with pikepdf.open(path) as pdf:
        # The design's stream (after a "q"), the page's own, then the overlay's: pagination,
        # an artifact.
        assert len(pdf.pages) == 3 and len(pdf.pages[0].Contents) == 4
        assert pdf.pages[0].Contents[3].read_bytes().startswith(b"/Artifact BMC")
        for _, font in pdf.pages[0].Resources.Font.items():
            cid = font.DescendantFonts[0]
            program = TTFont(io.BytesIO(cid.FontDescriptor.FontFile2.read_bytes()))
            order, scale = program.getGlyphOrder(), 1000 / program["head"].unitsPerEm
            widths = list(cid.W)
            assert widths
            for gid, width in zip(widths[::2], widths[1::2], strict=True):
                assert int(width[0]) == round(program["hmtx"][order[int(gid)]][0] * scale)
