"""Worker processes forked, already warm, from one process that prepared them.

Before its first kit, a worker must import WeasyPrint, python-docx and pypandoc, load the
kit's fonts, parse the shared stylesheets and read the hyphenation dictionaries: about 0.8 s
of CPU. Forked from the build's process, every worker paid it again, on a machine whose cores
were all busy. Here one process (the *warm process*) pays it once, while the build's process
loads and checks the content; the workers are then forked from it and start warm (fork
shares the prepared memory until it is written to).

    pool = WarmPool(2, warm_up)          # forks the warm process, which runs warm_up()
    pool.start(prepare, *args)           # it runs prepare(*args), then forks the workers
    for item, result in pool.run(items, call, time_limit): ...
    pool.close()  /  pool.stop()         # reap everything  /  kill everything now

The warm process and its workers form a process group of their own: stopping the pool kills
the group, with the pandoc a worker may be running. Every process dies with its parent even
when the parent is killed outright (Linux). A worker ignores Ctrl-C and a closed terminal;
the build's process alone decides when they stop.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from multiprocessing.connection import Connection, Pipe, wait

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class WorkerDied(Exception):
    """A worker process ended without answering (killed, out of memory, a crash)."""

    def __init__(self, message: str, item=None) -> None:
        super().__init__(message)
        self.item = item


class Overdue(Exception):
    """A job ran past its watchdog limit; the pool has been stopped."""

    def __init__(self, item) -> None:
        super().__init__(item)
        self.item = item


def die_with_parent(parent: int) -> None:
    """Ignore the terminal's signals; die (SIGKILL) when ``parent`` does."""
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's handler, inherited by fork
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the parent still stops its workers on every way out
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


