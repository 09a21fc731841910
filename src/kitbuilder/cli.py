"""The command line. The only module that prints."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import KitError, Problem, display_path
from .lifecycle import Interrupted
from .report import Reporter
from .settings import EDITIONS, FORMATS, Settings

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
    from .project import ProjectPaths

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


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.level == "error" else "yellow"
        click.secho(str(problem), fg=colour, err=True)


def fail_strict(warnings: list[Problem]) -> None:
    """--strict: the warnings (already printed) fail the run."""
    click.secho(f"{len(warnings)} warning(s), treated as errors because of --strict; fix them "
                "or run without --strict.", fg="red", err=True)
    sys.exit(CONTENT_ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Run `kitbuilder COMMAND --help` for a command's options and examples."
                    "\n\nA project is a folder with content/ and, optionally, its own layouts/ "
                    "and locales/ (kitbuilder's are used where it has none).")
@click.version_option(__version__, prog_name="kitbuilder")
def main() -> None:
    """Build workshop kits (PDF, DOCX, HTML) for every participating country."""


@main.command(short_help="Start a new project that checks clean and builds at once.",
              epilog="""\b
Examples:
  kitbuilder new workshop-2027 --language en --language es --country GT --country CA
  kitbuilder new x --title "Skills workshop" --days 3 --format hybrid --timezone America/Guatemala
  kitbuilder new x --brand        # also copy the layouts, to re-brand templates and styles""")
@click.argument("directory", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--title", default="TODO: title of the workshop", help="The workshop's title.")
@click.option("--language", "new_languages", multiple=True, metavar="CODE",
              help="A language of the kits (the first is the source). Repeatable.  "
                   "[default: en]")
@click.option("--country", "new_countries", multiple=True, metavar="CODE",
              help="A participating country (ISO code). Repeatable.  [default: US]")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="DATE", help="The first day, YYYY-MM-DD.  [default: in 60 days]")
@click.option("--days", type=int, default=1, show_default=True, help="How many days.")
@click.option("--format", "workshop_format", default="virtual", show_default=True,
              type=click.Choice(["virtual", "in-person", "hybrid"]))
@click.option("--timezone", default="UTC", show_default=True, metavar="ZONE",
              help="The agenda's reference zone (IANA), the venue's for in-person meetings.")
@click.option("--brand", is_flag=True,
              help="Copy kitbuilder's layouts (templates, styles, fonts) into the project.")
def new(directory, title, new_languages, new_countries, start, days, workshop_format,
        timezone, brand) -> None:
    """Create a project in DIR (new or empty): content for every language and country, a
    placeholder agenda on every day, a neutral emblem and a README saying what to edit next."""
    from .project import shipped_dir
    from .scaffold.project import NewProject, create

    request = NewProject(target=directory, title=title,
                         languages=tuple(new_languages) or ("en",),
                         countries=tuple(new_countries) or ("US",),
                         start=start.date() if start else None, days=days,
                         format=workshop_format, timezone=timezone, brand=brand)
    try:
        written = create(request, shipped_dir("layouts"))
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(USAGE_ERROR)
    click.secho(f"Created {directory} ({len(written)} files). Next: cd {directory}; "
                "kitbuilder check (lists the placeholders to fill); kitbuilder build.",
                fg="green", err=True)


