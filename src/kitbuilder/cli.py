"""The command line. The only module that prints."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import KitError, Problem
from .report import Reporter
from .settings import EDITIONS, FORMATS, Settings

CONTENT = click.option("--content", type=click.Path(path_type=Path), default=Path("content"),
                       show_default=True, help="Folder with the workshop's content files.")
COUNTRIES = click.option("--country", "countries", multiple=True, metavar="CODE",
                         help="Only this country (ISO code, e.g. MX). Repeatable.")
LANGUAGES = click.option("--lang", "languages", multiple=True, metavar="LANG",
                         help="Only this language (e.g. es). Repeatable.")


class TerminalReporter(Reporter):
    """Progress lines on stderr while building."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0
        self.count = 0

    def on_event(self, kind: str, detail: dict) -> None:
        if kind == "warning":
            click.secho(str(detail["problem"]), fg="yellow", err=True)
        elif kind == "plan":
            self.total = detail["total"]
            click.echo(f"Building {self.total} files…", err=True)
        elif kind == "artifact":
            self.count += 1
            width = len(str(self.total))
            how = ("reused, unchanged" if detail.get("status") == "reused"
                   else f"rebuilt, {detail['seconds']:.2f} s")
            click.echo(f"[{self.count:>{width}}/{self.total}] {detail['format']:<4} "
                       f"{detail['path']}  ({how})", err=True)
        elif kind == "package":
            click.echo(f"Package {detail['path']}: {len(detail['files'])} files, "
                       f"{detail['size'] / 1e6:.2f} MB", err=True)


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.level == "error" else "yellow"
        click.secho(str(problem), fg=colour, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kitbuilder")
def main() -> None:
    """Build workshop kits (PDF, DOCX, HTML) for every participating country."""


@main.command()
@CONTENT
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder the kits are written to.")
@COUNTRIES
@LANGUAGES
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only this format. Repeatable. Default: all.")
@click.option("--edition", "editions", multiple=True, type=click.Choice(EDITIONS),
              help="PDF edition: screen (PDF/UA-1, default), print (crop marks, 3 mm bleed) or "
                   "archive (PDF/A-3b). Repeatable.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes. Default: the number of cores.")
@click.option("--package-budget", type=click.FloatRange(min=0), default=10.0, show_default=True,
              metavar="MB", help="Warn when a country's zip package is larger (0: never).")
@click.option("--force", is_flag=True,
              help="Rebuild every file, even those whose inputs did not change.")
def build(content, output, countries, languages, formats, editions, jobs, package_budget,
          force) -> None:
    """Check the content, then write every kit and output/manifest.json."""
    from .pipeline import build as run_build

    settings = Settings(content=content, output=output, countries=countries,
                        languages=languages, formats=formats or FORMATS,
                        editions=tuple(dict.fromkeys(editions)) or ("screen",),
                        package_budget=int(package_budget * 1_000_000), force=force,
                        **({"jobs": jobs} if jobs else {}))
    reporter = TerminalReporter()
    started = time.perf_counter()
    try:
        result = run_build(settings, reporter)
    except KitError as exc:
        print_problems(exc.problems)
        if any(p.path in ("--country", "--lang") for p in exc.problems):
            sys.exit(2)
        click.secho(f"Build failed: {len(exc.problems)} error(s); the previous kits in "
                    f"{output} are untouched.", fg="red", err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    if not result.rebuilt and result.reused:
        packages = [d["path"] for d in reporter.of_kind("package")]
        restored = f"; re-made {', '.join(packages)}" if packages else ""
        click.secho(f"No kit changed: all {len(result.reused)} files reused{restored} in "
                    f"{elapsed:.2f} s (use --force to rebuild).", fg="green", err=True)
        return
    kits = {(a.country.code, a.lang) for a in result.artifacts}
    countries_built = {code for code, _ in kits}
    click.secho(f"Built {len(result.artifacts)} files: {len(kits)} kits for "
                f"{len(countries_built)} countries in {elapsed:.1f} s"
                f"{f', {len(result.warnings)} warning(s)' if result.warnings else ''}.",
                fg="green", err=True)
    rebuilt_kits = sorted({"/".join(path.split("/")[:2]) for path in result.rebuilt})
    click.echo(f"Rebuilt {len(result.rebuilt)} files ({', '.join(rebuilt_kits) or 'none'}); "
               f"reused {len(result.reused)} unchanged.", err=True)
    if result.manifest:
        click.echo(f"Manifest: {result.manifest}", err=True)


@main.command()
@CONTENT
def check(content) -> None:
    """Validate the content without building; print errors and warnings."""
    from .pipeline import load_and_check

    _, problems = load_and_check(Settings(content=content))
    print_problems(sorted(problems.items, key=lambda p: (p.path, p.line)))
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        click.secho(f"{errors} error(s), {warnings} warning(s).", fg="red", err=True)
        sys.exit(1)
    click.secho(f"Content is valid ({warnings} warning(s)).", fg="green", err=True)


@main.command()
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder the kits were built into.")
@COUNTRIES
@LANGUAGES
def proof(output, countries, languages) -> None:
    """Write one PNG contact sheet per kit PDF (every page) under OUTPUT/proof/."""
    from .proof import proof as make_proofs

    try:
        sheets = make_proofs(output, tuple(countries), tuple(languages))
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(1)
    for sheet in sheets:
        click.echo(f"{sheet.sheet}  ({sheet.pages} pages)")
    click.secho(f"Wrote {len(sheets)} proof sheet(s) to {output / 'proof'}.", fg="green",
                err=True)


def _load_project_or_exit(content: Path):
    from .content.loader import load_project
    from .errors import Problems

    problems = Problems()
    project = load_project(content, problems)
    if project is None or problems.errors:
        print_problems(problems.errors)
        click.secho("The content cannot be loaded; fix the errors above (kitbuilder check).",
                    fg="red", err=True)
        sys.exit(1)
    return project


@main.command()
@CONTENT
@LANGUAGES
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--min-translated", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 when a language is below PCT % translated (a CI gate).")
def status(content, languages, output_format, min_translated) -> None:
    """Translation status per language and document: translated, stale, missing, fallback."""
    import json

    from .translation.status import as_json, language_totals, project_status

    project = _load_project_or_exit(content)
    unknown = [lang for lang in languages if lang not in project.workshop.languages]
    if unknown:
        click.secho(f"--lang: error: {', '.join(unknown)} not among the workshop's languages "
                    f"({', '.join(project.workshop.languages)})", fg="red", err=True)
        sys.exit(2)
    statuses = project_status(project, tuple(languages))
    totals = [row for row in language_totals(project, statuses)
              if not languages or row["lang"] in languages]
    if output_format == "json":
        click.echo(json.dumps(as_json(project, statuses) | {"languages": totals}, indent=2,
                              ensure_ascii=False))
    else:
        head = ("language", "document", "source", "blocks", "translated", "stale",
                "unconfirmed", "missing", "fallback", "obsolete", "%")
        rows = [(s.lang, s.document, s.source, s.total, s.count("translated"), s.count("stale"),
                 s.count("unconfirmed"), s.count("missing"), s.fallback, len(s.obsolete),
                 f"{s.summary()['translated_pct']:.1f}") for s in statuses]
        rows += [(t["lang"], "(all)", "", t["total"], t["translated"], t["stale"],
                  t["unconfirmed"], t["missing"], t["fallback"], t["obsolete"],
                  f"{t['translated_pct']:.1f}") for t in totals]
        widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            click.echo("  ".join(str(v).ljust(w) if i < 3 else str(v).rjust(w)
                                 for i, (v, w) in enumerate(zip(row, widths, strict=True))))
    if min_translated is not None:
        low = [t for t in totals if t["translated_pct"] < min_translated]
        for row in low:
            click.secho(f"{row['lang']}: {row['translated_pct']:.1f} % translated, below "
                        f"{min_translated:g} %", fg="red", err=True)
        if low:
            sys.exit(1)


@main.group()
def translations() -> None:
    """Translators' tools (see docs/translators.md)."""


@translations.command("confirm")
@CONTENT
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def translations_confirm(content, files) -> None:
    """Record that FILES' translations match the current source text (clears 'stale')."""
    from .translation.status import confirm

    project = _load_project_or_exit(content)
    failed = False
    for path in files:
        try:
            lang, count = confirm(project, path)
        except ValueError as exc:
            click.secho(f"{exc}", fg="red", err=True)
            failed = True
            continue
        click.echo(f"{path}: confirmed {count} block(s) against the current source text "
                   f"(recorded in {Path(content) / lang / 'translation-state.yaml'})")
    if failed:
        sys.exit(2)


@main.command()
@CONTENT
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder with the built kits; messages go to OUTPUT/mail.")
@click.option("--recipients", type=click.Path(path_type=Path), default=Path("recipients.yaml"),
              show_default=True, help="Focal points per country (see recipients.example.yaml).")
@COUNTRIES
@click.option("--send", is_flag=True,
              help="Deliver over SMTP. Without it: dry run, .eml files in OUTPUT/mail/outbox.")
@click.option("--host", envvar="KITBUILDER_SMTP_HOST", default="localhost", show_default=True,
              help="SMTP server [env KITBUILDER_SMTP_HOST].")
@click.option("--port", envvar="KITBUILDER_SMTP_PORT", type=click.IntRange(1, 65535),
              default=None, help="SMTP port [env KITBUILDER_SMTP_PORT; default 587, 465 for ssl, "
              "25 for none].")
@click.option("--tls", envvar="KITBUILDER_SMTP_TLS", default="starttls", show_default=True,
              type=click.Choice(["starttls", "ssl", "none"]),
              help="STARTTLS, implicit TLS, or none [env KITBUILDER_SMTP_TLS].")
@click.option("--user", envvar="KITBUILDER_SMTP_USER", default=None,
              help="SMTP login [env KITBUILDER_SMTP_USER]. The password comes only from "
              "KITBUILDER_SMTP_PASSWORD or the system keyring (service kitbuilder-smtp).")
@click.option("--rate", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="At most this many messages per minute (0: no limit).")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Retries after a temporary (4xx) error or a dropped connection.")
@click.option("--backoff", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="Seconds before the first retry; doubled for each further retry.")
@click.option("--resend-changed", is_flag=True,
              help="Also send to recipients whose kit changed since it was delivered.")
@click.option("--ledger", type=click.Path(path_type=Path), default=None,
              help="Record of delivered messages [default: mail-ledger.jsonl beside the "
              "recipients file]. Kept outside OUTPUT so that cleaning or rebuilding the kits "
              "never forgets who was already mailed.")
def mail(content, output, recipients, countries, send, host, port, tls, user, rate, retries,
         backoff, resend_changed, ledger) -> None:
    """Mail each recipient their country's kit: a dry run unless --send."""
    from .delivery.mail import SendOptions, SmtpOptions, check_smtp, dry_run, prepare, send_all

    class MailReporter(Reporter):
        def on_event(self, kind: str, detail: dict) -> None:
            if kind != "mail":
                return
            status = detail["status"]
            colour = {"delivered": "green", "failed": "red", "retry": "yellow",
                      "skipped": None, "written": None}.get(status)
            where = f"{detail['country']} {detail['language']} {detail['recipient']}"
            extra = detail.get("note") or ""
            if status == "written":
                extra = f"{detail['path']}  ({detail['note']})"
            elif status == "retry":
                extra = f"{extra}; retry {detail['attempt']} in {detail['wait']:.0f} s"
            click.secho(f"{status:<9} {where}  {extra}".rstrip(), fg=colour, err=True)

    reporter = MailReporter()
    mail_dir = output / "mail"
    # Beside the recipients file, so running from another folder finds the same ledger.
    ledger = ledger or Path(recipients).parent / "mail-ledger.jsonl"
    try:
        book, outgoing = prepare(content, output, recipients, countries)
        if not send:
            result = dry_run(outgoing, mail_dir, reporter, ledger_path=ledger)
            click.secho(f"Dry run: wrote {len(result.written)} messages to {mail_dir / 'outbox'} "
                        f"in {result.seconds:.1f} s; nothing was sent. Inspect them, then run "
                        f"again with --send (ledger: {ledger}).", fg="green", err=True)
            return
        smtp = SmtpOptions(host=host, port=port or {"ssl": 465, "none": 25}.get(tls, 587),
                           tls=tls, user=user)
        problems = check_smtp(smtp)
        if problems:
            print_problems(problems)
            sys.exit(2)
        result = send_all(outgoing, book, mail_dir, smtp,
                          SendOptions(rate=rate, retries=retries, backoff=backoff,
                                      resend_changed=resend_changed), reporter,
                          ledger_path=ledger)
    except KitError as exc:
        print_problems(exc.problems)
        if any(p.path == "--country" for p in exc.problems):
            sys.exit(2)
        sys.exit(1)
    changed = (f"; {len(result.changed)} with a changed kit"
               f"{' (re-sent)' if resend_changed else ' (not re-sent: --resend-changed)'}"
               if result.changed else "")
    click.secho(f"Delivered {len(result.delivered)}, skipped {len(result.skipped)} (already "
                f"delivered), failed {len(result.failed)}{changed} in {result.seconds:.1f} s. "
                f"Ledger: {ledger}",
                fg="red" if result.failed else "green", err=True)
    if result.failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
