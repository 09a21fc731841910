"""Per-block fallback: for every source block a kit shows the translation confirmed against
the current source text, or the source text marked "Translation pending" in the kit's
language; a translation paired with no source block is shown, marked "Translation under
review" (translation/align.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..content.model import DATA_FIELDS, Project
from ..locale import direction_of, load_translations
from .align import NOT_SHOWN, Row
from .blocks import Block, markdown_blocks
from .status import document_status

_LEAD = re.compile(r"^( {0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+)")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^])")
# Blocks a mark cannot lead inside without breaking them: the mark is a paragraph before.
_MARKED_BEFORE = frozenset({"table", "code", "html", "quote"})


def pending_label(locales: Path, lang: str) -> str:
    return load_translations(Path(locales), lang).gettext("Translation pending")


def review_label(locales: Path, lang: str) -> str:
    return load_translations(Path(locales), lang).gettext("Translation under review")


def missing_blocks(project: Project, lang: str, filename: str) -> list[Block]:
    """Source blocks a kit in ``lang`` shows in the source text, marked: no translation
    confirmed against the current source (empty when the whole file is missing: then the
    whole document falls back, see Project.document)."""
    rows = _rows(project, lang, filename)
    return [row.source for row in rows if row.state in NOT_SHOWN]


def _rows(project: Project, lang: str, filename: str) -> list[Row]:
    if lang == project.source_of(filename) or project.languages[lang].file(filename) is None:
        return []
    status = document_status(project, lang, filename)
    return status.rows if status is not None and status.exists else []


@dataclass(frozen=True)
class Merged:
    body: str  # the Markdown a kit renders
    pending: list[str]  # ids of the source blocks shown in the source text, marked
    review: list[str]  # ids of the translation blocks shown flagged for review


def merged_markdown(project: Project, lang: str, filename: str, label: str,
                    annotate: bool = False, review: str = "Translation under review"
                    ) -> Merged:
    """The translation's Markdown body as a kit shows it: each block whose translation is
    not confirmed against the current source replaced by the source text, marked ``label``;
    each missing source block put in its place, marked; each unpaired translation block kept,
    marked ``review``. Every line that is no block (a rule, link definitions) stays.

    ``annotate`` (the preview): every block starts with an empty span saying which file and
    line it comes from and its translation state, for the preview's stylesheet to show; a
    stale or unconfirmed block shows the translator's text there."""
    note = project.languages[lang].markdown.get(filename)
    if note is None:
        return Merged("", [], [])
    rows = [row for row in _rows(project, lang, filename)
            if (row.source or row.own).id != "title"]
    pending = [row.source.id for row in rows if row.state in NOT_SHOWN]
    unpaired = [row.own.id for row in rows if row.state == "unpaired"]
    if not pending and not unpaired and not annotate:
        return Merged(note.body, [], [])
    mark = _mark_text(label, "pending-mark")
    flag = _mark_text(review, "review-mark")
    source_lang = project.source_of(filename)
    replace: dict[int, str] = {}  # a translation block's first line → what the kit shows
    after: dict[int, list[str]] = {}  # a line → missing source blocks shown after its block
    last = note.body_line - 1  # the last line of the translation block before this row
    for row in rows:
        origin = ""
        if annotate:
            origin = (_origin(project, lang, filename, row.own.line, row.state) if row.own
                      else _origin(project, source_lang, filename, row.source.line, row.state))
        if row.own is None:
            after.setdefault(last, []).append(_in_source(_mark(row.source, " ".join(
                x for x in (origin, mark) if x)), row.source, source_lang, lang))
            continue
        last = row.own.last
        if annotate and row.state in ("stale", "unconfirmed"):
            # The preview is the translator's working view: their own text, tagged with its
            # state, so an edit shows as they save; the kit shows the source, marked.
            shown = _mark(row.own, origin)
        elif row.state in NOT_SHOWN:
            shown = _in_source(_mark(row.source, " ".join(x for x in (origin, mark) if x)),
                               row.source, source_lang, lang)
        elif row.state == "unpaired":
            shown = _mark(row.own, " ".join(x for x in (origin, flag) if x))
        else:
            shown = _mark(row.own, origin) if origin else row.own.raw
        replace[row.own.line] = shown
    return Merged(_spliced(note, rows, replace, after), pending, unpaired)


def _spliced(note, rows: list[Row], replace: dict[int, str],
             after: dict[int, list[str]]) -> str:
    """The body with blocks replaced (by first line) and pieces put after given lines."""
    lines = note.body.split("\n")
    ends = {row.own.line: row.own.last for row in rows if row.own is not None}
    out: list[str] = []
    for piece in after.get(note.body_line - 1, []):
        out += [*piece.split("\n"), ""]
    number = note.body_line
    while number - note.body_line < len(lines):
        if number in replace:
            out += replace[number].split("\n")
            number = ends[number] + 1
            last = number - 1
        else:
            out.append(lines[number - note.body_line])
            last, number = number, number + 1
        for piece in after.get(last, []):
            out += ["", *piece.split("\n")]
            if number - note.body_line < len(lines) and lines[number - note.body_line].strip():
                out.append("")
    return "\n".join(out)


