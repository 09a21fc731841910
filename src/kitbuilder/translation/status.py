"""Per language and document: which blocks are translated, missing, stale or unconfirmed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..content.model import DOCUMENT_FILES, Project
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
    exists: bool  # the translation file exists
    in_kits: bool  # some country gets a kit in this language
    blocks: list[BlockStatus] = field(default_factory=list)
    extra: list[Block] = field(default_factory=list)  # translation blocks with no source block

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
                "translated_pct": percent(counts["translated"], self.total)}


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def document_status(project: Project, lang: str, name: str) -> DocumentStatus | None:
    """Status of one document in one language; None in the document's own source language."""
    content = Path(project.root)
    filename = DOCUMENT_FILES[name]
    source = project.source_of(name)
    if lang == source:
        return None
    source_path, path = content / source / filename, content / lang / filename
    status = DocumentStatus(lang, filename, source, str(path), str(source_path), path.is_file(),
                            any(lang in c.languages for c in project.countries))
    source_blocks = document_blocks(source_path) or []
    own = {b.id: b for b in (document_blocks(path) or [])}
    recorded = read_state(content, lang).get(filename, {})
    hashes = recorded.get("blocks", {}) if recorded.get("source", source) == source else {}
    for block in source_blocks:
        mine = own.pop(block.id, None)
        if mine is None:
            state, line = "missing", block.line
        elif block.id not in hashes:
            state, line = "unconfirmed", mine.line
        elif str(hashes[block.id]) != block.hash:
            state, line = "stale", mine.line
        else:
            state, line = "translated", mine.line
        status.blocks.append(BlockStatus(block.id, state, line, block.line, block.text))
    status.extra = list(own.values())
    return status


def project_status(project: Project, languages: tuple[str, ...] = ()) -> list[DocumentStatus]:
    found = []
    for lang in project.workshop.languages:
        if languages and lang not in languages or lang not in project.languages:
            continue
        for name in DOCUMENT_FILES:
            status = document_status(project, lang, name)
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
        row["total"] = sum(s.total for s in mine)
        row["translated_pct"] = percent(row["translated"], row["total"])
        rows.append(row)
    return rows


def as_json(project: Project, statuses: list[DocumentStatus]) -> dict:
    return {
        "languages": language_totals(project, statuses),
        "documents": [
            {**s.summary(),
             "blocks": [asdict(b) for b in s.blocks if b.state != "translated"]}
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
    names = {filename: name for name, filename in DOCUMENT_FILES.items()}
    if len(relative.parts) != 2 or relative.parts[1] not in names:
        raise ValueError(f"{path}: not a translatable document; expected content/<lang>/"
                         f"{{{','.join(DOCUMENT_FILES.values())}}}")
    lang, filename = relative.parts
    if lang not in project.workshop.languages:
        raise ValueError(f"{path}: '{lang}' is not one of the workshop's languages")
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    status = document_status(project, lang, names[filename])
    if status is None:
        raise ValueError(f"{path}: this is the source text ({lang}); confirm its translations "
                         "instead")
    source_blocks = {b.id: b for b in document_blocks(Path(status.source_path)) or []}
    confirmed = {b.id: source_blocks[b.id].hash for b in status.blocks if b.state != "missing"}
    state = read_state(content, lang)
    state[filename] = {"source": status.source, "blocks": confirmed}
    write_state(content, lang, state)
    return lang, len(confirmed)
