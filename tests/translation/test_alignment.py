"""Translation blocks follow their source blocks when paragraphs are inserted or deleted
(translation/align.py): block ids are positional, the recorded hashes are not. A translation
that cannot be paired is kept and flagged for review, never left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.pipeline import build, load_and_check
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from kitbuilder.translation.fallback import merged_markdown
from kitbuilder.translation.status import document_status
from tests.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
NEW = "Delta paragraph about social protection for migrant workers."
MARK = "[\\[Pending\\]]{.pending-mark}"
FLAG = "[\\[Translation under review\\]]{.review-mark}"


def states(content: Path) -> list[tuple[str, str]]:
    """(source block id, state) of the French concept note, in order."""
    project = load_project(content, Problems())
    status = document_status(project, "fr", "concept-note.md")
    return [(b.id, b.state) for b in status.blocks]


def unpaired(content: Path) -> list[tuple[str, int]]:
    project = load_project(content, Problems())
    return [(b.id, b.line) for b in document_status(project, "fr", "concept-note.md").unpaired]


def merged(content: Path) -> str:
    project = load_project(content, Problems())
    return merged_markdown(project, "fr", "concept-note.md", "Pending").body


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def confirm(content: Path) -> None:
    result = run("translations", "confirm", "--content", str(content),
                 str(content / "fr/concept-note.md"))
    assert result.exit_code == 0, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def insert_source_paragraph(content: Path) -> None:
    edit(content / "en/concept-note.md", "## Context\n\n", f"## Context\n\n{NEW}\n\n")


@pytest.fixture(params=["state-as-shipped", "state-after-confirm"])
def content(request, project_copy) -> Path:
    """The bilingual fixture, with its state file as written before alignment existed (no
    text hashes, no source order) or as `translations confirm` writes it now."""
    folder = project_copy("bilingual") / "content"
    if request.param == "state-after-confirm":
        confirm(folder)
    return folder


BEFORE = [("title", "translated"), ("s1", "translated"), ("s1.1", "translated"),
          ("s1.2", "translated"), ("s1.3", "missing"), ("s2", "translated"),
          ("s2.1", "translated"), ("s2.2", "translated")]


def test_inserting_a_source_paragraph_makes_exactly_that_block_missing(content):
    assert states(content) == BEFORE
    insert_source_paragraph(content)
    assert states(content) == [
        ("title", "translated"), ("s1", "translated"), ("s1.1", "missing"),
        ("s1.2", "translated"), ("s1.3", "translated"), ("s1.4", "missing"),
        ("s2", "translated"), ("s2.1", "translated"), ("s2.2", "translated")]
    assert unpaired(content) == []
    body = merged(content)
    # The new paragraph in its place, marked, once; each French paragraph once; no English
    # duplicate of a translated paragraph.
    assert body.count(NEW) == 1 and body.count(MARK) == 2
    order = [body.index(s) for s in (NEW, "Paragraphe Alpha", "Paragraphe Bravo",
                                     "Charlie paragraph", "## Objectifs")]
    assert order == sorted(order)
    assert body.count("Paragraphe Bravo") == 1
    assert "Bravo paragraph" not in body and "Alpha paragraph" not in body


def test_translating_the_inserted_paragraph_then_confirming(project_copy):
    # With a state file written before alignment existed, records are keyed by position
    # only, so a paragraph inserted in the translation shifts them: confirm once after
    # upgrading kitbuilder (docs/translators.md).
    content = project_copy("bilingual") / "content"
    confirm(content)
    insert_source_paragraph(content)
    note = content / "fr/concept-note.md"
    edit(note, "## Contexte\n\n", "## Contexte\n\nParagraphe Delta sur la protection sociale.\n\n")
    # Before confirming, the new French paragraph is paired by position, the others by hash.
    assert [s for _, s in states(content)] == [
        "translated", "translated", "unconfirmed", "translated", "translated", "missing",
        "translated", "translated", "translated"]
    confirm(content)
    assert [s for _, s in states(content)] == [
        "translated", "translated", "translated", "translated", "translated", "missing",
        "translated", "translated", "translated"]
    assert "Charlie paragraph" in merged(content) and "Paragraphe Delta" in merged(content)


def test_inserting_a_source_heading_and_paragraph(content):
    edit(content / "en/concept-note.md", "## Objectives",
         "## Background\n\nEcho paragraph about the 2019 survey.\n\n## Objectives")
    assert states(content) == [
        ("title", "translated"), ("s1", "translated"), ("s1.1", "translated"),
        ("s1.2", "translated"), ("s1.3", "missing"), ("s2", "missing"), ("s2.1", "missing"),
        ("s3", "translated"), ("s3.1", "translated"), ("s3.2", "translated")]
    body = merged(content)
    order = [body.index(s) for s in ("Paragraphe Bravo", "Charlie paragraph",
                                     "## " + MARK + " Background", "Echo paragraph",
                                     "## Objectifs", "1. Identifier")]
    assert order == sorted(order)


def test_deleting_a_source_paragraph_keeps_its_translation_flagged_for_review(content):
    edit(content / "en/concept-note.md",
         "Alpha paragraph about cooperatives and decent work.\n\n", "")
    assert states(content) == [
        ("title", "translated"), ("s1", "translated"), ("s1.1", "translated"),
        ("s1.2", "missing"), ("s2", "translated"), ("s2.1", "translated"),
        ("s2.2", "translated")]
    assert unpaired(content) == [("s1.1", 6)]
    body = merged(content)
    # Kept, once, where the translator wrote it, flagged; never the English of a neighbour.
    assert body.count("Paragraphe Alpha") == 1 and f"{FLAG} Paragraphe Alpha" in body
    assert "Alpha paragraph" not in body
    assert body.count("Paragraphe Bravo") == 1 and "Charlie paragraph" in body

    settings = Settings(content=content, layouts=ROOT / "layouts", locales=ROOT / "locales")
    _, problems = load_and_check(settings)
    found = [p for p in problems.warnings if "needs review" in p.message]
    assert [(Path(p.path).name, p.line) for p in found] == [("concept-note.md", 6)]
    # Both files' lines, and advice that never deletes a translation that is still needed.
    assert f"after {content / 'en/concept-note.md'}:4, before {content / 'en/concept-note.md'}:6" \
        in found[0].message
    assert "if its en text was removed, remove it too" in found[0].message
    assert not [p for p in problems.warnings if "stale" in p.message]

    data = json.loads(run("status", "--content", str(content), "--format", "json").output)
    note = next(d for d in data["documents"]
                if d["lang"] == "fr" and d["document"] == "concept-note.md")
    assert note["unpaired"] == 1
    assert {"id": "s1.1", "state": "unpaired", "category": "needs review", "line": 6}.items() \
        <= next(b for b in note["blocks"] if b["state"] == "unpaired").items()

    # Confirming does not hide it; deleting it does, and nothing else changes.
    confirm(content)
    assert unpaired(content) == [("s1.1", 6)]
    edit(content / "fr/concept-note.md",
         "Paragraphe Alpha sur les coopératives et le travail décent.\n\n", "")
    assert unpaired(content) == []
    assert [s for _, s in states(content)] == [
        "translated", "translated", "translated", "missing", "translated", "translated",
        "translated"]
    confirm(content)
    assert unpaired(content) == []


def test_editing_a_paragraph_next_to_a_missing_one(content):
    edit(content / "en/concept-note.md", "Bravo paragraph about", "Bravo paragraph, edited, about")
    assert states(content) == [(i, "stale" if i == "s1.2" else s) for i, s in BEFORE]
    confirm(content)
    assert states(content) == BEFORE


def test_no_state_file_pairs_only_where_structure_leaves_no_doubt(content):
    (content / "fr/translation-state.yaml").unlink()
    # Three English paragraphs, two French ones under the same heading: which two they
    # translate nobody can tell, so none is paired with a source paragraph; all are kept.
    assert [s for _, s in states(content)] == [
        "unconfirmed", "unconfirmed", "missing", "missing", "missing", "unconfirmed",
        "unconfirmed", "unconfirmed"]
    assert unpaired(content) == [("s1.1", 6), ("s1.2", 8)]
    edit(content / "fr/concept-note.md", "## Objectifs",
         "Paragraphe Charlie sur l'emploi.\n\n## Objectifs")
    assert [s for _, s in states(content)] == ["unconfirmed"] * 8
    assert unpaired(content) == []


def test_unreadable_translation_or_folder_is_reported_without_traceback(project_copy):
    content = project_copy("shipped") / "content"
    (content / "es/concept-note.md").write_bytes(
        b"---\ntitle: Nota\n---\n\nCaf\xe9 con leche y comunidades receptoras\n")
    (content / "es/agenda.yaml").unlink()
    (content / "es/agenda.yaml").mkdir()
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{content / 'es/concept-note.md'}:5: error: not UTF-8" in result.output
    assert f"{content / 'es/agenda.yaml'}: error:" in result.output
    # No per-block noise for a file that cannot be read: it falls back whole.
    assert "es/concept-note.md: warning: block" not in result.output


@pytest.mark.slow
def test_french_kit_after_a_source_insertion_shows_the_new_paragraph_once(project_copy,
                                                                         tmp_path):
    content = project_copy("bilingual") / "content"
    insert_source_paragraph(content)
    output = tmp_path / "output"
    build(Settings(content=content, output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", jobs=1, formats=("pdf", "html")), Reporter())
    pdf = next(output.glob("ca/fr/*-ca-fr*.pdf"))
    text = pdf_text(pdf)
    assert text.count("Delta paragraph about social protection") == 1
    assert "[Traduction en attente] Delta paragraph" in text
    assert "Bravo paragraph" not in text and text.count("Paragraphe Bravo") == 1
    order = [text.index(s) for s in ("Delta paragraph", "Paragraphe Alpha", "Paragraphe Bravo",
                                     "Charlie paragraph", "Objectifs")]
    assert order == sorted(order)
    html = next(output.glob("ca/fr/*-ca-fr*.html")).read_text(encoding="utf-8")
    assert html.count("Delta paragraph about social protection") == 1
    assert "Bravo paragraph" not in html
    assert html.index("Delta paragraph") < html.index("Paragraphe Alpha")
