"""Issue 12: `kitbuilder clean` removes what kitbuilder wrote into the output folder, keeps
(and lists) everything else, and refuses a folder that does not look like its output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.errors import KitError
from kitbuilder.lifecycle import exclusive
from kitbuilder.pipeline import build
from kitbuilder.settings import Settings
from tests.hostile.processes import snapshot


@pytest.fixture
def built(root, tmp_path):
    output = tmp_path / "output"
    build(Settings(content=root / "tests/projects/minimal/content", output=output,
                   formats=("html", "ics"), jobs=1))
    return output


def clean(*args: str):
    return CliRunner().invoke(main, ["clean", *args])


@pytest.mark.slow
def test_clean_removes_what_kitbuilder_wrote_and_lists_the_rest(built):
    output = built
    kits = [p for p in snapshot(output) if p.endswith((".html", ".ics", ".zip"))]
    assert kits
    (output / "notes.txt").write_text("mine\n")
    mine = next(p for p in output.iterdir() if p.is_dir()) / "mine.txt"
    mine.write_text("mine too\n")
    outbox = output / "mail" / "outbox"
    outbox.mkdir(parents=True)
    (outbox / "focal-point.eml").write_text("Subject: a dry run\n\n")
    (output / "proof").mkdir()
    (output / "proof" / "kit.png").write_bytes(b"\x89PNG")
    (output / ".staging-dead").mkdir()
    (output / ".staging-dead" / "half.pdf").write_bytes(b"%PDF")

    result = clean("--output", str(output))
    assert result.exit_code == 0, result.output
    assert f"Removed {len(kits) + 5} file(s)" in result.output
    assert "Left 2 file(s) kitbuilder did not write: " in result.output
    assert sorted(snapshot(output)) == sorted(["notes.txt", mine.relative_to(output).as_posix()])
    assert sorted(p.name for p in output.iterdir()) == sorted(["notes.txt", mine.parent.name])
    # Cleaning the folder it has just emptied: nothing to do, and no refusal.
    again = clean("--output", str(output))
    assert again.exit_code == 0, again.output
    assert "Nothing to clean in " in again.output and "Left 2 file(s)" in again.output
    assert sorted(snapshot(output)) == sorted(["notes.txt", mine.relative_to(output).as_posix()])


def test_a_folder_that_is_not_kitbuilder_output_is_refused(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "thesis.pdf").write_bytes(b"%PDF- years of work")
    (folder / "proof").mkdir()
    (folder / "proof" / "holiday.png").write_bytes(b"\x89PNG")
    result = clean("--output", str(folder))
    assert result.exit_code == 2, result.output
    assert "does not look like kitbuilder's output" in result.output
    assert "nothing was removed" in result.output and "--force" in result.output
    assert sorted(snapshot(folder)) == ["proof/holiday.png", "thesis.pdf"]

    forced = clean("--output", str(folder), "--force")  # only what kitbuilder names
    assert forced.exit_code == 0, forced.output
    assert sorted(snapshot(folder)) == ["thesis.pdf"]


def test_a_manifest_naming_files_outside_the_output_deletes_nothing_there(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (output / "manifest.json").write_text(json.dumps({"files": [
        {"path": "../victim.txt"}, {"path": str(victim)}, {"path": None}, "junk"]}))
    result = clean("--output", str(output))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me\n"
    assert not (output / "manifest.json").exists()


def test_clean_waits_for_a_build_and_refuses_while_it_holds_the_folder(built):
    from kitbuilder.clean import clean as clean_output

    with exclusive(built, wait=0), pytest.raises(KitError) as busy:
        clean_output(built, lock_wait=0.2)
    import os

    assert f"another kitbuilder (pid {os.getpid()}) is writing to" in str(busy.value.problems[0])
    assert (built / "manifest.json").is_file()


def test_clean_of_a_missing_folder_is_a_no_op(tmp_path):
    result = clean("--output", str(tmp_path / "never-built"))
    assert result.exit_code == 0 and "Nothing to clean: " in result.output
    assert not (tmp_path / "never-built").exists()


def test_an_empty_folder_has_nothing_to_clean(tmp_path):
    folder = tmp_path / "output"
    folder.mkdir()
    result = clean("--output", str(folder))
    assert result.exit_code == 0, result.output
    assert "Nothing to clean in " in result.output and "Removed" not in result.output
    assert folder.is_dir()
