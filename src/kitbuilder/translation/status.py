"""Per language and document: the state of every block (translation/align.py), and
``confirm``, which records that a translation matches the current source text.

The names other modules build on: a paired block is ``translated``, ``stale``,
``unconfirmed`` or ``untranslated``; a source block with no translation is ``missing``; a
translation block with no source block is ``unpaired``. ``CATEGORY`` groups them as a
translator reads them: translated, pending (missing, untranslated), stale, needs review
(unconfirmed, unpaired)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from ..content.model import DATA_FILES, Project
from ..placeholders import is_unwritten
from .align import CATEGORY, NOT_SHOWN, PAIRED, Row, align
from .blocks import Block, document_blocks
from .state import read_state, write_state

STATES = ("translated", "stale", "unconfirmed", "untranslated", "missing")  # of source blocks
__all__ = ["CATEGORY", "STATES", "BlockStatus", "DocumentStatus", "confirm", "document_status",
           "project_status"]


@dataclass
class BlockStatus:
    id: str
    state: str  # one of STATES
    line: int  # in the translation file (or the source file when missing)
    source_line: int
    source_text: str
    text: str = ""  # the translation's text ("" when missing)

    @property
    def category(self) -> str:
        """translated, pending, stale or needs review (translation/align.py CATEGORY)."""
        return CATEGORY[self.state]


@dataclass
class DocumentStatus:
    lang: str
    document: str  # file name, e.g. "concept-note.md"
    source: str  # language it is translated from
    path: str  # translation file
    source_path: str
    exists: bool  # the translation file exists and can be read
    in_kits: bool  # some country gets a kit in this language
    blocks: list[BlockStatus] = field(default_factory=list)
    # Translation blocks paired with no source block: kits show them, flagged for review.
    unpaired: list[Block] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # the alignment (translation/align.py)

    def count(self, state: str) -> int:
        return sum(1 for b in self.blocks if b.state == state)

    @property
    def total(self) -> int:
        return len(self.blocks)

    @property
    def fallback(self) -> int:
        """Blocks kits show in the source language, marked 'Translation pending'."""
        return sum(self.count(state) for state in NOT_SHOWN) if self.in_kits else 0

    def summary(self) -> dict:
        counts = {state: self.count(state) for state in STATES}
        return {"lang": self.lang, "document": self.document, "source": self.source,
                "path": self.path, "total": self.total, **counts, "fallback": self.fallback,
                "unpaired": len(self.unpaired),
                "translated_pct": percent(counts["translated"], self.total)}


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def document_status(project: Project, lang: str, name: str,
                    state: dict | None = None) -> DocumentStatus | None:
    """Status of one document in one language; None in the document's own source language.
    ``state``: the language's state file as read_state gives it (read here when not given)."""
    content = Path(project.root)
    filename = DATA_FILES.get(name, name)
    source = project.source_of(filename)
    if lang == source:
        return None
    source_path, path = content / source / filename, content / lang / filename
    status = DocumentStatus(lang, filename, source, str(path), str(source_path), path.is_file(),
                            any(lang in c.languages for c in project.countries))
    recorded = (read_state(content, lang) if state is None else state).get(filename, {})
    if recorded.get("source", source) != source:
        recorded = {}  # recorded against another language's text: nothing of it holds
    own = document_blocks(path)
    status.exists = own is not None  # an unreadable file falls back whole, like a missing one
    status.rows = align(document_blocks(source_path) or [], own or [], recorded,
                        markdown=filename.endswith(".md"))
    for row in status.rows:
        if row.source is not None:
            line = row.own.line if row.own is not None else row.source.line
            status.blocks.append(BlockStatus(row.source.id, row.state, line, row.source.line,
                                             row.source.text,
                                             row.own.text if row.own is not None else ""))
        else:
            status.unpaired.append(row.own)
    return status


def project_status(project: Project, languages: tuple[str, ...] = ()) -> list[DocumentStatus]:
    found = []
    for lang in project.workshop.languages:
        if languages and lang not in languages or lang not in project.languages:
            continue
        state = read_state(Path(project.root), lang)  # once per language, not per document
        for filename in project.translatable_files:
            status = document_status(project, lang, filename, state)
            if status is not None:
                found.append(status)
    return found


