"""`kitbuilder new`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import KitError
from ..project import shipped_dir
from ..scaffold.project import NewProject, create, workshop_id
from .options import USAGE_ERROR
from .terminal import print_problems


@click.command(short_help="Start a new project that checks clean and builds at once.",
              epilog="""\b
Examples:
  kitbuilder new workshop-2027 --language en --language es --country GT --country CA
  kitbuilder new x --language en --language fr --country CA:en,fr --country HT
  kitbuilder new x --title "Skills workshop" --days 3 --format hybrid --timezone America/Guatemala
  kitbuilder new x --brand        # also copy the layouts, to re-brand templates and styles""")
@click.argument("directory", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--title", default="TODO: title of the workshop", help="The workshop's title.")
@click.option("--language", "new_languages", multiple=True, metavar="CODE",
              help="A language of the kits (the first is the source). Repeatable.  "
                   "[default: en]")
@click.option("--country", "new_countries", multiple=True, metavar="CODE[:LANG]",
              help="A participating country (ISO code). Repeatable. Its kit is in the first "
                   "--language official there; CODE:LANG (CA:fr, CA:en,fr) chooses.  "
                   "[default: US]")
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

    request = NewProject(target=directory, title=title,
                         languages=tuple(new_languages) or ("en",),
                         countries=tuple(new_countries) or ("US",),
                         start=start.date() if start else None, days=days,
                         format=workshop_format, timezone=timezone, brand=brand)
    try:
        created = create(request, shipped_dir("layouts"))
    except KitError as exc:
        print_problems(exc.problems)
        sys.exit(USAGE_ERROR)
    for note in created.notes:
        click.echo(f"note: {note}", err=True)
    click.secho(f"Created {directory} ({len(created.files)} files). Next: cd {directory}; "
                "kitbuilder check (lists the placeholders to fill); kitbuilder build.",
                fg="green", err=True)
    # The id names every file sent out and every calendar event: say where it came from while
    # it can still change freely (before the first kits go out).
    click.echo(f"Workshop id '{workshop_id(Path(directory))}' (from the folder's name) is in "
               "every kit's file name and calendar; to change it, edit 'id:' in "
               "content/workshop.yaml before sending any kit.", err=True)
