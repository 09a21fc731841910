"""The build, as one readable recipe: load → validate → plan → render → write.

Everything is read and checked before anything is written; artifacts are
rendered into a staging folder and moved into place only when all succeeded,
so a failed build leaves the previous kits untouched.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .content.checks import check_project
from .content.loader import load_project
from .content.model import Project
from .delivery.packages import write_packages
from .errors import KitError, Problem, Problems
from .output import commit, read_manifest, sha256, staging, write_manifest
from .plan import Artifact, plan
from .quality.glyphs import check_glyphs
from .render.context import render_language
from .render.worker import KitJob, render_kit, run_jobs
from .report import Reporter
from .settings import Settings


@dataclass
class BuildResult:
    artifacts: list[Artifact] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    manifest: Path | None = None
    seconds: float = 0.0


def load_and_check(settings: Settings) -> tuple[Project | None, Problems]:
    problems = Problems()
    project = load_project(Path(settings.content), problems)
    if project is not None:
        check_project(project, problems)
        # Translation status, catalogs and glossary: warnings, listed by check and build.
        from .translation.checks import check_translations

        check_translations(project, settings.layouts_dir(), settings.locales_dir(), problems)
    # Every character the kits print must be in the shipped fonts (before anything renders).
    check_glyphs(Path(settings.content), settings.layouts_dir(), settings.locales_dir(),
                 problems, project)
    return project, problems


def build(settings: Settings, reporter: Reporter | None = None) -> BuildResult:
    reporter = reporter or Reporter()
    started = time.perf_counter()

    project, problems = load_and_check(settings)  # load + validate
    for warning in problems.warnings:
        reporter.emit("warning", problem=warning)
    if project is None or problems.errors:
        raise KitError(problems.errors or [Problem(str(settings.content), 0, "error",
                                                   "content could not be loaded")])

    artifacts = plan(project, settings)  # plan
    reporter.emit("plan", total=len(artifacts))
    if not artifacts:
        return BuildResult(warnings=problems.warnings, seconds=time.perf_counter() - started)

    output = Path(settings.output).resolve()
    languages = sorted({a.lang for a in artifacts})
    rendered = {lang: render_language(project, lang, settings.locales_dir())
                for lang in languages}  # shared work
    by_kit: dict[tuple[str, str], list[Artifact]] = {}
    for artifact in artifacts:
        by_kit.setdefault(artifact.kit_key, []).append(artifact)
    jobs = [
        KitJob(project=project, country=group[0].country, lang=group[0].lang,
               rendered=rendered[group[0].lang],
               formats=tuple(dict.fromkeys(a.format for a in group)), editions=settings.editions,
               paths=paths_for(settings), build_epoch=source_date_epoch(project))
        for group in by_kit.values()
    ]

    with staging(output) as stage:  # render into a scratch folder
        failures: list[Problem] = []
        for outcome in run_jobs(jobs, stage, settings.jobs, render_kit):
            failures.extend(outcome.problems)
            for done in outcome.done:
                reporter.emit("artifact", **done)
        if failures:
            raise KitError(failures)
        commit(stage, output, [a.path for a in artifacts])  # write, each file atomically

    packages = write_packages(output, project, artifacts, settings, reporter)  # per-country zips
    manifest = write_manifest(output, manifest_entries(output, project, artifacts + packages))
    return BuildResult(artifacts, problems.warnings, manifest, time.perf_counter() - started)


def paths_for(settings: Settings):
    from .render.kit import Paths

    return Paths(Path(settings.content).resolve(), settings.layouts_dir(), settings.locales_dir())


def source_date_epoch(project: Project) -> int:
    """Dates written into files come from SOURCE_DATE_EPOCH, else the document's issue date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    control = project.workshop.document_control
    day = control.issued if control else project.workshop.date
    import calendar

    return calendar.timegm(day.timetuple())


def manifest_entries(output: Path, project: Project, built: list[Artifact]) -> list[dict]:
    """Every kit file now in the output folder: this build's and earlier builds' still valid."""
    entries = {e["path"]: e for e in read_manifest(output) if (output / e["path"]).is_file()}
    for artifact in built:
        file = output / artifact.path
        entries[artifact.path] = {
            "path": artifact.path,
            "country": artifact.country.code,
            "language": artifact.lang,
            "format": artifact.format,
            **({"edition": artifact.edition} if artifact.format == "pdf" else {}),
            "size": file.stat().st_size,
            "sha256": sha256(file),
        }
    for entry in entries.values():
        entry["generator"] = f"kitbuilder {__version__}"
    return list(entries.values())
