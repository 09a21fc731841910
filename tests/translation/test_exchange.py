"""XLIFF 1.2 and PO exchange with CAT tools: export, import, refusal of anything broken."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from kitbuilder.cli import main
from kitbuilder.translation.inline import join, segment, to_po

SCHEMAS = Path(__file__).parent / "schemas"
XLF = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(content: Path) -> dict[str, str]:
    return {str(p.relative_to(content)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(content.rglob("*")) if p.is_file()}


def export(content: Path, lang: str, target: Path, *extra: str) -> Path:
    result = run("translations", "export", "--content", str(content), "--lang", lang,
                 "-o", str(target), *extra)
    assert result.exit_code == 0, result.output
    return target


def status(content: Path, lang: str) -> dict:
    result = run("status", "--content", str(content), "--lang", lang, "--format", "json")
    return next(row for row in json.loads(result.output)["languages"] if row["lang"] == lang)


@pytest.fixture(scope="module")
def xliff_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd")))


def test_inline_markdown_is_cut_into_codes_and_joined_back():
    text = ("See [the report](https://example.org/r) and *this* **bold** [span]{.note} "
            "text [@ilo2022, p. 3], @smith2020 and `code` {.unnumbered}; mail a@example.org.")
    pieces, codes = segment(text)
    assert join(pieces) == text
    assert to_po(pieces) == ("See {1}the report{/1} and {2}this{/2} {3}bold{/3} {4}span{/4} "
                             "text {5}, {6} and {7} {8}; mail a@example.org.")
    assert [c.ctype for c in codes] == ["link", "italic", "bold", "x-span", "x-citation",
                                        "x-citation", "x-code", "x-attributes"]


@pytest.mark.parametrize("name,lang", [("shipped", "es"), ("bilingual", "fr")])
def test_exported_xliff_is_valid_xliff_1_2(project_copy, tmp_path, xliff_schema, name, lang):
    content = project_copy(name) / "content"
    document = etree.parse(str(export(content, lang, tmp_path / "out.xlf")))
    assert xliff_schema.validate(document), xliff_schema.error_log
    units = document.findall(f".//{XLF}trans-unit")
    assert units and all(u.find(f"{XLF}note").text for u in units)
    if name == "shipped":
        citations = [ph.text for ph in document.iter(f"{XLF}ph")
                     if ph.get("ctype") == "x-citation"]
        assert "[@itcilo2017, p. 1]" in citations


@pytest.mark.parametrize("suffix", [".xlf", ".po"])
def test_export_then_import_without_change_leaves_every_file_byte_identical(
        project_copy, tmp_path, suffix):
    content = project_copy("shipped") / "content"
    before = snapshot(content)
    exported = export(content, "es", tmp_path / f"es{suffix}")
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 0, result.output
    assert "0 block(s) written" in result.output
    assert snapshot(content) == before


def test_spanish_stale_block_filled_in_a_cat_tool_brings_status_to_100(project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    assert status(content, "es")["translated_pct"] == 100.0
    source = content / "en/concept-note.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "In addition, they help overcome gender gaps",
        "In addition, they markedly help overcome gender gaps"), encoding="utf-8")
    assert status(content, "es")["stale"] == 1
    spanish = (content / "es/concept-note.md").read_text(encoding="utf-8").splitlines()
    exported = export(content, "es", tmp_path / "stale.xlf", "--only", "stale")
    document = etree.parse(str(exported))
    (unit,) = document.findall(f".//{XLF}trans-unit")
    target = unit.find(f"{XLF}target")
    assert target.get("state") == "needs-review-translation"
    assert "markedly" in unit.find(f"{XLF}source").xpath("string()")
    # The translator adds a word and marks it translated, as a CAT tool does.
    citation = target.findall(f"{XLF}ph")[-1]
    assert citation.text == "[@untfsse2020; @itcilo2017]"
    target.text = "Notablemente, " + target.text
    target.set("state", "translated")
    document.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 0, result.output
    assert status(content, "es")["translated_pct"] == 100.0
    after = (content / "es/concept-note.md").read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(spanish, after, strict=True)) if a != b]
    assert len(changed) == 1 and after[changed[0]].startswith("Notablemente, Según")
    assert "[@untfsse2020; @itcilo2017]" in after[changed[0]]


def test_a_target_that_drops_a_citation_is_refused(project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    before = snapshot(content)
    exported = export(content, "es", tmp_path / "es.xlf")
    document = etree.parse(str(exported))
    target = next(t for t in document.iter(f"{XLF}target")
                  if any(ph.text == "[@ilo2014]" for ph in t.iter(f"{XLF}ph")))
    ph = next(ph for ph in target.iter(f"{XLF}ph") if ph.text == "[@ilo2014]")
    line = target.getparent().sourceline
    ph.getparent().remove(ph) if ph.tail is None else None
    if ph.getparent() is not None:  # keep the text after it
        previous = ph.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (ph.tail or "")
        else:
            target.text = (target.text or "") + (ph.tail or "")
        target.remove(ph)
    document.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 1
    assert f"{exported}:{line}: error: unit concept-note.md#" in result.output
    assert "inline code 1 ([@ilo2014]) is missing" in result.output
    assert "no content file was changed" in result.output
    assert snapshot(content) == before


def test_unknown_ids_stale_exports_altered_codes_and_bad_xml_refuse_everything(
        project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    exported = export(content, "es", tmp_path / "es.xlf")
    document = etree.parse(str(exported))
    units = document.findall(f".//{XLF}trans-unit")
    units[0].set("id", "workshop.yaml#0000000000")
    units[1].set("id", "nothing.md#1")
    ph = next(ph for unit in units[3:] for ph in unit.find(f"{XLF}target").iter(f"{XLF}ph"))
    ph.text = "[@ilo2099]"
    target = units[2].find(f"{XLF}target")
    target.text = "Nuevo texto"
    document.write(str(exported), xml_declaration=True, encoding="UTF-8")
    before = snapshot(content)
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 1
    assert "its source text is no longer in workshop.yaml" in result.output
    assert "unknown unit id 'nothing.md#1'" in result.output
    assert "was altered: \"[@ilo2099]\"" in result.output
    assert snapshot(content) == before
    broken = tmp_path / "broken.xlf"
    broken.write_bytes(exported.read_bytes()[:-40])
    result = run("translations", "import", "--content", str(content), str(broken))
    assert result.exit_code == 1 and "error: not valid XML" in result.output
    latin = tmp_path / "latin.po"
    latin.write_bytes('msgid "Caf\xe9"\nmsgstr ""\n'.encode("latin-1"))
    result = run("translations", "import", "--content", str(content), str(latin))
    assert result.exit_code == 1 and "not UTF-8 text" in result.output
    assert snapshot(content) == before


def test_an_export_made_before_the_source_changed_is_refused(project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    exported = export(content, "es", tmp_path / "es.po", "--format", "po")
    source = content / "en/concept-note.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "In addition, they help", "In addition, they also help"), encoding="utf-8")
    po = polib.pofile(str(exported))
    entry = next(e for e in po if "they help overcome" in e.msgid)
    entry.msgstr = entry.msgstr.replace("Además", "Asimismo")
    po.save(str(exported))
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 1
    assert "the source changed since the export" in result.output


def test_the_french_fixture_round_trips_through_po(project_copy, tmp_path):
    content = project_copy("bilingual") / "content"
    before = snapshot(content)
    exported = export(content, "fr", tmp_path / "fr.po")
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 0, result.output
    assert snapshot(content) == before
    # Fill what is missing, as a translator in Poedit would.
    po = polib.pofile(str(exported))
    fills = {"Charlie paragraph about gender gaps in employment.":
             "Paragraphe Charlie sur les écarts entre les sexes dans l'emploi.",
             "Working Group on Labour Migration": "Groupe de travail sur les migrations de "
                                                  "main-d'œuvre",
             "Participants": "Participants"}
    for entry in po:
        if entry.msgid in fills:
            entry.msgstr = fills[entry.msgid]
    po.save(str(exported))
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 0, result.output
    note = (content / "fr/concept-note.md").read_text(encoding="utf-8")
    assert ("Paragraphe Bravo sur les personnes migrantes dans les communautés d'accueil.\n\n"
            "Paragraphe Charlie sur les écarts entre les sexes dans l'emploi.\n\n"
            "## Objectifs") in note
    agenda = (content / "fr/agenda.yaml").read_text(encoding="utf-8")
    assert "Groupe de travail sur les migrations de main-d'œuvre" in agenda
    fr = status(content, "fr")
    # participants.yaml was missing: written from the source, its title translated, the
    # rest still in the source text (untranslated, marked in kits). Names are no blocks.
    assert (fr["translated"], fr["stale"], fr["missing"], fr["untranslated"]) == (21, 0, 0, 3)
    assert (content / "fr/participants.yaml").read_text(encoding="utf-8").startswith(
        "title: Participants\n")
    checked = run("check", "--content", str(content))
    assert checked.exit_code == 0, checked.output


def test_emphasis_survives_a_retranslation_and_only_selects_what_is_asked(project_copy, tmp_path):
    content = project_copy("shipped") / "content"
    exported = export(content, "es", tmp_path / "es.xlf")
    document = etree.parse(str(exported))
    target = next(t for t in document.iter(f"{XLF}target")
                  if any((g.text or "") == "Emprende Segur@" for g in t.iter(f"{XLF}g")))
    g = next(g for g in target.iter(f"{XLF}g") if g.text == "Emprende Segur@")
    assert g.get("ctype") == "italic"
    g.text = "Emprende Segur@ (piloto)"
    document.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = run("translations", "import", "--content", str(content), str(exported))
    assert result.exit_code == 0, result.output
    assert "*Emprende Segur@ (piloto)*" in (content / "es/concept-note.md").read_text()
    assert status(content, "es")["translated_pct"] == 100.0
    fr = project_copy("bilingual") / "content"
    missing = etree.parse(str(export(fr, "fr", tmp_path / "fr.xlf", "--only", "missing")))
    assert len(missing.findall(f".//{XLF}trans-unit")) == 6  # s1.3, one agenda field, 4 others
    assert {t.get("state") for t in missing.iter(f"{XLF}target")} == {"new"}
    bad = run("translations", "export", "--content", str(fr), "--lang", "fr", "--only", "old",
              "-o", str(tmp_path / "x.xlf"))
    assert bad.exit_code == 2 and "--only: error: old is not a state" in bad.output
