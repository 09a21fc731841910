"""Issue 12, no leftovers: a build leaves nothing in the temp folder (WeasyPrint's font folders
included) and nothing in the output folder but the kits, the zips, the manifest and the state."""

from __future__ import annotations

import pytest

from kitbuilder.incremental import STATE
from kitbuilder.output import MANIFEST
from tests.hostile.processes import run

pytestmark = pytest.mark.slow

KIT_SUFFIXES = {".pdf", ".docx", ".html", ".ics", ".zip"}


def test_a_build_leaves_nothing_in_the_temp_folder_and_only_kits_in_the_output(
        project_copy, tmp_path):
    project = project_copy("shipped")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = run(["build", "--project", str(project), "--country", "MX", "--country", "CA",
                "--jobs", "2"], scratch, cwd=project)
    assert done.returncode == 0, done.stderr
    assert not list(scratch.iterdir()), "left in the temp folder: " + ", ".join(
        p.name for p in scratch.iterdir())

    output = project / "output"
    files = [p.relative_to(output).as_posix() for p in output.rglob("*") if not p.is_dir()]
    others = sorted(f for f in files if f not in (MANIFEST, STATE)
                    and not any(f.endswith(s) for s in KIT_SUFFIXES))
    assert others == []
    assert MANIFEST in files and STATE in files
    assert {f.rsplit(".", 1)[1] for f in files} >= {"pdf", "docx", "html", "ics", "zip"}


def test_an_in_process_build_with_one_worker_leaves_no_font_folder(root, tmp_path,
                                                                   monkeypatch):
    """The same with the kits rendered in the calling process (--jobs 1), twice: the second
    build must not reuse the first one's (removed) font folder."""
    import tempfile

    from kitbuilder.pipeline import build
    from kitbuilder.settings import Settings

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    for _ in range(2):
        build(Settings(content=root / "tests/projects/minimal/content", output=tmp_path / "out",
                       formats=("pdf",), jobs=1, force=True))
        assert not list(scratch.iterdir())
    assert list((tmp_path / "out").rglob("*.pdf"))
