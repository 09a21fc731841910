"""Options and helpers shared by the commands."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from ..delegates.registrations import default_file
from ..errors import KitError, Problem, display_path
from ..lifecycle import Interrupted
from ..project import ProjectPaths
from .terminal import print_problems

# Options shared by every command that reads a project. Paths typed on the command line are
# relative to the working folder; the defaults are relative to the project folder.
PROJECT = click.option("--project", type=click.Path(path_type=Path, file_okay=False),
                       default=None, metavar="DIR",
                       help="The project folder (holds content/, optionally layouts/ and "
                            "locales/). Default: the current folder.")
CONTENT = click.option("--content", type=click.Path(path_type=Path), default=None,
                       metavar="DIR", help="Content folder.  [default: PROJECT/content]")
OUTPUT = click.option("--output", type=click.Path(path_type=Path), default=None,
                      metavar="DIR", help="Folder the kits are written to.  "
                                          "[default: PROJECT/output]")
COUNTRIES = click.option("--country", "countries", multiple=True, metavar="CODE",
                         help="Only this country (ISO code, e.g. MX). Repeatable.")
LANGUAGES = click.option("--lang", "languages", multiple=True, metavar="LANG",
                         help="Only this language (e.g. es). Repeatable.")
QUIET = click.option("-q", "--quiet", is_flag=True,
                     help="Print only errors and the final line.")
VERBOSE = click.option("-v", "--verbose", is_flag=True,
                       help="Print more: the folders used, timings per file and per step.")
STRICT = click.option("--strict", is_flag=True,
                      help="Treat warnings as errors: any warning fails the run (exit 1).")

# Exit codes: 0 done, 1 content errors (or warnings under --strict), 2 usage errors.
CONTENT_ERROR, USAGE_ERROR = 1, 2
USAGE_PATHS = ("--country", "--lang", "--project", "--content", "--output")


def find_paths(project: Path | None, content: Path | None = None,
               output: Path | None = None):
    """The project's folders, or a usage error (exit 2) saying which option is wrong."""
    try:
        return ProjectPaths.find(project if project is not None else Path.cwd(), content,
                                 output)
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(USAGE_ERROR)


def check_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose exclude each other.")


def print_paths(paths) -> None:
    for name, where in paths.describe():
        click.echo(f"{name + ':':<9} {where}", err=True)


def fail_strict(warnings: list[Problem]) -> None:
    """--strict: the warnings (already printed) fail the run."""
    click.secho(f"{len(warnings)} warning(s), treated as errors because of --strict; fix them "
                "or run without --strict.", fg="red", err=True)
    sys.exit(CONTENT_ERROR)


def report_interruption(stop: Interrupted, output: Path) -> None:
    """One line, then the shell's exit code for the signal (130 for Ctrl-C, 143 for SIGTERM)."""
    with contextlib.suppress(OSError):  # the terminal is gone (SIGHUP): nobody to tell
        click.secho(f"Interrupted ({stop.name}): the build stopped; the previous kits in "
                    f"{display_path(output)} are untouched.", fg="red", err=True)
    sys.exit(stop.exit_code)


def listing(paths: list[str], limit: int = 10) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def registrations_path(paths, registrations_file: Path | None) -> Path:

    return registrations_file if registrations_file is not None else default_file(paths.root)
