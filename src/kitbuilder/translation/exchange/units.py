"""The units of an exchange file: one translatable block of one document in one language.

A unit is one block (translation/blocks.py) of one document in one language:
- id: ``<document>#<source hash>`` (``-2``, ``-3`` for a repeated source text in the same
  document), so it survives paragraphs inserted elsewhere and goes stale with its source text;
- source: the block's source text, Markdown list/heading markers left out (they stay in the
  file), inline Markdown protected as codes (translation/inline.py);
- target: the current translation, if any (none for a missing block or one still in the
  source text); its state (translation/status.py);
- a note with the file and line of the translation and of the source.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ...content.model import Project
from ..blocks import Block
from ..inline import Code, Piece, segment
from ..state import read_state
from ..status import document_status, was_text, word_diff

_LEAD = re.compile(r"^( {0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+)")
# Which blocks `--only` selects: a block still in the source text counts as missing.
CATEGORIES = {"translated": "translated", "stale": "stale", "unconfirmed": "unconfirmed",
              "untranslated": "missing", "missing": "missing"}


@dataclass
class Unit:
    id: str
    document: str
    lang: str
    source_lang: str
    block: Block  # the source block
    own: Block | None  # the translation block (None when missing)
    state: str  # the block's state (translation/status.py)
    source: str  # the text a translator sees, Markdown marker left out
    target: str | None
    note: str
    path: Path  # the translation file
    recorded_was: str | None = None  # for a stale block: the source text it was made from
    anchor: Block | None = None  # YAML: the translated value before it in the same mapping

    @property
    def pieces_and_codes(self) -> tuple[list[Piece], list[Code]]:
        return segment(self.source)


def _text(block: Block, markdown: bool) -> tuple[str, str]:
    """(lead, text): a Markdown block's marker ("## ", "1. ") and its text, on one line."""
    text = block.text
    if markdown and block.id != "title":
        lead = _LEAD.match(text)
        if lead:
            return lead.group(1), text[lead.end():]
    return "", text


def collect_units(project: Project, lang: str) -> list[Unit]:
    content = Path(project.root)
    recorded = read_state(content, lang)

    def shown(where: str) -> str:  # relative to the project folder, as a translator sees it
        return os.path.relpath(where, content.parent)

    units: list[Unit] = []
    for filename in project.translatable_files:
        status = document_status(project, lang, filename)
        if status is None:
            continue
        markdown = filename.endswith(".md")
        seen: Counter = Counter()
        last_own: dict[tuple, Block] = {}  # parent key path → the last translated value in it
        for row in status.rows:
            if row.source is None:
                continue
            anchor = last_own.get(row.source.path[:-1])
            if row.own is not None and not markdown and row.own.path[:-1] == row.source.path[:-1]:
                last_own[row.source.path[:-1]] = row.own
            seen[row.source.hash] += 1
            count = seen[row.source.hash]
            unit_id = f"{filename}#{row.source.hash}" + (f"-{count}" if count > 1 else "")
            _, source = _text(row.source, markdown)
            target = None
            if row.own is not None and row.state != "untranslated":
                target = _text(row.own, markdown)[1]
            line = (f"{shown(status.path)} line {row.own.line}" if row.own is not None
                    else f"{shown(status.path)} (not there yet)")
            note = (f"{filename}, block {row.source.id}: translation {line}; source "
                    f"{shown(status.source_path)} line {row.source.line}; state {row.state}")
            was = None
            if row.state == "stale" and row.own is not None:
                was = was_text(recorded.get(filename, {}), row.own.id)
                if was is not None:
                    note += f"; source change: {word_diff(was, row.source.raw)}"
            units.append(Unit(unit_id, filename, lang, status.source, row.source, row.own,
                              row.state, source, target, note, Path(status.path), was,
                              None if markdown else anchor))
    return units


def select(units: list[Unit], only: tuple[str, ...]) -> list[Unit]:
    return [u for u in units if not only or CATEGORIES[u.state] in only]


def _target_pieces(unit: Unit) -> list[Piece] | None:
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


def _insertion_points(project: Project, lang: str, document: str,
                      path: Path) -> dict[str, int]:
    """unit id → line index after which a missing Markdown block goes (after the translation
    block of the row before it; after the front matter when there is none)."""
    status = document_status(project, lang, document)
    if status is None or not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = 0
    if lines and lines[0].strip() == "---":
        body_start = next((i + 1 for i, line in enumerate(lines[1:], 1)
                           if line.strip() == "---"), 0)
    points: dict[str, int] = {}
    seen: Counter = Counter()
    position = body_start
    for row in status.rows:
        if row.own is not None and row.own.id != "title":
            position = row.own.line - 1 + len(row.own.raw.splitlines())
        if row.source is None:
            continue
        seen[row.source.hash] += 1
        count = seen[row.source.hash]
        unit_id = f"{document}#{row.source.hash}" + (f"-{count}" if count > 1 else "")
        if row.own is None:
            points[unit_id] = position
    return points


@dataclass
class Incoming:
    id: str
    line: int
    pieces: list[Piece] | None  # None: no target
    approved: bool  # marked translated / final / not fuzzy
    source_text: str | None = None  # the unit's source as the file has it
    problems: list[str] = field(default_factory=list)
