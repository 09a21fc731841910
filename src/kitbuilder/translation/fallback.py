"""Per-block fallback: passages missing in a translation are shown in the source language,
each visibly marked in the kit's language ("Translation pending")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..content.model import DOCUMENT_FILES, Project
from ..locale import load_translations
from .blocks import Block, document_blocks

_LEAD = re.compile(r"^( {0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^])")


def pending_label(locales: Path, lang: str) -> str:
    return load_translations(Path(locales), lang).gettext("Translation pending")


def _section(block_id: str) -> str:
    return block_id.split(".")[0]


def missing_blocks(project: Project, lang: str, name: str) -> list[Block]:
    """Source blocks with no counterpart in ``lang`` (empty when the whole file is missing:
    then the whole document falls back, see Project.document)."""
    source = project.source_of(name)
    content = Path(project.root)
    if lang == source or getattr(project.languages[lang], name) is None:
        return []
    own = document_blocks(content / lang / DOCUMENT_FILES[name])
    if own is None:
        return []
    have = {b.id for b in own}
    return [b for b in document_blocks(content / source / DOCUMENT_FILES[name]) or []
            if b.id not in have]


def merged_markdown(project: Project, lang: str, label: str) -> tuple[str, list[str]]:
    """The translation's Markdown body with each missing source block put in its place,
    marked; (body, ids of the blocks that fell back). Unchanged when nothing is missing."""
    note = project.languages[lang].concept_note
    missing = missing_blocks(project, lang, "concept_note")
    if note is None or not [b for b in missing if b.id != "title"]:
        return (note.body if note else ""), [b.id for b in missing]
    content = Path(project.root)
    source_lang = project.source_of("concept_note")
    source = document_blocks(content / source_lang / "concept-note.md") or []
    own = {b.id: b for b in document_blocks(content / lang / "concept-note.md") or []}
    source_ids = {b.id for b in source}
    mark = "[\\[" + _MD_SPECIAL.sub(r"\\\1", label) + "\\]]{.pending-mark}"
    pieces: list[str] = []
    for index, block in enumerate(source):
        if block.id == "title":
            continue
        if block.id in own:
            pieces.append(own[block.id].raw)
        else:
            lead = _LEAD.match(block.raw)
            cut = lead.end() if lead else 0
            pieces.append(f"{block.raw[:cut]}{mark} {block.raw[cut:]}")
        following = source[index + 1] if index + 1 < len(source) else None
        if following is None or _section(following.id) != _section(block.id):
            # the translator's own extra blocks in this section stay where they are
            pieces += [b.raw for b in own.values()
                       if b.id not in source_ids and _section(b.id) == _section(block.id)]
    return "\n\n".join(pieces) + "\n", [b.id for b in missing]


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


def apply_block_fallbacks(context: dict, project: Project, lang: str, locales: Path) -> list[str]:
    """Put source text, marked, into the kit context where a YAML field is untranslated.

    Agenda and participant fields are marked inline; workshop.yaml fields (used on the cover
    and in file metadata) are shown unmarked, covered by the cover's "Provisional
    translation" notice. Returns "document:block" for every fallback, for the notice.
    """
    label = pending_label(locales, lang)
    fell_back: list[str] = []
    for name, where in (("agenda", "agenda"), ("participants", "participants"),
                        ("workshop", "workshop")):
        for block in missing_blocks(project, lang, name):
            fell_back.append(f"{DOCUMENT_FILES[name]}:{block.id}")
            node: Any = context.get(where)
            found = None
            for part in block.path:
                found = _locate(node, part)
                if found is None:
                    break
                node = found[0][found[1]]
            if found is None:
                continue
            container, key = found
            if name == "workshop":
                container[key] = block.raw
            else:
                container[key] = Markup(
                    '<span class="pending" lang="{src}">{text}</span> '
                    '<span class="pending-mark">[{label}]</span>'
                ).format(src=project.source_of(name), text=block.raw, label=escape(label))
    return fell_back
