"""`kitbuilder status`: translation status per language and document."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import display_path
from ..translation.status import as_json, language_totals, project_status, word_diff
from .loading import load_project_or_exit
from .options import CONTENT, LANGUAGES, PROJECT, find_paths


@click.command(short_help="Translation status per language and document.", epilog="""\b
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
    untranslated (still the source text), missing, fallback (shown in the source text,
    marked), unpaired (a translation paired with no source block: needs review)."""
    import json


    project = load_project_or_exit(find_paths(project, content).content)
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
                "unconfirmed", "untranslated", "missing", "fallback", "unpaired", "%")
        rows = [(s.lang, s.document, s.source, s.total, s.count("translated"), s.count("stale"),
                 s.count("unconfirmed"), s.count("untranslated"), s.count("missing"),
                 s.fallback, len(s.unpaired), f"{s.summary()['translated_pct']:.1f}")
                for s in statuses]
        rows += [(t["lang"], "(all)", "", t["total"], t["translated"], t["stale"],
                  t["unconfirmed"], t["untranslated"], t["missing"], t["fallback"],
                  t["unpaired"], f"{t['translated_pct']:.1f}") for t in totals]
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

    click.echo("")
    for status in statuses:
        for row in status.rows:
            if row.state == "translated":
                continue
            block = row.own or row.source
            where = status.path if row.own is not None else status.source_path
            text = row.source.text if row.source is not None else row.own.text
            line = f"{display_path(Path(where))}:{block.line}: {row.state}: {block.id}"
            if row.state == "stale":
                was = row.record.was if row.record is not None else None
                change = (word_diff(was, row.source.raw) if was is not None else
                          f"now \"{text}\" (the earlier text was not recorded)")
                click.echo(f"{line}: the {status.source} text changed: {change}")
            elif row.state == "unpaired":
                click.echo(f"{line}: needs review, paired with no block of "
                           f"{display_path(Path(status.source_path))}: \"{text[:70]}"
                           f"{'…' if len(text) > 70 else ''}\"")
            else:
                click.echo(f"{line}: \"{text[:70]}{'…' if len(text) > 70 else ''}\"")