class WarmPool:
    def __init__(self, count: int, warm_up: Callable[[], None],
                 in_worker: Callable[[int], None] | None = None) -> None:
        self.stopped = False
        ends = [Pipe() for _ in range(count)]  # (build's end, worker's end)
        control_in, control_out = Pipe(duplex=False)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the warm process: never returns into the build's code
            try:
                for mine, _ in ends:
                    mine.close()
                control_out.close()
                _warm_process(parent, warm_up, in_worker, control_in,
                              [theirs for _, theirs in ends])
            finally:
                os._exit(0)
        self.warm_pid = pid
        self.control = control_out
        self.connections: list[Connection] = [mine for mine, _ in ends]
        self.ready: list[Connection] = []  # workers that said they are ready, and idle
        self.started = False
        self.sending: threading.Thread | None = None
        try:
            with suppress(OSError):  # both sides set the group: no moment a kill would miss
                os.setpgid(pid, pid)
            control_in.close()
            for _, theirs in ends:
                theirs.close()
        except BaseException:  # a stop signal right now: the caller's `with` has not begun
            self.stop()
            raise

    def start(self, prepare: Callable | None = None, *args) -> None:
        """Let the warm process run ``prepare(*args)`` (once the warm-up is done), then fork
        the workers. Without it, ``run`` starts them as they are."""
        if self.started:
            return
        self.started = True
        self._send(prepare, args)

    def start_after(self, read: Callable[[], tuple], prepare: Callable) -> None:
        """``start(prepare, *read())``, in a thread: the arguments are read, and handed over
        when the warm process is ready for them, while this process goes on."""
        if self.started:
            return
        self.started = True

        def read_and_send() -> None:
            try:
                args = read()
            except Exception:  # noqa: BLE001 - the workers then do without
                self._send(None, ())
                return
            self._send(prepare, args)

        self.sending = threading.Thread(target=read_and_send, daemon=True)
        self.sending.start()

    def _send(self, prepare: Callable | None, args: tuple) -> None:
        # A pool stopped meanwhile makes this fail (the warm process is gone), which run()
        # reports if it matters.
        with suppress(Exception):
            self.control.send((prepare, args))

    def _sent(self) -> None:
        if self.sending is not None:
            self.sending.join(timeout=30)

    def run(self, items: Iterable, call: Callable, time_limit: float = 0,
            grace: float = 5.0, light: Callable | None = None) -> Iterator[tuple]:
        """``call(item)`` in the workers; yields ``(item, result)`` as each is done.

        Until a first worker is ready, the ``light(item)`` items run here, in this process,
        which would otherwise only wait. A worker that dies raises WorkerDied. A job still
        running ``time_limit`` (0: none) + ``grace`` seconds after it was handed to a worker,
        or no worker ready that long after the start (a warm-up stuck in a C call), stops
        the pool and raises Overdue."""
        self.start()
        began = time.monotonic()
        todo = list(items)
        busy: dict[Connection, tuple[object, float]] = {}
        waiting = [c for c in self.connections if c not in self.ready]
        while todo or busy:
            if light is not None and not self.ready and not busy:
                here = next((item for item in todo if light(item)), None)
                if here is not None and not wait(waiting, timeout=0):
                    todo.remove(here)
                    yield here, call(here)
                    continue
            while todo and self.ready:
                connection = self.ready.pop()
                item = todo.pop(0)
                try:
                    connection.send((call, item))
                except OSError as exc:
                    raise WorkerDied(str(exc), item) from None
                busy[connection] = (item, time.monotonic())
            for connection in wait([*busy, *waiting], timeout=0.25):
                try:
                    answer = connection.recv()
                except (EOFError, OSError):
                    lost = busy.get(connection, (None, 0))[0]
                    raise WorkerDied("a worker process ended without answering", lost) from None
                if connection in waiting:  # its first word: ready
                    waiting.remove(connection)
                    self.ready.append(connection)
                    continue
                item, _ = busy.pop(connection)
                self.ready.append(connection)
                kind, value = answer
                if kind == "raised":
                    raise value
                yield item, value
            if time_limit > 0:
                now = time.monotonic()
                late = [item for item, since in busy.values() if now - since > time_limit + grace]
                if not late and todo and waiting and not self.ready and not busy and \
                        now - began > time_limit + grace:
                    late = todo[:1]
                if late:
                    self.stop()
                    raise Overdue(late[0])

    def close(self) -> None:
        """Every job done: the workers end when their connection closes, then the warm
        process; reap them all. A pool never started is stopped: its warm-up is of no use."""
        if not self.started:  # no kit to render: its warm-up is of no use, do not wait for it
            self.stop()
            return
        if self.stopped:
            return
        self.stopped = True
        self._sent()
        for connection in (*self.connections, self.control):
            connection.close()
        with suppress(ChildProcessError):
            os.waitpid(self.warm_pid, 0)

    def stop(self) -> None:
        """Kill the warm process and every worker (with what they run) now, and reap."""
        if self.stopped:
            return
        self.stopped = True
        try:
            os.killpg(self.warm_pid, signal.SIGKILL)
        except OSError:
            with suppress(OSError):
                os.kill(self.warm_pid, signal.SIGKILL)
        self._sent()  # its hand-over fails now
        for connection in (*self.connections, self.control):
            connection.close()
        with suppress(ChildProcessError):
            os.waitpid(self.warm_pid, 0)


def _warm_process(parent: int, warm_up: Callable[[], None],
                  in_worker: Callable[[int], None] | None, control: Connection,
                  ends: list[Connection]) -> None:
    with suppress(OSError):
        os.setpgid(0, 0)
    die_with_parent(parent)
    # An optimisation only: whatever fails here fails again, with its message, in the kit.
    with suppress(Exception):
        warm_up()
    try:
        prepare, args = control.recv()
    except (EOFError, OSError):  # the build ended (or failed) before any kit
        return
    finally:
        control.close()
    if prepare is not None:
        with suppress(Exception):
            prepare(*args)
    import gc

    gc.freeze()  # the workers' collections leave the shared, warm objects alone
    warm = os.getpid()
    for index, end in enumerate(ends):
        if os.fork() == 0:
            try:
                for other in ends[index + 1:]:
                    other.close()
                die_with_parent(warm)
                if in_worker is not None:
                    in_worker(warm)
                _serve(end)
            finally:
                os._exit(0)
        end.close()
    with suppress(ChildProcessError):
        while True:
            os.wait()


def _serve(connection: Connection) -> None:
    """A worker: say ready, then answer each ``(call, item)`` until the connection closes."""
    from .pandoc_process import stop_pandoc

    try:
        connection.send("ready")
        while True:
            try:
                call, item = connection.recv()
            except (EOFError, OSError):
                return
            try:
                answer = ("done", call(item))
            except Exception as exc:  # noqa: BLE001 - raised again in the build's process
                answer = ("raised", _picklable(exc))
            connection.send(answer)
    finally:
        stop_pandoc()


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")
