"""Issue 12: a kit's render has a time limit; running over it is an error naming the kit,
never a hang, and nothing is committed. A render stuck where the limit cannot interrupt it
(inside one C call) is killed by the watchdog."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from kitbuilder.engine.pool import Pool
from kitbuilder.render.worker import KitOutcome, render_kits
from tests.hostile.processes import alive, descendants, run, snapshot, wait_gone


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_render_over_the_time_limit_fails_naming_the_kit(project_copy, tmp_path, jobs):
    project = project_copy("shipped")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = run(["build", "--project", str(project), "--country", "MX", "--country", "CA",
                "--format", "pdf", "--jobs", jobs], scratch, cwd=project,
               KITBUILDER_RENDER_TIMEOUT="0.01")
    assert done.returncode == 1, done.stderr
    assert "MX/es pdf: error: rendering took longer than 0.01 s; nothing was written" in (
        done.stderr)
    assert "--render-timeout" in done.stderr and "Traceback" not in done.stderr
    # Never a hang: run() gives the build 120 s, whatever the machine's load.
    output = project / "output"
    assert not list(output.rglob("*.pdf")) and not list(output.glob(".staging-*"))
    assert not list(scratch.iterdir())


def stuck_in_c(job, stage: Path) -> KitOutcome:
    """A job that never ends and that the time limit's SIGALRM cannot reach (as if stuck in
    one C call)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    (stage / "pid").write_text(str(os.getpid()))
    while True:
        time.sleep(60)


def test_a_worker_stuck_past_its_limit_is_killed_and_its_kit_fails(tmp_path):
    """Whatever the machine's load: a job that never ends, a small limit; the outcome is the
    kit's time-limit error and no worker is left."""
    job = SimpleNamespace(country=SimpleNamespace(code="MX"), lang="es", formats=("pdf",))
    before = descendants(os.getpid())
    with Pool(2, time_limit=0.5) as pool:
        outcomes = list(render_kits(pool, [job], tmp_path, stuck_in_c))
    [outcome] = outcomes
    [problem] = outcome.problems
    assert str(problem).startswith("MX/es pdf: error: rendering took longer than 0.5 s")
    assert not wait_gone(descendants(os.getpid()) - before), "the stuck worker was not killed"
    if (tmp_path / "pid").exists():
        assert not alive(int((tmp_path / "pid").read_text()))


def test_a_time_limit_of_zero_means_none(tmp_path):
    job = SimpleNamespace(country=SimpleNamespace(code="MX"), lang="es", formats=("html",))

    def slow(job, stage):
        time.sleep(0.3)
        return KitOutcome(done=[{"path": "x"}])

    with Pool(1, time_limit=0) as pool:
        [outcome] = list(render_kits(pool, [job], tmp_path, slow))
    assert outcome.done == [{"path": "x"}] and not outcome.problems
    assert snapshot(tmp_path) == {}
