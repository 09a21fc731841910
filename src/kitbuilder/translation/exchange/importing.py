"""``translations import``: check everything, then write all or nothing.

Import checks everything first and writes nothing when anything is wrong (every problem at
its line in the imported file). A unit whose translation was changed in the content since
the file was exported is a conflict: the file would silently put back older text (or undo
someone else's work), so it is refused, every conflict listed, unless ``overwrite``.
Then it rewrites only the blocks whose text changed, line by line, so every other byte of the
content files stays as it was; and records as confirmed each block whose unit is marked done
(translated, final, signed-off or approved; in PO, not fuzzy). A changed unit still marked
for review is written and stays to be confirmed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ...content.loader import load_project
from ...content.model import Project
from ...errors import KitError, Problem, Problems
from ..blocks import short_hash
from ..inline import code_problems, join
from ..status import refresh
from .po import read_po_file
from .rewrite import _verify, plan_file
from .units import (
    Incoming,
    Unit,
    collect_units,
    confirm_blocks,
    insertion_points,
    word_diff,
)
from .xliff import read_xliff


def check_incoming(path: Path, lang: str | None, project: Project, incoming: list[Incoming],
                   units: dict[str, Unit], problems: list[Problem]) -> None:
    if lang is not None and (lang not in project.workshop.languages
                             or all(u.lang != lang for u in units.values())):
        problems.append(Problem(str(path), 1, "error", f"the file is for '{lang}', which is "
                                "not a language translated in this project"))
        return
    documents = set(project.translatable_files)
    seen: set[str] = set()
    for item in incoming:
        where = (str(path), item.line)
        if item.id in seen:
            problems.append(Problem(*where, "error", f"unit {item.id} appears twice; keep one"))
        seen.add(item.id)
        unit = units.get(item.id)
        if unit is None:
            document = item.id.split("#")[0]
            if document in documents:
                problems.append(Problem(*where, "error", f"unit {item.id}: its source text is "
                                        f"no longer in {document} (the source changed since "
                                        "the export); export again and redo this unit"))
            else:
                problems.append(Problem(*where, "error", f"unknown unit id '{item.id}'; it was "
                                        "not exported from this project"))
            continue
        if item.source_text is not None and " ".join(item.source_text.split()) != unit.source:
            problems.append(Problem(*where, "error", f"unit {item.id}: the source text in the "
                                    "file differs from the content's; export again"))
        for message in item.problems:
            problems.append(Problem(*where, "error", f"unit {item.id}: {message}"))
        if item.pieces is not None and not item.problems:
            for message in code_problems(item.pieces, unit.pieces_and_codes[1]):
                problems.append(Problem(*where, "error", f"unit {item.id}: {message}"))


@dataclass
class Imported:
    lang: str
    written: list[Path]
    changed: int  # blocks whose text was written
    confirmed: int  # blocks recorded as translated
    overwritten: int = 0  # conflicts written anyway (overwrite)


@dataclass
class Plan:
    """What an import changes: texts per translation file, blocks to confirm."""

    changes: dict[Path, list[tuple[Unit, str]]] = field(default_factory=dict)
    confirm: dict[Path, set[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # unit id → its line in the file
    conflicts: list[Problem] = field(default_factory=list)


def import_file(project: Project, path: Path, overwrite: bool = False) -> Imported:
    """Raises KitError with every problem (nothing written) when anything is wrong."""
    path = Path(path)
    lang, incoming, units = _read(project, path)
    plan = _plan(path, incoming, units)
    problems = [] if overwrite else list(plan.conflicts)
    new_texts = _new_texts(project, path, plan, problems)
    if problems:
        raise KitError(problems)
    for file_path in new_texts:  # older records follow their blocks once rewritten
        refresh(project, file_path)
    for file_path, text in new_texts.items():
        temporary = file_path.with_name(f".{file_path.name}.kitbuilder-tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, file_path)
    confirmed = 0
    if plan.confirm:
        reloaded = load_project(Path(project.root), Problems()) or project
        for file_path, hashes in plan.confirm.items():
            confirmed += confirm_blocks(reloaded, file_path, hashes)
    return Imported(lang, sorted(new_texts), sum(len(c) for c in plan.changes.values()),
                    confirmed, len(plan.conflicts) if overwrite else 0)


def _read(project: Project, path: Path) -> tuple[str, list[Incoming], dict[str, Unit]]:
    """The file's language, its units and the content's units of that language."""
    problems: list[Problem] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KitError([Problem(str(path), 0, "error", f"cannot read: {exc.strerror}")]) \
            from None
    is_po = path.suffix.lower() in (".po", ".pot") or (not data.lstrip().startswith(b"<"))
    everything = {lang: collect_units(project, lang) for lang in project.workshop.languages}
    units = {u.id: u for lang_units in everything.values() for u in lang_units}
    # Ids repeat across languages: read once to learn the language, then with its units.
    reader = read_po_file if is_po else read_xliff
    lang, _ = reader(path, data, {}, [])
    if lang is not None:
        units = {u.id: u for u in everything.get(lang, [])}
    lang, incoming = reader(path, data, units, problems)
    if lang is None and not problems:
        problems.append(Problem(str(path), 1, "error", "the file does not say its language "
                                "(target-language in XLIFF, Language in PO)"))
    if not problems:
        check_incoming(path, lang, project, incoming, units, problems)
    if problems:
        raise KitError(problems)
    return lang, incoming, units


def _plan(path: Path, incoming: list[Incoming], units: dict[str, Unit]) -> Plan:
    plan = Plan()
    for item in incoming:
        unit = units[item.id]
        plan.lines[unit.id] = item.line
        target = " ".join(join(item.pieces).split()) if item.pieces is not None else ""
        if not target:
            continue
        changed = target != (unit.target or "") or unit.state == "untranslated"
        # The source text as the translation: deliberate (a name) only when marked translated.
        kept_same = item.approved and target == unit.source and unit.state in ("untranslated",
                                                                               "missing")
        if target == unit.source and unit.state == "untranslated":
            changed = False  # already written so
        elif target == unit.source and unit.state == "missing":
            changed = kept_same
        if changed:
            plan.changes.setdefault(unit.path, []).append((unit, target))
            conflict = _conflict(path, item, unit, target)
            if conflict is not None:
                plan.conflicts.append(conflict)
        if item.approved and (changed or kept_same or unit.state in ("stale", "unconfirmed")):
            plan.confirm.setdefault(unit.path, set()).add(unit.block.hash)
    return plan


def _quote(text: str | None) -> str:
    if not text:
        return "no translation"
    return f"\"{text[:60]}{'…' if len(text) > 60 else ''}\""


def _conflict(path: Path, item: Incoming, unit: Unit, target: str) -> Problem | None:
    """A problem when the content's translation of ``unit`` changed since the export."""
    where = (f"{unit.shown_path}:{unit.own.line}" if unit.own is not None
             else f"{unit.shown_path} (no translation there now)")
    resolve = ("to keep the content's text, export again and translate in the new file (your "
               "tool's memory offers what you did); to write this file's text over it, "
               "import with --overwrite")
    if item.record is None:
        return Problem(str(path), item.line, "error", f"unit {unit.id}: the file does not "
                       "record what the content held when it was exported (kitbuilder's "
                       "export record was removed), so an older text cannot be told from a "
                       f"new one at {where}; {resolve}")
    if item.record.source != unit.record.source:
        return Problem(str(path), item.line, "error", f"unit {unit.id}: the source text "
                       "changed since the export; export again and redo this unit")
    if item.record.target == unit.record.target:
        return None
    older = item.record.target == short_hash(target)
    what = ("this file still has the text it was exported with and would put it back"
            if older else "this file changes it too")
    now = unit.target or ""
    change = (f"; the content now reads {word_diff(target, now)}" if now else
              "; the content now has no translation there")
    return Problem(str(path), item.line, "error", f"unit {unit.id}: {where} was changed in "
                   f"the content since this file was exported ({what}): the file has "
                   f"{_quote(target)}{change}; {resolve}")


def _new_texts(project: Project, path: Path, plan: Plan,
               problems: list[Problem]) -> dict[Path, str]:
    """The rewritten text of every translation file the import changes."""
    new_texts: dict[Path, str] = {}
    for file_path, changes in plan.changes.items():
        unit = changes[0][0]
        markdown = unit.document.endswith(".md")
        after = insertion_points(project, unit.lang, unit.document, file_path)
        where = (str(path), plan.lines[unit.id])
        before = len(problems)
        new_text = plan_file(file_path, unit.source_path, markdown, changes, after, problems,
                             where)
        if len(problems) > before or new_text is None:
            continue
        old_text = (file_path if file_path.is_file() else unit.source_path).read_text(
            encoding="utf-8")
        if not _verify(file_path, new_text, markdown, changes, old_text):
            problems.append(Problem(*where, "error", f"the translations for {file_path} would "
                                    "not read back as written (a target that starts a list, "
                                    "a heading or a new paragraph?); fix them and import again"))
            continue
        new_texts[file_path] = new_text
    return new_texts
