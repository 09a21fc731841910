"""A build's life around the recipe: one build per output folder at a time, a private temporary
folder removed at the end, and a clean stop when the user interrupts it.

Standard library only: a no-op build passes through here too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .engine.artifact import write_problem
from .errors import KitError, Problem, display_path

LOCK = ".kitbuilder.lock"
# Ctrl-C, `kill`, and a closed terminal (or a dropped SSH session).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, so no ``except Exception`` on the way up keeps
    the build going; every ``with``/``finally`` on the way runs (staging, workers, temp)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:  # the shell's convention: 130 for SIGINT, 143 for SIGTERM
        return 128 + self.signum


class _Stop:
    """Which process owns the handlers, and a signal held back during a critical section."""

    owner = 0
    holding = False
    pending: int | None = None


def _on_signal(signum: int, frame) -> None:
    if os.getpid() != _Stop.owner:
        # A worker forked a moment ago, before its initializer replaced the inherited handler:
        # leave quietly, the owner cleans up.
        os._exit(128 + signum)
    if _Stop.holding:
        _Stop.pending = signum
        return
    for sig in STOP_SIGNALS:  # a second Ctrl-C must not cut the clean-up short
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


@contextmanager
def stop_on_signals():
    """Turn SIGINT, SIGTERM and SIGHUP into ``Interrupted`` while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a build run from a test's thread)
        return
    _Stop.owner, _Stop.holding, _Stop.pending = os.getpid(), False, None
    previous = {sig: signal.signal(sig, _on_signal) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def uninterrupted():
    """Moving files into place and writing the manifest and state: a signal waits until the
    output folder is consistent again, then stops the build."""
    _Stop.holding = True
    try:
        yield
    finally:
        _Stop.holding = False
        pending, _Stop.pending = _Stop.pending, None
        if pending is not None:
            for sig in STOP_SIGNALS:
                signal.signal(sig, signal.SIG_IGN)
            raise Interrupted(pending)


@contextmanager
def private_temp():
    """A temporary folder of the build's own, used by everything it runs (WeasyPrint's font
    folders, pandoc, worker processes) and removed at the end, whatever happens. WeasyPrint
    removes its font folder only when its font configuration is garbage-collected, which never
    happens in a worker process that simply exits."""
    folder = tempfile.mkdtemp(prefix="kitbuilder-")
    previous_dir, previous_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = folder
    try:
        yield Path(folder)
    finally:
        tempfile.tempdir = previous_dir
        if previous_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = previous_env
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def exclusive(output: Path, wait: float, on_wait=None):
    """Hold ``output/.kitbuilder.lock`` (with this process's id in it) while the block runs.

    flock, not the file's existence, is the lock: a holder that crashes or is killed releases
    it with its last file descriptor, so a stale lock file never blocks anyone. Another holder
    is waited for up to ``wait`` seconds (``on_wait(pid)`` is called once), then refused."""
    import fcntl

    path = output / LOCK
    deadline = time.monotonic() + wait
    waited = False
    created = not output.exists()
    while True:
        fd = open_lock(output)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = lock_holder(output)
            if time.monotonic() >= deadline:
                raise KitError([busy(output, holder)]) from None
            if not waited and on_wait is not None:
                on_wait(holder)
            waited = True
            time.sleep(0.1)
            continue
        if same_file(fd, path):
            break
        os.close(fd)  # the last holder removed the file as we opened it: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        Path(path).unlink(missing_ok=True)  # while still holding it (see same_file)
        os.close(fd)
        if created:  # a build that stopped before writing leaves no empty output folder
            with contextlib.suppress(OSError):
                output.rmdir()


def open_lock(output: Path) -> int:
    try:
        output.mkdir(parents=True, exist_ok=True)
        return os.open(output / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:  # a file in the way, no permission: say so, no traceback
        raise KitError([write_problem(output, exc)]) from exc


def same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def lock_holder(output: Path) -> int | None:
    try:
        text = (output / LOCK).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
    return int(text) if text.isdigit() else None


def busy(output: Path, holder: int | None) -> Problem:
    who = f"kitbuilder (pid {holder})" if holder else "kitbuilder process"
    return Problem(display_path(output / LOCK), 0, "error",
                   f"another {who} is writing to {display_path(output)}; wait for it to finish, "
                   "or write to another --output folder")


def remove_stale_staging(output: Path) -> None:
    """Staging folders of a build that was killed outright (SIGKILL, power cut). Only called
    while holding the lock, so no running build owns them."""
    for folder in output.glob(".staging-*"):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def session(output: Path, lock_wait: float, reporter):
    """Everything a build holds: the output folder's lock, a private temp folder, and the
    signal handlers, released in reverse order."""
    def waiting(pid):
        reporter.emit("waiting", holder=pid, output=str(output))

    with stop_on_signals(), exclusive(output, lock_wait, waiting):
        remove_stale_staging(output)
        try:
            with private_temp():
                yield
        finally:  # the workers are gone by now: nothing can write into a staging folder again
            remove_stale_staging(output)
