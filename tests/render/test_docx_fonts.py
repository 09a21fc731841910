"""The Latin subsets shipped in layouts/fonts/docx/ are exactly what the DOCX writer would
make from layouts/fonts/ (scripts/make_docx_fonts.py makes them again after a face or
fontTools changes), and a kit beyond them gets its faces subset at build time."""

from __future__ import annotations

import pytest

from kitbuilder.render.docx_fonts import ALWAYS, PREBUILT, face_bytes, latin_set, subset
from tests.conftest import ROOT

LAYOUTS = ROOT / "layouts"


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted((LAYOUTS / "fonts").glob("*.ttf")), ids=lambda p: p.name)
def test_the_prebuilt_latin_subsets_are_what_the_writer_makes(path):
    ready = LAYOUTS / PREBUILT / path.name
    assert ready.is_file(), f"{ready} is missing: run python scripts/make_docx_fonts.py"
    assert ready.read_bytes() == subset(path, latin_set(path)), \
        f"{ready} is out of date: run python scripts/make_docx_fonts.py"


def test_text_beyond_the_latin_set_is_subset_at_build_time():
    import io

    from fontTools.ttLib import TTFont

    path = LAYOUTS / "fonts" / "NotoSans-Regular.ttf"
    cyrillic = latin_set(path) | {"Ж", "я"}
    assert not cyrillic <= ALWAYS
    face = TTFont(io.BytesIO(face_bytes(LAYOUTS, path, cyrillic)))
    assert {ord("Ж"), ord("я"), ord("é")} <= set(face.getBestCmap())
    ready = (LAYOUTS / PREBUILT / path.name).read_bytes()
    assert face_bytes(LAYOUTS, path, latin_set(path)) == ready
