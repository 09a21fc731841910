"""`kitbuilder delegates`: check and build the delegates' documents."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..delegates.build import DOCUMENTS, build_delegates
from ..delegates.check import check_delegates
from ..errors import KitError, display_path
from ..lifecycle import Interrupted
from ..report import Reporter
from .options import (
    CONTENT,
    CONTENT_ERROR,
    OUTPUT,
    PROJECT,
    QUIET,
    find_paths,
    registrations_path,
    report_interruption,
)
from .terminal import print_problems


@click.group(short_help="Registrations, letters, badges, list of participants, certificates.")
def delegates() -> None:
    """Documents for each registered delegate, from the registrations file (CSV or XLSX,
    personal data: kept out of git; see registrations.example.csv)."""


REGISTRATIONS = click.argument("registrations_file", metavar="[FILE]", required=False,
                               type=click.Path(path_type=Path, dir_okay=False))


@delegates.command("check", short_help="Check the registrations file; every problem, one run.",
                   epilog="""\b
Examples:
  kitbuilder delegates check                   PROJECT/registrations.csv (or .xlsx)
  kitbuilder delegates check ~/Downloads/form-export.csv""")
@REGISTRATIONS
@PROJECT
@CONTENT
@OUTPUT
def delegates_check(registrations_file, project, content, output) -> None:
    """Check every row of FILE: country, language, name, e-mail, attendance, participation
    and characters the kits' fonts cannot print, as FILE:line: error: message."""

    paths = find_paths(project, content, output)
    checked = check_delegates(paths, registrations_path(paths, registrations_file))
    print_problems(sorted(checked.problems.items, key=lambda p: (p.path, p.line)))
    if checked.problems.errors or checked.registrations is None:
        click.secho(f"{len(checked.problems.errors)} error(s).", fg="red", err=True)
        sys.exit(CONTENT_ERROR)
    click.secho(summary(checked.registrations.delegates), fg="green", err=True)


@delegates.command("build", short_help="Letters, badges, list of participants, certificates.",
                   epilog="""\b
Examples:
  kitbuilder delegates build                      everything, from PROJECT/registrations.csv
  kitbuilder delegates build export.xlsx --document letter --document badges
  kitbuilder delegates build --document certificate   after the workshop""")
@REGISTRATIONS
@PROJECT
@CONTENT
@OUTPUT
@click.option("--document", "documents", multiple=True,
              type=click.Choice(["letter", "badges", "list", "certificate"]),
              help="Only this document. Repeatable. Default: all.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, envvar="KITBUILDER_JOBS",
              help="Worker processes. Default: KITBUILDER_JOBS, else the number of cores.")
@click.option("--issue-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the letters and certificates of this build as issued on this day "
                   "(YYYY-MM-DD). Default: the day each was first issued (kept in "
                   "OUTPUT/delegates/letters-issued.csv), today for a new one.")
@QUIET
def delegates_build(registrations_file, project, content, output, documents, jobs,
                    issue_date, quiet) -> None:
    """Check FILE, then write each delegate's documents under OUTPUT/delegates/: a letter of
    invitation (PDF, DOCX) per person, badge sheets per country, the list of participants
    (PDF, DOCX, HTML) per language and, for attendees, a certificate (PDF/A) with the
    register certificates.csv. Unchanged files are reused."""

    class WarningReporter(Reporter):
        """Content warnings (a TODO left in who signs the letters) before the summary."""

        def on_event(self, kind: str, detail: dict) -> None:
            if kind == "warning" and not quiet:
                print_problems([detail["problem"]])

    paths = find_paths(project, content, output)
    try:
        result = build_delegates(paths, registrations_path(paths, registrations_file),
                                 tuple(documents) or DOCUMENTS, reporter=WarningReporter(),
                                 jobs=jobs,
                                 issue_date=issue_date.date() if issue_date else None)
    except KitError as exc:
        print_problems(exc.problems)
        click.secho(f"{len(exc.problems)} problem(s).", fg="red", err=True)
        sys.exit(CONTENT_ERROR)
    except Interrupted as stop:
        report_interruption(stop, paths.output)
    rendered = ", ".join(f"{count} {kind}" for kind, count in sorted(result.rendered.items()))
    reused = sum(result.reused.values())
    click.secho(f"{result.people} delegate(s), {result.attended} attended. Rendered: "
                f"{rendered or 'nothing (all up to date)'}; reused {reused}"
                f"{f'; removed {result.removed}' if result.removed else ''} — in "
                f"{display_path(paths.output / 'delegates')} in {result.seconds:.1f} s.",
                fg="green", err=True)


def summary(people) -> str:
    """Counts only: names never reach the terminal or a log."""
    attended = sum(1 for p in people if p.attendance == "attended")
    delegates = [p for p in people if p.kind == "delegation"]
    countries = len({p.country for p in delegates})
    others = len(people) - len(delegates)
    return (f"{len(delegates)} delegate(s) from {countries} countr"
            f"{'y' if countries == 1 else 'ies'}"
            f"{f' and {others} other participant(s)' if others else ''}, {attended} attended: "
            "registrations are valid.")
