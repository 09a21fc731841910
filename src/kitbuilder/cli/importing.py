"""`kitbuilder import plone`: content exported from another system becomes a project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..importers.plone import ExportError, Options, UsageError, import_plone
from .options import CONTENT_ERROR, USAGE_ERROR
from .terminal import print_problems


@click.group("import", short_help="Make a project from content exported elsewhere (Plone).")
def import_group() -> None:
    """Make a project (or update one made before) from another system's export."""


@import_group.command("plone", short_help="A Plone site's export (collective.exportimport).",
                      epilog="""\b
Examples:
  kitbuilder import plone Plone.json --path /Plone/en/rcm-2022 --timezone America/Bogota
  kitbuilder import plone var/instance/content --project ../rcm-2022   # per-item files
  kitbuilder import plone Plone.json --project ../rcm-2022             # again: updates it
See docs/plone.md for which boxes to tick in Plone's @@export_content.""")
@click.argument("export", type=click.Path(path_type=Path), metavar="EXPORT")
@click.option("--path", "folder", default=None, metavar="PATH",
              help="The meeting's folder in the site (e.g. /Plone/en/meeting, or its URL). "
                   "[default: the only folder with pages or events]")
@click.option("--timezone", default=None, metavar="ZONE",
              help="The Plone site's time zone (IANA name): event times are exported in UTC. "
                   "Required when the meeting has events.")
@click.option("--project", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", help="The project folder to write: new, empty, or one an earlier "
                                  "import wrote.  [default: ./FOLDER-ID]")
@click.option("--include-private", is_flag=True,
              help="Also import private and pending items (drafts may hold personal data).")
@click.option("--force", is_flag=True,
              help="Replace files edited since the last import (they are kept otherwise).")
@click.option("--country", "countries", multiple=True, metavar="CODE",
              help="A participating country (ISO code). Repeatable.  [default: the time "
                   "zone's country]")
@click.option("--blobstorage", type=click.Path(path_type=Path, file_okay=False), default=None,
              metavar="DIR", help="A copy of the site's var/blobstorage, for an export with "
                                  "blob paths.  [default: EXPORT's folder/blobstorage]")
def plone(export, folder, timezone, project, include_private, force, countries,
          blobstorage) -> None:
    """Turn a collective.exportimport export (a .json file or a folder of numbered files, with
    export_translations.json, export_defaultpages.json and export_ordering.json beside it) into
    a project: pages → Markdown documents, events → the agenda, files → content/assets/."""

    options = Options(export=export, path=folder, timezone=timezone, project=project,
                      include_private=include_private, force=force,
                      countries=tuple(c.upper() for c in countries), blobstorage=blobstorage)
    try:
        result = import_plone(options)
    except UsageError as exc:
        print_problems([exc.issue])
        sys.exit(USAGE_ERROR)
    except ExportError as exc:
        print_problems(exc.issues)
        sys.exit(CONTENT_ERROR)
    except OSError as exc:
        click.secho(f"{exc.filename or export}: error: {exc.strerror or exc}", fg="red",
                    err=True)
        sys.exit(CONTENT_ERROR)
    print_problems(result.issues.items)
    for line in result.lines():
        click.echo(line)
    click.secho(f"Next: kitbuilder check --project {result.project}", fg="green", err=True)
