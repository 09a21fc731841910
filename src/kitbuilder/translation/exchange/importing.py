"""``translations import``: check everything, then write all or nothing.

Import checks everything first and writes nothing when anything is wrong (every problem at
its line in the imported file). Then it rewrites only the blocks whose text changed, line by
line, so every other byte of the content files stays as it was; and records as confirmed each
block it wrote, and each block whose unit is marked translated (or final, signed-off).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ...content.loader import load_project
from ...content.model import Project
from ...errors import KitError, Problem, Problems
from ..inline import code_problems, join
from ..status import confirm
from .po import read_po_file
from .rewrite import _verify, plan_file
from .units import Incoming, Unit, _insertion_points, collect_units
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


def import_file(project: Project, path: Path) -> Imported:
    """Raises KitError with every problem (nothing written) when anything is wrong."""
    problems: list[Problem] = []
    path = Path(path)
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
    if problems:
        raise KitError(problems)
    check_incoming(path, lang, project, incoming, units, problems)
    if problems:
        raise KitError(problems)
    # What changes, per translation file.
    per_file: dict[Path, list[tuple[Unit, str]]] = {}
    confirm_hashes: dict[Path, set[str]] = {}
    for item in incoming:
        unit = units[item.id]
        if item.pieces is None:
            continue
        target = " ".join(join(item.pieces).split())
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
            per_file.setdefault(unit.path, []).append((unit, target))
        if changed or kept_same or (item.approved and unit.state in ("stale", "unconfirmed")):
            confirm_hashes.setdefault(unit.path, set()).add(unit.block.hash)
    new_texts: dict[Path, str] = {}
    for file_path, changes in per_file.items():
        unit = changes[0][0]
        markdown = unit.document.endswith(".md")
        source_path = Path(project.root) / unit.source_lang / unit.document
        after = _insertion_points(project, unit.lang, unit.document, file_path)
        where = (str(path), next(i.line for i in incoming if i.id == unit.id))
        before = len(problems)
        new_text = plan_file(file_path, source_path, markdown, changes, after, problems, where)
        if len(problems) > before or new_text is None:
            continue
        old_text = (file_path if file_path.is_file() else source_path).read_text(
            encoding="utf-8")
        if not _verify(file_path, new_text, markdown, changes, old_text):
            problems.append(Problem(*where, "error", f"the translations for {file_path} would "
                                    "not read back as written (a target that starts a list, "
                                    "a heading or a new paragraph?); fix them and import again"))
            continue
        new_texts[file_path] = new_text
    if problems:
        raise KitError(problems)
    for file_path, text in new_texts.items():
        temporary = file_path.with_name(f".{file_path.name}.kitbuilder-tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, file_path)
    confirmed = 0
    if confirm_hashes:
        reloaded = load_project(Path(project.root), Problems()) or project
        for file_path, hashes in confirm_hashes.items():
            confirmed += confirm(reloaded, file_path, sources=hashes).count
    return Imported(lang, sorted(new_texts), sum(len(c) for c in per_file.values()),
                    confirmed)
