"""PO: export with inline codes as {1} and {2}…{/2}, and reading a file back."""

from __future__ import annotations

from pathlib import Path

import polib

from ...errors import Problem
from ..inline import from_po, join, po_legend, to_po
from .units import Incoming, Unit, _target_pieces


def export_po(units: list[Unit], lang: str, source_lang: str) -> bytes:
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


def read_po_file(path: Path, data: bytes, units: dict[str, Unit],
                 problems: list[Problem]) -> tuple[str | None, list[Incoming]]:
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
