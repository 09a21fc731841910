"""The build, as one readable recipe: load → validate → plan → render → write.

Everything is read and checked before anything is written; artifacts are
rendered into a staging folder and moved into place only when all succeeded,
so a failed build leaves the previous kits untouched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .engine.artifact import commit, staging, writing
from .errors import KitError, Problem, display_path
from .incremental import (
    Inputs,
    artifact_key,
    batches,
    current_files,
    describe,
    fast_check,
    kit_epochs,
    records,
    remember,
    remove_withdrawn,
    to_package,
)
from .lifecycle import session, uninterrupted
from .output import manifest_entries, write_manifest
from .plan import Artifact, plan
from .report import Reporter
from .settings import Settings
from .validate import load_and_check

# A no-op build must not pay for pydantic, Babel, WeasyPrint, python-docx or pandoc: those
# modules are imported inside the functions below, once there is work to do.
if TYPE_CHECKING:
    from .content.model import Project


@dataclass
class BuildResult:
    artifacts: list[Artifact] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    manifest: Path | None = None
    seconds: float = 0.0
    rebuilt: list[str] = field(default_factory=list)  # paths rendered by this build
    reused: list[str] = field(default_factory=list)  # paths whose inputs did not change
    removed: list[str] = field(default_factory=list)  # withdrawn files deleted by this build


def build(settings: Settings, reporter: Reporter | None = None) -> BuildResult:
    reporter = reporter or Reporter()
    started = time.perf_counter()
    output = output_folder(settings)  # a usage error before anything is written
    # One build per output folder; a private temp folder; SIGINT/SIGTERM/SIGHUP stop it cleanly.
    with session(output, settings.lock_wait, reporter):
        unchanged, state, inputs = fast_check(settings)  # no-op: decided before loading
        if unchanged:
            return reuse_everything(state, reporter, started)
        return build_changes(settings, reporter, output, state, inputs, started)


def build_changes(settings: Settings, reporter: Reporter, output: Path, state, inputs,
                  started: float) -> BuildResult:
    from .delivery.packages import write_packages
    from .engine.pool import Pool
    from .render.writers import prepare

    # The workers start now and ready the writers while this process loads the content
    # (with one worker, the kits render here and the first one readies them).
    with Pool(settings.jobs, settings.render_timeout,
              initializer=prepare if settings.jobs > 1 else None,
              initargs=(settings.formats, paths_for(settings), settings.editions)) as pool:
        project, problems = load_and_check(settings)  # load + validate
        for warning in problems.warnings:
            reporter.emit("warning", problem=warning)
        if project is None or problems.errors:
            raise KitError(problems.errors or [Problem(str(settings.content), 0, "error",
                                                       "content could not be loaded")])

        artifacts = plan(project, settings)  # plan (never empty), then keep what is up to date
        reporter.emit("plan", total=len(artifacts))
        inputs = inputs or Inputs.scan(settings)
        epochs = kit_epochs(settings, project)
        keys = {a.path: artifact_key(inputs, project, a, epochs) for a in artifacts}
        fresh = {a.path for a in artifacts if state.intact(output, a.path, keys[a.path])}
        reused = [] if settings.force else [a for a in artifacts if a.path in fresh]
        todo = [a for a in artifacts if a not in reused]
        for artifact in reused:
            reporter.emit("artifact", **describe(artifact), seconds=0.0, status="reused")
        if todo:
            render(pool, project, settings, reporter, output, todo, epochs)

    # Withdrawn files (a removed country or language); zips of the countries rebuilt or whose
    # zip is gone; manifest; state. A signal waits until the folder is consistent.
    with writing(output), uninterrupted():
        removed = withdraw(state, output, project, reporter)
        packages = write_packages(output, project, to_package(state, output, artifacts, todo),
                                  settings, reporter)
        remember(state, output, settings, inputs, project, keys, artifacts, todo, epochs, packages)
        listed = current_files(state, output, inputs, project, epochs)  # no stale entries
        manifest = write_manifest(output, manifest_entries(listed, records(state)))
        state.seal(output, manifest)  # last
    return BuildResult(artifacts, problems.warnings, manifest, time.perf_counter() - started,
                       rebuilt=[a.path for a in todo], reused=[a.path for a in reused],
                       removed=removed)


def render(pool, project: Project, settings: Settings, reporter: Reporter, output: Path,
           todo: list[Artifact], epochs: dict[str, int]) -> None:
    """Render ``todo`` into a staging folder; move the files into place only if all were.
    Any failure or stop signal stops the pool before the staging folder goes."""
    from .render.worker import KitJob, render_kits

    rendered = render_languages(project, {a.lang for a in todo}, settings)  # shared
    jobs = [KitJob(project=project, country=b[0].country, lang=b[0].lang,
                   rendered=rendered[b[0].lang], formats=tuple(a.format for a in b),
                   editions=(b[0].edition,), paths=paths_for(settings),
                   build_epoch=epochs[b[0].lang]) for b in batches(todo)]
    failures: list[Problem] = []
    with writing(output), staging(output) as stage:
        for outcome in render_kits(pool, jobs, stage):
            failures.extend(outcome.problems)
            for done in outcome.done:
                reporter.emit("artifact", **done, status="rebuilt")
        if failures:
            raise KitError(failures)
        with uninterrupted():
            commit(stage, output, [a.path for a in todo])  # each file atomically


def output_folder(settings: Settings) -> Path:
    """The output folder, absolute; refused when it is, or lies inside, a folder the build
    reads: the kits would be written into the content and read back as content."""
    output = Path(settings.output).resolve()
    for name, folder in (("content", Path(settings.content).resolve()),
                         ("layouts", settings.layouts_dir()), ("locales", settings.locales_dir())):
        if output == folder or output.is_relative_to(folder):
            where = (f"the {name} folder" if output == folder
                     else f"inside the {name} folder {display_path(folder)}")
            raise KitError([Problem("--output", 0, "error", (
                f"{display_path(output)} is {where}; the kits would be written among the files "
                "the build reads. Choose a folder outside it, e.g. "
                f"{display_path(Path(settings.content).resolve().parent / 'output')}"))])
    return output


def withdraw(state, output: Path, project: Project, reporter: Reporter) -> list[str]:
    """Delete the files of a country or language no longer in the content (see
    ``incremental.withdrawn``); warn about those someone changed, which stay."""
    removed, changed = remove_withdrawn(state, output, project)
    for path in changed:
        reporter.emit("warning", problem=Problem(display_path(output / path), 0, "warning", (
            "withdrawn (its country or language is no longer in the content), but changed "
            "since kitbuilder wrote it: left in place; delete it if it is not needed")))
    if removed:
        reporter.emit("removed", paths=removed)
    return removed


def reuse_everything(state, reporter: Reporter, started: float) -> BuildResult:
    """Nothing changed since the last build: report every file as reused."""
    reporter.emit("plan", total=len(state.planned))
    for path in state.planned:
        reporter.emit("artifact", **state.artifacts[path]["about"], seconds=0.0, status="reused")
    return BuildResult(seconds=time.perf_counter() - started, reused=list(state.planned))


def render_languages(project: Project, langs: set[str], settings: Settings) -> dict:
    """Markdown + citations once per language; the pandoc calls run side by side."""
    from concurrent.futures import ThreadPoolExecutor

    from .render.context import render_language

    with ThreadPoolExecutor(max_workers=max(1, len(langs))) as threads:
        found = {lang: threads.submit(render_language, project, lang, settings.locales_dir(),
                                      settings.preview)
                 for lang in sorted(langs)}
        return {lang: future.result() for lang, future in found.items()}


def paths_for(settings: Settings):
    from .render.kit import Paths

    return Paths(Path(settings.content).resolve(), settings.layouts_dir(), settings.locales_dir(),
                 settings.brand_dir(), Path(settings.output).resolve())
