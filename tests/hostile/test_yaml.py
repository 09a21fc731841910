"""YAML content that is broken or built to hurt: each gives exactly one path:line error. And a
property: whatever YAML values (or text, or bytes) a content file holds, loading and checking
it ends in a result or in path:line problems, never in an exception, and fast."""

from __future__ import annotations

import shutil
import time

import pytest
from hypothesis import HealthCheck, given, settings

from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings
from tests.conftest import PROJECTS, ROOT
from tests.hostile.conftest import errors_of, loaded, run_cli
from tests.hostile.strategies import YAML_FILES, markdown, mutations

# CPU seconds for load + check of one generated project: a bound on the work done, which
# other processes on a busy machine do not move (the number of examples is the profile's,
# tests/conftest.py).
PER_EXAMPLE = 3.0

ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi",
                                                                    strict=True)]
) + "\n"


def write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_alias_bomb_is_refused_at_its_first_anchor_quickly(minimal):
    write(minimal / "en/agenda.yaml", "title: Agenda\n" + ALIAS_BOMB)
    started = time.process_time()  # CPU time: the work done, whatever else the machine runs
    assert errors_of(minimal) == [
        f"{minimal}/en/agenda.yaml:2: error: YAML anchors and aliases (&name, *name) are not "
        "allowed in content files; write each value out in full"]
    assert time.process_time() - started < 2


def test_a_lone_alias_is_refused_too(minimal):
    text = (minimal / "workshop.yaml").read_text(encoding="utf-8")
    write(minimal / "workshop.yaml", text.replace("languages: [en, es]",
                                                  "languages: &langs [en, es]\nother: *langs"))
    assert errors_of(minimal) == [
        f"{minimal}/workshop.yaml:6: error: YAML anchors and aliases (&name, *name) are not "
        "allowed in content files; write each value out in full"]


def test_alias_bomb_through_the_cli_exits_1_without_traceback(minimal):
    write(minimal / "workshop.yaml", ALIAS_BOMB)
    run = run_cli("check", "--content", str(minimal))
    assert run.code == 1, run.output
    assert "Traceback" not in run.output
    assert (f"{minimal}/workshop.yaml:1: error: YAML anchors and aliases (&name, *name) are not "
            "allowed in content files; write each value out in full") in run.output
    assert run.cpu_seconds < 30


def test_impossible_dates_are_errors_at_their_line(minimal):
    text = (minimal / "workshop.yaml").read_text(encoding="utf-8")
    write(minimal / "workshop.yaml", text.replace("date: 2021-11-08", "date: 2021-02-30")
          .replace("issued: 2021-10-01", "issued: 2021-13-01"))
    assert errors_of(minimal) == [
        f"{minimal}/workshop.yaml:2: error: date: Input should be a valid date or datetime, "
        "day value is outside expected range; got '2021-02-30'",
        f"{minimal}/workshop.yaml:10: error: issued: Input should be a valid date or datetime, "
        "month value is outside expected range of 1-12; got '2021-13-01'",
    ]


def test_status_with_an_impossible_date_exits_1_without_traceback(minimal):
    text = (minimal / "workshop.yaml").read_text(encoding="utf-8")
    write(minimal / "workshop.yaml", text.replace("date: 2021-11-08", "date: 2021-02-30"))
    run = run_cli("status", "--content", str(minimal))
    assert run.code == 1, run.output
    assert "Traceback" not in run.output
    assert (f"{minimal}/workshop.yaml:2: error: date: Input should be a valid date or "
            "datetime, day value is outside expected range; got '2021-02-30'") in run.output


def test_repeated_keys_name_both_lines(minimal):
    text = (minimal / "workshop.yaml").read_text(encoding="utf-8")
    write(minimal / "workshop.yaml", text.replace("format: virtual",
                                                  "format: virtual\ndate: 2022-01-01"))
    agenda = (minimal / "en/agenda.yaml").read_text(encoding="utf-8")
    write(minimal / "en/agenda.yaml", "title: Again\n" + agenda.replace(
        "title: Welcome", "title: Welcome\n    title: Hello", 1))
    assert errors_of(minimal) == [
        f"{minimal}/workshop.yaml:5: error: key 'date' is repeated (first on line 2); keep one",
        f"{minimal}/en/agenda.yaml:2: error: key 'title' is repeated (first on line 1); "
        "keep one",
        f"{minimal}/en/agenda.yaml:7: error: key 'title' is repeated (first on line 6); "
        "keep one",
    ]


def test_repeated_key_in_front_matter_counts_lines_of_the_file(minimal):
    write(minimal / "en/concept-note.md", "---\ntitle: A\ntitle: B\n---\nBody\n")
    assert errors_of(minimal) == [
        f"{minimal}/en/concept-note.md:3: error: key 'title' is repeated (first on line 2); "
        "keep one"]


