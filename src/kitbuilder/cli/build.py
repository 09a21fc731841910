"""`kitbuilder build`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import KitError, Problem, display_path
from ..lifecycle import Interrupted
from ..pipeline import build as run_build
from ..placeholders import is_left_to_fill, refuse_unwritten
from ..plan import plan
from ..settings import EDITIONS, FORMATS, Settings
from ..validate import load_and_check
from .options import (
    CONTENT,
    CONTENT_ERROR,
    COUNTRIES,
    LANGUAGES,
    OUTPUT,
    PROJECT,
    QUIET,
    STRICT,
    USAGE_ERROR,
    USAGE_PATHS,
    VERBOSE,
    check_verbosity,
    fail_strict,
    find_paths,
    listing,
    print_paths,
    report_interruption,
)
from .terminal import TerminalReporter, print_problems


@click.command(short_help="Check the content, then write every kit.", epilog="""\b
Examples:
  kitbuilder build                       the project in the current folder
  kitbuilder build --project ~/rcm-2022  another project, from anywhere
  kitbuilder build --country MX --lang es --format pdf
  kitbuilder build --strict -q           in CI: any warning fails the build""")
@PROJECT
@CONTENT
@OUTPUT
@COUNTRIES
@LANGUAGES
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only this format. Repeatable. Default: all.")
@click.option("--edition", "editions", multiple=True, type=click.Choice(EDITIONS),
              help="PDF edition: screen (PDF/UA-1, default), print (crop marks, 3 mm bleed) or "
                   "archive (PDF/A-3b). Repeatable.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, envvar="KITBUILDER_JOBS",
              help="Worker processes. Default: KITBUILDER_JOBS, else the number of cores.")
@click.option("--package-budget", type=click.FloatRange(min=0), default=10.0, show_default=True,
              metavar="MB", help="Warn when a country's zip package is larger (0: never).")
@click.option("--force", is_flag=True,
              help="Rebuild every file, even those whose inputs did not change.")
@click.option("--render-timeout", type=click.FloatRange(min=0), default=120.0, hidden=True,
              envvar="KITBUILDER_RENDER_TIMEOUT", metavar="SECONDS",
              help="Fail a kit whose render takes longer (0: no limit).")
@click.option("--lock-wait", type=click.FloatRange(min=0), default=10.0, hidden=True,
              envvar="KITBUILDER_LOCK_WAIT", metavar="SECONDS",
              help="Wait this long for another build into the same output folder.")
@STRICT
@QUIET
@VERBOSE
def build(project, content, output, countries, languages, formats, editions, jobs,
          package_budget, force, render_timeout, lock_wait, strict, quiet, verbose) -> None:
    """Check the content, then write every kit and OUTPUT/manifest.json.

    Files whose inputs did not change since the last build are reused; the previous kits stay
    untouched when the build fails."""

    check_verbosity(quiet, verbose)
    paths = find_paths(project, content, output)
    if verbose:
        print_paths(paths)
    settings = Settings.for_project(
        paths, countries=countries, languages=languages, formats=formats or FORMATS,
        editions=tuple(dict.fromkeys(editions)) or ("screen",),
        package_budget=int(package_budget * 1_000_000), force=force,
        render_timeout=render_timeout, lock_wait=lock_wait, **({"jobs": jobs} if jobs else {}))
    reporter = TerminalReporter(quiet=quiet, verbose=verbose, strict=strict)
    started = time.perf_counter()
    try:
        if strict:
            strict_precheck(settings, reporter)
        result = run_build(settings, reporter)
    except KitError as exc:
        report_build_failure(exc, reporter, paths.output)
    except Interrupted as stop:
        report_interruption(stop, paths.output)
    elapsed = time.perf_counter() - started
    if strict and reporter.late_warnings:  # only known once the kits were written
        click.secho(f"{len(reporter.late_warnings)} warning(s) while writing, treated as errors "
                    f"because of --strict; the kits in {display_path(paths.output)} were "
                    "written.", fg="red", err=True)
        sys.exit(CONTENT_ERROR)
    if verbose and reporter.seconds_per_format:
        spent = ", ".join(f"{fmt} {seconds:.2f} s"
                          for fmt, seconds in sorted(reporter.seconds_per_format.items()))
        click.echo(f"Render time per format (summed over workers): {spent}.", err=True)
    if result.removed:
        click.echo(f"Removed {len(result.removed)} withdrawn file(s) (their country or "
                   f"language is no longer in the content): {listing(result.removed)}", err=True)
    if not result.rebuilt and result.reused:
        packages = [d["path"] for d in reporter.of_kind("package")]
        restored = f"; re-made {', '.join(packages)}" if packages else ""
        click.secho(f"No kit changed: all {len(result.reused)} files reused{restored} in "
                    f"{elapsed:.2f} s (use --force to rebuild).", fg="green", err=True)
        return
    kits = {(a.country.code, a.lang) for a in result.artifacts}
    countries_built = {code for code, _ in kits}
    if not quiet:
        rebuilt_kits = sorted({"/".join(path.split("/")[:2]) for path in result.rebuilt})
        click.echo(f"Rebuilt {len(result.rebuilt)} files ({', '.join(rebuilt_kits) or 'none'});"
                   f" reused {len(result.reused)} unchanged.", err=True)
        if result.manifest:
            click.echo(f"Manifest: {display_path(result.manifest)}", err=True)
    click.secho(f"Built {len(result.artifacts)} files: {len(kits)} kits for "
                f"{len(countries_built)} countries in {elapsed:.1f} s"
                f"{f', {len(result.warnings)} warning(s)' if result.warnings else ''}.",
                fg="green", err=True)


def strict_precheck(settings: Settings, reporter: TerminalReporter) -> None:
    """--strict: check the content (and the selection) before anything is built, so that a
    warning fails the run with the previous kits untouched. Done up front, not during the build,
    because a build whose inputs did not change reuses its files without loading the content
    and would never see the warnings."""

    project, problems = load_and_check(settings)
    if project is None or problems.errors:
        for warning in problems.warnings:
            reporter.emit("warning", problem=warning)
        raise KitError(problems.errors or [Problem(str(settings.content), 0, "error",
                                                   "content could not be loaded")])
    plan(project, settings)  # a bad --country/--lang is a usage error, reported first
    if problems.warnings:
        # A placeholder would be printed in a kit: said as the error it is under --strict.
        print_problems([p for p in problems.warnings if not is_left_to_fill(p)] +
                       refuse_unwritten(problems.warnings, "the kits"))
        fail_strict(problems.warnings)


def report_build_failure(exc: KitError, reporter: TerminalReporter, output: Path) -> None:
    usage = [p for p in exc.problems if p.path in USAGE_PATHS]
    if usage:  # printed alone: the content's warnings are not what went wrong
        print_problems(usage)
        sys.exit(USAGE_ERROR)
    reporter.flush_warnings()
    print_problems(exc.problems)
    click.secho(f"Build failed: {len(exc.problems)} error(s); the previous kits in "
                f"{display_path(output)} are untouched.", fg="red", err=True)
    sys.exit(CONTENT_ERROR)
