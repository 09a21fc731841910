"""Rendering one country's kit in all requested formats, in a warm worker process."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from ..content.model import Country, Project
from ..errors import Problem, display_path
from ..plan import file_name
from .context import LanguageRender, kit_context
from .kit import KitRender, Paths

WRITERS = {}


def writers() -> dict:
    """name → writer; imported lazily so heavy libraries load only where they are used."""
    if not WRITERS:
        from .docx import DocxWriter
        from .html import HtmlWriter
        from .ics import IcsWriter
        from .pdf import PdfWriter

        for writer in (PdfWriter(), DocxWriter(), HtmlWriter(), IcsWriter()):
            WRITERS[writer.name] = writer
    return WRITERS


@dataclass(frozen=True)
class KitJob:
    project: Project
    country: Country
    lang: str
    rendered: LanguageRender
    formats: tuple[str, ...]
    paths: Paths
    build_epoch: int
    editions: tuple[str, ...] = ("screen",)  # of the PDF

    def targets(self):
        """(format, edition) of every file this job writes."""
        for fmt in self.formats:
            for edition in (self.editions if fmt == "pdf" else ("screen",)):
                yield fmt, edition


@dataclass
class KitOutcome:
    done: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def render_kit(job: KitJob, stage: Path) -> KitOutcome:
    # WeasyPrint and fontTools read SOURCE_DATE_EPOCH to stamp reproducible dates. Restore it
    # afterwards: with one worker the job runs in the caller's process, whose later builds
    # must not inherit this kit's date.
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(job.build_epoch)
    try:
        return _render_kit(job, stage)
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _render_kit(job: KitJob, stage: Path) -> KitOutcome:
    outcome = KitOutcome()
    try:
        context = kit_context(job.project, job.country, job.lang, job.rendered)
        context["build"] = {"date": dt.datetime.fromtimestamp(job.build_epoch, dt.UTC)}
        from ..translation.fallback import apply_block_fallbacks

        blocks = apply_block_fallbacks(context, job.project, job.lang, job.paths.locales,
                                       job.rendered.fields)
        context["kit"]["fallbacks"] = (*context["kit"]["fallbacks"], *blocks)
        kit = KitRender(job.country.code, job.lang, job.project.workshop.source_language,
                        context, job.paths)
    except Exception as exc:  # noqa: BLE001 - reported as a problem with its location
        outcome.problems.append(describe_failure(exc, job, "context"))
        return outcome
    for fmt, edition in job.targets():
        relative = file_name(job.project, job.country, job.lang, fmt, edition)
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        try:
            writers()[fmt].write(kit, target, **({"edition": edition} if fmt == "pdf" else {}))
        except RenderTimeout as exc:  # the kit's time is up: its other files are not tried
            outcome.problems.append(timeout_problem(job, fmt, exc.seconds))
            return outcome
        except Exception as exc:  # noqa: BLE001 - reported as a problem with its location
            outcome.problems.append(describe_failure(exc, job, fmt))
            continue
        outcome.done.append({"path": relative, "country": job.country.code, "lang": job.lang,
                             "format": fmt, "edition": edition,
                             "seconds": time.perf_counter() - started})
    return outcome


def describe_failure(exc: Exception, job: KitJob, fmt: str) -> Problem:
    """Turn a rendering exception into ``path:line: error`` pointing at the template."""
    from jinja2 import TemplateSyntaxError

    kit = f"{job.country.code}/{job.lang} {fmt}"
    if isinstance(exc, TemplateSyntaxError):
        where = display_path(exc.filename or exc.name or "layouts")
        return Problem(where, exc.lineno or 0, "error", f"{kit}: template syntax: {exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return Problem(display_path(frame.filename), frame.lineno or 0, "error",
                           f"{kit}: {type(exc).__name__}: {exc}")
    return Problem(kit, 0, "error", f"could not write the {fmt.upper()}: "
                   f"{type(exc).__name__}: {exc}")


# --- time limit ------------------------------------------------------------------------------

class RenderTimeout(BaseException):
    """A kit's render ran out of time. A BaseException, so that a writer's or a library's
    ``except Exception`` cannot swallow it and carry on rendering."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float):
    """Raise ``RenderTimeout`` in this (main) thread after ``seconds``. It interrupts Python
    code, which is where WeasyPrint spends its layout time; a render stuck inside one C call is
    the watchdog's in ``Workers.run``."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def kit_name(job) -> str:
    return f"{job.country.code}/{job.lang}"


def timeout_problem(job, fmt: str, seconds: float) -> Problem:
    return Problem(f"{kit_name(job)} {fmt}", 0, "error",
                   f"rendering took longer than {seconds:g} s; nothing was written. Look for "
                   "something very large in this kit's content (a huge table, an enormous word "
                   "or image), or raise the limit with --render-timeout SECONDS")


def limited(task, job, stage: Path, seconds: float) -> KitOutcome:
    """Run ``task(job, stage)`` within the time limit; a timeout is the kit's error."""
    try:
        with time_limit(seconds):
            return task(job, stage)
    except RenderTimeout as exc:
        return KitOutcome(problems=[timeout_problem(job, "/".join(job.formats), exc.seconds)])


