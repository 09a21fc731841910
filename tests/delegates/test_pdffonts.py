"""Fallback faces in a delegate's PDF: each run's face embedded, the CJK face as CFF, and its
subsets the same once the process has preprocessed the face."""

from __future__ import annotations

import subprocess

import pikepdf
import pytest

from kitbuilder.delegates import pdffonts
from kitbuilder.delegates.pdfwriter import write_pdf
from kitbuilder.quality import fonts as kit_fonts
from tests.delegates.test_pdfwriter import page, shared  # noqa: F401 - a fixture
from tests.tools import require, require_file

pytestmark = pytest.mark.slow


def read(path) -> str:
    return subprocess.run([require("pdftotext"), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def embedded(path) -> dict[str, str]:
    found = {}
    with pikepdf.open(path) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            descendant = font.DescendantFonts[0]
            kind = "/FontFile3" if "/FontFile3" in descendant.FontDescriptor else "/FontFile2"
            found[str(font.BaseFont).split("+")[1]] = f"{descendant.Subtype} {kind}"
    return found


def test_a_line_in_three_scripts_embeds_each_runs_face(shared, tmp_path):  # noqa: F811
    require_file(kit_fonts.SYSTEM_FONTS[0].path, "fonts-noto-cjk")
    path = tmp_path / "mixed.pdf"
    path.write_bytes(write_pdf(shared.template, [page(shared, "Ana 王小明 דוד")], "es"))
    text = read(path)
    assert "Ana" in text and "王小明" in text and "דוד" in text
    faces = embedded(path)
    assert faces["NotoSerif-Bold"] == "/CIDFontType2 /FontFile2"
    assert faces["NotoSansHebrew-Bold"] == "/CIDFontType2 /FontFile2"
    assert faces["NotoSansCJKsc-Bold"] == "/CIDFontType0 /FontFile3"


def test_the_cjk_face_preprocessed_gives_the_same_file(shared, tmp_path,  # noqa: F811
                                                        monkeypatch):
    require_file(kit_fonts.SYSTEM_FONTS[0].path, "fonts-noto-cjk")
    canvas = page(shared, "山田 太郎")
    before = write_pdf(shared.template, [canvas], "es")
    monkeypatch.setattr(pdffonts, "PREPROCESS_AFTER", 1)
    monkeypatch.setattr(pdffonts, "_preprocessed", {})
    after = write_pdf(shared.template, [canvas], "es")
    assert len(pdffonts._preprocessed) == 1
    assert after == before
    (tmp_path / "after.pdf").write_bytes(after)
    assert "山田 太郎" in read(tmp_path / "after.pdf")
