"""Recipients file and mail texts: validated like content, path:line errors, all in one run."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.content.loader import load_project
from kitbuilder.delivery.recipients import load_mail_text, load_recipients
from kitbuilder.errors import Problems
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "content", Problems())


def test_example_file_is_valid_and_covers_every_country(project):
    problems = Problems()
    book = load_recipients(ROOT / "recipients.example.yaml", project, problems)
    assert problems.items == []
    assert {p.country for p in book.people} == {c.code for c in project.countries}
    assert all(p.email.endswith("@example.org") for p in book.people)
    assert book.sender.email.endswith("@example.org")


BAD = """\
sender:
  name: Secretariat
  email: secretariat@example.org
countries:
  MX:
    - name: Ana
      email: ana@@example.org
      language: es
    - name: Bea
      email: bea@example.org
      language: fr
    - name: Cleo
      email: cleo@example.org
      language: es
    - name: Cleo again
      email: CLEO@example.org
      language: es
  XX:
    - name: Dan
      email: dan@example.org
      language: en
"""


def test_bad_address_language_country_and_duplicate_each_reported_with_line(project, tmp_path):
    path = tmp_path / "recipients.yaml"
    path.write_text(BAD, encoding="utf-8")
    problems = Problems()
    load_recipients(path, project, problems)
    lines = sorted(p.line for p in problems.errors)
    assert lines == [7], problems.errors  # pydantic stops before semantic checks: syntax first
    assert "is not an email address" in problems.errors[0].message

    path.write_text(BAD.replace("ana@@example.org", "ana@example.org"), encoding="utf-8")
    problems = Problems()
    load_recipients(path, project, problems)
    by_line = {p.line: p.message for p in problems.errors}
    assert sorted(by_line) == [11, 16, 18], problems.errors
    assert "language 'fr' has no kit for MX" in by_line[11]
    assert "duplicate recipient" in by_line[16] and "line 12" in by_line[16]
    assert "unknown country 'XX'" in by_line[18]
    assert all(str(p).startswith(f"{p.path}:{p.line}: error: ") for p in problems.errors)


def test_missing_recipients_file_says_how_to_start(project, tmp_path):
    problems = Problems()
    assert load_recipients(tmp_path / "recipients.yaml", project, problems) is None
    assert "recipients.example.yaml" in problems.errors[0].message
    # The shape itself, with one of this workshop's countries, valid as it is shown.
    shown = problems.errors[0].message.split("\n", 1)[1].rsplit("\n", 1)[0]
    (tmp_path / "recipients.yaml").write_text(textwrap.dedent(shown), encoding="utf-8")
    again = Problems()
    book = load_recipients(tmp_path / "recipients.yaml", project, again)
    assert again.items == [] and [p.country for p in book.people] == [project.countries[0].code]


def test_a_file_with_only_a_sender_shows_the_shape_and_serves_documents(project, tmp_path):
    path = tmp_path / "recipients.yaml"
    path.write_text("sender:\n  name: Secretariat\n  email: secretariat@example.org\n",
                    encoding="utf-8")
    problems = Problems()
    assert load_recipients(path, project, problems) is None
    [error] = problems.errors
    assert (error.line, error.message.splitlines()[0]) == (1, (
        "no focal points: add 'countries' with each country's (`mail --document` needs only "
        "the sender); the file's shape:"))
    assert "    countries:\n      BZ:\n        - name: " in error.message
    assert 'docs/delivery.md, "Once: the recipients file"' in error.message
    documents = Problems()
    book = load_recipients(path, project, documents, focal_points=False)
    assert documents.items == [] and book.sender.email == "secretariat@example.org"
    assert book.people == []
    path.write_text("countries: {}\n", encoding="utf-8")
    problems = Problems()
    assert load_recipients(path, project, problems, focal_points=False) is None
    assert problems.errors[0].message.startswith("missing key 'sender' (who the messages "
                                                 "come from); the file's shape:\n")


def test_a_new_project_has_an_example_recipients_file_that_loads(tmp_path):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "ws"), "--language", "en",
                                       "--language", "es", "--country", "CA",
                                       "--country", "MX"])
    assert result.exit_code == 0, result.output
    project = load_project(tmp_path / "ws" / "content", Problems())
    problems = Problems()
    book = load_recipients(tmp_path / "ws" / "recipients.example.yaml", project, problems)
    assert problems.items == []
    assert {(p.country, p.language) for p in book.people} == {
        (c.code, c.languages[0]) for c in project.countries}
    assert all(p.email.endswith("@example.org") for p in book.people)


def test_mail_texts_ship_for_every_language_and_placeholders_are_checked(tmp_path):
    for lang in ("en", "es"):
        problems = Problems()
        assert load_mail_text(ROOT / "content", lang, problems) is not None, problems.items
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "mail.yaml").write_text(
        'subject: "Kit {pais}"\nbody: |\n  Hola {name}\n  {unclosed\n', encoding="utf-8")
    problems = Problems()
    assert load_mail_text(tmp_path, "es", problems) is None
    by_line = {p.line: p.message for p in problems.errors}
    assert "unknown placeholder {pais}" in by_line[1]
    assert "body" in by_line[2]


def test_content_check_ignores_the_mail_files(tmp_path):
    from kitbuilder.pipeline import load_and_check
    from kitbuilder.settings import Settings

    project, problems = load_and_check(Settings(content=ROOT / "content"))
    assert project is not None and problems.errors == []
