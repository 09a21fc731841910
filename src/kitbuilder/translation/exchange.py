"""Exchange with CAT tools: ``translations export`` (XLIFF 1.2 or PO) and ``translations import``.

A unit is one translatable block of one document (translation/blocks.py) in one language:
- id: ``<document>#<source hash>`` (``-2``, ``-3`` for a repeated source text in the same
  document), so it survives paragraphs inserted elsewhere and goes stale with its source text;
- source: the block's source text, Markdown list/heading markers left out (they stay in the
  file), inline Markdown protected as codes (translation/inline.py);
- target: the current translation, if any (none for a missing block or one still in the
  source text); state: new, needs-review-translation (stale or unconfirmed) or translated;
- a note with the file and line of the translation and of the source.

Import checks everything first and writes nothing when anything is wrong (every problem at
its line in the imported file). Then it rewrites only the blocks whose text changed, line by
line, so every other byte of the content files stays as it was; and records as confirmed each
block it wrote, and each block whose unit is marked translated (or final, signed-off).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content.model import Project
from ..errors import KitError, Problem
from .blocks import Block, markdown_blocks
from .inline import (
    Code,
    Piece,
    code_problems,
    from_po,
    join,
    po_legend,
    segment,
    to_po,
)
from .status import confirm, document_status, word_diff

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_LEAD = re.compile(r"^( {0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)])\s+)")
# Which blocks `--only` selects: a block still in the source text counts as missing.
CATEGORIES = {"translated": "translated", "stale": "stale", "unconfirmed": "unconfirmed",
              "untranslated": "missing", "missing": "missing"}
STATES = {"translated": "translated", "stale": "needs-review-translation",
          "unconfirmed": "needs-review-translation", "untranslated": "new", "missing": "new"}
APPROVED = {"translated", "final", "signed-off"}


@dataclass
class Unit:
    id: str
    document: str
    lang: str
    source_lang: str
    block: Block  # the source block
    own: Block | None  # the translation block (None when missing)
    state: str  # the block's state (translation/status.py)
    source: str  # the text a translator sees, Markdown marker left out
    target: str | None
    note: str
    path: Path  # the translation file
    recorded_was: str | None = None  # for a stale block: the source text it was made from
    anchor: Block | None = None  # YAML: the translated value before it in the same mapping

    @property
    def pieces_and_codes(self) -> tuple[list[Piece], list[Code]]:
        return segment(self.source)


def _text(block: Block, markdown: bool) -> tuple[str, str]:
    """(lead, text): a Markdown block's marker ("## ", "1. ") and its text, on one line."""
    text = block.text
    if markdown and block.id != "title":
        lead = _LEAD.match(text)
        if lead:
            return lead.group(1), text[lead.end():]
    return "", text


def collect_units(project: Project, lang: str) -> list[Unit]:
    from .state import read_state
    from .status import was_text

    content = Path(project.root)
    recorded = read_state(content, lang)

    def shown(where: str) -> str:  # relative to the project folder, as a translator sees it
        return os.path.relpath(where, content.parent)

    units: list[Unit] = []
    for filename in project.translatable_files:
        status = document_status(project, lang, filename)
        if status is None:
            continue
        markdown = filename.endswith(".md")
        seen: Counter = Counter()
        last_own: dict[tuple, Block] = {}  # parent key path → the last translated value in it
        for row in status.rows:
            if row.source is None:
                continue
            anchor = last_own.get(row.source.path[:-1])
            if row.own is not None and not markdown and row.own.path[:-1] == row.source.path[:-1]:
                last_own[row.source.path[:-1]] = row.own
            seen[row.source.hash] += 1
            count = seen[row.source.hash]
            unit_id = f"{filename}#{row.source.hash}" + (f"-{count}" if count > 1 else "")
            _, source = _text(row.source, markdown)
            target = None
            if row.own is not None and row.state != "untranslated":
                target = _text(row.own, markdown)[1]
            line = (f"{shown(status.path)} line {row.own.line}" if row.own is not None
                    else f"{shown(status.path)} (not there yet)")
            note = (f"{filename}, block {row.source.id}: translation {line}; source "
                    f"{shown(status.source_path)} line {row.source.line}; state {row.state}")
            was = None
            if row.state == "stale" and row.own is not None:
                was = was_text(recorded.get(filename, {}), row.own.id)
                if was is not None:
                    note += f"; source change: {word_diff(was, row.source.raw)}"
            units.append(Unit(unit_id, filename, lang, status.source, row.source, row.own,
                              row.state, source, target, note, Path(status.path), was,
                              None if markdown else anchor))
    return units


