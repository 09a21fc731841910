"""`kitbuilder translations`: add, export, import, confirm."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import KitError, display_path
from ..translation.add import add_language
from ..translation.exchange import CATEGORIES, export, import_file
from ..translation.status import NotTranslatable, confirm, word_diff
from .loading import load_project_or_exit
from .options import CONTENT, CONTENT_ERROR, PROJECT, USAGE_ERROR, find_paths
from .terminal import print_problems


@click.group(short_help="Translators' tools (see docs/translators.md).")
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

    content = find_paths(project, content).content
    project = load_project_or_exit(content)
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
Examples:
  kitbuilder translations import es.xlf
  kitbuilder translations import --overwrite es.po    the file's text wins every conflict""")
@PROJECT
@CONTENT
@click.option("--overwrite", is_flag=True,
              help="Write the file's text also over translations changed in the content since "
                   "the file was exported (conflicts).")
@click.argument("source_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
def translations_import(project, content, overwrite, source_file) -> None:
    """Write FILE's translations (XLIFF or PO, from `translations export`) into
    content/<lang>/: only the blocks whose text changed are rewritten, and each unit marked
    done (translated, final, approved; in PO not fuzzy) is confirmed. Anything wrong (an
    unknown id, a source text that changed since the export, a missing or altered inline code,
    invalid XML or encoding) refuses the whole import: nothing is changed. So does a unit
    whose translation was changed in the content since the file was exported (a conflict),
    unless --overwrite."""

    content = find_paths(project, content).content
    project = load_project_or_exit(content)
    try:
        done = import_file(project, source_file, overwrite=overwrite)
    except KitError as exc:
        print_problems(exc.problems)
        click.secho(f"Import refused: {len(exc.problems)} problem(s); no content file was "
                    "changed.", fg="red", err=True)
        sys.exit(CONTENT_ERROR)
    for path in done.written:
        click.echo(f"{display_path(path)}: updated")
    overwritten = (f", {done.overwritten} of them over newer text in the content (--overwrite)"
                   if done.overwritten else "")
    click.secho(f"Imported '{done.lang}': {done.changed} block(s) written{overwritten}, "
                f"{done.confirmed} confirmed. See `kitbuilder status`.", fg="green", err=True)


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
    what changed in the source text, word by word: [-removed-] {+added+}. Files of a
    language folder that are no translated document (delegates.yaml, the state file) are
    skipped with a note, so `content/fr/*.yaml` works."""

    content = find_paths(project, content).content
    project = load_project_or_exit(content)
    failed = False
    for argument in files:
        path, line = split_file_line(argument)
        try:
            done = confirm(project, path, line)
        except NotTranslatable as exc:
            click.secho(f"{exc}", fg="yellow", err=True)
            continue
        except ValueError as exc:
            click.secho(f"{exc}", fg="red", err=True)
            failed = True
            continue
        report_confirmed(content, path, line, done)
    if failed:
        sys.exit(2)


def report_confirmed(content: Path, path: Path, line: int | None, done) -> None:
    """What one confirm recorded, and what it could not (still the source, unpaired)."""

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
    if done.unpaired and line is None:
        lines = ", ".join(str(b.line) for b in done.unpaired)
        click.secho(f"{path}: {len(done.unpaired)} block(s) need review (lines {lines}): "
                    "paired with no block of the source, so there is nothing to confirm them "
                    "against; `kitbuilder check` says where each stands and what to do",
                    fg="yellow", err=True)


def split_file_line(argument: str) -> tuple[Path, int | None]:
    """FILE or FILE:LINE (a file whose own name ends in ':<digits>' still works)."""
    head, _, tail = argument.rpartition(":")
    if head and tail.isdigit() and not Path(argument).exists():
        return Path(head), int(tail)
    return Path(argument), None
