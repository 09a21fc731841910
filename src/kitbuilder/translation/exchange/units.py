"""The units of an exchange file: one translatable block of one document in one language.

A unit is one block (translation/blocks.py) of one document in one language:
- id: ``<document>#<source hash>`` (``-2``, ``-3`` for a repeated source text in the same
  document), so it survives paragraphs inserted elsewhere and goes stale with its source text;
- source: the block's source text, Markdown list/heading markers left out (they stay in the
  file), inline Markdown protected as codes (translation/inline.py);
- target: the current translation, if any (none for a missing block or one still in the
  source text), and its state;
- a note with the file and line of the translation and of the source;
- a record of the source and target as they were at export (``Record``), so an import can
  tell a unit changed in the content since the file was exported from one the file changes.

What exchange knows of the translation status (translation/status.py, state.py) goes
through ``document_pairs`` and ``confirm_blocks`` only.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...content.model import Project
from ..blocks import Block, short_hash
from ..inline import Code, Piece, segment
from ..status import confirm, document_status, word_diff

_LEAD = re.compile(r"^( {0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+)")
# A unit's state, as exchange sees it; `--only` names: a block still in the source text
# counts as missing.
CATEGORIES = {"translated": "translated", "stale": "stale", "unconfirmed": "unconfirmed",
              "untranslated": "missing", "missing": "missing"}
NO_TARGET = "-"  # a record's target when the content had no translation


# --- the translation status, as exchange uses it -------------------------------------------

@dataclass(frozen=True)
class Pair:
    source: Block | None  # None: a translation block with no source block (never a unit)
    own: Block | None  # None: missing
    state: str  # one of CATEGORIES' keys
    was: str | None = None  # a stale block's source text when it was confirmed


@dataclass(frozen=True)
class DocumentPairs:
    source_lang: str
    path: Path  # the translation file
    source_path: Path
    pairs: list[Pair]


def document_pairs(project: Project, lang: str, filename: str) -> DocumentPairs | None:
    """One document's blocks paired with their translations; None in its source language."""
    status = document_status(project, lang, filename)
    if status is None:
        return None
    pairs = []
    for row in status.rows:
        # A state exchange does not know yet is offered for review, never taken as done.
        state = row.state if row.state in CATEGORIES else "unconfirmed"
        was = row.record.was if state == "stale" and row.record is not None else None
        pairs.append(Pair(row.source, row.own, state, was))
    return DocumentPairs(status.source, Path(status.path), Path(status.source_path), pairs)


def confirm_blocks(project: Project, path: Path, source_hashes: set[str]) -> int:
    """Record the blocks of ``path`` translating these source hashes as confirmed."""
    return confirm(project, path, sources=source_hashes).count


# --- units -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """Hashes of a unit's source and target text when the file was exported."""

    source: str
    target: str  # NO_TARGET when there was no translation

    @staticmethod
    def of(source: Block, target: str | None) -> Record:
        return Record(source.hash, NO_TARGET if target is None else short_hash(target))


@dataclass
class Unit:
    id: str
    document: str
    lang: str
    source_lang: str
    block: Block  # the source block
    own: Block | None  # the translation block (None when missing)
    state: str  # one of CATEGORIES' keys
    source: str  # the text a translator sees, Markdown marker left out
    target: str | None
    note: str
    path: Path  # the translation file
    source_path: Path
    shown_path: str  # the translation file, relative to the project folder
    shown_source_path: str
    recorded_was: str | None = None  # for a stale block: the source text it was made from
    anchor: Block | None = None  # YAML: the translated value before it in the same mapping

    @property
    def pieces_and_codes(self) -> tuple[list[Piece], list[Code]]:
        return segment(self.source)

    @property
    def record(self) -> Record:
        return Record.of(self.block, self.target)

    @property
    def references(self) -> list[tuple[str, int]]:
        """(file, line) relative to the project: the translation when there is one, the source."""
        own = [(self.shown_path, self.own.line)] if self.own is not None else []
        return [*own, (self.shown_source_path, self.block.line)]


def _text(block: Block, markdown: bool) -> tuple[str, str]:
    """(lead, text): a Markdown block's marker ("## ", "1. ") and its text, on one line."""
    text = block.text
    if markdown and block.id != "title":
        lead = _LEAD.match(text)
        if lead:
            return lead.group(1), text[lead.end():]
    return "", text