def select(units: list[Unit], only: tuple[str, ...]) -> list[Unit]:
    return [u for u in units if not only or CATEGORIES[u.state] in only]


# --- export -------------------------------------------------------------------------------

def _xliff_inline(parent, pieces: list[Piece]) -> None:
    """Append pieces to an lxml element: text, <ph> and <g> children."""
    from lxml import etree

    last = None
    for piece in pieces:
        if piece.code is None:
            if last is None:
                parent.text = (parent.text or "") + piece.text
            else:
                last.tail = (last.tail or "") + piece.text
            continue
        if piece.code.kind == "ph":
            last = etree.SubElement(parent, f"{{{XLIFF_NS}}}ph", id=piece.code.id,
                                    ctype=piece.code.ctype)
            last.text = piece.code.open
        else:
            last = etree.SubElement(parent, f"{{{XLIFF_NS}}}g", id=piece.code.id,
                                    ctype=piece.code.ctype)
            _xliff_inline(last, piece.children)


def _target_pieces(unit: Unit) -> list[Piece] | None:
    """The current target cut with the source's codes (None when they do not match)."""
    if unit.target is None:
        return None
    pieces, codes = segment(unit.target)
    source_codes = {(c.kind, c.open, c.close) for c in unit.pieces_and_codes[1]}
    if {(c.kind, c.open, c.close) for c in codes} != source_codes:
        return None
    # Renumber the target's codes as the source's (the same code text, in the source order).
    by_text = {}
    for code in unit.pieces_and_codes[1]:
        by_text.setdefault((code.kind, code.open, code.close), []).append(code)
    for code in codes:
        twins = by_text[(code.kind, code.open, code.close)]
        source_code = twins.pop(0) if twins else None
        if source_code is None:
            return None
        code.id = source_code.id
    return pieces


def export_xliff(units: list[Unit], lang: str, source_lang: str) -> bytes:
    from lxml import etree

    root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap={None: XLIFF_NS}, version="1.2")
    files: dict[str, object] = {}
    for unit in units:
        if unit.document not in files:
            file_element = etree.SubElement(
                root, f"{{{XLIFF_NS}}}file", original=unit.document,
                datatype="x-markdown" if unit.document.endswith(".md") else "plaintext",
                **{"source-language": unit.source_lang, "target-language": lang})
            files[unit.document] = etree.SubElement(file_element, f"{{{XLIFF_NS}}}body")
        element = etree.SubElement(files[unit.document], f"{{{XLIFF_NS}}}trans-unit",
                                   id=unit.id, resname=unit.block.id)
        element.set(f"{{{XML_NS}}}space", "preserve")
        pieces, _ = unit.pieces_and_codes
        source = etree.SubElement(element, f"{{{XLIFF_NS}}}source")
        source.set(f"{{{XML_NS}}}lang", unit.source_lang)
        _xliff_inline(source, pieces)
        target_pieces = _target_pieces(unit)
        target = etree.SubElement(element, f"{{{XLIFF_NS}}}target", state=STATES[unit.state])
        target.set(f"{{{XML_NS}}}lang", lang)
        if target_pieces is not None:
            _xliff_inline(target, target_pieces)
        elif unit.target is not None:
            target.text = unit.target  # its codes differ from the source's: fix it in the tool
        note = etree.SubElement(element, f"{{{XLIFF_NS}}}note", **{"from": "kitbuilder"})
        note.text = unit.note
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_po(units: list[Unit], lang: str, source_lang: str) -> bytes:
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "kitbuilder content", "Language": lang,
                   "X-Source-Language": source_lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    for unit in units:
        pieces, codes = unit.pieces_and_codes
        target_pieces = _target_pieces(unit)
        msgstr = (to_po(target_pieces) if target_pieces is not None
                  else unit.target or "")
        comment = unit.note + (f"\nCodes: {po_legend(codes)}" if codes else "")
        entry = polib.POEntry(msgctxt=unit.id, msgid=to_po(pieces), msgstr=msgstr,
                              comment=comment,
                              occurrences=[(str(unit.path), str(unit.own.line if unit.own
                                                                 else 0))])
        if unit.state in ("stale", "unconfirmed") and msgstr:
            entry.flags.append("fuzzy")
        po.append(entry)
    return str(po).encode("utf-8")