def _mark_text(label: str, css: str) -> str:
    return "[\\[" + _MD_SPECIAL.sub(r"\\\1", label) + "\\]]{." + css + "}"


def _mark(block: Block, text: str) -> str:
    """A block's Markdown led by ``text`` (a mark, an origin span)."""
    if not text:
        return block.raw
    if block.kind in _MARKED_BEFORE:
        return f"{text}\n\n{block.raw}"
    return _lead_with(block.raw, text)


def annotated_source(project: Project, lang: str, filename: str) -> str:
    """A document as written (the source language, or a whole-file fallback), each block
    leading with where it comes from: the preview's view of it."""
    note = project.languages[lang].markdown.get(filename)
    if note is None:
        return ""
    blocks = [b for b in markdown_blocks(Path(project.root) / lang / filename) or []
              if b.id != "title"]
    rows = [Row(None, block, "source") for block in blocks]
    replace = {block.line: _mark(block, _origin(project, lang, filename, block.line, "source"))
               for block in blocks}
    return _spliced(note, rows, replace, {})


def _in_source(markdown: str, block: Block, source: str, lang: str) -> str:
    """A source block shown in a kit written the other way (English in Arabic): marked with
    its language and direction, so that it reads left to right. A list item or a heading keeps
    its place (a span over its words: pandoc makes a div led by a heading a section, which the
    sanitiser drops); any other block becomes a div."""
    direction = direction_of(source)
    if direction == direction_of(lang):
        return markdown
    attributes = f'{{lang="{source}" dir="{direction}"}}'
    if block.kind == "item" or re.fullmatch(r"h[1-6]", block.kind):
        lead = _LEAD.match(markdown)
        cut = lead.end() if lead else 0
        return f"{markdown[:cut]}[{markdown[cut:]}]{attributes}"
    return f"::: {attributes}\n{markdown}\n:::"


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
    """(document, block id, key path, text) of every YAML field in ``lang`` a kit marks: the
    source text of a field not translated, or, with the block id prefixed "review:", the
    translation of a field that has no source field. Computed once per language
    (render_language), applied to every country's kit."""
    pending = tuple((DATA_FIELDS[filename], block.id, block.path, block.raw)
                    for filename in ("agenda.yaml", "participants.yaml", "workshop.yaml")
                    for block in missing_blocks(project, lang, filename))
    review = tuple((DATA_FIELDS[filename], "review:" + row.own.id, row.own.path, row.own.raw)
                   for filename in ("agenda.yaml", "participants.yaml")
                   for row in _rows(project, lang, filename) if row.state == "unpaired")
    return pending + review


def apply_block_fallbacks(context: dict, project: Project, lang: str, locales: Path,
                          fields: tuple | None = None) -> list[str]:
    """Put source text, marked, into the kit context where a YAML field is untranslated, and
    mark a translated field that has no source field "Translation under review".

    Agenda and participant fields are marked inline; workshop.yaml fields (used on the cover
    and in file metadata) are shown unmarked, covered by the cover's "Provisional
    translation" notice. ``fields``: field_fallbacks(project, lang), when already known.
    Returns "document:block" for every fallback, for the notice (fields under review go to
    the context's ``kit.review``).
    """
    label, flag = pending_label(locales, lang), review_label(locales, lang)
    fell_back: list[str] = []
    review: list[str] = []
    for name, block_id, path, raw in field_fallbacks(project, lang) if fields is None else fields:
        found = _field(context.get(name), path)
        if block_id.startswith("review:"):
            review.append(f"{name}.yaml:{block_id.removeprefix('review:')}")
            if found is not None:
                container, key = found
                container[key] = Markup('{text} <span class="review-mark">[{flag}]</span>'
                                        ).format(text=container[key], flag=escape(flag))
            continue
        fell_back.append(f"{name}.yaml:{block_id}")
        if found is None:
            continue
        container, key = found
        if name == "workshop":
            container[key] = raw
        else:
            container[key] = Markup(
                '<span class="pending" lang="{src}"{dir}>{text}</span> '
                '<span class="pending-mark">[{label}]</span>'
            ).format(src=project.source_of(name), dir=_direction(project.source_of(name), lang),
                     text=raw, label=escape(label))
    if review and isinstance(context.get("kit"), dict):
        context["kit"]["review"] = (*context["kit"].get("review", ()), *review)
    return fell_back


def _direction(source: str, lang: str) -> Markup:
    """The source text's direction, where it differs from the kit's (English in Arabic)."""
    direction = direction_of(source)
    return Markup(f' dir="{direction}"') if direction != direction_of(lang) else Markup("")


def _field(node: Any, path: tuple) -> tuple[Any, Any] | None:
    """(container, key) of a YAML key path in the kit context, or None."""
    found = None
    for part in path:
        found = _locate(node, part)
        if found is None:
            return None
        node = found[0][found[1]]
    return found
