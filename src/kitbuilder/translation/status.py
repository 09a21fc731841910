"""Per language and document: which blocks are translated, missing, stale or unconfirmed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..content.model import DATA_FILES, Project
from .align import PAIRED, Row, align
from .blocks import Block, document_blocks
from .state import read_state, write_state

STATES = ("translated", "stale", "unconfirmed", "missing")


@dataclass
class BlockStatus:
    id: str
    state: str  # one of STATES
    line: int  # in the translation file (or the source file when missing)
    source_line: int
    source_text: str


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
    extra: list[Block] = field(default_factory=list)  # unrecorded, with no source block
    obsolete: list[Block] = field(default_factory=list)  # their source text was deleted
    rows: list[Row] = field(default_factory=list)  # the alignment (translation/align.py)

    def count(self, state: str) -> int:
        return sum(1 for b in self.blocks if b.state == state)

    @property
    def total(self) -> int:
        return len(self.blocks)

    @property
    def fallback(self) -> int:
        """Blocks kits show in the source language, marked 'Translation pending'."""
        return self.count("missing") if self.in_kits else 0

    def summary(self) -> dict:
        counts = {state: self.count(state) for state in STATES}
        return {"lang": self.lang, "document": self.document, "source": self.source,
                "path": self.path, "total": self.total, **counts, "fallback": self.fallback,
                "obsolete": len(self.obsolete),
                "translated_pct": percent(counts["translated"], self.total)}


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def document_status(project: Project, lang: str, name: str) -> DocumentStatus | None:
    """Status of one document in one language; None in the document's own source language."""
    content = Path(project.root)
    filename = DATA_FILES.get(name, name)
    source = project.source_of(filename)
    if lang == source:
        return None
    source_path, path = content / source / filename, content / lang / filename
    status = DocumentStatus(lang, filename, source, str(path), str(source_path), path.is_file(),
                            any(lang in c.languages for c in project.countries))
    recorded = read_state(content, lang).get(filename, {})
    same_source = recorded.get("source", source) == source
    hashes = recorded.get("blocks", {}) if same_source else {}
    texts = recorded.get("texts") if same_source else None
    sequence = recorded.get("sequence") if same_source else None
    own = document_blocks(path)
    status.exists = own is not None  # an unreadable file falls back whole, like a missing one
    status.rows = align(document_blocks(source_path) or [], own or [],
                        hashes, texts if isinstance(texts, dict) else {},
                        markdown=filename.endswith(".md"),
                        sequence=[str(h) for h in sequence] if isinstance(sequence, list)
                        else None)
    for row in status.rows:
        if row.source is not None:
            line = row.own.line if row.own is not None else row.source.line
            status.blocks.append(BlockStatus(row.source.id, row.state, line, row.source.line,
                                             row.source.text))
        elif row.state == "obsolete":
            status.obsolete.append(row.own)
        else:
            status.extra.append(row.own)
    return status


def project_status(project: Project, languages: tuple[str, ...] = ()) -> list[DocumentStatus]:
    found = []
    for lang in project.workshop.languages:
        if languages and lang not in languages or lang not in project.languages:
            continue
        for filename in project.translatable_files:
            status = document_status(project, lang, filename)
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
        row["obsolete"] = sum(len(s.obsolete) for s in mine)
        row["total"] = sum(s.total for s in mine)
        row["translated_pct"] = percent(row["translated"], row["total"])
        rows.append(row)
    return rows


def as_json(project: Project, statuses: list[DocumentStatus]) -> dict:
    return {
        "languages": language_totals(project, statuses),
        "documents": [
            {**s.summary(),
             "blocks": [asdict(b) for b in s.blocks if b.state != "translated"]
             + [{"id": b.id, "state": "obsolete", "line": b.line, "source_line": 0,
                 "source_text": ""} for b in s.obsolete]}
            for s in statuses
        ],
    }


def confirm(project: Project, path: Path) -> tuple[str, int]:
    """Record the current source hash of every translated block in ``path``.

    Returns (language, blocks confirmed). Raises ValueError with a message for the user.
    """
    path = Path(path)
    content = Path(project.root).resolve()
    try:
        relative = path.resolve().relative_to(content)
    except ValueError:
        raise ValueError(f"{path}: not inside the content folder {project.root}") from None
    files = project.translatable_files
    if len(relative.parts) != 2 or relative.parts[1] not in files:
        raise ValueError(f"{path}: not a translatable document; expected content/<lang>/"
                         f"{{{','.join(files)}}}")
    lang, filename = relative.parts
    if lang not in project.workshop.languages:
        raise ValueError(f"{path}: '{lang}' is not one of the workshop's languages")
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    status = document_status(project, lang, filename)
    if status is None:
        raise ValueError(f"{path}: this is the source text ({lang}); confirm its translations "
                         "instead")
    # Paired blocks record their source's current hash; obsolete ones keep their old record
    # (they stay obsolete until deleted). Keyed by the translation's own block ids.
    blocks, texts = {}, {}
    for row in status.rows:
        if row.own is None or (row.state not in PAIRED and row.state != "obsolete"):
            continue
        blocks[row.own.id] = row.source.hash if row.state in PAIRED else row.recorded
        texts[row.own.id] = row.own.hash
    state = read_state(content, lang)
    state[filename] = {"source": status.source, "blocks": blocks}
    if filename.endswith(".md"):  # see translation/align.py
        state[filename]["texts"] = texts
        state[filename]["sequence"] = [b.hash for b in document_blocks(Path(status.source_path))
                                       or [] if b.id != "title"]
    write_state(content, lang, state)
    return lang, sum(1 for row in status.rows if row.own is not None and row.state in PAIRED)
