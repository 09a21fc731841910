"""PO: export with inline codes as {1} and {2}…{/2}, and reading a file back.

The file passes `msgfmt -c`: the standard header fields, references relative to the project
folder, stale and unconfirmed entries fuzzy (with the source text they were translated from
as the previous msgid, which PO editors show as a difference).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import polib

from ...errors import Problem
from ...locale import catalog_language
from ..inline import from_po, join, po_legend, segment, to_po
from .units import _LEAD, Incoming, Record, Unit, target_pieces

_RECORD = "kitbuilder export record: source {}, target {} (leave this line as it is)"
_RECORD_LINE = re.compile(r"kitbuilder export record: source (\S+), target (\S+)")


def _header(lang: str, source_lang: str, project_id: str) -> dict[str, str]:
    # SOURCE_DATE_EPOCH: a reproducible export when the caller asks for one.
    now = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time())))
    language, plural = catalog_language(lang)
    date = time.strftime("%Y-%m-%d %H:%M+0000", now)
    return {"Project-Id-Version": f"{project_id} content",
            "POT-Creation-Date": date, "PO-Revision-Date": date,
            # The translator's PO editor writes their name here on saving.
            "Last-Translator": "kitbuilder translations export",
            "Language-Team": f"{language} ({project_id})", "Language": lang,
            "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit", "Plural-Forms": plural,
            "X-Source-Language": source_lang}


def export_po(units: list[Unit], lang: str, source_lang: str, project_id: str) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = _header(lang, source_lang, project_id)
    for unit in units:
        pieces, codes = unit.pieces_and_codes
        cut = target_pieces(unit)
        msgstr = to_po(cut) if cut is not None else unit.target or ""
        comment = "\n".join([unit.note, *([f"Codes: {po_legend(codes)}"] if codes else []),
                             _RECORD.format(unit.record.source, unit.record.target)])
        entry = polib.POEntry(msgctxt=unit.id, msgid=to_po(pieces), msgstr=msgstr,
                              comment=comment, occurrences=[
                                  (path, str(line)) for path, line in unit.references])
        if unit.state in ("stale", "unconfirmed") and msgstr:
            entry.flags.append("fuzzy")
            if unit.recorded_was is not None:
                lead = _LEAD.match(" ".join(unit.recorded_was.split()))
                was = " ".join(unit.recorded_was.split())[lead.end() if lead else 0:]
                entry.previous_msgid = to_po(segment(was)[0])
        po.append(entry)
    return str(po).encode("utf-8")


def _read_record(entry) -> Record | None:
    found = _RECORD_LINE.search(entry.comment or "")
    return Record(found.group(1), found.group(2)) if found else None


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
        item = Incoming(entry.msgctxt or "", entry.linenum or 0, None, False,
                        record=_read_record(entry))
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
