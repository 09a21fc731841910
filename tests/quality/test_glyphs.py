"""Glyph coverage is checked before rendering: `kitbuilder check` names the character,
its code point and path:line."""

from __future__ import annotations

from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.errors import Problems
from kitbuilder.quality.glyphs import check_glyphs, font_files, supported_characters


def test_shipped_fonts_cover_the_shipped_workshop(root):
    problems = Problems()
    check_glyphs(root / "content", root / "layouts", root / "locales", problems)
    assert problems.errors == []


def test_shipped_fonts_cover_latin_and_the_typography_we_use(root):
    supported = supported_characters(font_files(root / "layouts"))
    for char in "áéíóúñüÁÉÍÓÚÑ¿¡«»·–—‘’“”…€ ":
        assert ord(char) in supported, char
    assert ord("→") not in supported and ord("中") not in supported


def test_check_fails_naming_character_code_point_and_line(project_copy):
    project = project_copy("shipped")
    workshop = project / "content" / "es" / "workshop.yaml"
    lines = workshop.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("subtitle:"))
    lines[number] = 'subtitle: "Nota conceptual → agenda 中"'
    workshop.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A character only in a YAML comment is never printed: no error for it.
    with (project / "content" / "countries.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# → a comment\n")

    result = CliRunner().invoke(main, ["check", "--content", str(project / "content")])

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 2, errors
    where = f"{workshop}:{number + 1}: error: "
    assert any(e.startswith(where) and "U+2192 RIGHTWARDS ARROW" in e and "«→»" in e
               for e in errors), errors
    assert any(e.startswith(where) and "U+4E2D" in e for e in errors), errors
    assert "2 error(s)" in result.output


def test_catalog_strings_are_checked_too(project_copy):
    project = project_copy("shipped")
    po = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text + '\nmsgid "Arrow"\nmsgstr "Flecha ⇒"\n', encoding="utf-8")
    problems = Problems()
    check_glyphs(project / "content", project / "layouts", project / "locales", problems)
    assert [(p.path.endswith("messages.po"), "U+21D2" in p.message) for p in problems.errors] \
        == [(True, True)]
    assert problems.errors[0].line == len(text.splitlines()) + 3
