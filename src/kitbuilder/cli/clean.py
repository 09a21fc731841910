"""`kitbuilder clean` and `kitbuilder proof`: what is done with a built output folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..clean import clean as clean_output
from ..errors import KitError, display_path
from ..proof import proof as make_proofs
from .options import CONTENT_ERROR, COUNTRIES, LANGUAGES, PROJECT, USAGE_ERROR, USAGE_PATHS, listing
from .terminal import print_problems


@click.command(short_help="Remove what kitbuilder wrote into the output folder.", epilog="""\b
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
    """Remove the kits, zips, manifest, state file, proof sheets, dry-run mail and the
    delegates' documents that kitbuilder wrote into OUTPUT. Records (the certificate
    register, the letters' issue record, the mail ledger) are never removed. Files it did
    not write stay, and are listed."""

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
    if result.removed:
        click.secho(f"Removed {len(result.removed)} file(s) from {display_path(output)}.",
                    fg="green", err=True)
    else:
        click.secho(f"Nothing to clean in {display_path(output)}.", fg="green", err=True)
    if result.records:
        click.echo(f"Kept {len(result.records)} record(s), never cleaned: "
                   f"{listing(result.records)}", err=True)
    if result.kept:
        click.echo(f"Left {len(result.kept)} file(s) kitbuilder did not write: "
                   f"{listing(result.kept)}", err=True)


@click.command(short_help="Write a PNG contact sheet per kit PDF.", epilog="""\b
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
