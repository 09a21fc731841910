"""An older exchange file never silently reverts newer work (issue 20, case 4)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polib
from click.testing import CliRunner
from lxml import etree

from kitbuilder.cli import main

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(content: Path) -> dict[str, str]:
    return {str(p.relative_to(content)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(content.rglob("*")) if p.is_file()}


def export(content: Path, lang: str, target: Path) -> Path:
    result = run("translations", "export", "--content", str(content), "--lang", lang,
                 "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def imported(content: Path, path: Path, *extra: str):
    return run("translations", "import", "--content", str(content), *extra, str(path))


def retranslate(xliff: Path, changes: dict[str, str]) -> None:
    """Change targets (found by their current text) as a CAT tool does."""
    document = etree.parse(str(xliff))
    for target in document.iter(f"{XLF}target"):
        if target.text in changes:
            target.text = changes[target.text]
    document.write(str(xliff), xml_declaration=True, encoding="UTF-8")


def entry_line(po_path: Path, text: str) -> int:
    """The first line of the PO entry whose msgstr is ``text`` (its first comment)."""
    lines = po_path.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'msgstr "{text}"')
    while at > 0 and lines[at - 1].strip():
        at -= 1
    return at + 1


OLD_TITLE = "Conferencia Regional sobre Migración"
NEW_TITLE = "Conferencia Regional sobre Migraciones"
OLD_KIND = "Taller"
NEW_KIND = "Taller regional"


def test_an_older_po_is_a_conflict_for_every_unit_changed_since(project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    old_po = export(content, "es", tmp_path / "es.po")
    xliff = export(content, "es", tmp_path / "es.xlf")
    retranslate(xliff, {OLD_TITLE: NEW_TITLE, OLD_KIND: NEW_KIND})
    result = imported(content, xliff)
    assert result.exit_code == 0, result.output
    assert "2 block(s) written" in result.output
    before = snapshot(content)
    result = imported(content, old_po)
    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(problems) == 2
    for problem, (old, line) in zip(problems, ((OLD_TITLE, 1), (OLD_KIND, 3)), strict=True):
        assert problem.startswith(f"{old_po}:{entry_line(old_po, old)}: error: unit "
                                  "workshop.yaml#")
        assert (f": content/es/workshop.yaml:{line} was changed in the content since this "
                "file was exported (this file still has the text it was exported with and "
                f"would put it back): the file has \"{old}\"") in problem
        assert problem.endswith("to write this file's text over it, import with --overwrite")
    assert "{+Migraciones+}" in result.output and "{+regional+}" in result.output
    assert "Import refused: 2 problem(s); no content file was changed." in result.output
    assert snapshot(content) == before
    # The translator decides the old file wins.
    result = imported(content, old_po, "--overwrite")
    assert result.exit_code == 0, result.output
    assert "2 block(s) written, 2 of them over newer text in the content" in result.output
    workshop = (content / "es/workshop.yaml").read_text(encoding="utf-8")
    assert f"conference: {OLD_TITLE}\n" in workshop and f"kind: {OLD_KIND}\n" in workshop


def test_a_unit_changed_on_both_sides_is_a_conflict_and_a_fresh_export_imports(
        project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    first = export(content, "es", tmp_path / "first.xlf")
    second = export(content, "es", tmp_path / "second.xlf")
    retranslate(second, {OLD_TITLE: NEW_TITLE})
    assert imported(content, second).exit_code == 0
    retranslate(first, {OLD_TITLE: "Conferencia Regional de Migración", OLD_KIND: NEW_KIND})
    before = snapshot(content)
    result = imported(content, first)
    assert result.exit_code == 1
    assert ("content/es/workshop.yaml:1 was changed in the content since this file was "
            "exported (this file changes it too): the file has \"Conferencia Regional de "
            "Migración\"; the content now reads Conferencia Regional [-de Migración-] "
            "{+sobre Migraciones+}") in result.output
    assert "Import refused: 1 problem(s)" in result.output  # the other unit is no conflict
    assert snapshot(content) == before
    # Units the file leaves as the content has them are no conflict; an export made now
    # records the current text, so the translator's change imports.
    fresh = export(content, "es", tmp_path / "fresh.xlf")
    retranslate(fresh, {NEW_TITLE: "Conferencia Regional de Migración"})
    result = imported(content, fresh)
    assert result.exit_code == 0, result.output
    assert "conference: Conferencia Regional de Migración\n" in (
        content / "es/workshop.yaml").read_text(encoding="utf-8")


def test_a_file_without_the_export_record_needs_overwrite_to_change_anything(
        project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    exported = export(content, "es", tmp_path / "es.po")
    po = polib.pofile(str(exported))
    for entry in po:
        entry.comment = "\n".join(line for line in entry.comment.splitlines()
                                  if not line.startswith("kitbuilder export record"))
    entry = next(e for e in po if e.msgstr == OLD_KIND)
    entry.msgstr = NEW_KIND
    po.save(str(exported))
    before = snapshot(content)
    unchanged = imported(content, exported)
    assert unchanged.exit_code == 1
    assert "the file does not record what the content held when it was exported" in (
        unchanged.output)
    assert "Import refused: 1 problem(s)" in unchanged.output  # only the unit it changes
    assert snapshot(content) == before
    result = imported(content, exported, "--overwrite")
    assert result.exit_code == 0, result.output
    assert f"kind: {NEW_KIND}\n" in (content / "es/workshop.yaml").read_text(encoding="utf-8")


def review_counts(content: Path) -> tuple[int, int]:
    """(stale, unconfirmed) blocks of es: a translation edited since its confirm is
    unconfirmed, no longer stale (translation/align.py)."""
    result = run("status", "--content", str(content), "--lang", "es", "--format", "json")
    row = next(r for r in json.loads(result.output)["languages"] if r["lang"] == "es")
    return row["stale"], row["unconfirmed"]


def test_a_unit_left_for_review_is_written_but_not_confirmed(project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    source = content / "en/concept-note.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "In addition, they help", "In addition, they markedly help"), encoding="utf-8")
    exported = export(content, "es", tmp_path / "es.po")
    po = polib.pofile(str(exported))
    (entry,) = [e for e in po if "fuzzy" in e.flags]
    assert "Asimismo, contribuyen" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("Asimismo, contribuyen", "Asimismo, contribuyen mucho")
    po.save(str(exported))  # still fuzzy: the translator wants it reviewed
    result = imported(content, exported)
    assert result.exit_code == 0, result.output
    assert "1 block(s) written, 0 confirmed" in result.output
    assert "contribuyen mucho" in (content / "es/concept-note.md").read_text(encoding="utf-8")
    assert review_counts(content) == (0, 1)
    # Reviewed: the same file, no longer fuzzy, confirms it (its text is the content's now).
    entry.flags.remove("fuzzy")
    po.save(str(exported))
    result = imported(content, exported)
    assert result.exit_code == 0, result.output
    assert "0 block(s) written, 1 confirmed" in result.output
    assert review_counts(content) == (0, 0)
