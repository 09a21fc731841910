"""Placeholders never reach a delegate (issue 20, case 3): what `kitbuilder new` leaves for the
secretariat to write is a warning at its line for `check` and `build`, and an error — nothing
written, nothing sent — for `delegates build`, `mail`, `mail --document` and `build --strict`.
A new project's text is real wherever kitbuilder can write it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.placeholders import is_unwritten

LANGUAGES = ("en", "es", "fr")
# What only the secretariat can decide, per file: every placeholder a new project has.
DECIDE = {"workshop.yaml": {"name", "city", "symbol", "meeting_link"},
          "LANG/workshop.yaml": {"conference", "conference_short", "title", "- organiser"},
          "LANG/delegates.yaml": {"name", "title", "place"},
          "LANG/agenda.yaml": {"title"}, "LANG/participants.yaml": {"description"}}
WARNING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): warning: placeholder left to fill: "
                     r"'(?P<text>.*)'; replace it with the workshop's text$")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "workshop"
    made = run("new", str(folder), "--language", "en", "--language", "es", "--language", "fr",
               "--country", "US", "--country", "HT", "--country", "CR", "--days", "2",
               "--format", "in-person", "--timezone", "America/Costa_Rica", "--start",
               "2027-03-09")
    assert made.exit_code == 0, made.output
    (folder / "registrations.csv").write_text(
        "given_name,family_name,country,language,email,attendance\n"
        "Ana,Ejemplo,CR,es,ana@example.org,attended\n"
        "Jean,Exemple,HT,fr,jean@example.org,attended\n", encoding="utf-8")
    (folder / "recipients.yaml").write_text(
        "sender: {name: Secretariat, email: secretariat@example.org}\n"
        "countries:\n  HT:\n    - {name: Focal Example, email: focal.ht@example.org, "
        "language: fr}\n", encoding="utf-8")
    return folder


@pytest.fixture
def project(fresh, tmp_path) -> Path:
    return Path(shutil.copytree(fresh, tmp_path / "workshop"))


def placeholder_lines(folder: Path) -> set[tuple[str, int]]:
    """(file relative to the project, line) of every line a placeholder is on, read here."""
    found = set()
    for path in (folder / "content").rglob("*"):
        if path.suffix in (".yaml", ".md") and path.name != "translation-state.yaml":
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "TODO" in line.split("#", 1)[0]:
                    found.add((path.relative_to(folder).as_posix(), number))
    return found


def errors_at(output: str) -> set[tuple[str, int]]:
    return {(m["path"][m["path"].index("content/"):], int(m["line"])) for m in re.finditer(
        r"^(?P<path>\S+?):(?P<line>\d+): error: placeholder left to fill: ", output, re.M)}


def test_check_lists_only_what_the_secretariat_decides_each_at_its_line(project):
    result = run("check", "--project", str(project))
    assert result.exit_code == 0, result.output
    warnings = [WARNING.match(line) for line in result.output.splitlines()
                if ": warning: " in line]
    assert warnings and all(warnings), result.output  # placeholders only, each file:line
    reported = {(m["path"][m["path"].index("content/"):], int(m["line"])) for m in warnings}
    assert reported == placeholder_lines(project)
    for match in warnings:
        assert "translate" not in match["text"]  # nothing is English waiting for a translator
        where = re.sub(r"^.*?content/((en|es|fr)/)?", lambda m: "LANG/" if m[1] else "",
                       match["path"])
        if where.endswith(".md"):
            continue  # the documents' paragraphs: what the workshop is about, how to come
        key = match["text"].split(":", 1)[0].replace('- "TODO', "- organiser")
        assert key in DECIDE[where], match.group(0)
    for lang in LANGUAGES:  # who signs, their title, where: nothing else in the letters
        assert sum(f"content/{lang}/delegates.yaml" in m["path"] for m in warnings) == 3


@pytest.mark.parametrize("lang", ["es", "fr", "pt"])
def test_the_delegates_texts_are_written_in_the_language(lang, tmp_path):
    made = run("new", str(tmp_path / "x"), "--language", "en", "--language", lang)
    assert made.exit_code == 0, made.output
    ours = yaml.safe_load((tmp_path / "x" / "content" / lang / "delegates.yaml").read_text())
    english = yaml.safe_load((tmp_path / "x" / "content" / "en" / "delegates.yaml").read_text())
    assert ours["letter"]["closing"] != english["letter"]["closing"]
    assert not is_unwritten(ours["letter"]["closing"] + "".join(ours["letter"]["body"]))
    assert not is_unwritten(ours["mail"]["certificate"]["subject"])
    assert is_unwritten(ours["signatory"]["name"]) and is_unwritten(ours["place"])
    mail = yaml.safe_load((tmp_path / "x" / "content" / lang / "mail.yaml").read_text())
    english = yaml.safe_load((tmp_path / "x" / "content" / "en" / "mail.yaml").read_text())
    assert mail["body"] != english["body"] and not is_unwritten(mail["subject"] + mail["body"])


def test_a_language_kitbuilder_has_no_words_for_is_marked_to_translate(tmp_path):
    made = run("new", str(tmp_path / "x"), "--language", "en", "--language", "de",
               "--country", "DE")
    assert made.exit_code == 0, made.output
    texts = yaml.safe_load((tmp_path / "x" / "content" / "de" / "delegates.yaml").read_text())
    for text in (texts["letter"]["salutation"], texts["mail"]["letter"]["body"], texts["at"]):
        assert text.startswith("TODO (translate): "), text
    result = run("check", "--project", str(tmp_path / "x"))
    assert re.search(r"content/de/delegates\.yaml:\d+: warning: placeholder left to fill: "
                     r"'salutation: \"TODO \(translate\): \{title, select",
                     result.output), result.output
    assert re.search(r"content/de/mail\.yaml:\d+: warning: placeholder left to fill: "
                     r"'TODO \(translate\): Dear \{name\},'", result.output), result.output


def test_delegates_build_refuses_and_writes_nothing(project):
    result = run("delegates", "build", "--project", str(project))
    assert result.exit_code == 1, result.output
    refused = errors_at(result.output)
    assert ("content/fr/delegates.yaml", 13) in refused  # who signs the French letters
    assert ("content/es/workshop.yaml", 4) in refused  # the title they print
    assert all(line in placeholder_lines(project) for line in refused)
    assert "the delegates' documents would print it: write the text in its place" \
        in result.output
    assert not (project / "output").exists()


def test_mail_document_refuses_and_sends_nothing(project):
    result = run("mail", "--project", str(project), "--document", "certificate")
    assert result.exit_code == 1, result.output
    refused = errors_at(result.output)
    assert {("content/fr/delegates.yaml", 13), ("content/es/delegates.yaml", 11)} <= refused
    assert "the certificate or its message would print it" in result.output
    assert not (project / "output" / "mail").exists()


def test_mail_refuses_kits_with_placeholders_and_sends_nothing(project):
    result = run("mail", "--project", str(project))
    assert result.exit_code == 1, result.output
    refused = errors_at(result.output)
    assert ("content/fr/concept-note.md", 6) in refused
    assert ("content/workshop.yaml", 10) in refused  # the venue's name
    assert not any(path.startswith("content/es/") for path, _ in refused)  # no Spanish kit
    assert "the kits or their message would print it" in result.output
    assert not (project / "output" / "mail").exists()


def test_build_strict_refuses_each_placeholder_as_an_error(project):
    result = run("build", "--project", str(project), "--strict", "--format", "html")
    assert result.exit_code == 1, result.output
    assert errors_at(result.output) == placeholder_lines(project) - {
        (path, line) for path, line in placeholder_lines(project)
        if path.endswith("delegates.yaml")}  # not in any kit
    assert "the kits would print it" in result.output
    assert not (project / "output").exists()


@pytest.mark.slow
def test_build_warns_at_each_placeholder_and_builds(project):
    result = run("build", "--project", str(project), "--format", "html")
    assert result.exit_code == 0, result.output
    warned = {(m["path"][m["path"].index("content/"):], int(m["line"]))
              for m in map(WARNING.match, result.output.splitlines()) if m}
    assert ("content/fr/concept-note.md", 6) in warned
    assert warned == {p for p in placeholder_lines(project) if "delegates.yaml" not in p[0]}
    assert list((project / "output" / "ht" / "fr").glob("*.html"))


@pytest.mark.slow
def test_once_written_the_letters_go_out_with_the_venue_in_the_sentence(project):
    """Filled in, the same project builds its documents: French elision included."""
    for path in (project / "content").rglob("*"):
        if path.suffix in (".yaml", ".md"):
            text = path.read_text(encoding="utf-8")
            text = text.replace('"TODO: name of the venue"', '"Hôtel Lumière"')
            text = re.sub(r"TODO[^\"\n]*", "Décidé", text)
            path.write_text(text, encoding="utf-8")
    # The project's own words for the venue win (content/<lang>/countries.yaml, places).
    (project / "content" / "es" / "countries.yaml").write_text(
        'places:\n  "Hôtel Lumière": {at: "en el Hotel Lumière"}\n', encoding="utf-8")
    result = run("delegates", "build", "--project", str(project), "--document", "letter")
    assert result.exit_code == 0, result.output
    from docx import Document

    letters = project / "output" / "delegates" / "letters"
    french, spanish = (" ".join(p.text for p in Document(str(next(letters.glob(
        f"{country}-*-letter.docx")))).paragraphs) for country in ("HT", "CR"))
    assert "à l’Hôtel Lumière, Décidé" in french
    assert "en el Hotel Lumière, Décidé" in spanish
    assert "TODO" not in french + spanish
