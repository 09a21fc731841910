"""Issue 12: two builds into the same output folder never interleave: the second waits for the
first, or (after its wait) refuses naming the holder's pid. A crashed holder leaves no lock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kitbuilder.lifecycle import LOCK, exclusive
from tests.hostile.processes import SOURCES, run, start, stop, wait_for_line

HOLD = """
import sys, time
from pathlib import Path
from kitbuilder.lifecycle import exclusive
with exclusive(Path(sys.argv[1]), wait=0):
    print("held", flush=True)
    time.sleep(120)
"""


def hold_lock(output) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(output)], text=True,
                              stdout=subprocess.PIPE, env={"PYTHONPATH": SOURCES})
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_second_build_refuses_naming_the_holder_and_writes_nothing(project_copy, tmp_path):
    project = project_copy("minimal")
    output = project / "output"
    holder = hold_lock(output)
    try:
        done = run(["build", "--project", str(project), "--format", "html"], tmp_path,
                   cwd=project, KITBUILDER_LOCK_WAIT="0.3")
    finally:
        holder.kill()
        holder.wait(10)
    assert done.returncode == 1, done.stderr
    assert (f"output/{LOCK}: error: another kitbuilder (pid {holder.pid}) is writing to "
            f"output; wait for it to finish, or write to another --output folder") in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in output.iterdir()) == [LOCK]  # the holder's, nothing else


def test_a_crashed_holder_leaves_no_stale_lock(tmp_path):
    holder = hold_lock(tmp_path / "out")
    holder.kill()  # SIGKILL: no clean-up ran, the lock file is still there
    holder.wait(10)
    assert (tmp_path / "out" / LOCK).is_file()
    waited = []  # the lock is free at once: nobody is waited for
    with exclusive(tmp_path / "out", wait=0, on_wait=waited.append):
        assert (tmp_path / "out" / LOCK).read_text() == f"{__import__('os').getpid()}\n"
    assert waited == []
    assert not (tmp_path / "out" / LOCK).exists()


@pytest.mark.slow
def test_two_real_builds_one_waits_for_the_other(project_copy, tmp_path):
    project = project_copy("shipped")
    args = ["build", "--project", str(project), "--country", "MX", "--country", "CA",
            "--format", "pdf", "--format", "html"]
    first = start(args, tmp_path, cwd=project)
    try:
        wait_for_line(first, "Building")  # it holds the folder and renders
        refused = run(args, tmp_path, cwd=project, KITBUILDER_LOCK_WAIT="0")
        second = run(args, tmp_path, cwd=project, KITBUILDER_LOCK_WAIT="120")
        first.wait(120)
        rest = first.stderr.read()
    finally:
        stop(first)
    assert first.returncode == 0, rest
    assert refused.returncode == 1 and f"(pid {first.pid})" in refused.stderr
    assert second.returncode == 0, second.stderr
    assert f"Waiting for another kitbuilder (pid {first.pid})" in second.stderr
    assert "No kit changed" in second.stderr  # it ran after the first, not alongside it
    assert not (project / "output" / LOCK).exists()
