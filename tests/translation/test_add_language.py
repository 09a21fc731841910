"""`kitbuilder translations add LANG --country CODE`: folder, catalog, countries; nothing
existing overwritten, comments kept."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "+-"]
    return [(line[0], line[2:]) for line in diff]


def test_add_french_keeps_the_shipped_catalog_and_the_comments(project_copy):
    project = project_copy("shipped")
    workshop = (project / "content/workshop.yaml").read_text(encoding="utf-8")
    countries = (project / "content/countries.yaml").read_text(encoding="utf-8")
    catalog = (project / "locales/fr/LC_MESSAGES/messages.po").read_bytes()
    result = run("translations", "add", "fr", "--country", "CA", "--country", "ht",
                 "--project", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "content/fr").is_dir()
    assert (project / "locales/fr/LC_MESSAGES/messages.po").read_bytes() == catalog
    assert "catalog for 'fr' exists; kept as is" in result.output
    assert changed_lines(workshop, (project / "content/workshop.yaml").read_text()) == [
        ("-", "languages: [en, es]"), ("+", "languages: [en, es, fr]")]
    new_countries = (project / "content/countries.yaml").read_text(encoding="utf-8")
    assert changed_lines(countries, new_countries) == [
        ("-", "    languages: [en]"), ("+", "    languages: [en, fr]"),
        ("+", "  - code: HT"), ("+", "    languages: [fr]"),
        ("+", "    timezone: America/Port-au-Prince"), ("+", "    paper: a4")]
    assert "# IANA zone of the capital" in new_countries  # comments stay
    loaded = load_project(project / "content", Problems())
    assert {c.code: c.languages for c in loaded.countries}["CA"] == ["en", "fr"]
    checked = run("check", "--project", str(project))
    assert checked.exit_code == 0, checked.output
    # Run again: nothing to do, nothing touched.
    again = run("translations", "add", "fr", "--country", "CA", "--project", str(project))
    assert again.exit_code == 0
    assert (project / "content/countries.yaml").read_text(encoding="utf-8") == new_countries
    assert "CA already gets a kit in 'fr'" in again.output


def test_a_new_language_gets_a_catalog_from_the_template(project_copy):
    project = project_copy("shipped")
    result = run("translations", "add", "pt", "--country", "BR", "--project", str(project))
    assert result.exit_code == 0, result.output
    path = project / "locales/pt/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    with (project / "locales/messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert str(catalog.locale) == "pt"
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}
    (project / "content/pt/notes.txt").write_text("a translator's notes\n", encoding="utf-8")
    before = path.read_bytes()
    assert run("translations", "add", "pt", "--project", str(project)).exit_code == 0
    assert path.read_bytes() == before
    assert (project / "content/pt/notes.txt").read_text() == "a translator's notes\n"
    checked = run("check", "--project", str(project))
    assert checked.exit_code == 0, checked.output
    empty = [line for line in checked.output.splitlines() if "empty msgstr" in line]
    assert len(empty) == 1 and "strings have no pt translation" in empty[0]


def test_a_project_on_the_shipped_locales_gets_its_own_copy(project_copy):
    project = project_copy("bilingual")
    assert not (project / "locales").exists()
    result = run("translations", "add", "de", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert (project / "locales/de/LC_MESSAGES/messages.po").is_file()
    assert ((project / "locales/fr/LC_MESSAGES/messages.po").read_bytes()
            == (ROOT / "locales/fr/LC_MESSAGES/messages.po").read_bytes())
    assert "copied kitbuilder's locales into the project" in result.output


def test_a_block_style_language_list_gets_one_more_item(project_copy):
    project = project_copy("bilingual")
    path = project / "content/workshop.yaml"
    path.write_text(path.read_text().replace("languages: [en, fr]",
                                             "languages:   # kit languages\n  - en\n  - fr"))
    result = run("translations", "add", "es", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "languages:   # kit languages\n  - en\n  - fr\n  - es\n" in path.read_text()


def test_bad_codes_are_usage_errors_and_change_nothing(project_copy):
    project = project_copy("bilingual")
    before = (project / "content/countries.yaml").read_text()
    bad = run("translations", "add", "xx1", "--project", str(project))
    assert bad.exit_code == 2 and "unknown language 'xx1'" in bad.output
    bad = run("translations", "add", "de", "--country", "QQ", "--project", str(project))
    assert bad.exit_code == 2 and "unknown country 'QQ'" in bad.output
    assert (project / "content/countries.yaml").read_text() == before
    assert not (project / "content/de").exists()
    assert "de" not in (project / "content/workshop.yaml").read_text()


def test_a_file_it_cannot_edit_safely_is_refused_untouched(project_copy):
    project = project_copy("bilingual")
    path = project / "content/countries.yaml"
    path.write_text("countries: [{code: CA, languages: [en], timezone: America/Toronto, "
                    "paper: letter}]\n")
    result = run("translations", "add", "de", "--country", "CA", "--project", str(project))
    assert result.exit_code == 1
    assert "countries.yaml: error: could not add the language" in result.output
    assert "languages: [en]" in path.read_text()
    assert "de" not in (project / "content/workshop.yaml").read_text()
