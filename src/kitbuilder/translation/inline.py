"""Inline Markdown a translator must not break, cut out of a block's text as codes.

A segment is a list of pieces: plain text, placeholders (a code that stays as it is: a
citation ``[@key, p. 1]``, inline code, an attribute list ``{.name}``, an escape) and pairs
(codes around translatable text: a link ``[text](url)``, emphasis ``*text*``, a span
``[text]{.name}``). XLIFF writes placeholders as ``<ph>`` and pairs as ``<g>``; PO as
``{1}`` and ``{2}…{/2}``. Codes are numbered in order, so the same source text always gives
the same codes: an import rebuilds them from the current source, never trusts the file's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Earliest match wins; at one position, the first alternative listed.
_PATTERNS = [
    ("ph", "x-citation", re.compile(r"\[(?=[^\[\]]*@)[^\[\]]*\](?![(\[{])")),
    ("ph", "x-code", re.compile(r"`+[^`]+?`+")),
    ("ph", "x-autolink", re.compile(r"<(?:https?|mailto):[^<>\s]+>")),
    ("g", "link", re.compile(r"(\[)((?:[^\[\]]|\[[^\[\]]*\])+)(\]\([^()\s]*(?:\s+\"[^\"]*\")?\))")),
    ("g", "x-span", re.compile(r"(\[)((?:[^\[\]]|\[[^\[\]]*\])+)(\]\{[^{}]*\})")),
    ("ph", "x-attributes", re.compile(r"\{[.#][^{}]*\}")),
    ("g", "bold", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)(\1)")),
    ("g", "italic", re.compile(r"(\*|(?<![\w])_)(?=\S)(.+?)(?<=\S)(\*|_(?![\w]))")),
    ("ph", "x-citation", re.compile(r"(?<![\w@\\])@[A-Za-z0-9_][\w:.#$%&+?<>~/-]*(?<![.:])")),
    ("ph", "x-escape", re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>|~^]")),
]


@dataclass
class Code:
    id: str
    kind: str  # "ph" or "g"
    ctype: str
    open: str  # the whole code for a placeholder; the opening part of a pair
    close: str = ""


@dataclass
class Piece:
    text: str = ""  # plain text (when code is None)
    code: Code | None = None
    children: list[Piece] = field(default_factory=list)  # inside a pair


def segment(text: str, codes: list[Code] | None = None) -> tuple[list[Piece], list[Code]]:
    """The pieces of ``text`` and its codes in order (ids "1", "2", …)."""
    codes = [] if codes is None else codes
    pieces: list[Piece] = []
    position = 0
    while position < len(text):
        best = None
        for kind, ctype, pattern in _PATTERNS:
            match = pattern.search(text, position)
            if match and (best is None or match.start() < best[2].start()):
                best = (kind, ctype, match)
        if best is None:
            pieces.append(Piece(text[position:]))
            break
        kind, ctype, match = best
        if match.start() > position:
            pieces.append(Piece(text[position:match.start()]))
        code = Code(str(len(codes) + 1), kind, ctype, match.group(0))
        codes.append(code)
        if kind == "ph":
            pieces.append(Piece(code=code))
        else:
            code.open, code.close = match.group(1), match.group(3)
            children, _ = segment(match.group(2), codes)
            pieces.append(Piece(code=code, children=children))
        position = match.end()
    return pieces, codes


def join(pieces: list[Piece]) -> str:
    """The Markdown text of pieces."""
    out = []
    for piece in pieces:
        if piece.code is None:
            out.append(piece.text)
        elif piece.code.kind == "ph":
            out.append(piece.code.open)
        else:
            out.append(piece.code.open + join(piece.children) + piece.code.close)
    return "".join(out)


def used_ids(pieces: list[Piece]) -> list[str]:
    found = []
    for piece in pieces:
        if piece.code is not None:
            found.append(piece.code.id)
            found.extend(used_ids(piece.children))
    return found


# PO: {1} for a placeholder, {2}…{/2} around a pair's text.
_PO_TOKEN = re.compile(r"\{(/?)(\d+)\}")


def to_po(pieces: list[Piece]) -> str:
    out = []
    for piece in pieces:
        if piece.code is None:
            out.append(piece.text)
        elif piece.code.kind == "ph":
            out.append(f"{{{piece.code.id}}}")
        else:
            out.append(f"{{{piece.code.id}}}{to_po(piece.children)}{{/{piece.code.id}}}")
    return "".join(out)


def po_legend(codes: list[Code]) -> str:
    """What each PO token stands for, for the translator's comment."""
    return "; ".join(f"{{{c.id}}} = {c.open}" if c.kind == "ph" else
                     f"{{{c.id}}}…{{/{c.id}}} = {c.open}…{c.close}" for c in codes)


def from_po(text: str, codes: dict[str, Code]) -> tuple[list[Piece], list[str]]:
    """Pieces of a PO translation; and what is wrong with its tokens (empty when fine)."""
    problems: list[str] = []
    stack: list[tuple[Code | None, list[Piece]]] = [(None, [])]
    position = 0
    for match in _PO_TOKEN.finditer(text):
        if match.start() > position:
            stack[-1][1].append(Piece(text[position:match.start()]))
        position = match.end()
        closing, number = match.group(1) == "/", match.group(2)
        code = codes.get(number)
        if code is None:
            problems.append(f"{match.group(0)} is not a code of the source text")
            continue
        if closing:
            if stack[-1][0] is not code:
                problems.append(f"{match.group(0)} closes a code that is not open")
                continue
            _, children = stack.pop()
            stack[-1][1].append(Piece(code=code, children=children))
        elif code.kind == "g":
            stack.append((code, []))
        else:
            stack[-1][1].append(Piece(code=code))
    if position < len(text):
        stack[-1][1].append(Piece(text[position:]))
    while len(stack) > 1:
        code, children = stack.pop()
        problems.append(f"{{{code.id}}} is opened but never closed with {{/{code.id}}}")
        stack[-1][1].append(Piece(code=code, children=children))
    return stack[0][1], problems


def code_problems(pieces: list[Piece], codes: list[Code]) -> list[str]:
    """Every code of the source exactly once: none dropped, none repeated."""
    used = used_ids(pieces)
    found = []
    for code in codes:
        count = used.count(code.id)
        shown = code.open if code.kind == "ph" else f"{code.open}…{code.close}"
        if count == 0:
            found.append(f"inline code {code.id} ({shown}) is missing; keep it")
        elif count > 1:
            found.append(f"inline code {code.id} ({shown}) appears {count} times; keep it once")
    return found