def language_totals(project: Project, statuses: list[DocumentStatus]) -> list[dict]:
    """One row per workshop language; the source language of everything counts as 100 %."""
    rows = []
    for lang in project.workshop.languages:
        mine = [s for s in statuses if s.lang == lang]
        if not mine and lang not in project.languages:
            continue
        row = {"lang": lang, "documents": len(mine)}
        for state in (*STATES, "fallback"):
            row[state] = sum(getattr(s, state) if state == "fallback" else s.count(state)
                             for s in mine)
        row["unpaired"] = sum(len(s.unpaired) for s in mine)
        row["total"] = sum(s.total for s in mine)
        row["translated_pct"] = percent(row["translated"], row["total"])
        rows.append(row)
    return rows


def as_json(project: Project, statuses: list[DocumentStatus]) -> dict:
    return {
        "languages": language_totals(project, statuses),
        "documents": [
            {**s.summary(),
             "blocks": [{**asdict(b), "category": b.category}
                        for b in s.blocks if b.state != "translated"]
             + [{"id": b.id, "state": "unpaired", "category": CATEGORY["unpaired"],
                 "line": b.line, "source_line": 0, "source_text": ""} for b in s.unpaired]}
            for s in statuses
        ],
    }


@dataclass
class Confirmed:
    """What ``confirm`` recorded: for the CLI to print."""

    lang: str
    count: int  # blocks confirmed
    same_as_source: list[BlockStatus]  # skipped: still the source text (whole-file confirm)
    changes: list[tuple[str, int, str | None, str]]  # stale blocks: (id, line, was, now)
    unpaired: list[Block] = field(default_factory=list)  # nothing to confirm them against


class NotTranslatable(ValueError):
    """A file in a language folder that is no translated document (delegates.yaml, the state
    file): ``confirm`` of a glob skips it with a note."""


def was_text(entry: dict, own_id: str) -> str | None:
    """The source text a block was translated from, when the state file recorded it."""
    texts = entry.get("source_texts")
    value = texts.get(own_id) if isinstance(texts, dict) else None
    return value if isinstance(value, str) else None


def _document_of(project: Project, path: Path) -> tuple[str, str]:
    content = Path(project.root).resolve()
    try:
        relative = path.resolve().relative_to(content)
    except ValueError:
        raise ValueError(f"{path}: not inside the content folder {project.root}") from None
    files = project.translatable_files
    if len(relative.parts) == 2 and relative.parts[1] not in files and path.is_file():
        raise NotTranslatable(f"{path}: skipped, not a translated document (those are "
                              f"{', '.join(files)})")
    if len(relative.parts) != 2 or relative.parts[1] not in files:
        raise ValueError(f"{path}: not a translatable document; expected content/<lang>/"
                         f"{{{','.join(files)}}}")
    lang, filename = relative.parts
    if lang not in project.workshop.languages:
        raise ValueError(f"{path}: '{lang}' is not one of the workshop's languages")
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    return lang, filename


def _row_at(status: DocumentStatus, path: Path, line: int) -> Row:
    """The row of the translation block written at ``line`` (its first line or inside it)."""
    own = sorted((row for row in status.rows if row.own is not None),
                 key=lambda r: r.own.line)
    found = None
    for row in own:
        if row.own.line <= line:
            found = row
    if found is not None:
        # Several YAML values on one line ({name: …, role: …}): the first not yet translated.
        same_line = [row for row in own if row.own.line == found.own.line]
        found = next((row for row in same_line if row.state != "translated"), found)
    if found is None:
        raise ValueError(f"{path}:{line}: no translated block starts at or before this line; "
                         "give the line of a heading, paragraph, list item or YAML value")
    if is_unwritten(found.own.raw):
        raise ValueError(f"{path}:{line}: block {found.own.id} (line {found.own.line}) is a "
                         "placeholder left to write; write its text, then confirm it")
    if found.state not in PAIRED:
        raise ValueError(f"{path}:{line}: block {found.own.id} (line {found.own.line}) is "
                         f"paired with no block of {status.source_path}, so there is nothing "
                         "to confirm it against: `kitbuilder check` says which source lines "
                         "it stands between")
    return found


