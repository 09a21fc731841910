"""Rewriting translation files line by line, so every other byte stays as it was."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...errors import Problem
from ..blocks import Block, markdown_blocks
from .units import Unit, _text


def _scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back the same, else double-quoted."""
    try:
        if (text == text.strip() and not re.search(r"[\"'#]", text)
                and yaml.safe_load(f"k: {text}") == {"k": text}):
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _yaml_span(lines: list[str], block: Block) -> tuple[int, int, str] | None:
    """(first, last line index, text before the value) of a YAML value written at its line."""
    index = block.line - 1
    if not 0 <= index < len(lines):
        return None
    line = lines[index]
    key = block.path[-1] if block.path else None
    if isinstance(key, int) or (key is not None and not isinstance(key, str)):
        match = re.match(r"^(\s*-\s+)(.*)$", line)
    else:
        match = re.match(rf"^(\s*(?:-\s+)?['\"]?{re.escape(str(key))}['\"]?\s*:\s+)(.*)$", line)
    if match is None:
        return None
    indent = len(line) - len(line.lstrip())
    last = index
    for later in range(index + 1, len(lines)):
        stripped = lines[later].strip()
        if not stripped:
            continue
        if len(lines[later]) - len(lines[later].lstrip()) <= indent:
            break
        last = later
    return index, last, match.group(1)


def _set_path(data, path: tuple, value: str) -> bool:
    node = data
    for position, part in enumerate(path):
        last = position == len(path) - 1
        if isinstance(node, dict) and (part in node or last):
            key = part  # a missing last key: a field the import adds
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            key = part
        elif isinstance(node, list):
            key = next((i for i, item in enumerate(node)
                        if isinstance(item, dict) and item.get("id") == part), None)
            if key is None:
                return False
        else:
            return False
        if last:
            node[key] = value
            return True
        node = node[key]
    return False


@dataclass
class Edit:
    first: int  # 0-based line index
    last: int  # inclusive; first - 1 for an insertion before ``first``
    lines: list[str]


def plan_file(path: Path, source_path: Path, markdown: bool,
              changes: list[tuple[Unit, str]], after: dict[str, int],
              problems: list[Problem], where: tuple[str, int]) -> str | None:
    """The new text of one translation file with ``changes`` (unit, new text) applied."""
    exists = path.is_file()
    text = (path if exists else source_path).read_text(encoding="utf-8")
    lines = text.splitlines()
    edits: list[Edit] = []
    for unit, target in changes:
        own = unit.own if exists else unit.block
        if own is None and not markdown:
            # A missing field goes after the translated field before it in the same mapping.
            span = None if unit.anchor is None else _yaml_span(lines, unit.anchor)
            key = unit.block.path[-1] if unit.block.path else None
            if span is None or not isinstance(key, str):
                problems.append(Problem(*where, "error", f"unit {unit.id}: {path} has no field "
                                        f"{unit.block.id}; copy it from {source_path} and "
                                        "import again"))
                continue
            first, last, before = span
            indent = len(before) - len(before.lstrip())
            if before.lstrip().startswith("- "):
                indent += 2  # the anchor is the first key of a list item
            edits.append(Edit(last + 1, last, [" " * indent + f"{key}: {_scalar(target)}"]))
            continue
        if own is None:  # a missing Markdown paragraph: after the block before it
            lead, _ = _text(unit.block, True)
            at = after.get(unit.id, len(lines))
            edits.append(Edit(at, at - 1, ["", lead + target] if at > 0 else
                              [lead + target, ""]))
        elif markdown and own.id == "title":
            edits.append(Edit(own.line - 1, own.line - 1, [f"title: {_scalar(target)}"]))
        elif markdown:
            lead, _ = _text(own, True)
            count = len(own.raw.splitlines())
            edits.append(Edit(own.line - 1, own.line - 2 + count, [lead + target]))
        else:
            span = _yaml_span(lines, own)
            if span is None:
                problems.append(Problem(*where, "error", f"unit {unit.id}: the value of "
                                        f"{own.id} at {path}:{own.line} cannot be rewritten "
                                        "automatically; write it by hand"))
                continue
            first, last, before = span
            edits.append(Edit(first, last, [before + _scalar(target)]))
    # Bottom up, so earlier line numbers stay right; two insertions at one place keep their order.
    for _, edit in sorted(enumerate(edits), key=lambda pair: (pair[1].first, pair[0]),
                          reverse=True):
        lines[edit.first:edit.last + 1] = edit.lines
    return "\n".join(lines) + ("\n" if text.endswith("\n") or not text else "")


def _verify(path: Path, new_text: str, markdown: bool, changes: list[tuple[Unit, str]],
            old_text: str | None) -> bool:
    """The rewritten file reads back with exactly the intended texts."""
    if markdown:
        temporary = path.with_name(f".{path.name}.kitbuilder-check")
        temporary.write_text(new_text, encoding="utf-8")
        try:
            blocks = markdown_blocks(temporary, path.parent.parent) or []
        finally:
            temporary.unlink()
        texts = {" ".join(b.text.split()) for b in blocks}
        return all(" ".join((_text(u.block, True)[0] + t).split()) in texts
                   or (u.block.id == "title" and t in texts) for u, t in changes)
    try:
        new = yaml.safe_load(new_text)
        expected = yaml.safe_load(old_text) if old_text is not None else None
    except yaml.YAMLError:
        return False
    for unit, target in changes:
        if expected is None or not _set_path(expected, unit.block.path, target):
            return False
    return new == expected
