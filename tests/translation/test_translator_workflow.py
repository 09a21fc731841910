"""What a translator meets: blocks still in the source text, one-block confirm with the source
change shown, one warning line per file, --strict refusing kits that are not translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from kitbuilder.translation.status import document_status, word_diff

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def states(content: Path, filename: str = "concept-note.md") -> dict[str, str]:
    status = document_status(load_project(content, Problems()), "fr", filename)
    return {b.id: b.state for b in status.blocks}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_block_copied_from_the_source_is_untranslated(project_copy):
    content = project_copy("bilingual") / "content"
    edit(content / "fr/concept-note.md",
         "Paragraphe Bravo sur les personnes migrantes dans les communautés d'accueil.",
         "Bravo paragraph about migrants in receiving communities.")
    assert states(content)["s1.2"] == "untranslated"
    status = run("status", "--content", str(content), "--lang", "fr", "--format", "json")
    fr = next(d for d in __import__("json").loads(status.output)["documents"]
              if d["document"] == "concept-note.md")
    assert (fr["untranslated"], fr["fallback"]) == (1, 2)  # and the missing s1.3


def test_a_whole_copied_file_stays_untranslated_after_a_whole_file_confirm(project_copy):
    content = project_copy("bilingual") / "content"
    (content / "fr/concept-note.md").write_text(
        (content / "en/concept-note.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert set(states(content).values()) == {"untranslated"}
    result = run("translations", "confirm", "--content", str(content),
                 str(content / "fr/concept-note.md"))
    assert result.exit_code == 0, result.output
    assert "8 block(s) still in the source text were not confirmed" in result.output
    assert set(states(content).values()) == {"untranslated"}


def test_a_name_that_is_rightly_the_same_is_confirmed_by_line(project_copy):
    content = project_copy("bilingual") / "content"
    (content / "fr/translation-state.yaml").unlink()
    workshop = content / "fr/workshop.yaml"
    workshop.write_text(workshop.read_text().replace("conference_short: CRM",
                                                     "conference_short: RCM"))
    line = next(n for n, text in enumerate(workshop.read_text().splitlines(), 1)
                if "conference_short" in text)
    assert states(content, "workshop.yaml")["conference_short"] == "untranslated"
    result = run("translations", "confirm", "--content", str(content), f"{workshop}:{line}")
    assert result.exit_code == 0, result.output
    assert f"confirmed the block at line {line}" in result.output
    after = states(content, "workshop.yaml")
    assert after["conference_short"] == "translated"
    assert after["title"] == "unconfirmed"  # only that block
    # A presenter's name needs nothing: it is no block.
    assert "slots.0.presenters.0.name" not in states(content, "agenda.yaml")


def test_confirming_one_block_shows_the_source_change_and_leaves_the_others_stale(project_copy):
    content = project_copy("bilingual") / "content"
    run("translations", "confirm", "--content", str(content),
        str(content / "fr/concept-note.md"))  # records the source texts
    edit(content / "en/concept-note.md", "Alpha paragraph about cooperatives",
         "Alpha paragraph about worker cooperatives")
    edit(content / "en/concept-note.md", "Identify spaces", "Identify safe spaces")
    assert [b for b, s in states(content).items() if s == "stale"] == ["s1.1", "s2.1"]
    result = run("translations", "confirm", "--content", str(content),
                 f"{content / 'fr/concept-note.md'}:6")
    assert result.exit_code == 0, result.output
    assert "about {+worker+} cooperatives" in result.output
    after = states(content)
    assert after["s1.1"] == "translated" and after["s2.1"] == "stale"
    assert after["s1.3"] == "missing"
    # The other stale block still shows its own change, in status -v.
    detail = run("status", "--content", str(content), "--lang", "fr", "-v")
    assert re.search(r"fr/concept-note\.md:12: stale: s2\.1: the en text changed: "
                     r"1\. Identify \{\+safe\+\} spaces", detail.output), detail.output
    # A line that is not a translated block is refused with its path and line.
    bad = run("translations", "confirm", "--content", str(content),
              f"{content / 'fr/concept-note.md'}:1")
    assert bad.exit_code == 2
    assert "concept-note.md:1: no translated block" in bad.output


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("a b c d", "a x c d e") == "a [-b-] {+x+} c d {+e+}"


def test_unconfirmed_blocks_are_one_warning_per_file_detail_under_verbose(project_copy):
    content = project_copy("bilingual") / "content"
    (content / "fr/translation-state.yaml").unlink()
    workshop = content / "fr/workshop.yaml"
    workshop.write_text(workshop.read_text().replace("conference_short: CRM",
                                                     "conference_short: RCM"))
    brief = run("check", "--content", str(content))
    unconfirmed = [line for line in brief.output.splitlines() if "not confirmed" in line]
    assert len(unconfirmed) == 3  # workshop.yaml, concept-note.md, agenda.yaml
    # Two French paragraphs for three English ones: those two need review, on their own.
    assert any("concept-note.md:2: warning: 5 block(s) not confirmed" in line
               for line in unconfirmed)
    assert len([line for line in brief.output.splitlines() if "needs review" in line]) == 2
    detail = run("check", "--content", str(content), "-v")
    assert len([line for line in detail.output.splitlines()
                if "is not confirmed" in line]) > 10
    assert "block conference_short is still the en text" in detail.output


@pytest.mark.slow
def test_the_kit_marks_a_copied_paragraph_pending(project_copy, tmp_path):
    content = project_copy("bilingual") / "content"
    edit(content / "fr/concept-note.md",
         "Paragraphe Bravo sur les personnes migrantes dans les communautés d'accueil.",
         "Bravo paragraph about migrants in receiving communities.")
    build(Settings(content=content, output=tmp_path / "out", layouts=ROOT / "layouts",
                   locales=ROOT / "locales", formats=("html",), languages=("fr",), jobs=1),
          Reporter())
    html = next((tmp_path / "out").glob("ca/fr/*.html")).read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert "[Traduction en attente] Bravo paragraph about migrants" in text
    assert "Traduction provisoire" in text


def test_build_strict_refuses_stale_and_untranslated_blocks(project_copy, tmp_path):
    content = project_copy("bilingual") / "content"
    # Only the translation's state matters here: everything else made clean.
    edit(content / "en/concept-note.md", "Alpha paragraph about", "Alpha paragraph, edited, about")
    output = tmp_path / "out"
    result = run("build", "--strict", "--content", str(content), "--output", str(output),
                 "--format", "html")
    assert result.exit_code == 1
    assert "fr/concept-note.md:6: warning: block s1.1 is stale" in result.output
    assert "treated as errors because of --strict" in result.output
    assert not output.exists() or not any(output.rglob("*.html"))
    state = yaml.safe_load((content / "fr/translation-state.yaml").read_text())
    assert "concept-note.md" in state


@pytest.mark.slow
def test_french_sentences_use_the_in_sentence_country_names(project_copy, tmp_path):
    content = project_copy("bilingual") / "content"
    build(Settings(content=content, output=tmp_path / "out", layouts=ROOT / "layouts",
                   locales=ROOT / "locales", formats=("html",), jobs=1), Reporter())
    french = " ".join(re.sub(r"<[^>]+>", " ", next((tmp_path / "out").glob(
        "ca/fr/*.html")).read_text(encoding="utf-8")).split())
    assert "Formulaire de la délégation du Canada" in french
    assert "Les heures sont celles en vigueur au Canada" in french
    assert "pour Canada" not in french
    # Without the file, kitbuilder's own forms (place_names.py) read the same.
    (content / "fr/countries.yaml").unlink()
    build(Settings(content=content, output=tmp_path / "bare", layouts=ROOT / "layouts",
                   locales=ROOT / "locales", formats=("html",), languages=("fr",), jobs=1),
          Reporter())
    bare = " ".join(re.sub(r"<[^>]+>", " ", next((tmp_path / "bare").glob(
        "ca/fr/*.html")).read_text(encoding="utf-8")).split())
    assert "Formulaire de la délégation du Canada" in bare
    assert "Les heures sont celles en vigueur au Canada" in bare
    assert "Formulaire de la délégation : Canada" not in bare


def test_an_unknown_in_sentence_form_is_reported_at_its_line(project_copy):
    content = project_copy("bilingual") / "content"
    (content / "fr/countries.yaml").write_text(
        "in_sentence:\n  CA:\n    in: au Canada\n    at: au Canada\n", encoding="utf-8")
    result = run("check", "--content", str(content))
    assert result.exit_code == 1
    assert re.search(r"fr/countries\.yaml:4: error: .*at", result.output), result.output


def test_build_strict_refuses_a_block_still_in_the_source_text(project_copy, tmp_path):
    content = project_copy("bilingual") / "content"
    edit(content / "fr/concept-note.md",
         "Paragraphe Bravo sur les personnes migrantes dans les communautés d'accueil.",
         "Bravo paragraph about migrants in receiving communities.")
    result = run("build", "--strict", "--content", str(content), "--output",
                 str(tmp_path / "out"), "--format", "html")
    assert result.exit_code == 1
    assert "fr/concept-note.md:8: warning: 1 block(s) still in the en text" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))