# --- worker processes ------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# The watchdog kills a worker whose job has not finished this long after its own time limit
# (which it enforces itself): the job may have waited its turn in the pool's queue.
GRACE = 5.0


def stay_with_parent(parent: int) -> None:
    """Worker initializer, first step: the parent alone decides when a worker stops.

    Ctrl-C and a closed terminal reach the whole foreground process group: the workers ignore
    them (the parent stops them). A worker gets a process group of its own, so the parent can
    stop it together with the pandoc it may be running; and it dies with the parent even when
    the parent is killed outright (Linux)."""
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    with suppress(OSError):
        os.setpgid(0, 0)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass  # not Linux: the parent still stops its workers on every way out


# Young-generation collections every 100,000 allocations instead of CPython's 700: laying out
# a kit allocates hundreds of thousands of short-lived boxes, and the default collected them
# so often that it took a tenth of each PDF's CPU (measured: 0.68 → 0.61 s a kit). Garbage
# cycles are still collected, just in larger steps (about 20 MB more per worker).
WORKER_GC_THRESHOLD = (100_000, 50, 100)


@contextmanager
def collect_in_larger_steps():
    """The same thresholds for the build's own process while it loads and checks the content
    (a tenth of that time, measured); a caller's process (tests, serve) gets its own back."""
    previous = gc.get_threshold()
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def warm_up(parent: int) -> None:
    """Worker initializer: import the renderers once per process, before the first job."""
    stay_with_parent(parent)
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    writers()
    import docx  # noqa: F401 - imported for its import cost, paid while the parent loads
    import pypandoc  # noqa: F401
    import weasyprint  # noqa: F401


def _ready() -> int:
    return os.getpid()


class Workers:
    """Warm worker processes: started (and importing WeasyPrint) before the jobs are ready.

    ``with Workers(n, jobs) as workers: … workers.run(jobs, stage, task)`` yields each job's
    outcome as soon as it is done. With one worker, jobs run in this process. Every way out of
    the block but success (an error, a stop signal, a timeout) kills the workers and waits for
    them, so none outlives the build.
    """

    def __init__(self, count: int, jobs: int | None = None, time_limit: float = 0) -> None:
        self.count = max(1, count if jobs is None else min(count, jobs))
        self.time_limit = time_limit
        self.pool: ProcessPoolExecutor | None = None
        self.stopped = False

    def __enter__(self) -> Workers:
        if self.count > 1:
            self.pool = ProcessPoolExecutor(max_workers=self.count, initializer=warm_up,
                                            initargs=(os.getpid(),))
            try:
                for _ in range(self.count):  # a process starts per submission while none is idle
                    self.pool.submit(_ready)
            except BaseException:  # a signal right now: __exit__ would not run
                self.stop()
                raise
        return self

    def __exit__(self, kind, *exc) -> None:
        if self.pool is None:  # the jobs ran here: so did the pandoc that made their DOCX
            from .pandoc_process import stop_pandoc

            stop_pandoc(kill=kind is not None)
            return
        if kind is None:
            self.pool.shutdown(wait=True)
        else:
            self.stop()

    def stop(self) -> None:
        """Kill every worker (and what it runs) now, and reap them."""
        if self.pool is None or self.stopped:
            return
        self.stopped = True
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        for process in processes:
            if process.pid is None or process.exitcode is not None:
                continue  # not started, or already reaped (its pid may belong to another now)
            try:
                os.killpg(process.pid, signal.SIGKILL)  # its own group: with its pandoc
            except OSError:
                with suppress(OSError):  # not yet in a group of its own
                    os.kill(process.pid, signal.SIGKILL)
        for process in processes:
            process.join(timeout=5)
        self.pool.shutdown(wait=False, cancel_futures=True)

    def run(self, jobs: list[KitJob], stage: Path, task):
        if self.pool is None:
            for job in jobs:
                yield limited(task, job, stage, self.time_limit)
            return
        try:
            yield from self._run_in_pool(jobs, stage, task)
        except BaseException:  # a stop signal while waiting: no worker may write on
            self.stop()
            raise

    def _run_in_pool(self, jobs: list[KitJob], stage: Path, task):
        pending = {self.pool.submit(limited, task, job, stage, self.time_limit): job
                   for job in jobs}
        began: dict = {}
        while pending:
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    self.stop()
                    yield KitOutcome(problems=[Problem(kit_name(job), 0, "error",
                                     f"a worker process died while rendering ({exc}); the "
                                     "machine may be short of memory: try --jobs 1")])
                    return
            overdue = self._overdue(pending, began)
            if overdue is not None:
                self.stop()
                yield KitOutcome(problems=[timeout_problem(overdue, "/".join(overdue.formats),
                                                           self.time_limit)])
                return

    def _overdue(self, pending: dict, began: dict):
        """A job stuck where its own time limit cannot reach (inside one C call)."""
        if self.time_limit <= 0:
            return None
        now = time.monotonic()
        for future, job in pending.items():
            if future.running():  # queued for a worker, or running
                began.setdefault(future, now)
                if now - began[future] > 2 * self.time_limit + GRACE:
                    return job
        return None