@main.command(short_help="Check the content, then write every kit.", epilog="""\b
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
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes. Default: the number of cores.")
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
    from .pipeline import build as run_build

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
    from .pipeline import load_and_check
    from .plan import plan

    project, problems = load_and_check(settings)
    if project is None or problems.errors:
        for warning in problems.warnings:
            reporter.emit("warning", problem=warning)
        raise KitError(problems.errors or [Problem(str(settings.content), 0, "error",
                                                   "content could not be loaded")])
    plan(project, settings)  # a bad --country/--lang is a usage error, reported first
    if problems.warnings:
        print_problems(problems.warnings)
        fail_strict(problems.warnings)


def report_interruption(stop: Interrupted, output: Path) -> None:
    """One line, then the shell's exit code for the signal (130 for Ctrl-C, 143 for SIGTERM)."""
    with contextlib.suppress(OSError):  # the terminal is gone (SIGHUP): nobody to tell
        click.secho(f"Interrupted ({stop.name}): the build stopped; the previous kits in "
                    f"{display_path(output)} are untouched.", fg="red", err=True)
    sys.exit(stop.exit_code)


def listing(paths: list[str], limit: int = 10) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


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


@main.command(short_help="Validate the content without building.", epilog="""\b
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
    from .pipeline import load_and_check

    check_verbosity(quiet, verbose)
    paths = find_paths(project, content)
    if verbose:
        print_paths(paths)
    started = time.perf_counter()
    try:
        _, problems = load_and_check(Settings.for_project(paths), detail=verbose)
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(CONTENT_ERROR)
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


@main.command(short_help="Preview every kit in a browser, live as files are saved.",
              epilog="""\b
Examples:
  kitbuilder serve                      then open http://127.0.0.1:8000/
  kitbuilder serve --project ~/rcm-2022 --port 8080""")
@PROJECT
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but 127.0.0.1 lets other machines "
                   "see the kits.")
def serve(project, port, host) -> None:
    """Serve an index of every kit with its translation status, each kit's HTML (stale and
    untranslated blocks listed with file and line, pending passages highlighted) and PDF, and
    a side-by-side review page per language. A saved file under content/, layouts/ or
    locales/ reloads the open pages; a content error is shown, with its path and line, until
    it is fixed. Ctrl-C stops it."""
    import threading

    from .serve import make_server

    paths = find_paths(project)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(f"warning: listening on {host}: other machines on the network can read "
                    "the kits (delegates' names included); use 127.0.0.1 unless you mean it",
                    fg="yellow", err=True)
    try:
        server, preview = make_server(paths, host, port)
    except OSError as exc:
        click.secho(f"--port: error: cannot listen on {host}:{port}: {exc.strerror}", fg="red",
                    err=True)
        sys.exit(USAGE_ERROR)
    import signal

    def stop(_signum, _frame) -> None:
        raise KeyboardInterrupt  # a `kill` cleans up like Ctrl-C: the cache folder goes

    signal.signal(signal.SIGTERM, stop)
    watcher = threading.Thread(target=preview.watch, daemon=True)
    watcher.start()
    click.secho(f"Previewing {display_path(paths.root)} at http://{host}:"
                f"{server.server_address[1]}/ (Ctrl-C to stop)", fg="green", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        preview.close()


@main.command(short_help="Remove what kitbuilder wrote into the output folder.", epilog="""\b
Examples:
  kitbuilder clean                      the project's output/ folder
  kitbuilder clean --output /tmp/kits   another output folder
  kitbuilder clean --output dist --force   a folder with no manifest or state file""")
@PROJECT
@click.option("--output", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Folder the kits were built into.  [default: PROJECT/output]")
@click.option("--force", is_flag=True,
              help="Clean a folder that has no manifest.json or state file (only files "
                   "kitbuilder names are removed, even then).")
def clean(project, output, force) -> None:
    """Remove the kits, zips, manifest, state file, proof sheets and dry-run mail that
    kitbuilder wrote into OUTPUT. Files it did not write stay, and are listed."""
    from .clean import clean as clean_output

    root = Path(project).resolve() if project is not None else Path.cwd()
    output = Path(output) if output is not None else root / "output"
    if not output.is_dir():
        click.secho(f"Nothing to clean: {display_path(output)} does not exist.", fg="green",
                    err=True)
        return
    try:
        result = clean_output(output, force=force)
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(USAGE_ERROR if any(p.path in USAGE_PATHS for p in exc.problems)
                 else CONTENT_ERROR)
    click.secho(f"Removed {len(result.removed)} file(s) from {display_path(output)}.",
                fg="green", err=True)
    if result.kept:
        click.echo(f"Left {len(result.kept)} file(s) kitbuilder did not write: "
                   f"{listing(result.kept)}", err=True)


@main.command(short_help="Write a PNG contact sheet per kit PDF.", epilog="""\b
Examples:
  kitbuilder proof                      every kit PDF of the last build
  kitbuilder proof --country MX --lang es""")
@PROJECT
@click.option("--output", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Folder the kits were built into.  [default: PROJECT/output]")
@COUNTRIES
@LANGUAGES
def proof(project, output, countries, languages) -> None:
    """Write one PNG contact sheet per kit PDF (every page) under OUTPUT/proof/."""
    from .proof import proof as make_proofs

    # Only the built kits are read: a project folder without content/ (a copied output) is fine.
    root = Path(project).resolve() if project is not None else Path.cwd()
    output = Path(output) if output is not None else root / "output"
    try:
        sheets = make_proofs(output, tuple(countries), tuple(languages))
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(1)
    for sheet in sheets:
        click.echo(f"{sheet.sheet}  ({sheet.pages} pages)")
    click.secho(f"Wrote {len(sheets)} proof sheet(s) to {display_path(output / 'proof')}.",
                fg="green", err=True)


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


@main.command(short_help="Translation status per language and document.", epilog="""\b
Examples:
  kitbuilder status                     a table for every language
  kitbuilder status --lang fr --format json
  kitbuilder status --min-translated 90 in CI: exit 1 below 90 %""")
@PROJECT
@CONTENT
@LANGUAGES
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--min-translated", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 when a language is below PCT % translated (a CI gate).")
@click.option("-v", "--verbose", is_flag=True,
              help="Also list every block that is not translated, with its file and line, and "
                   "for a stale one what changed in the source text.")
def status(project, content, languages, output_format, min_translated, verbose) -> None:
    """Translation status per language and document: translated, stale, unconfirmed,
    untranslated (still the source text), missing, fallback."""
    import json

    from .translation.status import as_json, language_totals, project_status

    project = _load_project_or_exit(find_paths(project, content).content)
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
                "unconfirmed", "untranslated", "missing", "fallback", "obsolete", "%")
        rows = [(s.lang, s.document, s.source, s.total, s.count("translated"), s.count("stale"),
                 s.count("unconfirmed"), s.count("untranslated"), s.count("missing"),
                 s.fallback, len(s.obsolete), f"{s.summary()['translated_pct']:.1f}")
                for s in statuses]
        rows += [(t["lang"], "(all)", "", t["total"], t["translated"], t["stale"],
                  t["unconfirmed"], t["untranslated"], t["missing"], t["fallback"],
                  t["obsolete"], f"{t['translated_pct']:.1f}") for t in totals]
        widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            click.echo("  ".join(str(v).ljust(w) if i < 3 else str(v).rjust(w)
                                 for i, (v, w) in enumerate(zip(row, widths, strict=True))))
        if verbose:
            print_block_detail(project, statuses)
    if min_translated is not None:
        low = [t for t in totals if t["translated_pct"] < min_translated]
        for row in low:
            click.secho(f"{row['lang']}: {row['translated_pct']:.1f} % translated, below "
                        f"{min_translated:g} %", fg="red", err=True)
        if low:
            sys.exit(1)


def print_block_detail(project, statuses) -> None:
    """Every block that is not translated, as path:line: state: …, stale ones with a word diff."""
    from .translation.state import read_state
    from .translation.status import was_text, word_diff

    click.echo("")
    for status in statuses:
        entry = read_state(Path(project.root), status.lang).get(status.document, {})
        for row in status.rows:
            if row.state == "translated":
                continue
            block = row.own or row.source
            where = status.path if row.own is not None else status.source_path
            text = row.source.text if row.source is not None else row.own.text
            line = f"{display_path(Path(where))}:{block.line}: {row.state}: {block.id}"
            if row.state == "stale":
                was = was_text(entry, row.own.id)
                change = (word_diff(was, row.source.raw) if was is not None else
                          f"now \"{text}\" (the earlier text was not recorded)")
                click.echo(f"{line}: the {status.source} text changed: {change}")
            else:
                click.echo(f"{line}: \"{text[:70]}{'…' if len(text) > 70 else ''}\"")


@main.group(short_help="Translators' tools (see docs/translators.md).")
def translations() -> None:
    """Translators' tools (see docs/translators.md)."""


@translations.command("add", short_help="Add a language: folder, catalog, countries.",
                      epilog="""\b
Examples:
  kitbuilder translations add fr --country CA --country HT
  kitbuilder translations add pt --project ~/rcm-2022""")
@PROJECT
@click.argument("lang", metavar="LANG")
@click.option("--country", "countries", multiple=True, metavar="CODE",
              help="A country that gets a kit in LANG (ISO code); added to countries.yaml if "
                   "it is not listed yet. Repeatable.")
def translations_add(project, lang, countries) -> None:
    """Add LANG to the workshop: its folder content/LANG/, the catalog of the layouts' own
    words (locales/LANG/LC_MESSAGES/messages.po, from locales/messages.pot) and the
    countries that get a kit in it. Never overwrites an existing file or folder; the YAML
    files keep their comments."""
    from .translation.add import add_language

    paths = find_paths(project)
    try:
        added = add_language(paths, lang, tuple(countries))
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(USAGE_ERROR if all(p.path in ("LANG", "--country") for p in exc.problems)
                 else CONTENT_ERROR)
    for path, what in added.done:
        click.echo(f"{display_path(path)}: {what}")
    for path, why in added.kept:
        click.echo(f"{display_path(path)}: unchanged, {why}")
    click.secho(f"'{lang}' is ready to translate. Next: copy documents from the source "
                f"language's folder into content/{lang}/ and translate them; "
                "`kitbuilder status` shows what is left (docs/translators.md).", fg="green",
                err=True)


@translations.command("export", short_help="Write a file for a CAT tool (XLIFF or PO).",
                      epilog="""\b
Examples:
  kitbuilder translations export --lang es -o es.xlf
  kitbuilder translations export --lang fr --format po --only missing,stale -o fr.po""")
@PROJECT
@CONTENT
@click.option("--lang", "lang", required=True, metavar="LANG", help="The language to translate.")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default=None,
              help="XLIFF 1.2 or PO.  [default: from the file name, else xliff]")
