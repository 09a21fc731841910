"""XLIFF 1.2: export with inline codes as <ph>/<g>, and reading a file back."""

from __future__ import annotations

from pathlib import Path

from ...errors import Problem
from ..inline import Code, Piece, join
from .units import Incoming, Record, Unit, target_pieces

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# A confirmed unit is approved and final: CAT tools (and translate-toolkit, which Virtaal,
# Pootle and Weblate build on) count it translated, a needs-review one as fuzzy.
STATES = {"translated": "final", "stale": "needs-review-translation",
          "unconfirmed": "needs-review-translation", "untranslated": "new", "missing": "new"}
APPROVED = {"translated", "final", "signed-off"}
# Where the export records what the content held: a standard <context-group>, which CAT
# tools keep as they keep notes, and not shown as a note to translate.
RECORD_SOURCE, RECORD_TARGET = "x-kitbuilder-source", "x-kitbuilder-target"


def _x(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


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
            last = etree.SubElement(parent, _x("ph"), id=piece.code.id,
                                    ctype=piece.code.ctype)
            last.text = piece.code.open
        else:
            last = etree.SubElement(parent, _x("g"), id=piece.code.id,
                                    ctype=piece.code.ctype)
            _xliff_inline(last, piece.children)


def export_xliff(units: list[Unit], lang: str, source_lang: str) -> bytes:
    from lxml import etree

    root = etree.Element(_x("xliff"), nsmap={None: XLIFF_NS}, version="1.2")
    files: dict[str, object] = {}
    for unit in units:
        if unit.document not in files:
            file_element = etree.SubElement(
                root, _x("file"), original=unit.document,
                datatype="x-markdown" if unit.document.endswith(".md") else "plaintext",
                **{"source-language": unit.source_lang, "target-language": lang})
            files[unit.document] = etree.SubElement(file_element, _x("body"))
        _unit_element(files[unit.document], unit, lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit_element(body, unit: Unit, lang: str) -> None:
    from lxml import etree

    element = etree.SubElement(body, _x("trans-unit"), id=unit.id, resname=unit.block.id)
    if unit.state == "translated":
        element.set("approved", "yes")
    element.set(f"{{{XML_NS}}}space", "preserve")
    pieces, _ = unit.pieces_and_codes
    source = etree.SubElement(element, _x("source"))
    source.set(f"{{{XML_NS}}}lang", unit.source_lang)
    _xliff_inline(source, pieces)
    pieces = target_pieces(unit)
    target = etree.SubElement(element, _x("target"), state=STATES[unit.state])
    target.set(f"{{{XML_NS}}}lang", lang)
    if pieces is not None:
        _xliff_inline(target, pieces)
    elif unit.target is not None:
        target.text = unit.target  # its codes differ from the source's: fix it in the tool
    note = etree.SubElement(element, _x("note"), **{"from": "kitbuilder"})
    note.text = unit.note
    for path, line in unit.references:  # as PO's references; translate-toolkit shows them
        location = etree.SubElement(element, _x("context-group"), purpose="location")
        for kind, value in (("sourcefile", path), ("linenumber", str(line))):
            etree.SubElement(location, _x("context"), **{"context-type": kind}).text = value
    group = etree.SubElement(element, _x("context-group"), purpose="information")
    for kind, value in ((RECORD_SOURCE, unit.record.source), (RECORD_TARGET,
                                                              unit.record.target)):
        etree.SubElement(group, _x("context"), **{"context-type": kind}).text = value


def _read_record(element) -> Record | None:
    values = {c.get("context-type"): (c.text or "").strip()
              for group in element.iter(_x("context-group")) for c in group.iter(_x("context"))}
    if values.get(RECORD_SOURCE) and values.get(RECORD_TARGET):
        return Record(values[RECORD_SOURCE], values[RECORD_TARGET])
    return None


def _approved(element, target) -> bool:
    """Marked done: approved="yes", or a translated/final state where approved is not set."""
    approved = element.get("approved")
    if approved in ("yes", "no"):
        return approved == "yes"
    return target.get("state", "translated") in APPROVED


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
    if root.tag != _x("xliff") or root.get("version") != "1.2":
        problems.append(Problem(str(path), root.sourceline or 1, "error",
                                "not an XLIFF 1.2 file (expected <xliff version=\"1.2\"> in "
                                f"the namespace {XLIFF_NS})"))
        return None, []
    langs = {f.get("target-language") for f in root.iter(_x("file"))}
    lang = next(iter(langs)) if len(langs) == 1 else None
    if lang is None:
        problems.append(Problem(str(path), root.sourceline or 1, "error",
                                "every <file> must have the same target-language"))
    incoming = []
    for element in root.iter(_x("trans-unit")):
        unit_id = element.get("id", "")
        item = Incoming(unit_id, element.sourceline or 0, None, False,
                        record=_read_record(element))
        incoming.append(item)
        unit = units.get(unit_id)
        source = element.find(_x("source"))
        target = element.find(_x("target"))
        if unit is None:
            continue  # reported with the others in check_incoming
        codes = {c.id: c for c in unit.pieces_and_codes[1]}
        if source is not None:
            item.source_text = join(_pieces_from_xliff(source, codes, []))
        if target is not None and (len(target) or (target.text or "").strip()):
            item.pieces = _pieces_from_xliff(target, codes, item.problems)
            item.approved = _approved(element, target)
    return lang, incoming
