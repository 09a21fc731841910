"""`kitbuilder check`: the content, fonts, catalogs and the delegates' texts, without building."""

from __future__ import annotations

import sys
import time

import click

from ..delegates.texts import check_texts
from ..errors import KitError
from ..settings import Settings
from ..validate import load_and_check
from .options import (
    CONTENT,
    CONTENT_ERROR,
    PROJECT,
    QUIET,
    STRICT,
    VERBOSE,
    check_verbosity,
    fail_strict,
    find_paths,
    print_paths,
)
from .terminal import print_problems


@click.command(short_help="Validate the content without building.", epilog="""\b
Examples:
  kitbuilder check                      the project in the current folder
  kitbuilder check --project ~/rcm-2022
  kitbuilder check --strict             exit 1 on warnings too""")
@PROJECT
@CONTENT
@STRICT
@QUIET
@VERBOSE
def check(project, content, strict, quiet, verbose) -> None:
    """Validate the content, fonts and catalogs without building; print errors and warnings
    as path:line: level: message."""

    check_verbosity(quiet, verbose)
    paths = find_paths(project, content)
    if verbose:
        print_paths(paths)
    started = time.perf_counter()
    try:
        project, problems = load_and_check(Settings.for_project(paths), detail=verbose)
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(CONTENT_ERROR)
    if project is not None:  # the delegates' letters and certificates, read as they will be
        check_texts(paths.content, project.workshop.languages, problems)
    shown = problems.errors if quiet and not strict else problems.items
    print_problems(sorted(shown, key=lambda p: (p.path, p.line)))
    errors, warnings = len(problems.errors), len(problems.warnings)
    if verbose:
        click.echo(f"Checked in {time.perf_counter() - started:.2f} s.", err=True)
    if errors:
        click.secho(f"{errors} error(s), {warnings} warning(s).", fg="red", err=True)
        sys.exit(CONTENT_ERROR)
    if strict and warnings:
        fail_strict(problems.warnings)
    click.secho(f"Content is valid ({warnings} warning(s)).", fg="green", err=True)
