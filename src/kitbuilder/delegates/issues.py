"""The letters' issue record, output/delegates/letters-issued.csv: each delegate's letter
number and the dates their letter and certificate were first issued.

A letter's reference and date must not change when the documents are built again (a visa
office compares copies), so they are kept here, and `kitbuilder clean` keeps this file
(clean.RECORDS). It holds no personal data: a person is a one-way hash of the workshop and
their e-mail address. ``--issue-date`` re-dates the documents of one build on purpose.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.artifact import atomic_write_bytes

RECORD = "letters-issued.csv"
COLUMNS = ("person", "number", "letter_issued", "certificate_issued")


@dataclass
class Issue:
    number: int
    letter: str = ""  # ISO dates; "" until that document is first issued
    certificate: str = ""


@dataclass
class IssueRecord:
    path: Path
    issues: dict[str, Issue] = field(default_factory=dict)
    _top: int = field(default=-1, repr=False, compare=False)  # the highest number given

    @classmethod
    def read(cls, path: Path) -> IssueRecord:
        record = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return record
        for row in csv.DictReader(io.StringIO(text)):
            try:
                record.issues[row["person"]] = Issue(int(row["number"]),
                                                     row.get("letter_issued") or "",
                                                     row.get("certificate_issued") or "")
            except (KeyError, TypeError, ValueError):
                continue  # a damaged row: that person is numbered again
        return record

    def issue(self, person: str, document: str, day: dt.date, override: bool) -> Issue:
        """The person's entry, numbered when new, with ``document``'s date set when it has
        none yet (or always, when the date was given on the command line)."""
        entry = self.issues.get(person)
        if entry is None:
            entry = self.issues[person] = Issue(self._next_number())
        if override or not getattr(entry, document):
            setattr(entry, document, day.isoformat())
        return entry

    def _next_number(self) -> int:
        # Kept as numbers are given: the max over every entry for each new one is quadratic.
        if self._top < 0:
            self._top = max((i.number for i in self.issues.values()), default=0)
        self._top += 1
        return self._top

    def write(self) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for person, entry in sorted(self.issues.items(), key=lambda item: item[1].number):
            writer.writerow((person, entry.number, entry.letter, entry.certificate))
        data = buffer.getvalue().encode("utf-8")
        try:
            if self.path.read_bytes() == data:
                return
        except OSError:
            pass
        atomic_write_bytes(self.path, data)


def person_id(workshop_id: str, key: str) -> str:
    return hashlib.sha256(f"issue\x1f{workshop_id}\x1f{key}".encode()).hexdigest()[:20]


def meeting_symbol(symbol: str, workshop_id: str) -> str:
    """The meeting's symbol a letter's reference starts with: the kit's symbol without its
    document part (RCM/WGLM/2021/WS.1/INF.1 → RCM/WGLM/2021/WS.1), else the workshop's id."""
    parts = symbol.split("/")
    return "/".join(parts[:-1]) if len(parts) > 1 else (symbol or workshop_id)


def reference(symbol: str, number: int) -> str:
    return f"{symbol}/{number:04d}"
