"""`kitbuilder proof` writes one contact sheet per kit PDF with every page on it."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from tests.tools import require

pytestmark = pytest.mark.slow


def test_proof_sheet_per_kit_with_every_page(shipped_build, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    require("pdftoppm")
    output, _ = shipped_build
    copy = tmp_path / "out"
    shutil.copytree(output, copy)
    result = CliRunner().invoke(main, ["proof", "--output", str(copy), "--country", "MX",
                                       "--country", "us"])
    assert result.exit_code == 0, result.output
    sheets = sorted((copy / "proof").glob("*.png"))
    assert [s.name for s in sheets] == ["rcm-wglm-2021-ws1-mx-es.png",
                                        "rcm-wglm-2021-ws1-us-en.png"]
    for sheet in sheets:
        code, lang = sheet.stem.split("-")[-2:]
        pages = len(PdfReader(next((copy / code / lang).glob("*.pdf"))).pages)
        assert f"({pages} pages)" in result.output
        image = Image.open(sheet)
        thumb_w = 8.5 * 30 if code == "us" else 210 / 25.4 * 30  # 30 dpi thumbnails
        rows = -(-pages // 6)
        assert image.width > 6 * thumb_w and image.height > rows * 11 * 30 * 0.8
        # Pages are white on a dark background: the sheet is not blank.
        darkest, brightest = image.convert("L").getextrema()
        assert brightest == 255 and darkest < 80  # white pages with dark text on them


def test_proof_without_a_build_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["proof", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "manifest.json: error: no build found" in result.output
    assert "Traceback" not in result.output