def export(project: Project, lang: str, fmt: str, only: tuple[str, ...]) -> tuple[bytes, int]:
    units = select(collect_units(project, lang), only)
    source_lang = project.workshop.source_language
    data = (export_xliff if fmt == "xliff" else export_po)(units, lang, source_lang)
    return data, len(units)


# --- import -------------------------------------------------------------------------------

@dataclass
class Incoming:
    id: str
    line: int
    pieces: list[Piece] | None  # None: no target
    approved: bool  # marked translated / final / not fuzzy
    source_text: str | None = None  # the unit's source as the file has it
    problems: list[str] = field(default_factory=list)


def _pieces_from_xliff(element, codes: dict[str, Code], problems: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    if element.text:
        pieces.append(Piece(element.text))
    for child in element:
        tag = child.tag.split("}")[-1] if isinstance(child.tag, str) else ""
        code = codes.get(child.get("id", ""))
        if tag not in ("ph", "g"):
            problems.append(f"<{tag}> is not an inline code kitbuilder wrote; remove it")
        elif code is None or code.kind != tag:
            problems.append(f"<{tag} id=\"{child.get('id')}\"> is not a code of the source "
                            "text")
        elif tag == "ph":
            if (child.text or "") != code.open:
                problems.append(f"inline code {code.id} was altered: \"{child.text or ''}\" "
                                f"instead of \"{code.open}\"")
            pieces.append(Piece(code=code))
        else:
            pieces.append(Piece(code=code, children=_pieces_from_xliff(child, codes,
                                                                       problems)))
        if child.tail:
            pieces.append(Piece(child.tail))
    return pieces


def read_xliff(path: Path, data: bytes, units: dict[str, Unit],
               problems: list[Problem]) -> tuple[str | None, list[Incoming]]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problems.append(Problem(str(path), exc.lineno or 0, "error",
                                f"not valid XML: {exc.msg}; export again or fix the file"))
        return None, []
    if root.tag != f"{{{XLIFF_NS}}}xliff" or root.get("version") != "1.2":
        problems.append(Problem(str(path), root.sourceline or 1, "error",
                                "not an XLIFF 1.2 file (expected <xliff version=\"1.2\"> in "
                                f"the namespace {XLIFF_NS})"))
        return None, []
    langs = {f.get("target-language") for f in root.iter(f"{{{XLIFF_NS}}}file")}
    lang = next(iter(langs)) if len(langs) == 1 else None
    if lang is None:
        problems.append(Problem(str(path), root.sourceline or 1, "error",
                                "every <file> must have the same target-language"))
    incoming = []
    for element in root.iter(f"{{{XLIFF_NS}}}trans-unit"):
        unit_id = element.get("id", "")
        item = Incoming(unit_id, element.sourceline or 0, None, False)
        incoming.append(item)
        unit = units.get(unit_id)
        source = element.find(f"{{{XLIFF_NS}}}source")
        target = element.find(f"{{{XLIFF_NS}}}target")
        if unit is None:
            continue  # reported with the others in check_incoming
        codes = {c.id: c for c in unit.pieces_and_codes[1]}
        if source is not None:
            item.source_text = join(_pieces_from_xliff(source, codes, []))
        if target is not None and (len(target) or (target.text or "").strip()):
            item.pieces = _pieces_from_xliff(target, codes, item.problems)
            item.approved = target.get("state", "translated") in APPROVED
    return lang, incoming


def read_po_file(path: Path, data: bytes, units: dict[str, Unit],
                 problems: list[Problem]) -> tuple[str | None, list[Incoming]]:
    import polib

    try:
        text = data.decode("utf-8")
        po = polib.pofile(text, wrapwidth=0)
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), data[: exc.start].count(b"\n") + 1, "error",
                                "not UTF-8 text; save the file as UTF-8"))
        return None, []
    except (OSError, ValueError) as exc:
        problems.append(Problem(str(path), 0, "error", f"not a valid PO file: {exc}"))
        return None, []
    lang = po.metadata.get("Language") or None
    incoming = []
    for entry in po:
        if entry.obsolete:
            continue
        item = Incoming(entry.msgctxt or "", entry.linenum or 0, None, False)
        incoming.append(item)
        unit = units.get(item.id)
        if unit is None:
            continue
        codes = {c.id: c for c in unit.pieces_and_codes[1]}
        source_pieces, _ = from_po(entry.msgid, codes)
        item.source_text = join(source_pieces)
        if entry.msgstr.strip():
            item.pieces, item.problems = from_po(entry.msgstr, codes)
            item.approved = "fuzzy" not in entry.flags
    return lang, incoming


