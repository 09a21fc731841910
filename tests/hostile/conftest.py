"""The hostile-input corpus (issue 12): helpers, and the memory cap it runs under.

Every case runs under a cap on address space, so a regression (an alias bomb expanding again,
a runaway render) fails a test instead of taking the machine down: subprocesses get
RLIMIT_AS through preexec_fn; in-process cases run with the soft limit lowered to what the
test process already uses plus MEMORY_HEADROOM, restored after each test (an unprivileged
process may raise its soft limit back up to the hard one).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from tests.conftest import PROJECTS, ROOT
from tests.delivery.conftest import (  # noqa: F401 - fixtures shared with the delivery tests
    built_kits,
    loopback_only,
    recipients_file,
)

SUBPROCESS_MEMORY = 3 * 1024**3  # bytes of address space for a CLI run (WeasyPrint needs ~1.5)
MEMORY_HEADROOM = 2 * 1024**3  # bytes an in-process case may add to what pytest already uses
CLI_TIMEOUT = 120  # seconds; every case finishes in a few


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@pytest.fixture(autouse=True)
def memory_cap():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = _address_space()
    if not used:
        yield  # no /proc: the subprocess limits still hold
        return
    cap = used + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _limit_memory() -> None:  # runs in the child, between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (SUBPROCESS_MEMORY, SUBPROCESS_MEMORY))


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    cpu_seconds: float  # of the child and what it waited for: a busy machine does not move it

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = CLI_TIMEOUT) -> CliRun:
    """`kitbuilder ARGS` in a child process with capped memory and time."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = _children_cpu()
    done = subprocess.run([sys.executable, "-m", "kitbuilder.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_limit_memory, check=False)
    return CliRun(done.returncode, done.stdout, done.stderr, _children_cpu() - started)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@pytest.fixture
def minimal(tmp_path) -> Path:
    """A private copy of tests/projects/minimal; returns its content folder."""
    shutil.copytree(PROJECTS / "minimal", tmp_path / "project")
    return tmp_path / "project" / "content"


def loaded(content: Path):
    """(project or None, every problem as the CLI prints it)."""
    problems = Problems()
    project = load_project(content, problems)
    return project, [str(p) for p in problems.items]


def errors_of(content: Path) -> list[str]:
    return [m for m in loaded(content)[1] if ": error: " in m]
