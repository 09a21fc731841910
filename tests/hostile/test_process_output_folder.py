"""Issue 12: the output folder may not be, or lie inside, a folder the build reads (content,
layouts, locales): a usage error (exit 2), and nothing is written."""

from __future__ import annotations

import pytest

from kitbuilder.errors import KitError
from kitbuilder.pipeline import build
from kitbuilder.settings import Settings
from tests.hostile.processes import run, snapshot


@pytest.mark.parametrize("inside", ["content", "content/es", "layouts", "locales/es"])
def test_an_output_among_the_inputs_is_a_usage_error(project_copy, tmp_path, inside):
    project = project_copy("shipped")
    before = snapshot(project)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = run(["build", "--project", str(project), "--output", str(project / inside),
                "--country", "MX", "--format", "html"], scratch, cwd=project)
    assert done.returncode == 2, done.stderr
    name = inside.split("/")[0]
    assert f"--output: error: {inside} is " in done.stderr
    assert f"{name} folder" in done.stderr and "Choose a folder outside it" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(project) == before


def test_the_build_function_refuses_it_too(root, tmp_path):
    content = tmp_path / "project" / "content"
    import shutil

    shutil.copytree(root / "tests/projects/minimal/content", content)
    with pytest.raises(KitError) as failure:
        build(Settings(content=content, output=content / "kits", formats=("html",), jobs=1))
    [problem] = failure.value.problems
    assert problem.path == "--output" and "inside the content folder" in problem.message
    assert not (content / "kits").exists()