def check_incoming(path: Path, lang: str | None, project: Project, incoming: list[Incoming],
                   units: dict[str, Unit], problems: list[Problem]) -> None:
    if lang is not None and (lang not in project.workshop.languages
                             or all(u.lang != lang for u in units.values())):
        problems.append(Problem(str(path), 1, "error", f"the file is for '{lang}', which is "
                                "not a language translated in this project"))
        return
    documents = set(project.translatable_files)
    seen: set[str] = set()
    for item in incoming:
        where = (str(path), item.line)
        if item.id in seen:
            problems.append(Problem(*where, "error", f"unit {item.id} appears twice; keep one"))
        seen.add(item.id)
        unit = units.get(item.id)
        if unit is None:
            document = item.id.split("#")[0]
            if document in documents:
                problems.append(Problem(*where, "error", f"unit {item.id}: its source text is "
                                        f"no longer in {document} (the source changed since "
                                        "the export); export again and redo this unit"))
            else:
                problems.append(Problem(*where, "error", f"unknown unit id '{item.id}'; it was "
                                        "not exported from this project"))
            continue
        if item.source_text is not None and " ".join(item.source_text.split()) != unit.source:
            problems.append(Problem(*where, "error", f"unit {item.id}: the source text in the "
                                    "file differs from the content's; export again"))
        for message in item.problems:
            problems.append(Problem(*where, "error", f"unit {item.id}: {message}"))
        if item.pieces is not None and not item.problems:
            for message in code_problems(item.pieces, unit.pieces_and_codes[1]):
                problems.append(Problem(*where, "error", f"unit {item.id}: {message}"))


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


@dataclass
class Imported:
    lang: str
    written: list[Path]
    changed: int  # blocks whose text was written
    confirmed: int  # blocks recorded as translated


