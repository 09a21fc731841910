"""Rendering one country's kit in all requested formats, in a warm worker process."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import threading
import time
import traceback
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

# The watchdog kills a worker whose job has not finished this long after its own time limit
# (which it enforces itself).
GRACE = 5.0


def stay_with_parent(parent: int) -> None:
    """Initializer of a multiprocessing worker (the delegates' pool): the parent alone decides
    when it stops. Ctrl-C and a closed terminal reach the whole foreground process group: the
    worker ignores them. It gets a process group of its own, so the parent can stop it
    together with the pandoc it may be running; and it dies with the parent even when the
    parent is killed outright (Linux)."""
    from .pool import die_with_parent

    with suppress(OSError):
        os.setpgid(0, 0)
    die_with_parent(parent)


# Young-generation collections every 400,000 allocations instead of CPython's 700: laying out
# a kit allocates hundreds of thousands of short-lived boxes, and the default collected them
# so often that it took a tenth of each PDF's CPU (measured: 0.68 → 0.61 s a kit at 100,000;
# 400,000 took another 2–3 % off a cold build, side by side). Garbage cycles are still
# collected, just in larger steps: a worker's memory levels off ≈ 45 MB higher than with
# CPython's default (≈ 25 MB of it for 400,000 rather than 100,000), however many kits.
WORKER_GC_THRESHOLD = (400_000, 50, 100)


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


def warm_up(paths: Paths | None, editions: tuple[str, ...]) -> None:
    """In the warm process, once: what every worker needs before its first kit (imports,
    fonts, the shared stylesheets, WeasyPrint's and Pango's first-use set-up)."""
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    writers()
    import docx  # noqa: F401 - finishes each DOCX (pandoc runs as a process: no pypandoc)

    from ..translation import fallback  # noqa: F401 - what render_kit imports, imported once

    if paths is not None and editions:
        from .pdf import warm_up as warm_up_pdf

        warm_up_pdf(paths, editions)


def load_templates(paths: Paths, langs: tuple[str, ...]) -> None:
    """Every template of each language's environment, compiled (the partials are otherwise
    loaded as a kit uses them)."""
    from .templates import environment

    for lang in langs:
        env = environment(paths.layouts, paths.locales, lang)
        for name in env.list_templates(extensions=["j2"]):
            with suppress(Exception):  # a broken template is the kit's error, with its line
                env.get_template(name)


def read_languages(paths: Paths, langs: tuple[str, ...], tags: tuple[str, ...]):
    """In the build's process: the templates' compiled code and the hyphenation dictionaries
    for these languages and hyphenation tags, to hand to the warm process (it reads them from
    the pipe 15 times faster than it would parse them, and it is still busy importing)."""
    import pyphen

    from .templates import compiled_templates

    load_templates(paths, langs)
    dictionaries = {}
    for tag in {*langs, *tags}:
        found = pyphen.language_fallback(tag)
        if found is not None and pyphen.LANGUAGES[found] not in dictionaries:
            dictionaries[pyphen.LANGUAGES[found]] = pyphen.HyphDict(pyphen.LANGUAGES[found])
    return compiled_templates(), dictionaries


def prepare_languages(paths: Paths, langs: tuple[str, ...], tags: tuple[str, ...],
                      compiled: dict[str, bytes], dictionaries: dict) -> None:
    """In the warm process: what ``read_languages`` read, in place for the workers."""
    import pyphen

    from .names import keep_names_whole
    from .templates import use_compiled_templates

    use_compiled_templates(compiled)
    load_templates(paths, langs)  # from the compiled code: no parsing
    for path, dictionary in dictionaries.items():
        pyphen.hdcache.setdefault(path, dictionary)
    keep_names_whole({*langs, *tags})


class Workers:
    """Warm worker processes (render/pool.py), prepared while the content loads.

    ``with Workers(n, time_limit=…, paths=…) as workers: … workers.prepare(artifacts);
    workers.run(jobs, stage, task)`` yields each job's outcome as soon as it is done. With one
    worker, jobs run in this process. Every way out of the block but success (an error, a
    stop signal, a timeout) kills the workers and waits for them, so none outlives the build.
    """

    def __init__(self, count: int, jobs: int | None = None, time_limit: float = 0,
                 paths: Paths | None = None, editions: tuple[str, ...] = ("screen",)) -> None:
        self.count = max(1, count if jobs is None else min(count, jobs))
        self.time_limit = time_limit
        self.paths = paths
        self.editions = editions
        self.pool = None

    def __enter__(self) -> Workers:
        if self.count > 1:
            from functools import partial

            from .pdf import use_fonts_of
            from .pool import WarmPool

            self.pool = WarmPool(self.count, partial(warm_up, self.paths, self.editions),
                                 in_worker=use_fonts_of)
        return self

    def __exit__(self, kind, *exc) -> None:
        if self.pool is None:  # the jobs ran here: so did the pandoc that made their DOCX
            from .pandoc_process import stop_pandoc

            stop_pandoc(kill=kind is not None)
            return
        if kind is None:
            self.pool.close()
        else:
            self.stop()

    def prepare(self, artifacts) -> None:
        """Start the workers, with the templates and hyphenation dictionaries of these
        artifacts' kits ready: read here, in a thread, while pandoc converts the Markdown."""
        if self.pool is None or self.paths is None:
            return
        from functools import partial

        from .context import hyphenation_tag

        langs = tuple(sorted({a.lang for a in artifacts}))
        tags = tuple(sorted({hyphenation_tag(a.lang, a.country.code) for a in artifacts}))
        self.pool.start_after(partial(_read_for, self.paths, langs, tags), prepare_languages)

    def stop(self) -> None:
        """Kill every worker (and what it runs) now, and reap them."""
        if self.pool is not None:
            self.pool.stop()

    def run(self, jobs: list[KitJob], stage: Path, task):
        if self.pool is None:
            for job in jobs:
                yield limited(task, job, stage, self.time_limit)
            return
        from functools import partial

        from .pool import Overdue, WorkerDied

        call = partial(_limited_job, task, stage, self.time_limit)
        try:
            for _, outcome in self.pool.run(jobs, call, 2 * self.time_limit, GRACE,
                                            light=_light):
                yield outcome
        except WorkerDied as exc:
            self.stop()
            job = exc.item or jobs[0]
            yield KitOutcome(problems=[Problem(kit_name(job), 0, "error",
                             f"a worker process died while rendering ({exc}); the "
                             "machine may be short of memory: try --jobs 1")])
        except Overdue as late:
            yield KitOutcome(problems=[timeout_problem(late.item, "/".join(late.item.formats),
                                                       self.time_limit)])
        except BaseException:  # a stop signal while waiting: no worker may write on
            self.stop()
            raise


def _read_for(paths: Paths, langs: tuple[str, ...], tags: tuple[str, ...]) -> tuple:
    return (paths, langs, tags, *read_languages(paths, langs, tags))


def _light(job: KitJob) -> bool:
    """A kit's HTML and calendar: a few ms, rendered by the build's process while it waits
    for the workers to be ready."""
    return set(job.formats) <= {"html", "ics"}


def _limited_job(task, stage: Path, seconds: float, job: KitJob) -> KitOutcome:
    return limited(task, job, stage, seconds)
