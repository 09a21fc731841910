"""Translators' workflow on fixture projects: stale blocks, confirm, status, catalogs, glossary."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings
from kitbuilder.translation.blocks import document_blocks
from kitbuilder.translation.catalogs import check_catalogs, layout_messages
from kitbuilder.translation.status import project_status

ROOT = Path(__file__).resolve().parents[2]


def not_translated(content: Path) -> dict[tuple[str, str, str], str]:
    """(lang, document, block) → state, for every block that is not up to date."""
    project = load_project(content, Problems())
    return {(s.lang, s.document, b.id): b.state
            for s in project_status(project) for b in s.blocks if b.state != "translated"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_markdown_blocks_are_headings_paragraphs_and_list_items():
    blocks = document_blocks(ROOT / "tests/projects/bilingual/content/en/concept-note.md")
    assert [(b.id, b.line) for b in blocks] == [
        ("title", 2), ("s1", 4), ("s1.1", 6), ("s1.2", 8), ("s1.3", 10), ("s2", 12),
        ("s2.1", 14), ("s2.2", 15)]
    assert blocks[6].text == "1. Identify spaces for participation."


def test_shipped_block_structure_matches_between_english_and_spanish():
    for name in ("concept-note.md", "agenda.yaml", "participants.yaml", "workshop.yaml"):
        en = [b.id for b in document_blocks(ROOT / "content/en" / name)]
        es = [b.id for b in document_blocks(ROOT / "content/es" / name)]
        assert en == es, name


def test_editing_one_source_paragraph_makes_exactly_that_block_stale(project_copy):
    content = project_copy("bilingual") / "content"
    before = not_translated(content)
    note = content / "en/concept-note.md"
    note.write_text(note.read_text().replace("Bravo paragraph about",
                                             "Bravo paragraph, edited, about"))
    after = not_translated(content)
    assert {k: v for k, v in after.items() if k not in before} == {
        ("fr", "concept-note.md", "s1.2"): "stale"}
    assert all(after[k] == v for k, v in before.items())

    # check reports it at the French paragraph's line, pointing at the source's new text.
    _, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                          locales=ROOT / "locales"))
    stale = [p for p in problems.warnings if "stale" in p.message]
    assert len(stale) == 1
    assert stale[0].path.endswith("fr/concept-note.md") and stale[0].line == 8
    assert "Bravo paragraph, edited, about" in stale[0].message

    # A typo fix in the source: confirm the translation, and nothing is stale any more.
    result = run("translations", "confirm", "--content", str(content),
                 str(content / "fr/concept-note.md"))
    assert result.exit_code == 0, result.output
    assert "confirmed 7 block(s)" in result.output
    assert not_translated(content) == before


def test_editing_one_agenda_field_makes_exactly_that_field_stale(project_copy):
    content = project_copy("bilingual") / "content"
    before = not_translated(content)
    agenda = content / "en/agenda.yaml"
    agenda.write_text(agenda.read_text().replace("role: Chair", "role: Chairperson"))
    after = not_translated(content)
    assert set(after) - set(before) == {("fr", "agenda.yaml", "slots.0.presenters.0.role")}


def test_untranslated_block_is_unconfirmed_until_confirmed(project_copy):
    content = project_copy("bilingual") / "content"
    (content / "fr/translation-state.yaml").unlink()
    states = not_translated(content)
    # A presenter's name is no block at all (content/model.py NOT_TRANSLATED).
    assert set(states.values()) == {"unconfirmed", "missing"}
    assert not [key for key in states if "presenters.0.name" in key[2]]
    # An acronym copied from the source is untranslated until confirmed alone.
    workshop = content / "fr/workshop.yaml"
    workshop.write_text(workshop.read_text().replace("conference_short: CRM",
                                                     "conference_short: RCM"))
    states = not_translated(content)
    assert [key for key, state in states.items() if state == "untranslated"] == [
        ("fr", "workshop.yaml", "conference_short")]


def test_status_reports_french_coverage_and_gates_on_minimum(project_copy):
    content = project_copy("bilingual") / "content"
    result = run("status", "--content", str(content), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    fr = next(row for row in data["languages"] if row["lang"] == "fr")
    # 24 blocks: concept note misses 1 paragraph, agenda 1 field, participants all 4; the
    # presenter's name and the organisers are no blocks (names are not translated).
    assert (fr["total"], fr["translated"], fr["missing"], fr["stale"]) == (24, 18, 6, 0)
    assert fr["fallback"] == 6  # Canada gets a French kit: all 6 are shown in English
    assert fr["translated_pct"] == 75.0
    note = next(d for d in data["documents"] if d["document"] == "concept-note.md")
    assert [b["id"] for b in note["blocks"]] == ["s1.3"]

    table = run("status", "--content", str(content), "--lang", "fr")
    # blocks 8, translated 7, stale 0, unconfirmed 0, untranslated 0, missing 1, fallback 1,
    # unpaired 0
    row = r"fr\s+concept-note\.md\s+en\s+8\s+7\s+0\s+0\s+0\s+1\s+1\s+0\s+87\.5"
    assert re.search(row, table.output)

    gate = run("status", "--content", str(content), "--min-translated", "80")
    assert gate.exit_code == 1
    assert "fr: 75.0 % translated, below 80 %" in gate.output
    assert run("status", "--content", str(content), "--min-translated", "75").exit_code == 0
    assert run("status", "--content", str(content), "--lang", "de").exit_code == 2


def test_shipped_content_is_fully_translated():
    result = run("status", "--content", str(ROOT / "content"), "--format", "json",
                 "--min-translated", "100")
    assert result.exit_code == 0, result.output
    rows = {row["lang"]: row for row in json.loads(result.output)["languages"]}
    assert set(rows) == {"en", "es"}
    # Every text but names, rooms, links and codes: 74 blocks in Spanish (66, and the
    # participant guidance's four notes, each a title and a text).
    assert rows["es"]["total"] == 74
    assert all(row["translated_pct"] == 100.0 for row in rows.values())


def test_check_lists_every_fallback_block(project_copy):
    content = project_copy("bilingual") / "content"
    _, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                          locales=ROOT / "locales"))
    messages = [str(p) for p in problems.warnings]
    assert any("fr/concept-note.md: warning: block s1.3 is not translated" in m
               and "concept-note.md:10" in m for m in messages)
    assert any("fr/agenda.yaml: warning: block slots.1.directs is not translated" in m
               for m in messages)
    assert any("fr/participants.yaml: warning: missing in 'fr'" in m for m in messages)
    assert not problems.errors


def test_confirm_refuses_a_source_file(project_copy):
    content = project_copy("bilingual") / "content"
    result = run("translations", "confirm", "--content", str(content),
                 str(content / "en/agenda.yaml"))
    assert result.exit_code == 2
    assert "source text" in result.output


def test_catalog_strings_present_in_both_shipped_languages():
    used = layout_messages(ROOT / "layouts")
    assert "Translation pending" in used and "Page {page} of {pages}" in used
    for lang in ("en", "es"):
        with (ROOT / "locales" / lang / "LC_MESSAGES/messages.po").open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for msgid in used:
            assert catalog.get(msgid) is not None and catalog.get(msgid).string, (lang, msgid)
    problems = Problems()
    check_catalogs(ROOT / "layouts", ROOT / "locales", ["en", "es", "fr"], problems)
    assert problems.items == []


def test_new_layout_string_without_translation_is_reported(project_copy):
    project = project_copy("shipped")
    partial = project / "layouts/partials/references.html.j2"
    lines = partial.read_text().splitlines()
    lines.insert(2, '<p>{{ _("A brand new label") }}</p>')
    partial.write_text("\n".join(lines) + "\n")
    po = project / "locales/es/LC_MESSAGES/messages.po"
    po.write_text(po.read_text().replace('msgstr "Hora de referencia"', 'msgstr ""', 1))
    problems = Problems()
    check_catalogs(project / "layouts", project / "locales", ["en", "es"], problems)
    new = [p for p in problems.items if "A brand new label" in p.message]
    assert {(Path(p.path).name, p.line) for p in new} == {("references.html.j2", 3)}
    assert len(new) == 2  # once per language
    empty = [p for p in problems.items if "Reference time" in p.message]
    assert len(empty) == 1 and empty[0].path.endswith("es/LC_MESSAGES/messages.po")
    assert empty[0].line > 0


def test_glossary_variant_is_a_warning_with_its_line(project_copy):
    content = project_copy("bilingual") / "content"
    _, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                          locales=ROOT / "locales"))
    found = [p for p in problems.items if "variant to avoid" in p.message]
    assert [(p.level, Path(p.path).name, p.line) for p in found] == [
        ("warning", "concept-note.md", 8)]
    assert "'receiving communities'" in found[0].message
    assert "use 'host communities'" in found[0].message


def test_shipped_glossary_catches_spanish_variant(project_copy):
    content = project_copy("shipped") / "content"
    note = content / "es/concept-note.md"
    lines = note.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "comunidades de acogida" in line)
    lines[number - 1] = lines[number - 1].replace("comunidades de acogida",
                                                  "Comunidades Receptoras", 1)
    note.write_text("\n".join(lines) + "\n")
    _, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                          locales=ROOT / "locales"))
    found = [p for p in problems.items if "variant to avoid" in p.message]
    assert [(Path(p.path).name, p.line) for p in found] == [("concept-note.md", number)]
    assert "use 'economía" not in found[0].message and "comunidades de acogida" in found[0].message
    assert not problems.errors
