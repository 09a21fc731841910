"""Glyph coverage is checked before rendering: `kitbuilder check` names the character,
its code point and path:line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.errors import Problems
from kitbuilder.quality.glyphs import check_glyphs, font_files, supported_characters
from tests.tools import require_file

ROOT = Path(__file__).resolve().parents[2]


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
    # 中 and → are drawn by the system's CJK face (test_arabic_cyrillic_and_cjk_…): these two
    # are in no font.
    lines[number] = 'subtitle: "Nota conceptual ⨁ agenda 𐀀"'
    workshop.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A character only in a YAML comment is never printed: no error for it.
    with (project / "content" / "countries.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# ⨁ a comment\n")

    result = CliRunner().invoke(main, ["check", "--content", str(project / "content")])

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 2, errors
    where = f"{workshop}:{number + 1}: error: "
    assert any(e.startswith(where) and "U+2A01 N-ARY CIRCLED PLUS OPERATOR" in e and "«⨁»" in e
               for e in errors), errors
    assert any(e.startswith(where) and "U+10000" in e for e in errors), errors
    assert "2 error(s)" in result.output


def test_catalog_strings_are_checked_too(project_copy):
    project = project_copy("shipped")
    po = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text + '\nmsgid "Arrow"\nmsgstr "Avión ✈"\n', encoding="utf-8")
    problems = Problems()
    check_glyphs(project / "content", project / "layouts", project / "locales", problems)
    assert [(p.path.endswith("messages.po"), "U+2708" in p.message) for p in problems.errors] \
        == [(True, True)]
    assert problems.errors[0].line == len(text.splitlines()) + 3


def _set_subtitle(project, lang: str, text: str) -> None:
    workshop = project / "content" / lang / "workshop.yaml"
    lines = workshop.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("subtitle:"))
    lines[number] = f'subtitle: "{text}"'
    workshop.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_arabic_cyrillic_and_cjk_are_drawn_by_the_fallback_and_system_faces(project_copy):
    from kitbuilder.quality import fonts

    require_file(fonts.SYSTEM_FONTS[0].path, "fonts-noto-cjk")
    project = project_copy("shipped")
    _set_subtitle(project, "es", "Nota conceptual — مذكرة مفاهيمية — 概念说明，议程。 — Концепция")
    problems = Problems()
    check_glyphs(project / "content", project / "layouts", project / "locales", problems)
    assert problems.errors == []
    # The Arabic comes from a shipped fallback face, not from the system.
    arabic = set().union(*(fonts.cmap(f) for f in fonts.fallback_fonts(project / "layouts")))
    assert ord("م") in arabic and ord("،") in arabic


def test_missing_cjk_font_is_one_error_naming_the_package(tmp_path, monkeypatch):
    from kitbuilder.quality import fonts

    project = tmp_path / "p"
    created = CliRunner().invoke(main, ["new", str(project), "--language", "en",
                                        "--language", "zh", "--country", "CN"])
    assert created.exit_code == 0, created.output
    _set_subtitle(project, "zh", "概念说明和议程")
    gone = fonts.SystemFont(tmp_path / "NotoSansCJK-Regular.ttc", "fonts-noto-cjk", ("zh",))
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (gone,))

    result = CliRunner().invoke(main, ["check", "--project", str(project)])

    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(errors) == 1, errors
    workshop = project / "content" / "workshop.yaml"
    line = workshop.read_text(encoding="utf-8").splitlines().index("languages: [en, zh]") + 1
    assert errors[0].startswith(f"{workshop}:{line}: error: "), errors
    assert "workshop.yaml" in errors[0] and "fonts-noto-cjk" in errors[0] \
        and str(gone.path) in errors[0]


def test_cjk_in_a_project_without_cjk_languages_says_which_package_draws_it(project_copy,
                                                                             monkeypatch):
    from kitbuilder.quality import fonts

    project = project_copy("shipped")
    _set_subtitle(project, "es", "Nota 中")
    gone = fonts.SystemFont(project / "NotoSansCJK-Regular.ttc", "fonts-noto-cjk", ("zh",))
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (gone,))
    problems = Problems()
    check_glyphs(project / "content", project / "layouts", project / "locales", problems)
    assert [("U+4E2D" in p.message, "fonts-noto-cjk" in p.message) for p in problems.errors] \
        == [(True, True)]


def test_a_script_no_shipped_face_has_is_told_which_noto_font_to_add_and_where(tmp_path):
    from kitbuilder.quality import fonts
    from kitbuilder.quality.glyphs import check_text, noto_family

    source = tmp_path / "names.md"
    source.write_text("Hebrew דוד, Thai สมชาย, Tamil தமிழ்\n", encoding="utf-8")
    problems = Problems()
    check_text(source, fonts.coverage(ROOT / "layouts"), problems)
    # Hebrew and Thai are in the fallback faces; each Tamil character is reported, naming
    # the family to add and the folder and stylesheet it goes in.
    assert problems.errors and all("U+0B" in p.message for p in problems.errors)
    assert all("Noto Sans Tamil" in p.message and "layouts/fonts/fallback/" in p.message
               and "layouts/styles/fonts.css" in p.message for p in problems.errors)
    assert (noto_family("ქ"), noto_family("⨁"), noto_family("中")) == (
        "Noto Sans Georgian", None, "Noto Sans CJK")