def test_python_tags_are_not_constructed(minimal):
    write(minimal / "en/workshop.yaml",
          "title: !!python/object/apply:os.system ['touch /tmp/kitbuilder-pwned']\n")
    assert errors_of(minimal) == [
        f"{minimal}/en/workshop.yaml:1: error: invalid YAML: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'; check indentation and "
        "quoting"]


def test_deep_nesting_is_an_error_not_a_crash(minimal):
    write(minimal / "en/agenda.yaml", "title: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert errors_of(minimal) == [
        f"{minimal}/en/agenda.yaml:1: error: invalid YAML: exceeded maximum nesting depth "
        "(while increasing flow level started on line 1); check indentation and quoting"]


def test_control_character_in_yaml_has_its_line(minimal):
    write(minimal / "en/workshop.yaml", "conference: A\nkind: B\ntitle: bell \x07 here\n")
    assert errors_of(minimal) == [
        f"{minimal}/en/workshop.yaml:3: error: invalid YAML: character U+0007 is not allowed "
        "in YAML; remove it"]


def test_path_traversal_in_ids_codes_zones_and_languages(minimal):
    text = (minimal / "workshop.yaml").read_text(encoding="utf-8")
    write(minimal / "workshop.yaml", text.replace("id: mini-2021", "id: ../../etc")
          .replace("timezone: America/Mexico_City", "timezone: ../../../etc/passwd")
          .replace("languages: [en, es]", "languages: [en, ../es]"))
    countries = (minimal / "countries.yaml").read_text(encoding="utf-8")
    write(minimal / "countries.yaml", countries.replace("code: CA", "code: ../CA"))
    assert errors_of(minimal) == [
        f"{minimal}/workshop.yaml:1: error: id: '../../etc' cannot name files; use lower-case "
        "letters, digits and dashes, like 'rcm-wglm-2021-ws1'",
        f"{minimal}/workshop.yaml:3: error: timezone: unknown time zone '../../../etc/passwd'; "
        "use an IANA name like 'America/Mexico_City'",
        f"{minimal}/workshop.yaml:6: error: languages: String should match pattern "
        "'^[a-z]{2,3}$'; "
        "got '../es'",
        f"{minimal}/countries.yaml:2: error: code: String should match pattern '^[A-Z]{{2}}$'; "
        "got '../CA'",
    ]


def test_jinja_in_content_is_kept_as_text(minimal):
    write(minimal / "en/workshop.yaml", (minimal / "en/workshop.yaml").read_text(
        encoding="utf-8").replace("title: A small test workshop",
                                  "title: \"{{ 7*7 }} {% raw %} {{ self.__init__ }}\""))
    project, problems = loaded(minimal)
    assert [p for p in problems if ": error: " in p] == []
    assert project.languages["en"].workshop.title == "{{ 7*7 }} {% raw %} {{ self.__init__ }}"


def test_a_long_word_in_yaml_text_is_a_warning_at_its_line(minimal):
    agenda = (minimal / "en/agenda.yaml").read_text(encoding="utf-8")
    word = "Closing" + "x" * 60
    write(minimal / "en/agenda.yaml", agenda.replace("title: Closing", f"title: {word}")
          + "# a comment is never printed: " + "#" * 80 + "\n")
    line = agenda.splitlines().index("    title: Closing") + 1
    _, problems = loaded(minimal)
    assert [p for p in problems if "characters without a space" in p] == [
        f"{minimal}/en/agenda.yaml:{line}: warning: a word of 67 characters without a space "
        "(\"Closingxxxxxxxxxxxxx…\") is broken wherever the line ends; add spaces or hyphens "
        "where it may break, or make it a link"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """One copy of the minimal project; each example first puts back the files examples
    change."""
    root = tmp_path_factory.mktemp("property")
    shutil.copytree(PROJECTS / "minimal", root / "project")
    return root


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(change=mutations(), body=markdown)
def test_any_content_loads_or_fails_with_path_line_problems(workdir, change, body):
    content = workdir / "project" / "content"
    name, data = change
    for changed_file in (*YAML_FILES, "en/concept-note.md"):  # undo the previous example
        shutil.copyfile(PROJECTS / "minimal/content" / changed_file, content / changed_file)
    (content / name).write_bytes(data)
    (content / "en/concept-note.md").write_text(f"---\ntitle: Note\n---\n{body}\n",
                                                encoding="utf-8")
    started = time.process_time()
    project, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                                locales=ROOT / "locales"))
    changed = {str(content / name), str(content / "en/concept-note.md")}
    for problem in problems.items:
        assert problem.path and problem.message and problem.line >= 0, problem
        if problem.path in changed and problem.level == "error":  # in the text: say where
            assert problem.line >= 1, problem
    if project is None:
        assert problems.errors
    assert time.process_time() - started < PER_EXAMPLE
