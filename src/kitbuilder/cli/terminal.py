"""What a build shows on the terminal: problems and progress lines."""

from __future__ import annotations

import time

import click

from ..errors import Problem, display_path
from ..report import Reporter


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.level == "error" else "yellow"
        click.secho(str(problem), fg=colour, err=True)


class TerminalReporter(Reporter):
    """Progress lines on stderr while building.

    Warnings are held back until the build has planned its files: a bad --country or --lang is
    only known once the content is loaded, and it must be printed first, not under them."""

    def __init__(self, quiet: bool = False, verbose: bool = False, strict: bool = False) -> None:
        super().__init__()
        self.quiet = quiet
        self.verbose = verbose
        self.strict = strict
        self.planned = False
        self.late_warnings: list[Problem] = []  # after the plan, e.g. a package over budget
        self.total = 0
        self.count = 0
        self.held: list[Problem] = []
        self.started = time.perf_counter()
        self.seconds_per_format: dict[str, float] = {}

    def flush_warnings(self) -> None:
        if not self.quiet:
            print_problems(self.held)
        self.held = []

    def on_event(self, kind: str, detail: dict) -> None:
        if kind == "warning" and self.planned:
            self.late_warnings.append(detail["problem"])
            if self.strict or not self.quiet:
                print_problems([detail["problem"]])
        elif kind == "warning":
            self.held.append(detail["problem"])
        elif kind == "plan":
            self.planned = True
            self.flush_warnings()
            self.total = detail["total"]
            if self.verbose:
                click.echo(f"Content loaded and checked in "
                           f"{time.perf_counter() - self.started:.2f} s.", err=True)
            if not self.quiet:
                click.echo(f"Building {self.total} files…", err=True)
        elif kind == "artifact":
            self.count += 1
            seconds = detail.get("seconds", 0.0)
            fmt = detail["format"]
            self.seconds_per_format[fmt] = self.seconds_per_format.get(fmt, 0.0) + seconds
            if self.quiet:
                return
            width = len(str(self.total))
            how = ("reused, unchanged" if detail.get("status") == "reused"
                   else f"rebuilt, {seconds:.2f} s")
            click.echo(f"[{self.count:>{width}}/{self.total}] {fmt:<4} "
                       f"{detail['path']}  ({how})", err=True)
        elif kind == "waiting":
            holder = f" (pid {detail['holder']})" if detail["holder"] else ""
            click.echo(f"Waiting for another kitbuilder{holder} writing to "
                       f"{display_path(detail['output'])}…", err=True)
        elif kind == "package" and not self.quiet:
            click.echo(f"Package {detail['path']}: {len(detail['files'])} files, "
                       f"{detail['size'] / 1e6:.2f} MB", err=True)
