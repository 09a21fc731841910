"""Issue 12, clean shutdown: SIGINT, SIGTERM or a closed terminal (SIGHUP) during a build stop
its workers, remove the staging folder, keep the last good kits, print one line and exit with
the shell's code for the signal. No process outlives the build, nothing stays in the temp
folder."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from tests.conftest import ROOT
from tests.hostile.processes import (
    descendants,
    mentioning,
    read_rest,
    run,
    snapshot,
    start,
    stop,
    wait_for_line,
    wait_gone,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_template(tmp_path_factory):
    """The shipped project built once for this file (html: the last good kits)."""
    project = tmp_path_factory.mktemp("signals") / "shipped"
    for folder in ("content", "layouts", "locales"):
        shutil.copytree(ROOT / folder, project / folder)
    scratch = project.parent / "tmp"
    scratch.mkdir()
    first = run(["build", "--project", str(project), "--format", "html"],
                scratch, cwd=project)
    assert first.returncode == 0, first.stderr
    return project


@pytest.fixture
def built_once(built_template, tmp_path):
    """A copy of the built project of its own (the last good kits), and an empty temp folder."""
    project = tmp_path / "shipped"
    shutil.copytree(built_template, project)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    return project, scratch


@pytest.mark.parametrize(("sig", "code", "to_group"), [
    (signal.SIGINT, 130, True),    # Ctrl-C: the terminal signals the whole foreground group
    (signal.SIGTERM, 143, False),  # `kill PID`: the build process alone
    (signal.SIGHUP, 129, True),    # the terminal closed
])
def test_a_stop_signal_during_rendering_stops_cleanly(built_once, sig, code, to_group):
    project, scratch = built_once
    output = project / "output"
    before = snapshot(output)
    build = start(["build", "--project", str(project), "--format", "pdf", "--format", "html",
                   "--force", "--jobs", "2"], scratch, cwd=project)
    workers: set[int] = set()
    try:
        seen = wait_for_line(build, "[")  # the first kit is rendered: the rest are under way
        workers = descendants(build.pid)
        assert workers, "the build runs its kits in worker processes"
        assert list(output.glob(".staging-*")), "rendering goes to a staging folder"
        (os.killpg if to_group else os.kill)(build.pid, sig)
        build.wait(30)
        rest = read_rest(build)
        left = wait_gone(workers) | wait_gone(mentioning(str(project)))
    finally:
        stop(build, workers | mentioning(str(project)))

    assert build.returncode == code, "".join(seen) + rest
    said = [line for line in rest.splitlines() if not line.startswith("[")]
    assert len(said) == 1 and said[0].startswith(f"Interrupted ({sig.name})"), rest
    assert "untouched" in said[0] and "Traceback" not in rest
    assert not list(output.glob(".staging-*"))
    assert snapshot(output) == before  # byte for byte: nothing committed, nothing removed
    assert not left, "a worker (or another process of the build) outlived it"
    assert not list(scratch.iterdir()), "the build left files in the temp folder"


def test_a_killed_build_leaves_no_worker_and_no_stale_lock(built_once):
    """SIGKILL cannot be handled: the workers still die with the build (they asked the kernel
    to), and the next build starts at once and sweeps the dead build's staging folder."""
    project, scratch = built_once
    output = project / "output"
    build = start(["build", "--project", str(project), "--format", "pdf", "--force",
                   "--jobs", "2"], scratch, cwd=project)
    workers: set[int] = set()
    try:
        wait_for_line(build, "[")
        workers = descendants(build.pid)
        build.kill()
        build.wait(10)
        left = wait_gone(workers)
    finally:
        stop(build, workers)
    assert not left, "a worker outlived a killed build"
    # html alone: the lock is free and the dead build's staging folder swept, as for any build
    again = run(["build", "--project", str(project), "--format", "html"],
                scratch, cwd=project, KITBUILDER_LOCK_WAIT="0")
    assert again.returncode == 0, again.stderr
    assert not list(output.glob(".staging-*"))


# Sends the signal from inside the import of the command line (a meta-path hook that fires
# when kitbuilder.cli starts to load), then runs the command as its console script does.
_SIGNAL_WHILE_IMPORTING = """
import os, signal, sys
SIGNAL = getattr(signal, sys.argv[1])
class Hook:
    def find_spec(self, name, path=None, target=None):
        if name == "kitbuilder.cli":
            os.kill(os.getpid(), SIGNAL)
        return None
sys.meta_path.insert(0, Hook())
sys.argv = ["kitbuilder", "check", "--project", sys.argv[2]]
from kitbuilder.launch import main
main()
"""


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143),
                                           (signal.SIGHUP, 129)])
def test_a_stop_signal_while_the_command_starts_prints_no_traceback(project_copy, tmp_path,
                                                                    sig, code):
    """Importing the command line takes ~0.1 s: a Ctrl-C then must not print a traceback."""
    import subprocess
    import sys

    project = project_copy("shipped")
    done = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_IMPORTING, sig.name,
                           str(project)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, (done.returncode, done.stderr)
    assert done.stdout == "" and done.stderr == ""
