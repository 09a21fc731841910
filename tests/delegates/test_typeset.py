"""Personal text shaped, measured and broken into lines with the shipped fonts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitbuilder.delegates.typeset import FontBook, TextStyle, lines, measure, shape, stacked

ROOT = Path(__file__).resolve().parents[2]
FONTS = FontBook(ROOT / "layouts" / "styles" / "fonts.css")


def style(size: float = 16.0, bold: bool = False, **extra) -> TextStyle:
    face = FONTS.match(("Noto Sans",), 700 if bold else 400, False)
    return TextStyle(face=face, size=size, color=(0, 0, 0), line_height=size * 1.25, **extra)


def test_fonts_css_faces_are_matched_as_css_matches_them():
    assert FONTS.match(("Georgia", "Noto Serif"), 700, False).path.endswith("NotoSerif-Bold.ttf")
    assert FONTS.match(("Noto Sans",), 400, True).path.endswith("NotoSans-Italic.ttf")
    # No bold italic serif is shipped: the bold upright face stands in, as a browser's would.
    assert FONTS.match(("Noto Serif",), 700, True).path.endswith("NotoSerif-Bold.ttf")
    with pytest.raises(ValueError):
        FONTS.match(("Comic Sans",), 400, False)


def test_kerning_is_applied():
    plain = style()
    pair = measure(shape("AV", plain), plain)
    apart = measure(shape("A", plain), plain) + measure(shape("V", plain), plain)
    assert pair < apart - 0.5


def test_every_letter_keeps_what_it_stands_for():
    text = "Αικατερίνη Кузнецова Ødegård Officer Núñez"
    glyphs = shape(text, style())
    assert "".join(g.text for g in glyphs) == text
    decomposed = "Nun\u0303ez"  # n + combining tilde: set as one letter, read back as ñ
    assert "".join(g.text for g in shape(decomposed, style())) == "Nuñez"


def test_white_space_collapses_as_in_css():
    glyphs = shape("  Estimada\n\tAna   María ", style())
    assert "".join(g.text for g in glyphs) == "Estimada Ana María"


def test_lines_break_at_spaces_and_hyphens_and_never_run_past_the_width():
    text = "Coordinadora General de Cooperación Internacional Lefèvre-Bouchard"
    found = lines(text, style(), 150)
    assert len(found) > 2
    assert all(line.width <= 150.01 for line in found)
    assert " ".join(line.text for line in found).replace("- ", "-") == text
    compound = "Lefèvre-Bouchard"
    narrower = measure(shape(compound, style()), style()) - 5
    assert [line.text for line in lines(compound, style(), narrower)] == ["Lefèvre-", "Bouchard"]


def test_a_word_wider_than_the_line_is_broken_inside_not_cut():
    word = "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    found = lines(word, style(), 100)
    assert len(found) > 1 and "".join(line.text for line in found) == word
    assert all(line.width <= 100.01 for line in found)


def test_stacked_sets_a_long_address_smaller_instead_of_cutting_it():
    name = "Dr María de los Ángeles Fernández-Villaverde y Rodríguez de la Concepción"
    big, line = style(32, bold=True), style(16)
    parts = [(name, big), ("Instituto Nacional de Migración y Desarrollo Económico", line)]
    blocks = stacked(parts, 500, 120)
    assert sum(x.style.line_height for block in blocks for x in block) <= 120.5
    assert blocks[0][0].style.size < big.size and blocks[1][0].style.size < line.size
    assert " ".join(x.text for x in blocks[0]).replace("- ", "-") == name
    short = stacked([("Ana Ruiz", big)], 500, 120)
    assert short[0][0].style.size == big.size
    # Empty parts (no position given) take no room.
    assert len(stacked([("", big), ("Ana", line)], 500, 120)) == 1


def test_uppercase_and_letter_spacing_follow_css():
    spaced = style(letter_spacing=2.0, uppercase=True)
    glyphs = shape("remote", spaced)
    assert "".join(g.text for g in glyphs) == "REMOTE"
    assert measure(glyphs, spaced) == pytest.approx(measure(glyphs, style()) + 6 * 2.0)
