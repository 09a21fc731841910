"""Rendering one country's kit in all requested formats: one job of the build's pool."""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..content.model import Country, Project
from ..engine.pool import Lost, Pool, TimeUp
from ..errors import Problem, display_path
from ..plan import file_name
from ..translation.fallback import apply_block_fallbacks
from .context import LanguageRender, kit_context
from .kit import KitRender, Paths
from .writers import finish, writer


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
    """Every file of one job, into ``stage``; a failure is the outcome's problem."""
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
            writer(fmt).write(kit, target, edition)
        except TimeUp as exc:  # the kit's time is up: its other files are not tried
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


def kit_name(job) -> str:
    return f"{job.country.code}/{job.lang}"


def timeout_problem(job, fmt: str, seconds: float) -> Problem:
    return Problem(f"{kit_name(job)} {fmt}", 0, "error",
                   f"rendering took longer than {seconds:g} s; nothing was written. Look for "
                   "something very large in this kit's content (a huge table, an enormous word "
                   "or image), or raise the limit with --render-timeout SECONDS")


def lost_outcome(job, lost: Lost) -> KitOutcome:
    """The problem of a job the pool could not finish."""
    if lost.reason == "timeout":
        return KitOutcome(problems=[timeout_problem(job, "/".join(job.formats), lost.seconds)])
    return KitOutcome(problems=[Problem(kit_name(job), 0, "error",
                      f"a worker process died while rendering ({lost.detail}); the machine "
                      "may be short of memory: try --jobs 1")])


def render_kits(pool: Pool, jobs: list[KitJob], stage: Path, task=render_kit):
    """Each job's outcome, as soon as it is done."""
    from functools import partial

    try:
        for job, result in pool.run(jobs, partial(task, stage=stage)):
            yield lost_outcome(job, result) if isinstance(result, Lost) else result
    finally:
        if pool.here:  # the jobs ran here: so did, say, the pandoc that made their DOCX
            finish()
