"""Per-block fallback: passages missing in a translation are shown in the source language,
each visibly marked in the kit's language ("Translation pending")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..content.model import DATA_FIELDS, Project
from ..locale import load_translations
from .align import NOT_SHOWN, Row
from .blocks import Block, markdown_blocks
from .status import document_status

_LEAD = re.compile(r"^( {0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^])")


def pending_label(locales: Path, lang: str) -> str:
    return load_translations(Path(locales), lang).gettext("Translation pending")


def missing_blocks(project: Project, lang: str, filename: str) -> list[Block]:
    """Source blocks with no translation in ``lang``: no counterpart, or one still in the
    source text (empty when the whole file is missing: then the whole document falls back,
    see Project.document)."""
    rows = _rows(project, lang, filename)
    return [row.source for row in rows if row.state in NOT_SHOWN]


def _rows(project: Project, lang: str, filename: str) -> list[Row]:
    if lang == project.source_of(filename) or project.languages[lang].file(filename) is None:
        return []
    status = document_status(project, lang, filename)
    return status.rows if status is not None and status.exists else []


def merged_markdown(project: Project, lang: str, filename: str, label: str,
                    annotate: bool = False) -> tuple[str, list[str]]:
    """The translation's Markdown body in the source's order: each missing source block put
    in its place, marked; obsolete translation blocks (their source text was deleted) left
    out. (body, ids of the blocks that fell back). Unchanged when nothing is missing.

    ``annotate`` (the preview): every block starts with an empty span saying which file and
    line it comes from and its translation state, for the preview's stylesheet to show."""
    note = project.languages[lang].markdown.get(filename)
    everything = _rows(project, lang, filename)
    missing = [row.source.id for row in everything if row.state in NOT_SHOWN]
    rows = [row for row in everything if (row.source or row.own).id != "title"]
    if note is None or not any(row.state in (*NOT_SHOWN, "obsolete") for row in rows):
        if annotate and note is not None:
            return _annotate_in_place(project, lang, filename, note, rows), missing
        return (note.body if note else ""), missing
    mark = "[\\[" + _MD_SPECIAL.sub(r"\\\1", label) + "\\]]{.pending-mark}"
    pieces: list[str] = []
    for row in rows:
        if row.state == "obsolete":
            continue  # `check` and `status` tell the translator to delete it
        if row.own is not None and row.state != "untranslated":
            # translated, stale, unconfirmed, or the translator's extra
            raw = row.own.raw
            if annotate:
                raw = _lead_with(raw, _origin(project, lang, filename, row.own.line, row.state))
            pieces.append(raw)
        else:
            origin = (_origin(project, lang, filename, row.own.line, row.state) if row.own
                      else _origin(project, project.source_of(filename), filename,
                                   row.source.line, row.state))
            pieces.append(_lead_with(row.source.raw, (origin + " " if annotate else "") + mark))
    return "\n\n".join(pieces) + "\n", missing


def annotated_source(project: Project, lang: str, filename: str) -> str:
    """A document as written (the source language, or a whole-file fallback), each block
    leading with where it comes from: the preview's view of it."""
    note = project.languages[lang].markdown.get(filename)
    if note is None:
        return ""
    blocks = markdown_blocks(Path(project.root) / lang / filename) or []
    starts = {block.line: _origin(project, lang, filename, block.line, "source")
              for block in blocks if block.id != "title"}
    return _insert_at_lines(note, starts)


def _annotate_in_place(project: Project, lang: str, filename: str, note,
                       rows: list[Row]) -> str:
    starts = {row.own.line: _origin(project, lang, filename, row.own.line, row.state)
              for row in rows if row.own is not None}
    return _insert_at_lines(note, starts)


def _insert_at_lines(note, starts: dict[int, str]) -> str:
    """The body with ``starts[line]`` put at the head of the block starting on that line."""
    lines = note.body.split("\n")
    for line, origin in starts.items():
        offset = line - note.body_line
        if 0 <= offset < len(lines):
            lines[offset] = _lead_with(lines[offset], origin)
    return "\n".join(lines)


def _lead_with(raw: str, text: str) -> str:
    """``text`` after a block's Markdown lead (``## ``, ``- ``, ``1. ``), before its words."""
    lead = _LEAD.match(raw)
    cut = lead.end() if lead else 0
    return f"{raw[:cut]}{text} {raw[cut:]}"


def _origin(project: Project, lang: str, filename: str, line: int, state: str) -> str:
    """An empty span naming a block's file, line and state (pandoc attribute syntax)."""
    where = f"{Path(project.root).name}/{lang}/{filename}:{line}"
    return f'[]{{.kb-block data-kb-where="{where}" data-kb-state="{state}"}}'


def _locate(node: Any, part: Any) -> tuple[Any, Any] | None:
    """(container, key) for one step of a YAML key path in the context dicts."""
    if isinstance(node, dict):
        return (node, part) if part in node else None
    if isinstance(node, list):
        if isinstance(part, int):
            return (node, part) if part < len(node) else None
        for index, item in enumerate(node):
            if isinstance(item, dict) and item.get("id") == part:
                return node, index
    return None


def field_fallbacks(project: Project, lang: str) -> tuple[tuple[str, str, tuple, str], ...]:
    """(document, block id, key path, source text) of every untranslated YAML field in
    ``lang``: computed once per language (render_language), applied to every country's kit."""
    return tuple((DATA_FIELDS[filename], block.id, block.path, block.raw)
                 for filename in ("agenda.yaml", "participants.yaml", "workshop.yaml")
                 for block in missing_blocks(project, lang, filename))


def apply_block_fallbacks(context: dict, project: Project, lang: str, locales: Path,
                          fields: tuple | None = None) -> list[str]:
    """Put source text, marked, into the kit context where a YAML field is untranslated.

    Agenda and participant fields are marked inline; workshop.yaml fields (used on the cover
    and in file metadata) are shown unmarked, covered by the cover's "Provisional
    translation" notice. ``fields``: field_fallbacks(project, lang), when already known.
    Returns "document:block" for every fallback, for the notice.
    """
    label = pending_label(locales, lang)
    fell_back: list[str] = []
    where = {"agenda": "agenda", "participants": "participants", "workshop": "workshop"}
    for name, block_id, path, raw in field_fallbacks(project, lang) if fields is None else fields:
        fell_back.append(f"{name}.yaml:{block_id}")
        node: Any = context.get(where[name])
        found = None
        for part in path:
            found = _locate(node, part)
            if found is None:
                break
            node = found[0][found[1]]
        if found is None:
            continue
        container, key = found
        if name == "workshop":
            container[key] = raw
        else:
            container[key] = Markup(
                '<span class="pending" lang="{src}">{text}</span> '
                '<span class="pending-mark">[{label}]</span>'
            ).format(src=project.source_of(name), text=raw, label=escape(label))
    return fell_back