@click.option("--only", default="", metavar="STATES",
              help="Only blocks in these states, comma-separated: missing (also those still "
                   "in the source text), stale, unconfirmed, translated.  [default: all]")
@click.option("-o", "--output", "target", required=True, type=click.Path(path_type=Path),
              metavar="FILE", help="The file to write.")
def translations_export(project, content, lang, fmt, only, target) -> None:
    """Write one file with a unit per translatable block of LANG (documents, agenda, roles,
    participant guidance…): a stable id, the source, the current translation, its state and
    a note with the file and line. Inline Markdown (citations, links, emphasis, {.name}) is
    protected as codes. Translate it in a CAT tool, then `kitbuilder translations import`."""
    from .translation.exchange import CATEGORIES, export

    content = find_paths(project, content).content
    project = _load_project_or_exit(content)
    wanted = tuple(part.strip() for part in only.split(",") if part.strip())
    bad = [part for part in wanted if part not in set(CATEGORIES.values())]
    if bad:
        click.secho(f"--only: error: {', '.join(bad)} is not a state; use missing, stale, "
                    "unconfirmed or translated", fg="red", err=True)
        sys.exit(USAGE_ERROR)
    translated = [lang_ for lang_ in project.workshop.languages if lang_ in project.languages
                  and any(project.source_of(f) != lang_ for f in project.translatable_files)]
    if lang not in translated:
        click.secho(f"--lang: error: '{lang}' is not a language translated in this project "
                    f"({', '.join(translated) or 'none'})", fg="red", err=True)
        sys.exit(USAGE_ERROR)
    fmt = fmt or ("po" if target.suffix.lower() == ".po" else "xliff")
    data, count = export(project, lang, fmt, wanted)
    target.write_bytes(data)
    click.secho(f"Wrote {count} unit(s) for '{lang}' to {display_path(target)} ({fmt}). "
                f"Translate them, then: kitbuilder translations import {display_path(target)}",
                fg="green", err=True)


