"""Citations and references follow the kit's language (issue 13): the CSL locale of the
language, the language's own author names and titles (content/<lang>/references.json),
locators kept, one parenthesis per citation."""

from __future__ import annotations

import json
import re

import pytest

from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.pipeline import load_and_check
from kitbuilder.render.context import render_language
from kitbuilder.render.markdown import render_markdown
from kitbuilder.settings import Settings
from tests.conftest import ROOT


def plain(html) -> str:
    import html as entities

    return re.sub(r"[ \t\n]+", " ", entities.unescape(re.sub(r"<[^>]+>", "", str(html))))


@pytest.fixture(scope="module")
def shipped():
    return load_project(ROOT / "content", Problems())


@pytest.fixture(scope="module")
def spanish(shipped):
    return render_language(shipped, "es")


@pytest.fixture(scope="module")
def english(shipped):
    return render_language(shipped, "en")


def test_spanish_citations_use_spanish_names_and_keep_the_locator(spanish):
    prose = plain(spanish.documents["concept-note.md"].body)
    assert "(CIF-OIT, 2017, p. 1)" in prose
    assert "(OIT, 2014)" in prose
    assert "(OIM, 2020)" in prose
    assert "ILO" not in re.findall(r"\(([^()]*\d{4}[^()]*)\)", prose).__str__()


def test_no_citation_follows_a_parenthesis(spanish, english):
    for rendered in (spanish, english):
        prose = plain(rendered.documents["concept-note.md"].body)
        assert not re.search(r"\)\s*\(", prose), re.findall(r".{40}\)\s*\(.{40}", prose)
    # The group is named in the sentence: the citation gives the year only.
    assert "—UNTFSE, por sus siglas en inglés— (2020)" in plain(
        spanish.documents["concept-note.md"].body)
    assert "Economy, UNTFSE (2020), it" in plain(english.documents["concept-note.md"].body)


def test_spanish_bibliography_is_localised_and_english_one_is_not(spanish, english):
    es, en = plain(spanish.bibliography), plain(english.bibliography)
    # The Spanish style: sentence-case title, then place of publication and publisher.
    assert "OIM. 2020. Manual para el emprendimiento migrante. Ciudad de México: Organización " \
        "Internacional para las Migraciones." in es
    assert "OIT. 2014." in es and "Organización Internacional del Trabajo" in es
    assert "International Labour Organization" not in es
    # A work in Spanish only keeps its title; the English kit translates it in brackets.
    assert "IOM. 2020. Manual para el emprendimiento migrante [Manual for migrant " \
        "entrepreneurship]. Mexico City: International Organization for Migration." in en
    assert "Geneva: International Labour Organization." in en and "Ginebra: " in es
    assert "(ITC-ILO, 2017, p. 1)" in plain(english.documents["concept-note.md"].body)


def test_terms_come_from_the_csl_locale_of_the_language(tmp_path):
    refs = tmp_path / "references.json"
    refs.write_text(json.dumps([{"id": "undated", "type": "report",
                                 "author": [{"literal": "OIT"}], "title": "Informe"}]))
    es = plain(render_markdown("Texto [@undated, p. 4].", "es", refs).body)
    en = plain(render_markdown("Text [@undated, p. 4].", "en-US", refs).body)
    assert "(OIT, s.\u00a0f., p. 4)" in es, es
    assert "(OIT, n.d., p. 4)" in en, en


def test_the_recorded_correction_is_in_content_and_not_printed(shipped, english):
    iom = next(r for r in shipped.references if r["id"] == "iom2020")
    assert "Corrected from the seed" in iom["note"]
    assert "Corrected" not in plain(english.bibliography)


def test_check_warns_about_a_reference_no_document_cites(project_copy):
    project = project_copy("minimal")
    refs = project / "content" / "references.json"
    entries = json.loads(refs.read_text())
    entries.append({"id": "uncited2020", "type": "report", "title": "Nobody cites this"})
    refs.write_text(json.dumps(entries, indent=1))
    _, problems = load_and_check(Settings(content=project / "content"))
    line = next(number for number, text in enumerate(refs.read_text().splitlines(), start=1)
                if '"uncited2020"' in text)
    warned = [str(p) for p in problems.warnings if "uncited2020" in p.message]
    assert len(warned) == 1 and f"references.json:{line}: warning: reference " \
        "'uncited2020' is cited by no document" in warned[0], warned
    assert not any("ilo2014" in p.message for p in problems.items)


def test_shipped_content_cites_every_reference(shipped):
    _, problems = load_and_check(Settings(content=ROOT / "content"))
    assert not [p for p in problems.items if "cited by no document" in p.message]


def test_a_language_override_of_an_unknown_reference_is_an_error(project_copy):
    project = project_copy("minimal")
    override = project / "content" / "es" / "references.json"
    override.write_text('[\n  {"id": "ilo2014", "author": [{"literal": "OIT"}]},\n'
                        '  {"id": "typo2014", "title": "x"}\n]\n')
    _, problems = load_and_check(Settings(content=project / "content"))
    errors = [str(p) for p in problems.errors]
    assert len(errors) == 1 and "es/references.json:3: error: reference 'typo2014' is not " \
        "in references.json" in errors[0], errors


def test_a_language_override_replaces_fields_in_that_language_only(project_copy):
    project = project_copy("minimal")
    (project / "content" / "es" / "references.json").write_text(
        '[{"id": "ilo2014", "author": [{"literal": "OIT"}], "title": "La economía social"}]')
    loaded = load_project(project / "content", Problems())
    es = render_language(loaded, "es")
    en = render_language(loaded, "en")
    assert "OIT. 2014. La economía social." in plain(es.bibliography)
    assert "ILO. 2014. The social and solidarity economy." in plain(en.bibliography)
    assert "(OIT, 2014)" in plain(es.documents["concept-note.md"].body)
