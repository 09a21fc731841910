"""Content documents cut into translatable blocks with stable ids.

A block is the unit a translator translates and the unit that goes stale:
- Markdown, from markdown-it-py's block tokens (CommonMark and pipe tables): the front-matter
  title, each heading, each paragraph, each item of a list (a top-level item with whatever
  is nested in it), each table, block quote, fenced or indented code and HTML block; a
  thematic break and link definitions are not text and are no block. List items are blocks
  of their own, not whole lists: translators add, drop and reorder items, and an item is what
  a source edit touches, so a changed item leaves its neighbours translated. Ids are
  positional within a section: ``s2`` is the second heading, ``s2.3`` the third block under
  it (``s0.n`` before the first heading); because an insertion shifts them, translation blocks
  are paired with source blocks by recorded hashes and structure, not by id
  (translation/align.py).
- YAML: every text value, by key path (``slots.3.title``, ``delegation.sse.description``);
  list items with an ``id`` are addressed by it, others by position. Fields that are never
  translated (names, rooms, links, e-mails, codes: content/model.py NOT_TRANSLATED) are no
  block.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ..content.files import read_text
from ..content.loader import LineDict, LineList, read_markdown, read_yaml
from ..errors import Problems
from .fields import is_translated

_TITLE = re.compile(r"^title\s*:")
_ITEM_MARK = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?=\s|$)")
# Block kinds whose text is the same in every language more often than not: a copy of the
# source is not "untranslated" for them (code, raw HTML, a line of numbers).
NEUTRAL_KINDS = frozenset({"code", "html"})
_KINDS = {"paragraph_open": "paragraph", "blockquote_open": "quote", "table_open": "table",
          "fence": "code", "code_block": "code", "html_block": "html"}
_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Block:
    id: str
    raw: str  # the text as written (Markdown source lines of the block, or the YAML value)
    line: int
    path: tuple = ()  # YAML key path; () for Markdown blocks
    kind: str = "text"  # Markdown: title, h1…h6, paragraph, item, quote, table, code, html
    end: int = 0  # Markdown: the block's last line (0: the same as ``line``)

    @property
    def text(self) -> str:
        return " ".join(self.raw.split())

    @property
    def hash(self) -> str:
        """The hash records keep. A list item's marker is left out: an item inserted above
        renumbers the items below it without changing what they say."""
        return short_hash(_ITEM_MARK.sub("-", self.raw, count=1) if self.kind == "item"
                          else self.raw)

    @property
    def old_hash(self) -> str:
        """The hash kitbuilder recorded before it left list markers out (older state files)."""
        return short_hash(self.raw)

    @property
    def hashes(self) -> tuple[str, ...]:
        return (self.hash,) if self.hash == self.old_hash else (self.hash, self.old_hash)

    @property
    def last(self) -> int:
        return max(self.end, self.line)

    @property
    def neutral(self) -> bool:
        """A copy of the source is no sign of an untranslated block (code, numbers only)."""
        return self.kind in NEUTRAL_KINDS or not any(c.isalpha() for c in self.raw)


def short_hash(text: str) -> str:
    """Ten hex digits of SHA-256 of the text with its whitespace normalised."""
    return hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:10]


def body_blocks(body: str, first_line: int = 1) -> list[Block]:
    """The blocks of a Markdown body whose first line is line ``first_line`` of its file."""
    lines = body.split("\n")
    blocks: list[Block] = []
    section, count = 0, 0
    for token in _PARSER.parse(body):
        if token.level != 0 and not (token.type == "list_item_open" and token.level == 1):
            continue
        if token.map is None or token.nesting == -1:
            continue
        if token.type == "heading_open":
            section, count = section + 1, 0
            blocks.append(_block(f"s{section}", token.tag, lines, token.map, first_line))
            continue
        if token.type == "list_item_open":
            kind = "item"
        elif token.type in _KINDS:
            kind = _KINDS[token.type]
        else:
            continue  # a list's own token (its items are the blocks), a thematic break
        count += 1
        blocks.append(_block(f"s{section}.{count}", kind, lines, token.map, first_line))
    return blocks


def _block(block_id: str, kind: str, lines: list[str], where: list[int],
           first_line: int) -> Block:
    start, stop = where
    chunk = lines[start:stop]
    while chunk and not chunk[-1].strip():  # a loose list item's map takes the blank after it
        chunk.pop()
    return Block(block_id, "\n".join(chunk), first_line + start, kind=kind,
                 end=first_line + start + max(len(chunk) - 1, 0))


def markdown_blocks(path: Path, root: Path | None = None) -> list[Block] | None:
    doc = read_markdown(path, Problems(), root)
    text = None if doc is None else read_text(path, Problems(), root)
    if text is None:
        return None  # the content loader reports the file
    head = text.splitlines()[: doc.body_line]
    title_line = next((i + 1 for i, line in enumerate(head) if _TITLE.match(line)), 2)
    return [Block("title", doc.title, title_line, kind="title"),
            *body_blocks(doc.body, doc.body_line)]


def yaml_blocks(path: Path, root: Path | None = None) -> list[Block] | None:
    data = read_yaml(path, Problems(), root=root)
    if data is None:
        return None
    blocks: list[Block] = []
    _walk(data, (), (), getattr(data, "line", 1), blocks, path.name)
    return blocks


def _walk(node: Any, where: tuple, fields: tuple, line: int, out: list[Block],
          filename: str) -> None:
    """``where``: the key path (list items by id or position); ``fields``: the field names
    only, as the content model knows them (translation/fields.py)."""
    if isinstance(node, dict):
        for key, value in node.items():
            key_line = node.key_lines.get(key, line) if isinstance(node, LineDict) else line
            _walk(value, (*where, key), (*fields, str(key)), key_line, out, filename)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            item_line = node.item_lines[index] if isinstance(node, LineList) else line
            key = value.get("id") if isinstance(value, dict) and value.get("id") else index
            _walk(value, (*where, key), fields, item_line, out, filename)
    elif isinstance(node, str) and node.strip() and is_translated(filename, fields, node):
        out.append(Block(".".join(str(p) for p in where), node, line, where))


def document_blocks(path: Path) -> list[Block] | None:
    """Blocks of a content file; None when it is missing or cannot be read."""
    if not path.is_file():
        return None
    root = path.parent.parent  # documents are <content>/<lang>/<file>: never read past it
    return markdown_blocks(path, root) if path.suffix == ".md" else yaml_blocks(path, root)
