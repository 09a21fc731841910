"""Helpers for the process tests: run `kitbuilder` as a real child process (so signals, locks,
worker processes and the temp folder behave as for a user), and look at what it leaves."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import kitbuilder
from tests.hostile.conftest import _limit_memory  # the hostile suite's cap on each child

SOURCES = str(Path(kitbuilder.__file__).resolve().parent.parent)  # the kitbuilder under test


def cli_env(tmpdir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SOURCES, "TMPDIR": str(tmpdir), **extra}


def start(args: list[str], tmpdir: Path, cwd: Path, **extra: str) -> subprocess.Popen:
    """`kitbuilder ARGS` in a session of its own (like a terminal's foreground job)."""
    return subprocess.Popen([sys.executable, "-m", "kitbuilder.cli", *args], cwd=cwd,
                            env=cli_env(tmpdir, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_limit_memory)


def run(args: list[str], tmpdir: Path, cwd: Path, timeout: float = 120,
        **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kitbuilder.cli", *args], cwd=cwd,
                          env=cli_env(tmpdir, **extra), capture_output=True, text=True,
                          timeout=timeout, check=False, preexec_fn=_limit_memory)


def wait_for_line(process: subprocess.Popen, starts: str, timeout: float = 60) -> list[str]:
    """Read stderr until a line starting with ``starts``; the lines read."""
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith(starts):
            return lines
    raise AssertionError(f"no line starting with {starts!r} in: {''.join(lines)}")


def read_rest(process: subprocess.Popen, timeout: float = 5) -> str:
    """The rest of stderr, without waiting for ever: a worker that outlived the build holds
    the pipe open, and the test must fail on that, not hang."""
    import select

    os.set_blocking(process.stderr.fileno(), False)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.1)
        if ready:
            chunk = process.stderr.read()
            if not chunk:
                break  # end of file: every writer is gone
            chunks.append(chunk)
    return "".join(chunks)


def snapshot(folder: Path) -> dict[str, str]:
    """relative path → sha256 of every file under ``folder``."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            children.setdefault(stat[1], []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def mentioning(text: str) -> set[int]:
    """Live processes whose command line mentions ``text`` (e.g. a test's temp folder)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace")
        except OSError:
            continue
        if text in cmdline and alive(int(entry.name)):
            found.add(int(entry.name))
    return found


def wait_gone(pids: set[int], timeout: float = 5) -> set[int]:
    """The pids still alive after ``timeout`` (orphans are reaped by init, not at once)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = {pid for pid in pids if alive(pid)}
        if not left:
            return left
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}


def stop(process: subprocess.Popen, others: set[int] = frozenset()) -> None:
    """Test clean-up: never leave a build, its group or its workers (``others``) running."""
    for pid in others:
        if alive(pid):
            os.kill(pid, 9)
    if process.poll() is None:
        try:
            os.killpg(process.pid, 9)
        except OSError:
            process.kill()
        process.wait(10)
