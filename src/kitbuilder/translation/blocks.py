"""Content documents cut into translatable blocks with stable ids.

A block is the unit a translator translates and the unit that goes stale:
- Markdown: the front-matter title, each heading, each paragraph, each list item.
  Ids are positional within a section: ``s2`` is the second heading, ``s2.3`` the third
  block under it (``s0.n`` before the first heading). Because an insertion shifts them,
  translation blocks are paired with source blocks by recorded hashes, not by id
  (translation/align.py).
- YAML: every text value, by key path (``slots.3.title``, ``delegation.sse.description``);
  list items with an ``id`` are addressed by it, others by position.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.files import read_text
from ..content.loader import LineDict, LineList, read_markdown, read_yaml
from ..errors import Problems

NOT_TEXT = frozenset({"start", "end", "id", "count", "day", "join_link"})  # never translated
SLOT_KEYS_NOT_TEXT = frozenset({"kind"})  # an agenda slot's kind is data; workshop.yaml's is text
_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_TITLE = re.compile(r"^title\s*:")


@dataclass(frozen=True)
class Block:
    id: str
    raw: str  # the text as written (Markdown source of the block, or the YAML value)
    line: int
    path: tuple = ()  # YAML key path; () for Markdown blocks

    @property
    def text(self) -> str:
        return " ".join(self.raw.split())

    @property
    def hash(self) -> str:
        return short_hash(self.raw)


def short_hash(text: str) -> str:
    """Ten hex digits of SHA-256 of the text with its whitespace normalised."""
    return hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:10]


def markdown_blocks(path: Path, root: Path | None = None) -> list[Block] | None:
    doc = read_markdown(path, Problems(), root)
    text = None if doc is None else read_text(path, Problems(), root)
    if text is None:
        return None  # the content loader reports the file
    lines = text.splitlines()
    head = lines[: doc.body_line]
    title_line = next((i + 1 for i, line in enumerate(head) if _TITLE.match(line)), 2)
    blocks = [Block("title", doc.title, title_line)]
    section, count = 0, 0
    current: list[str] = []
    start = 0

    def close() -> None:
        nonlocal current, count
        if current:
            count += 1
            blocks.append(Block(f"s{section}.{count}", "\n".join(current), start))
        current = []

    for offset, line in enumerate(doc.body.splitlines()):
        lineno = doc.body_line + offset
        if not line.strip():
            close()
        elif _HEADING.match(line) and not current:
            section, count = section + 1, 0
            blocks.append(Block(f"s{section}", line.strip(), lineno))
        elif _ITEM.match(line) or not current:
            close()
            current, start = [line], lineno
        else:
            current.append(line)
    close()
    return blocks


def yaml_blocks(path: Path, root: Path | None = None) -> list[Block] | None:
    data = read_yaml(path, Problems(), root=root)
    if data is None:
        return None
    blocks: list[Block] = []
    _walk(data, (), getattr(data, "line", 1), blocks)
    return blocks


def _walk(node: Any, where: tuple, line: int, out: list[Block]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NOT_TEXT or (key in SLOT_KEYS_NOT_TEXT and where[:1] == ("slots",)):
                continue
            key_line = node.key_lines.get(key, line) if isinstance(node, LineDict) else line
            _walk(value, (*where, key), key_line, out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            item_line = node.item_lines[index] if isinstance(node, LineList) else line
            key = value.get("id") if isinstance(value, dict) and value.get("id") else index
            _walk(value, (*where, key), item_line, out)
    elif isinstance(node, str) and node.strip():
        out.append(Block(".".join(str(p) for p in where), node, line, where))


def document_blocks(path: Path) -> list[Block] | None:
    """Blocks of a content file; None when it is missing or cannot be read."""
    if not path.is_file():
        return None
    root = path.parent.parent  # documents are <content>/<lang>/<file>: never read past it
    return markdown_blocks(path, root) if path.suffix == ".md" else yaml_blocks(path, root)
