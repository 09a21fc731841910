"""Issue 12: the files of a country (or language) removed from the content are deleted at the
next build and listed; only files kitbuilder wrote, and never another selection's."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.incremental import STATE
from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.hostile.processes import snapshot

pytestmark = pytest.mark.slow

GT = ["gt/es/rcm-wglm-2021-ws1-gt-es.html", "gt/es/rcm-wglm-2021-ws1-gt-es.ics",
      "gt/rcm-wglm-2021-ws1-gt-kit.zip"]


def settings(project, **more) -> Settings:
    return Settings(content=project / "content", output=project / "output",
                    formats=more.pop("formats", ("html", "ics")), jobs=1, **more)


def withdraw_guatemala(project) -> None:
    countries = project / "content" / "countries.yaml"
    text, found = re.subn(r"  - code: GT\n(    .*\n)+", "", countries.read_text())
    assert found == 1
    countries.write_text(text)


@pytest.fixture
def built(project_copy):
    project = project_copy("shipped")
    build(settings(project))
    output = project / "output"
    assert all((output / path).is_file() for path in GT)
    return project, output


def test_a_removed_country_s_files_are_deleted_and_listed(built):
    project, output = built
    (output / "gt" / "notes.txt").write_text("the user's own file\n")
    (output / "README.txt").write_text("the user's own file\n")
    withdraw_guatemala(project)

    result = CliRunner().invoke(main, ["build", "--project", str(project), "--format", "html",
                                       "--format", "ics", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"Removed 3 withdrawn file(s) (their country or language is no longer in the " \
           f"content): {', '.join(sorted(GT))}" in result.output
    assert not any((output / path).exists() for path in GT)
    assert not (output / "gt" / "es").exists(), "the emptied folder is removed"
    assert (output / "gt" / "notes.txt").is_file() and (output / "README.txt").is_file()
    manifest = json.loads((output / "manifest.json").read_text())
    assert not [e for e in manifest["files"] if e["country"] == "GT"]
    state = json.loads((output / STATE).read_text())
    assert not [p for p in state["artifacts"] if p.startswith("gt/")]


def test_a_restricted_build_keeps_the_other_selections_files(built):
    project, output = built
    before = {p: h for p, h in snapshot(output).items() if not p.startswith("mx/")
              and p not in ("manifest.json", STATE)}
    reporter = Reporter()
    result = build(settings(project, countries=("MX",), formats=("html",)), reporter)
    assert result.removed == [] and not reporter.of_kind("removed")
    after = snapshot(output)
    assert {p: after.get(p) for p in before} == before


def test_a_withdrawn_file_someone_changed_is_left_with_a_warning(built):
    project, output = built
    edited = output / GT[0]
    edited.write_text(edited.read_text() + "<!-- edited by hand -->\n")
    withdraw_guatemala(project)
    reporter = Reporter()
    result = build(settings(project), reporter)
    assert result.removed == sorted(GT[1:])
    assert edited.is_file()
    [warning] = [w["problem"] for w in reporter.of_kind("warning")
                 if "withdrawn" in w["problem"].message]
    assert warning.path.endswith(GT[0]) and "left in place" in warning.message


def test_a_state_file_pointing_outside_the_output_deletes_nothing_there(built, tmp_path):
    """The state file is just a file in the output folder: a path in it that leaves the folder
    is never followed, even when its hash matches."""
    project, output = built
    victim = tmp_path / "victim.txt"
    victim.write_text("not kitbuilder's\n")
    state = json.loads((output / STATE).read_text())
    entry = dict(state["artifacts"][GT[0]])
    import hashlib

    stat = victim.stat()
    entry.update(sha256=hashlib.sha256(victim.read_bytes()).hexdigest(), size=stat.st_size,
                 mtime_ns=stat.st_mtime_ns)
    state["artifacts"]["../../victim.txt"] = entry
    state["artifacts"][str(victim)] = entry
    (output / STATE).write_text(json.dumps(state))
    result = build(settings(project, force=True))
    assert victim.is_file() and result.removed == []