def _with_ids(document: str, pairs: list[Pair]) -> Iterator[tuple[str | None, Pair]]:
    """(unit id, pair) in document order; the id is None for a pair with no source block."""
    seen: Counter = Counter()
    for pair in pairs:
        if pair.source is None:
            yield None, pair
            continue
        seen[pair.source.hash] += 1
        count = seen[pair.source.hash]
        yield f"{document}#{pair.source.hash}" + (f"-{count}" if count > 1 else ""), pair


def shown(project: Project, path: Path | str) -> str:
    """A content file's path relative to the project folder, as a translator sees it."""
    return os.path.relpath(path, Path(project.root).parent)


def collect_units(project: Project, lang: str) -> list[Unit]:
    units: list[Unit] = []
    for filename in project.translatable_files:
        document = document_pairs(project, lang, filename)
        if document is not None:
            units.extend(_document_units(project, lang, filename, document))
    return units


def _document_units(project: Project, lang: str, filename: str,
                    document: DocumentPairs) -> list[Unit]:
    markdown = filename.endswith(".md")
    path, source_path = shown(project, document.path), shown(project, document.source_path)
    units = []
    last_own: dict[tuple, Block] = {}  # parent key path → the last translated value in it
    for unit_id, pair in _with_ids(filename, document.pairs):
        if unit_id is None:
            continue
        source_block, own = pair.source, pair.own
        anchor = last_own.get(source_block.path[:-1])
        if own is not None and not markdown and own.path[:-1] == source_block.path[:-1]:
            last_own[source_block.path[:-1]] = own
        target = None
        if own is not None and pair.state != "untranslated":
            target = _text(own, markdown)[1]
        line = f"{path} line {own.line}" if own is not None else f"{path} (not there yet)"
        note = (f"{filename}, block {source_block.id}: translation {line}; source "
                f"{source_path} line {source_block.line}; state {pair.state}")
        if pair.was is not None:
            note += f"; source change: {word_diff(pair.was, source_block.raw)}"
        units.append(Unit(unit_id, filename, lang, document.source_lang, source_block, own,
                          pair.state, _text(source_block, markdown)[1], target, note,
                          document.path, document.source_path, path, source_path, pair.was,
                          None if markdown else anchor))
    return units


def select(units: list[Unit], only: tuple[str, ...]) -> list[Unit]:
    return [u for u in units if not only or CATEGORIES[u.state] in only]


def target_pieces(unit: Unit) -> list[Piece] | None:
    """The current target cut with the source's codes (None when they do not match)."""
    if unit.target is None:
        return None
    pieces, codes = segment(unit.target)
    source_codes = {(c.kind, c.open, c.close) for c in unit.pieces_and_codes[1]}
    if {(c.kind, c.open, c.close) for c in codes} != source_codes:
        return None
    # Renumber the target's codes as the source's (the same code text, in the source order).
    by_text = {}
    for code in unit.pieces_and_codes[1]:
        by_text.setdefault((code.kind, code.open, code.close), []).append(code)
    for code in codes:
        twins = by_text[(code.kind, code.open, code.close)]
        source_code = twins.pop(0) if twins else None
        if source_code is None:
            return None
        code.id = source_code.id
    return pieces


def insertion_points(project: Project, lang: str, document: str,
                     path: Path) -> dict[str, int]:
    """unit id → line index after which a missing Markdown block goes (after the translation
    block of the row before it; after the front matter when there is none)."""
    pairs = document_pairs(project, lang, document)
    if pairs is None or not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = 0
    if lines and lines[0].strip() == "---":
        body_start = next((i + 1 for i, line in enumerate(lines[1:], 1)
                           if line.strip() == "---"), 0)
    points: dict[str, int] = {}
    position = body_start
    for unit_id, pair in _with_ids(document, pairs.pairs):
        if pair.own is not None and pair.own.id != "title":
            position = pair.own.line - 1 + len(pair.own.raw.splitlines())
        if unit_id is not None and pair.own is None:
            points[unit_id] = position
    return points


@dataclass
class Incoming:
    id: str
    line: int
    pieces: list[Piece] | None  # None: no target
    approved: bool  # marked translated / final / not fuzzy
    source_text: str | None = None  # the unit's source as the file has it
    record: Record | None = None  # what the content held at export, as the file says
    problems: list[str] = field(default_factory=list)
