"""Exchange files as other tools read them: translate-toolkit (which Virtaal, Pootle and
Weblate's converters build on) and GNU gettext's msgfmt."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from kitbuilder.cli import main
from tests.tools import require, require_module

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"
HEADER_FIELDS = ("Project-Id-Version", "PO-Revision-Date", "Last-Translator", "Language-Team",
                 "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
                 "Plural-Forms")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def export(content: Path, lang: str, target: Path) -> Path:
    result = run("translations", "export", "--content", str(content), "--lang", lang,
                 "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def status(content: Path, lang: str) -> dict:
    result = run("status", "--content", str(content), "--lang", lang, "--format", "json")
    return next(row for row in json.loads(result.output)["languages"] if row["lang"] == lang)


@pytest.fixture
def french(project_copy) -> Path:
    """The bilingual fixture's French with every state: translated, one stale block (its
    English edited), one unconfirmed (a paragraph added on both sides), six missing."""
    content = project_copy("bilingual") / "content"
    english, french = content / "en/concept-note.md", content / "fr/concept-note.md"
    # Confirmed once, so the state file records the English each block was made from.
    confirmed = run("translations", "confirm", "--content", str(content), str(french))
    assert confirmed.exit_code == 0, confirmed.output
    english.write_text(english.read_text(encoding="utf-8").replace(
        "Alpha paragraph about cooperatives", "Alpha paragraph about social cooperatives")
        + "\nDelta paragraph about training.\n", encoding="utf-8")
    french.write_text(french.read_text(encoding="utf-8")
                      + "\nParagraphe Delta sur la formation.\n", encoding="utf-8")
    return content


def counts(store_path: Path) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) as translate-toolkit's pocount counts them."""
    pocount = require_module("translate.tools.pocount")
    stats = pocount.calcstats(str(store_path))
    return stats["translated"], stats["fuzzy"], stats["untranslated"]


@pytest.mark.parametrize("suffix", [".xlf", ".po"])
def test_translate_toolkit_counts_the_units_as_kitbuilder_does(french, tmp_path, suffix):
    fr = status(french, "fr")
    assert (fr["stale"], fr["unconfirmed"], fr["missing"]) == (1, 1, 6)
    exported = export(french, "fr", tmp_path / f"fr{suffix}")
    assert counts(exported) == (fr["translated"], fr["stale"] + fr["unconfirmed"],
                                fr["untranslated"] + fr["missing"])


def test_xliff_units_carry_approved_and_a_state(french, tmp_path):
    document = etree.parse(str(export(french, "fr", tmp_path / "fr.xlf")))
    states = {}
    for unit in document.iter(f"{XLF}trans-unit"):
        target = unit.find(f"{XLF}target")
        states.setdefault((unit.get("approved"), target.get("state")), []).append(
            target.xpath("string()"))
    assert set(states) == {(None, "needs-review-translation"), (None, "new"),
                           ("yes", "final")}
    assert len(states[("yes", "final")]) == 17  # names of people and organisations: no units
    assert set(states[(None, "new")]) == {""}
    assert sorted(states[(None, "needs-review-translation")]) == [
        "Paragraphe Alpha sur les coopératives et le travail décent.",
        "Paragraphe Delta sur la formation."]
    # References as in PO, relative to the project: translate-toolkit reads them.
    factory = require_module("translate.storage.factory")
    store = factory.getobject(str(tmp_path / "fr.xlf"))
    by_source = {unit.source: unit for unit in store.units if not unit.isheader()}
    assert by_source["Bravo paragraph about migrants in receiving communities."].getlocations() \
        == ["content/fr/concept-note.md:8", "content/en/concept-note.md:8"]
    assert by_source["Charlie paragraph about gender gaps in employment."].getlocations() == [
        "content/en/concept-note.md:10"]


@pytest.mark.parametrize("suffix", [".xlf", ".po"])
def test_a_file_edited_and_saved_through_translate_toolkit_imports(french, tmp_path, suffix):
    factory = require_module("translate.storage.factory")
    exported = export(french, "fr", tmp_path / f"fr{suffix}")
    store = factory.getobject(str(exported))
    by_source = {unit.source: unit for unit in store.units if not unit.isheader()}
    # A missing paragraph translated, the stale one reviewed and approved as it is.
    by_source["Charlie paragraph about gender gaps in employment."].target = (
        "Paragraphe Charlie sur les écarts entre les sexes dans l'emploi.")
    by_source["Alpha paragraph about social cooperatives and decent work."].markfuzzy(False)
    store.save()
    result = run("translations", "import", "--content", str(french), str(exported))
    assert result.exit_code == 0, result.output
    assert "1 block(s) written, 2 confirmed" in result.output
    fr = status(french, "fr")
    assert (fr["translated"], fr["stale"], fr["unconfirmed"], fr["missing"]) == (19, 0, 1, 5)
    note = (french / "fr/concept-note.md").read_text(encoding="utf-8")
    assert ("Paragraphe Bravo sur les personnes migrantes dans les communautés d'accueil.\n\n"
            "Paragraphe Charlie sur les écarts entre les sexes dans l'emploi.\n\n"
            "## Objectifs") in note
    # What the tool saved, exported again, counts as kitbuilder now says.
    again = export(french, "fr", tmp_path / f"again{suffix}")
    assert counts(again) == (19, 1, 5)


@pytest.mark.parametrize("name,lang", [("shipped", "es"), ("bilingual", "fr")])
def test_po_files_pass_msgfmt_check_quietly(project_copy, french, tmp_path, name, lang):
    msgfmt = require("msgfmt")
    content = french if name == "bilingual" else project_copy(name) / "content"
    exported = export(content, lang, tmp_path / f"{lang}.po")
    checked = subprocess.run([msgfmt, "-c", "--check-format", "-o", "/dev/null",
                              str(exported)], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    po = polib.pofile(str(exported))
    assert all(po.metadata.get(name_) for name_ in HEADER_FIELDS), po.metadata
    assert po.metadata["Language"] == lang
    project = content.parent
    references = [path for entry in po for path, _ in entry.occurrences]
    assert references and all(path.startswith("content/") for path in references)
    assert all((project / path).is_file() for path in references)
    assert str(tmp_path) not in exported.read_text(encoding="utf-8")
    if name == "bilingual":
        fuzzy = [entry.msgstr for entry in po if "fuzzy" in entry.flags]
        assert sorted(fuzzy) == [
            "Paragraphe Alpha sur les coopératives et le travail décent.",
            "Paragraphe Delta sur la formation."]
        stale = next(entry for entry in po if entry.msgstr.startswith("Paragraphe Alpha"))
        assert stale.previous_msgid == "Alpha paragraph about cooperatives and decent work."
        # References: the translation's line, then the source's.
        assert stale.occurrences == [("content/fr/concept-note.md", "6"),
                                     ("content/en/concept-note.md", "6")]