def import_file(project: Project, path: Path) -> Imported:
    """Raises KitError with every problem (nothing written) when anything is wrong."""
    problems: list[Problem] = []
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KitError([Problem(str(path), 0, "error", f"cannot read: {exc.strerror}")]) \
            from None
    is_po = path.suffix.lower() in (".po", ".pot") or (not data.lstrip().startswith(b"<"))
    everything = {lang: collect_units(project, lang) for lang in project.workshop.languages}
    units = {u.id: u for lang_units in everything.values() for u in lang_units}
    # Ids repeat across languages: read once to learn the language, then with its units.
    reader = read_po_file if is_po else read_xliff
    lang, _ = reader(path, data, {}, [])
    if lang is not None:
        units = {u.id: u for u in everything.get(lang, [])}
    lang, incoming = reader(path, data, units, problems)
    if lang is None and not problems:
        problems.append(Problem(str(path), 1, "error", "the file does not say its language "
                                "(target-language in XLIFF, Language in PO)"))
    if problems:
        raise KitError(problems)
    check_incoming(path, lang, project, incoming, units, problems)
    if problems:
        raise KitError(problems)
    # What changes, per translation file.
    per_file: dict[Path, list[tuple[Unit, str]]] = {}
    confirm_hashes: dict[Path, set[str]] = {}
    for item in incoming:
        unit = units[item.id]
        if item.pieces is None:
            continue
        target = " ".join(join(item.pieces).split())
        if not target:
            continue
        changed = target != (unit.target or "") or unit.state == "untranslated"
        # The source text as the translation: deliberate (a name) only when marked translated.
        kept_same = item.approved and target == unit.source and unit.state in ("untranslated",
                                                                               "missing")
        if target == unit.source and unit.state == "untranslated":
            changed = False  # already written so
        elif target == unit.source and unit.state == "missing":
            changed = kept_same
        if changed:
            per_file.setdefault(unit.path, []).append((unit, target))
        if changed or kept_same or (item.approved and unit.state in ("stale", "unconfirmed")):
            confirm_hashes.setdefault(unit.path, set()).add(unit.block.hash)
    new_texts: dict[Path, str] = {}
    for file_path, changes in per_file.items():
        unit = changes[0][0]
        markdown = unit.document.endswith(".md")
        source_path = Path(project.root) / unit.source_lang / unit.document
        after = _insertion_points(project, unit.lang, unit.document, file_path)
        where = (str(path), next(i.line for i in incoming if i.id == unit.id))
        before = len(problems)
        new_text = plan_file(file_path, source_path, markdown, changes, after, problems, where)
        if len(problems) > before or new_text is None:
            continue
        old_text = (file_path if file_path.is_file() else source_path).read_text(
            encoding="utf-8")
        if not _verify(file_path, new_text, markdown, changes, old_text):
            problems.append(Problem(*where, "error", f"the translations for {file_path} would "
                                    "not read back as written (a target that starts a list, "
                                    "a heading or a new paragraph?); fix them and import again"))
            continue
        new_texts[file_path] = new_text
    if problems:
        raise KitError(problems)
    for file_path, text in new_texts.items():
        temporary = file_path.with_name(f".{file_path.name}.kitbuilder-tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, file_path)
    confirmed = 0
    if confirm_hashes:
        from ..content.loader import load_project
        from ..errors import Problems

        reloaded = load_project(Path(project.root), Problems()) or project
        for file_path, hashes in confirm_hashes.items():
            confirmed += confirm(reloaded, file_path, sources=hashes).count
    return Imported(lang, sorted(new_texts), sum(len(c) for c in per_file.values()),
                    confirmed)


def _insertion_points(project: Project, lang: str, document: str,
                      path: Path) -> dict[str, int]:
    """unit id → line index after which a missing Markdown block goes (after the translation
    block of the row before it; after the front matter when there is none)."""
    status = document_status(project, lang, document)
    if status is None or not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = 0
    if lines and lines[0].strip() == "---":
        body_start = next((i + 1 for i, line in enumerate(lines[1:], 1)
                           if line.strip() == "---"), 0)
    points: dict[str, int] = {}
    seen: Counter = Counter()
    position = body_start
    for row in status.rows:
        if row.own is not None and row.own.id != "title":
            position = row.own.line - 1 + len(row.own.raw.splitlines())
        if row.source is None:
            continue
        seen[row.source.hash] += 1
        count = seen[row.source.hash]
        unit_id = f"{document}#{row.source.hash}" + (f"-{count}" if count > 1 else "")
        if row.own is None:
            points[unit_id] = position
    return points