@translations.command("import", short_help="Read back a file from a CAT tool.",
                      epilog="""\b
Example:
  kitbuilder translations import es.xlf""")
@PROJECT
@CONTENT
@click.argument("source_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
def translations_import(project, content, source_file) -> None:
    """Write FILE's translations (XLIFF or PO, from `translations export`) into
    content/<lang>/: only the blocks whose text changed are rewritten, and each translated
    block is confirmed. Anything wrong (an unknown id, a source text that changed since the
    export, a missing or altered inline code, invalid XML or encoding) refuses the whole
    import: nothing is changed."""
    from .translation.exchange import import_file

    content = find_paths(project, content).content
    project = _load_project_or_exit(content)
    try:
        done = import_file(project, source_file)
    except KitError as exc:
        print_problems(exc.problems)
        click.secho(f"Import refused: {len(exc.problems)} problem(s); no content file was "
                    "changed.", fg="red", err=True)
        sys.exit(CONTENT_ERROR)
    for path in done.written:
        click.echo(f"{display_path(path)}: updated")
    click.secho(f"Imported '{done.lang}': {done.changed} block(s) written, {done.confirmed} "
                "confirmed. See `kitbuilder status`.", fg="green", err=True)


@translations.command("confirm", short_help="Record that translations match the source text.",
                      epilog="""\b
Examples:
  kitbuilder translations confirm content/fr/concept-note.md      every block of the file
  kitbuilder translations confirm content/fr/concept-note.md:14   only the block at line 14""")
@PROJECT
@CONTENT
@click.argument("files", nargs=-1, required=True, metavar="FILE[:LINE]...")
def translations_confirm(project, content, files) -> None:
    """Record that FILES' translations match the current source text (clears 'stale').

    FILE:LINE confirms only the block written at LINE, also one that is still the source
    text because it is rightly the same (a name). For every stale block confirmed, prints
    what changed in the source text, word by word: [-removed-] {+added+}."""
    from .translation.status import confirm, word_diff

    content = find_paths(project, content).content
    project = _load_project_or_exit(content)
    failed = False
    for argument in files:
        path, line = split_file_line(argument)
        try:
            done = confirm(project, path, line)
        except ValueError as exc:
            click.secho(f"{exc}", fg="red", err=True)
            failed = True
            continue
        which = f"the block at line {line}" if line is not None else f"{done.count} block(s)"
        click.echo(f"{path}: confirmed {which} against the current source text (recorded in "
                   f"{display_path(content / done.lang / 'translation-state.yaml')})")
        for block_id, at, was, now in done.changes:
            change = (word_diff(was, now) if was is not None
                      else f"now \"{' '.join(now.split())}\" (the earlier text was not recorded)")
            click.echo(f"{path}:{at}: block {block_id}: the source text changed: {change}")
        if done.same_as_source:
            lines = ", ".join(str(b.line) for b in done.same_as_source)
            click.secho(f"{path}: {len(done.same_as_source)} block(s) still in the source "
                        f"text were not confirmed (lines {lines}): translate them, or confirm "
                        f"one that is rightly the same with `kitbuilder translations confirm "
                        f"{path}:LINE`", fg="yellow", err=True)
    if failed:
        sys.exit(2)


def split_file_line(argument: str) -> tuple[Path, int | None]:
    """FILE or FILE:LINE (a file whose own name ends in ':<digits>' still works)."""
    head, _, tail = argument.rpartition(":")
    if head and tail.isdigit() and not Path(argument).exists():
        return Path(head), int(tail)
    return Path(argument), None


@main.command(short_help="Mail each recipient their country's kit.", epilog="""\b
Examples:
  kitbuilder mail                       dry run: .eml files in output/mail/outbox
  kitbuilder mail --send --host smtp.example.org --user secretariat
  kitbuilder mail --send --country MX --resend-changed
  kitbuilder mail --document certificate --send   each attendee their certificate""")
@PROJECT
@CONTENT
@click.option("--output", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Folder with the built kits; messages go to OUTPUT/mail.  "
                   "[default: PROJECT/output]")
@click.option("--recipients", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Focal points per country (see recipients.example.yaml).  "
                   "[default: PROJECT/recipients.yaml]")
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
@click.option("--document", type=click.Choice(["letter", "certificate"]), default=None,
              help="Instead of the kits: each delegate (registrations file) their own letter "
              "of invitation or certificate, built by `kitbuilder delegates build`; the sender "
              "comes from the recipients file.")
@click.option("--registrations", "registrations_file", default=None, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="With --document: the registrations file.  "
                   "[default: PROJECT/registrations.csv or .xlsx]")
def mail(project, content, output, recipients, countries, send, host, port, tls, user, rate,
         retries, backoff, resend_changed, ledger, document, registrations_file) -> None:
    """Mail each recipient their country's kit: a dry run unless --send."""
    from .delivery.mail import SendOptions, SmtpOptions, check_smtp, dry_run, prepare, send_all

    if registrations_file is not None and document is None:
        raise click.UsageError("--registrations goes with --document letter|certificate.")

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

    paths = find_paths(project, content, output)
    output = paths.output
    recipients = Path(recipients) if recipients is not None else paths.root / "recipients.yaml"
    reporter = MailReporter()
    mail_dir = output / "mail"
    # Beside the recipients file, so running from another folder finds the same ledger.
    ledger = ledger or Path(recipients).parent / "mail-ledger.jsonl"
    if document is not None:
        _mail_documents(paths, _registrations_path(paths, registrations_file), recipients,
                        document, countries, send, ledger,
                        SmtpOptions(host=host, port=port or {"ssl": 465, "none": 25}.get(tls, 587),
                                    tls=tls, user=user),
                        SendOptions(rate=rate, retries=retries, backoff=backoff,
                                    resend_changed=resend_changed))
        return
    try:
        book, outgoing = prepare(paths.content, output, recipients, countries,
                                 settings=Settings.for_project(paths))
        if not send:
            result = dry_run(outgoing, mail_dir, reporter, ledger_path=ledger)
            click.secho(f"Dry run: wrote {len(result.written)} messages to "
                        f"{display_path(mail_dir / 'outbox')} "
                        f"in {result.seconds:.1f} s; nothing was sent. Inspect them, then run "
                        f"again with --send (ledger: {display_path(ledger)}).", fg="green",
                        err=True)
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
    _mail_summary(result, "Delivered", "with a changed kit", resend_changed, ledger)


def _mail_summary(result, head: str, changed_what: str, resend_changed: bool, ledger: Path,
                  extra: str = "") -> None:
    """The last line of a mail run (kits or delegates' documents); exit 1 if any failed."""
    changed = (f"; {len(result.changed)} {changed_what}"
               f"{' (re-sent)' if resend_changed else ' (not re-sent: --resend-changed)'}"
               if result.changed else "")
    click.secho(f"{head} {len(result.delivered)}, skipped {len(result.skipped)} (already "
                f"delivered), failed {len(result.failed)}{changed}{extra} in "
                f"{result.seconds:.1f} s. Ledger: {display_path(ledger)}",
                fg="red" if result.failed else "green", err=True)
    if result.failed:
        sys.exit(1)


def _mail_documents(paths, registrations: Path, recipients: Path, document: str, countries,
                    send: bool, ledger: Path, smtp, options) -> None:
    """`mail --document`: delegates' names and addresses never reach the terminal; a failure
    is shown with the delegate's row in the registrations file."""
    from .delegates.mail import prepare_documents, without_address
    from .delivery.mail import check_smtp, dry_run, send_all

    mail_dir = paths.output / "mail"
    failures: list[str] = []

    class DocumentReporter(Reporter):
        def on_event(self, kind: str, detail: dict) -> None:
            if kind == "mail" and detail["status"] == "failed":
                row = rows.get(detail["recipient"], 0)
                failures.append(f"{display_path(registrations)}:{row}: error: not delivered: "
                                f"{without_address(detail.get('note') or '', detail['recipient'])}")

    try:
        prepared = prepare_documents(paths, registrations, recipients, document, countries)
        rows = prepared.rows()
        skipped = (f"; {prepared.without_document} without a {document} (not attended)"
                   if prepared.without_document else "")
        if not send:
            result = dry_run(prepared.messages(), mail_dir, DocumentReporter(),
                             ledger_path=ledger)
            click.secho(f"Dry run: wrote {len(result.written)} message(s) with each delegate's "
                        f"{document} to {display_path(mail_dir / 'outbox')}{skipped}; nothing "
                        f"was sent. Inspect them, then run again with --send.", fg="green",
                        err=True)
            return
        problems = check_smtp(smtp)
        if problems:
            print_problems(problems)
            sys.exit(2)
        result = send_all(prepared.messages(), prepared.sender_book, mail_dir, smtp, options,
                          DocumentReporter(), ledger_path=ledger)
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(2 if any(p.path == "--country" for p in exc.problems) else 1)
    for line in failures:
        click.secho(line, fg="red", err=True)
    _mail_summary(result, f"{document.capitalize()}s: delivered",
                  f"whose {document} changed since", options.resend_changed, ledger, skipped)


@main.group(short_help="Registrations, letters, badges, list of participants, certificates.")
def delegates() -> None:
    """Documents for each registered delegate, from the registrations file (CSV or XLSX,
    personal data: kept out of git; see registrations.example.csv)."""


REGISTRATIONS = click.argument("registrations_file", metavar="[FILE]", required=False,
                               type=click.Path(path_type=Path, dir_okay=False))


def _registrations_path(paths, registrations_file: Path | None) -> Path:
    from .delegates.registrations import default_file

    return registrations_file if registrations_file is not None else default_file(paths.root)


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
    from .delegates.check import check_delegates

    paths = find_paths(project, content, output)
    checked = check_delegates(paths, _registrations_path(paths, registrations_file))
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
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes. Default: the number of cores.")
@QUIET
def delegates_build(registrations_file, project, content, output, documents, jobs,
                    quiet) -> None:
    """Check FILE, then write each delegate's documents under OUTPUT/delegates/: a letter of
    invitation (PDF, DOCX) per person, badge sheets per country, the list of participants
    (PDF, DOCX, HTML) per language and, for attendees, a certificate (PDF/A) with the
    register certificates.csv. Unchanged files are reused."""
    from .delegates.build import DOCUMENTS, build_delegates

    class WarningReporter(Reporter):
        """Content warnings (a TODO left in who signs the letters) before the summary."""

        def on_event(self, kind: str, detail: dict) -> None:
            if kind == "warning" and not quiet:
                print_problems([detail["problem"]])

    paths = find_paths(project, content, output)
    try:
        result = build_delegates(paths, _registrations_path(paths, registrations_file),
                                 tuple(documents) or DOCUMENTS, reporter=WarningReporter(),
                                 jobs=jobs)
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
    countries = len({p.country for p in people})
    return (f"{len(people)} delegate(s) from {countries} countr"
            f"{'y' if countries == 1 else 'ies'}, {attended} attended: registrations are valid.")


if __name__ == "__main__":
    main()