def confirm(project: Project, path: Path, line: int | None = None,
            sources: set[str] | None = None) -> Confirmed:
    """Record the current source hash of every translated block in ``path`` (of the one block
    at ``line`` when given; of the blocks translating these source hashes, for an import).

    A whole-file confirm leaves out blocks that are still the source text (a translator who
    started from a copy): they stay untranslated until confirmed one by one, for a name or
    an acronym that is rightly the same. Every other record is kept as it was, so a confirm
    never loses what an earlier one recorded. Raises ValueError with a message for the user
    (NotTranslatable for a file that is no translated document).
    """
    path = Path(path)
    content = Path(project.root).resolve()
    lang, filename = _document_of(project, path)
    status = document_status(project, lang, filename)
    if status is None:
        raise ValueError(f"{path}: this is the source text ({lang}); confirm its translations "
                         "instead")
    chosen = None if line is None else _row_at(status, path, line)

    def confirmed_now(row: Row) -> bool:
        if row.own is None or row.source is None:
            return False
        if chosen is not None:
            return row is chosen
        if sources is not None:
            return row.source.hash in sources
        return row.state in PAIRED and row.state != "untranslated" \
            and not is_unwritten(row.source.raw)

    state = read_state(content, lang)
    previous = state.get(filename, {})
    if previous.get("source", status.source) != status.source:
        previous = {}
    state[filename], count, changes = _entry(status, previous, confirmed_now)
    write_state(content, lang, state)
    skipped = [] if chosen is not None or sources is not None else [
        BlockStatus(row.source.id, row.state, row.own.line, row.source.line, row.source.text)
        for row in status.rows if row.state == "untranslated" and not is_unwritten(row.own.raw)]
    return Confirmed(lang, count, skipped, changes, list(status.unpaired))


def refresh(project: Project, path: Path) -> None:
    """Rewrite an older state file's entry for ``path`` in today's form, confirming nothing:
    its records, kept by block id only, gain the text each was confirmed with, so they still
    follow their blocks once the translation file is restructured (before an import writes
    it). Nothing happens for an entry already in today's form, or with no entry."""
    path = Path(path)
    content = Path(project.root).resolve()
    try:
        lang, filename = _document_of(project, path)
    except ValueError:
        return
    state = read_state(content, lang)
    previous = state.get(filename)
    status = document_status(project, lang, filename)
    if not previous or isinstance(previous.get("texts"), dict) or status is None \
            or not status.exists or previous.get("source", status.source) != status.source:
        return
    state[filename], _, _ = _entry(status, previous, lambda row: False)
    write_state(content, lang, state)


def _entry(status: DocumentStatus, previous: dict, confirmed_now) -> tuple[dict, int, list]:
    """The document's new state-file entry, keyed by the translation's own block ids: each
    row confirmed now records the current source; every other keeps its earlier record, as
    exact as it was (a text edited since stays unconfirmed)."""
    blocks, texts, source_texts, translations = {}, {}, {}, {}
    kept_same = previous.get("same_as_source")
    same = {str(h) for h in kept_same} if isinstance(kept_same, list) else set()
    old_texts = previous.get("texts") if isinstance(previous.get("texts"), dict) else {}
    sequence: list[str] = []
    changes: list[tuple[str, int, str | None, str]] = []
    count = 0
    for row in status.rows:
        own, record = row.own, None
        if confirmed_now(row):
            record, count = row.source.hash, count + 1
            texts[own.id], source_texts[own.id] = own.hash, row.source.raw
            translations[own.id] = own.raw
            if own.text == row.source.text:
                same.add(row.source.hash)  # confirmed as rightly the same (a name)
            if row.record is not None and row.record.source != row.source.hash:
                # Stale, or updated by its translator since: what changed in the source.
                changes.append((own.id, own.line, row.record.was, row.source.raw))
        elif own is not None and row.record is not None:
            record = row.record.source
            if row.record.exact:
                texts[own.id] = own.hash
            elif own.id in old_texts:
                texts[own.id] = str(old_texts[own.id])
            if row.record.mine is not None or row.record.exact:
                translations[own.id] = own.raw if row.record.exact else row.record.mine
            if row.state == "translated" and own.text == row.source.text:
                same.add(row.source.hash)  # taken as the same before: it stays so
            if row.record.was is not None:
                source_texts[own.id] = row.record.was
        if record is not None:
            blocks[own.id] = record
        if row.source is not None and row.source.id != "title":
            # The source order as the records now describe it: a block left stale keeps its
            # old text's place, so the next alignment still finds it (translation/align.py).
            kept = record is not None and (confirmed_now(row) or row.record.exact)
            sequence.append(record if kept else row.source.hash)
    current = {h for row in status.rows if row.source is not None for h in row.source.hashes}
    entry = {"source": status.source, "blocks": blocks, "texts": texts,
             "source_texts": source_texts, "translations": translations,
             "same_as_source": sorted(same & current)}
    if status.document.endswith(".md"):  # see translation/align.py
        entry["sequence"] = sequence
    return entry, count, changes


def word_diff(was: str, now: str) -> str:
    """The change from ``was`` to ``now``, word by word: [-removed-] {+added+}."""
    old, new = was.split(), now.split()
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.extend(old[i1:i2])
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(old[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(new[j1:j2]) + "+}")
    return " ".join(parts)
