"""One pool of worker processes for every build (kits and delegates' documents).

    with Pool(workers, time_limit=120, initializer=share, initargs=(designs,)) as pool:
        for job, result in pool.run(jobs, task):   # as each job ends, largest first
            ...                                    # result: task's value, or a Lost

Built on pebble's ProcessPool (forked workers; a job over its time limit has its worker
killed and replaced). With one worker the jobs run in this process, under the same limit
(SIGALRM), so a preview or a one-kit build pays for no process. Every way out of the block
but success (an error, a stop signal) kills the workers and reaps them: none outlives the
build, not even a build killed outright (Linux).
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, suppress
from dataclasses import dataclass

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Young garbage collected every 400,000 allocations instead of CPython's 700, while a pool
# runs and in its workers: laying out a document allocates hundreds of thousands of
# short-lived boxes, which the default collects far too often (what it buys:
# docs/performance.md). Cycles are still collected, in larger steps; a worker holds more.
COLLECT_EVERY = (400_000, 50, 100)


class TimeUp(BaseException):
    """A job ran out of time in this process. A BaseException, so that a writer's or a
    library's ``except Exception`` cannot swallow it and carry on."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass(frozen=True)
class Lost:
    """A job without a result: it ran past the time limit, or its worker died."""

    reason: str  # "timeout" | "died"
    seconds: float = 0.0  # the time limit it ran past
    detail: str = ""


@contextmanager
def time_limit(seconds: float):
    """Raise ``TimeUp`` in this (main) thread after ``seconds`` (0: no limit). It interrupts
    Python code, where WeasyPrint spends its layout time."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeUp(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def die_with_parent() -> None:
    """Ask the kernel to kill this process (SIGKILL) when its parent dies (Linux only)."""
    with suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def stay_with_parent(parent: int) -> None:
    """A worker's first step: the build's process alone decides when it stops. Ctrl-C and a
    closed terminal reach the whole foreground process group: a worker takes a group of its
    own and ignores them. SIGTERM ends it at once, even inside a C call (not the build's
    handler, inherited by fork). It dies with the build even when that is killed outright."""
    with suppress(OSError):
        os.setpgid(0, 0)
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _start_worker(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    stay_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


class Pool:
    def __init__(self, workers: int, time_limit: float = 0, initializer: Callable | None = None,
                 initargs: tuple = ()) -> None:
        self.workers = max(1, workers)
        self.time_limit = time_limit
        self.initializer, self.initargs = initializer, initargs
        self.here = self.workers == 1  # the jobs run in this process
        self.pool = None

    def __enter__(self) -> Pool:
        self.collector = gc.get_threshold()
        gc.set_threshold(*COLLECT_EVERY)  # the workers forked below inherit it
        if not self.here:
            # Here, not at the top: a no-op build (delegates/build.py) must not pay for them.
            import multiprocessing

            from pebble import ProcessPool

            # fork: the workers share what this process has loaded (the initializer's
            # arguments are never pickled).
            self.pool = ProcessPool(
                self.workers, initializer=_start_worker, context=multiprocessing.get_context(
                    "fork"), initargs=(os.getpid(), self.initializer, self.initargs))
            self.pool.schedule(int)  # the workers start now, each with its initializer
        elif self.initializer is not None:
            self.initializer(*self.initargs)
        return self

    def __exit__(self, kind, *exc) -> None:
        gc.set_threshold(*self.collector)  # a caller's process (serve, tests) gets its own back
        if kind is None and self.pool is not None:
            self.pool.close()
            self.pool.join()
        else:
            self.stop()

    def stop(self) -> None:
        """Kill the workers now (their jobs are of no use any more) and reap them."""
        if self.pool is not None:
            import multiprocessing

            self.pool.stop()
            self.pool.join()
            self.pool = None
            # A worker pebble was starting in place of a timed-out one as the pool stopped can
            # escape that stop and go on writing into the build's temp folder: none may.
            for child in multiprocessing.active_children():
                child.kill()
                child.join()

    def run(self, jobs: Iterable, task: Callable) -> Iterator[tuple]:
        """``task(job)`` for every job; yields ``(job, result)`` as each ends, the result a
        ``Lost`` for a job past the time limit or whose worker died. An exception the task
        raises is raised here."""
        if self.here:
            yield from self._run_here(jobs, task)
            return
        limit = self.time_limit if self.time_limit > 0 else None
        running = {self.pool.schedule(task, (job,), timeout=limit): job for job in jobs}
        try:
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield running.pop(future), _result(future, self.time_limit)
        except BaseException:  # an error or a stop signal: no worker may write on
            self.stop()
            raise

    def _run_here(self, jobs: Iterable, task: Callable) -> Iterator[tuple]:
        for job in jobs:
            try:
                with time_limit(self.time_limit):
                    result = task(job)
            except TimeUp as exc:
                result = Lost("timeout", exc.seconds)
            yield job, result


def _result(future, seconds: float):
    from pebble import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        return Lost("timeout", seconds)
    except ProcessExpired as exc:
        return Lost("died", detail=f"exit status {exc.exitcode}")
