"""Translation state a translator can trust (issue 20, cases 1, 2 and 6): a kit never drops
the translator's text and never shows the source silently; a new project starts honest; no
recovery needs the state file edited; names, rooms, links and codes are not counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.translation.fallback import field_fallbacks, merged_markdown
from kitbuilder.translation.status import document_status

EN_NOTE = """\
---
title: "Concept note"
---
## Background

Labour migration in the region has grown over the last decade.

The workshop brings together ministries of labour and social partners.

## Objectives

1. Share what works in bilateral agreements.
2. Agree on a plan for the next two years.
"""
ES_NOTE = """\
---
title: "Nota conceptual"
---
## Antecedentes

La migración laboral en la región ha crecido en la última década.

El taller reúne a los ministerios de trabajo y a los interlocutores sociales.

## Objetivos

1. Compartir lo que funciona en los acuerdos bilaterales.
2. Acordar un plan para los próximos dos años.
"""
SPANISH = ["La migración laboral en la región ha crecido en la última década.",
           "El taller reúne a los ministerios de trabajo y a los interlocutores sociales.",
           "Compartir lo que funciona en los acuerdos bilaterales.",
           "Acordar un plan para los próximos dos años."]
ENGLISH = ["Labour migration in the region", "The workshop brings together",
           "Share what works", "Agree on a plan"]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def states(content: Path, lang: str, name: str) -> dict[str, str]:
    status = document_status(load_project(content, Problems()), lang, name)
    return {b.id: b.state for b in status.blocks} | {
        f"unpaired:{b.line}": "unpaired" for b in status.unpaired}


@pytest.fixture
def new_project(tmp_path) -> Path:
    """`kitbuilder new` in English and Spanish, real text written in both (one paragraph more
    per section than the scaffold's), as issue 20's case 1."""
    project = tmp_path / "workshop"
    made = run("new", str(project), "--language", "en", "--language", "es", "--country", "GT",
               "--days", "3")
    assert made.exit_code == 0, made.output
    (project / "content/en/concept-note.md").write_text(EN_NOTE, encoding="utf-8")
    (project / "content/es/concept-note.md").write_text(ES_NOTE, encoding="utf-8")
    return project


def test_a_new_project_starts_honest(tmp_path):
    project = tmp_path / "fresh"
    assert run("new", str(project), "--language", "en", "--language", "es", "--country", "GT",
               "--days", "2").exit_code == 0
    content = project / "content"
    loaded = load_project(content, Problems())
    for name in loaded.translatable_files:
        status = document_status(loaded, "es", name)
        placeholders = [row for row in status.rows if row.own is not None
                        and "TODO" in row.own.raw + (row.source.raw if row.source else "")]
        # Nothing the scaffold left to write counts as translated, whatever it recorded.
        assert [row.own.raw for row in placeholders if row.state == "translated"] == [], name
    note = merged_markdown(loaded, "es", "concept-note.md", "Traducción pendiente")
    assert "TODO: por qué" not in note.body and note.pending
    # `check` names each placeholder once, as a placeholder, not as a translation problem.
    checked = run("check", "--project", str(project))
    assert not re.search(r"not confirmed|still in the en text|copy of an earlier|needs review",
                         checked.output), checked.output


def confirm_note(project: Path):
    result = run("translations", "confirm", "--project", str(project),
                 str(project / "content/es/concept-note.md"))
    assert result.exit_code == 0, result.output
    return result


def test_case1_one_confirm_makes_the_spanish_text_count(new_project):
    content = new_project / "content"
    # Freshly written: not confirmed, never "stale" nor "obsolete", nothing left over.
    before = states(content, "es", "concept-note.md")
    assert {before[i] for i in ("s1.1", "s1.2", "s2.1", "s2.2")} == {"unconfirmed"}
    assert "stale" not in before.values() and not any(k.startswith("unpaired") for k in before)
    first = confirm_note(new_project)
    assert "confirmed 7 block(s)" in first.output
    assert set(states(content, "es", "concept-note.md").values()) == {"translated"}
    merged = merged_markdown(load_project(content, Problems()), "es", "concept-note.md",
                             "Traducción pendiente")
    assert merged.pending == [] and merged.review == []
    assert all(merged.body.count(text) == 1 for text in SPANISH)
    # Confirming again is safe: the same records, nothing lost.
    recorded = (content / "es/translation-state.yaml").read_text(encoding="utf-8")
    again = confirm_note(new_project)
    assert "confirmed 7 block(s)" in again.output
    assert (content / "es/translation-state.yaml").read_text(encoding="utf-8") == recorded
    checked = run("check", "--project", str(new_project))
    assert not [line for line in checked.output.splitlines()
                if "concept-note.md" in line and ": warning: " in line], checked.output


@pytest.mark.slow
def test_case1_the_kit_carries_every_spanish_paragraph(new_project, tmp_path):
    from docx import Document

    from tests.conftest import pdf_text

    confirm_note(new_project)
    built = run("build", "--project", str(new_project), "--country", "GT")
    assert built.exit_code == 0, built.output
    assert "obsolete" not in built.output and "needs review" not in built.output
    kits = new_project / "output" / "gt" / "es"
    html = next(kits.glob("*.html")).read_text(encoding="utf-8")
    texts = {".html": re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)),
             ".pdf": pdf_text(next(kits.glob("*.pdf"))),
             ".docx": " ".join(p.text for p in Document(str(next(kits.glob("*.docx"))))
                               .paragraphs)}
    for suffix, text in texts.items():
        assert [s for s in SPANISH if s not in text] == [], suffix
        assert [e for e in ENGLISH if e in text] == [], suffix


@pytest.mark.parametrize("change", ["paragraph", "item", "section", "reorder", "remove"])
def test_restructuring_both_sides_never_pairs_a_wrong_translation(new_project, change):
    content = new_project / "content"
    confirm_note(new_project)
    en, es = EN_NOTE, ES_NOTE
    if change == "paragraph":  # a paragraph added at the top of a section, on both sides
        en = en.replace("## Background\n\n", "## Background\n\nA new opening paragraph.\n\n")
        es = es.replace("## Antecedentes\n\n", "## Antecedentes\n\nUn nuevo párrafo.\n\n")
    elif change == "item":  # an item added in the middle of the list, on both sides
        en = en.replace("2. Agree", "2. Map the gaps.\n3. Agree")
        es = es.replace("2. Acordar", "2. Identificar las brechas.\n3. Acordar")
    elif change == "section":  # a whole section added before the others
        en = en.replace("## Background", "## Context\n\nWhy now.\n\n## Background")
        es = es.replace("## Antecedentes", "## Contexto\n\nPor qué ahora.\n\n## Antecedentes")
    elif change == "reorder":  # the two sections swapped, on both sides
        en = en.split("## ")[0] + "## " + en.split("## ")[2].rstrip("\n") + "\n\n## " + \
            en.split("## ")[1].rstrip("\n") + "\n"
        es = es.split("## ")[0] + "## " + es.split("## ")[2].rstrip("\n") + "\n\n## " + \
            es.split("## ")[1].rstrip("\n") + "\n"
    else:  # the first paragraph removed from the source only
        en = en.replace("Labour migration in the region has grown over the last decade.\n\n", "")
    (content / "en/concept-note.md").write_text(en, encoding="utf-8")
    (content / "es/concept-note.md").write_text(es, encoding="utf-8")
    project = load_project(content, Problems())
    status = document_status(project, "es", "concept-note.md")
    pairs = {row.source.text: row.own.text for row in status.rows
             if row.state == "translated"}
    right = {"## Background": "## Antecedentes", "## Objectives": "## Objetivos",
             "Labour migration in the region has grown over the last decade.": SPANISH[0],
             "The workshop brings together ministries of labour and social partners.":
                 SPANISH[1]}
    # Every translated pair is right; the untouched paragraphs stay translated.
    assert all(right.get(source, own) == own for source, own in pairs.items())
    assert pairs["## Background"] == "## Antecedentes"
    assert pairs["The workshop brings together ministries of labour and social partners."] \
        == SPANISH[1]
    # Every translation block is somewhere: paired, or kept for review.
    own = {row.own.text for row in status.rows if row.own is not None}
    assert all(text in " ".join(own) for text in SPANISH)
    merged = merged_markdown(project, "es", "concept-note.md", "Pendiente", review="Revisar")
    assert all(merged.body.count(text) == 1 for text in SPANISH[1:])
    if change == "remove":
        # Its source is gone: kept in the kit, flagged, and check names both files' lines.
        assert [b.line for b in status.unpaired] == [6]
        assert "[\\[Revisar\\]]{.review-mark} La migración laboral" in merged.body
        checked = run("check", "--project", str(new_project))
        assert re.search(r"es/concept-note\.md:6: warning: block s1\.1 needs review: .*"
                         r"after .*en/concept-note\.md:4, before .*en/concept-note\.md:6",
                         checked.output), checked.output
    else:
        assert status.unpaired == []
        # One confirm takes the new blocks in; nothing else changes.
        confirm_note(new_project)
        assert set(states(content, "es", "concept-note.md").values()) == {"translated"}


def test_case2_a_copy_of_the_source_follows_the_source_marked(project_copy):
    content = project_copy("bilingual") / "content"
    shuttle = "A shuttle leaves the hotel on 13 April at 8:00."
    for lang, after in (("en", "Bravo paragraph about migrants in receiving communities.\n\n"),
                        ("fr", "dans les communautés d'accueil.\n\n")):
        path = content / lang / "concept-note.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            after, after + shuttle + "\n\n", 1), encoding="utf-8")
    assert states(content, "fr", "concept-note.md")["s1.3"] == "untranslated"
    result = run("translations", "confirm", "--content", str(content),
                 str(content / "fr/concept-note.md"))
    assert "1 block(s) still in the source text were not confirmed" in result.output
    source = content / "en/concept-note.md"
    source.write_text(source.read_text(encoding="utf-8").replace("13 April", "14 April"),
                      encoding="utf-8")
    assert states(content, "fr", "concept-note.md")["s1.3"] == "untranslated"
    merged = merged_markdown(load_project(content, Problems()), "fr", "concept-note.md",
                             "Traduction en attente")
    assert "13 April" not in merged.body
    assert "[\\[Traduction en attente\\]]{.pending-mark} A shuttle leaves the hotel on 14 April" \
        in merged.body
    checked = run("check", "--content", str(content))
    assert re.search(r"fr/concept-note\.md:10: warning: block s1\.3 is a copy of an earlier en "
                     r"text, which has changed since \(now: \"A shuttle leaves the hotel on 14 "
                     r"April at 8:00\.\", .*en/concept-note\.md:10\)", checked.output), \
        checked.output


def test_case6_names_rooms_and_links_are_never_pending(new_project):
    content = new_project / "content"
    for lang, title in (("en", "Opening"), ("es", "Apertura")):
        path = content / lang / "agenda.yaml"
        text = path.read_text(encoding="utf-8")
        first = re.search(r"    title: [^\n]*\n", text)
        path.write_text(text[:first.start()] + (
            f"    title: {title}\n    room: Sala Bolívar\n    presenters:\n"
            "      - name: Ana Pérez\n        affiliation: Ministerio de Trabajo\n"
        ) + text[first.end():], encoding="utf-8")
    agenda = states(content, "es", "agenda.yaml")
    assert not [key for key in agenda if re.search(r"name|room|affiliation", key)]
    # Freshly written on both sides: not confirmed, never stale.
    assert agenda["slots.0.title"] == "unconfirmed"
    assert "stale" not in agenda.values()
    fields = field_fallbacks(load_project(content, Problems()), "es")
    assert [path for _, _, path, _ in fields if path[-1] in ("name", "room", "affiliation")] \
        == []


def test_case6_the_documented_glob_confirms_and_skips_the_rest(new_project):
    content = new_project / "content"
    files = sorted(str(p) for p in (content / "es").glob("*.md")) + \
        sorted(str(p) for p in (content / "es").glob("*.yaml"))
    assert any(f.endswith("delegates.yaml") for f in files)
    result = run("translations", "confirm", "--project", str(new_project), *files)
    assert result.exit_code == 0, result.output
    assert re.search(r"es/delegates\.yaml: skipped, not a translated document", result.output)
    assert re.search(r"es/translation-state\.yaml: skipped, not a translated document",
                     result.output)
    assert re.search(r"es/concept-note\.md: confirmed 7 block\(s\)", result.output)


@pytest.fixture(scope="module")
def marked_build(tmp_path_factory):
    """The bilingual fixture after confirm, then: an English paragraph edited (the French one
    is stale), a French paragraph whose English was removed (unpaired), a copy of an English
    paragraph whose English was corrected since, Charlie still missing; built in every
    format."""
    from kitbuilder.pipeline import build
    from kitbuilder.report import Reporter
    from kitbuilder.settings import Settings

    root = Path(__file__).resolve().parents[2]
    project = tmp_path_factory.mktemp("marked") / "bilingual"
    import shutil

    shutil.copytree(root / "tests/projects/bilingual", project)
    content = project / "content"
    en, fr = content / "en/concept-note.md", content / "fr/concept-note.md"
    shuttle = "The shuttle leaves the hotel on 13 April."
    en.write_text(en.read_text(encoding="utf-8").replace(
        "## Objectives\n\n", f"## Objectives\n\n{shuttle}\n\nA note kept only in French.\n\n"),
        encoding="utf-8")
    fr.write_text(fr.read_text(encoding="utf-8").replace(
        "## Objectifs\n\n", f"## Objectifs\n\n{shuttle}\n\nUne note gardée en français.\n\n"),
        encoding="utf-8")
    assert run("translations", "confirm", "--content", str(content), str(fr)).exit_code == 0
    text = en.read_text(encoding="utf-8").replace(
        "Alpha paragraph about cooperatives", "Alpha paragraph about worker cooperatives")
    text = text.replace("13 April", "14 April").replace("A note kept only in French.\n\n", "")
    en.write_text(text, encoding="utf-8")
    output = project / "output"
    build(Settings(content=content, output=output, layouts=root / "layouts",
                   locales=root / "locales", jobs=1, countries=("CA",), languages=("fr",)),
          Reporter())
    return output


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".pdf", ".html", ".docx"])
def test_every_block_is_a_confirmed_translation_or_the_source_marked(marked_build, suffix):
    from tests.conftest import pdf_text

    path = next(marked_build.glob(f"ca/fr/*-ca-fr*{suffix}"))
    if suffix == ".pdf":
        text = pdf_text(path)
    elif suffix == ".docx":
        from docx import Document

        text = " ".join(p.text for p in Document(str(path)).paragraphs)
    else:
        html = path.read_text(encoding="utf-8")
        assert 'class="pending-mark"' in html and 'class="review-mark"' in html
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ]", "]")
    text = re.sub(r"\[\s+", "[", re.sub(r"\s+\]", "]", text))
    # The cover says it, and why.
    assert "Traduction provisoire" in text
    assert "Certains passages traduits sont en attente de révision." in text
    # Stale: the current English, marked; never the French of the old English.
    assert "[Traduction en attente] Alpha paragraph about worker cooperatives" in text
    assert "Paragraphe Alpha" not in text
    # A copy of the English, corrected since: the correction, marked; never the old copy.
    assert "[Traduction en attente] The shuttle leaves the hotel on 14 April." in text
    assert "13 April" not in text
    # Unpaired: kept, flagged; missing: the English, marked; translated: as it is.
    assert "[Traduction à réviser] Une note gardée en français." in text
    assert "[Traduction en attente] Charlie paragraph" in text
    assert "Paragraphe Bravo" in text and "[Traduction en attente] Paragraphe Bravo" not in text


def test_a_yaml_value_with_no_source_value_is_kept_flagged(project_copy, tmp_path):
    from kitbuilder.translation.fallback import apply_block_fallbacks

    root = Path(__file__).resolve().parents[2]
    content = project_copy("bilingual") / "content"
    agenda = content / "fr/agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace(
        "    title: Clôture\n    presenters: []\n",
        "    title: Clôture\n    presenters:\n      - role: Modératrice\n"), encoding="utf-8")
    project = load_project(content, Problems())
    assert states(content, "fr", "agenda.yaml")["unpaired:14"] == "unpaired"
    context = {"agenda": {"slots": [{"title": "Bienvenue"},
                                    {"title": "Clôture", "presenters": [{"role": "Modératrice"}]}]},
               "participants": {}, "workshop": {}, "kit": {"review": ()}}
    apply_block_fallbacks(context, project, "fr", root / "locales")
    assert str(context["agenda"]["slots"][1]["presenters"][0]["role"]) == (
        'Modératrice <span class="review-mark">[Traduction à réviser]</span>')
    assert context["kit"]["review"] == ("agenda.yaml:slots.1.presenters.0.role",)
    checked = run("check", "--content", str(content))
    assert re.search(r"fr/agenda\.yaml:14: warning: block slots\.1\.presenters\.0\.role needs "
                     r"review: it is paired with no block of .*en/agenda\.yaml", checked.output)


def test_a_corrected_translation_stays_translated_another_text_does_not(new_project):
    from kitbuilder.translation.align import alike

    content = new_project / "content"
    confirm_note(new_project)
    note = content / "es/concept-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "ha crecido en la última década.", "ha crecido mucho en la última década."),
        encoding="utf-8")
    assert states(content, "es", "concept-note.md")["s1.1"] == "translated"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "La migración laboral en la región ha crecido mucho en la última década.",
        "Otro texto, escrito en su lugar."), encoding="utf-8")
    assert states(content, "es", "concept-note.md")["s1.1"] == "unconfirmed"
    assert not alike("Ministerio de Trabajo de Honduras", "Ministerio de Trabajo de El Salvador")
    assert not alike("## Día 1", "## Día 2")
    assert alike("1. Compartir lo que funciona.", "2. Compartir lo que funciona, y por qué.")
