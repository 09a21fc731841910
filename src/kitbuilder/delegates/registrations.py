"""The registrations file: personal data, read from the command line's FILE (never from git).

A secretariat's form exports CSV or XLSX with its own headers; ``content/registrations.yaml``
maps them onto ours. Every problem is reported with the row's line in the file, all in one run.
Cells are only ever text: a cell beginning with ``=``, ``+``, ``-`` or ``@`` is kept as written
(never evaluated), and any CSV the tool writes prefixes such cells (see ``safe_cell``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..content.files import decode, read_bytes
from ..errors import Problems
from .titles import canonical, known_titles
from .workbook import xlsx_rows

COLUMNS = ("given_name", "family_name", "title", "organisation", "position", "country",
           "language", "email", "attendance", "participation", "form_of_address",
           # A name in another script, as its bearer writes it in Latin letters (optional).
           "given_name_latin", "family_name_latin")
REQUIRED = ("given_name", "family_name", "country", "email")
ATTENDANCE = ("registered", "attended", "no-show")
PARTICIPATION = ("in-person", "remote")
MAPPING_FILE = "registrations.yaml"
DEFAULT_FILES = ("registrations.csv", "registrations.xlsx")

# A real export holds a few thousand rows; these refuse a file that would exhaust memory
# before it is parsed (documented in README, "Delegates").
MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024
MAX_CELL = 300  # characters: far above any name or organisation, far below a pasted document

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners are part of how some scripts spell names
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The plain ASCII addresses nearly everyone has: accepted without the full validator, which
# costs ~0.2 ms an address (0.4 s for 2,000 rows, more than a no-op run may take).
_PLAIN_EMAIL = re.compile(r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*"
                          r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                          r"(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")


def safe_cell(value: str) -> str:
    """A cell for a CSV the tool writes: one a spreadsheet would run as a formula is made text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@dataclass(frozen=True)
class Delegate:
    line: int
    given_name: str
    family_name: str
    title: str
    organisation: str
    position: str
    country: str
    language: str
    email: str
    attendance: str
    participation: str
    # How the letter greets them, written in their language ("Madame la Directrice"); empty:
    # the translators' salutation from the title (delegates/titles.py, design.salutation).
    form_of_address: str = ""
    given_name_latin: str = ""
    family_name_latin: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def latin_name(self) -> str:
        """The name in Latin letters, where the registration gives it ('' otherwise)."""
        return " ".join(part for part in (self.given_name_latin, self.family_name_latin)
                        if part)

    @property
    def key(self) -> str:
        """Who this is, stable when rows move: the e-mail address (unique in a valid file)."""
        return self.email.casefold()

    @cached_property
    def ident(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()[:8]

    @cached_property
    def file_stem(self) -> str:
        """'MX-garcia-lopez-ana-maria-3f2a91c0': readable, ASCII, unique (the hash)."""
        family = self.family_name_latin or self.family_name
        given = self.given_name_latin or self.given_name
        return f"{self.country}-{slug(family + ' ' + given)}-{self.ident}"

    @cached_property  # a frozen dataclass still has a __dict__ to cache in
    def fingerprint(self) -> str:
        values = "\x1f".join(getattr(self, name) for name in COLUMNS)
        return hashlib.sha256(values.encode()).hexdigest()


# Latin letters that do not decompose into a base letter and an accent.
_LATIN = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d",
                        "Đ": "D", "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "þ": "th",
                        "ð": "d", "ı": "i"})


def slug(text: str) -> str:
    """ASCII for file names (mail clients and zip tools mangle others); names in other scripts
    leave only the hash that follows to tell people apart."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LATIN)).encode(
        "ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "delegate"


@dataclass
class Mapping:
    """Our column → the header in the file (content/registrations.yaml ``columns``)."""

    columns: dict[str, str] = field(default_factory=dict)
    badge_paper: str | None = None
    list_symbol: str | None = None


def load_mapping(content: Path, problems: Problems) -> Mapping:
    from ..content.loader import LineDict, read_yaml

    path = content / MAPPING_FILE
    if not path.is_file():
        return Mapping()
    data = read_yaml(path, problems, root=content)
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        problems.error(path, 1, "must be a mapping with 'columns', 'badges' or 'list'")
        return Mapping()
    lines = data.key_lines if isinstance(data, LineDict) else {}
    mapping = Mapping()
    for key in data:
        if key not in ("columns", "badges", "list"):
            problems.error(path, lines.get(key, 1), f"unknown key '{key}'; the keys are "
                           "columns (our column: your form's header), badges (paper) and "
                           "list (symbol)")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.error(path, lines.get("columns", 1), "columns must map our column names to "
                       "your file's headers, e.g. given_name: First name")
        columns = {}
    col_lines = columns.key_lines if isinstance(columns, LineDict) else {}
    for ours, theirs in columns.items():
        if ours not in COLUMNS:
            problems.error(path, col_lines.get(ours, 1), f"'{ours}' is not a column; the "
                           f"columns are {', '.join(COLUMNS)}")
        elif not isinstance(theirs, str) or not theirs.strip():
            problems.error(path, col_lines.get(ours, 1), f"the header for {ours} must be text")
        else:
            mapping.columns[ours] = theirs.strip()
    badges = data.get("badges") or {}
    if isinstance(badges, dict) and badges.get("paper") is not None:
        if badges["paper"] in ("a4", "letter"):
            mapping.badge_paper = badges["paper"]
        else:
            where = badges.key_lines.get("paper", 1) if isinstance(badges, LineDict) else 1
            problems.error(path, where, "badges: paper must be a4 or letter")
    listing = data.get("list") or {}
    if isinstance(listing, dict) and listing.get("symbol") is not None:
        mapping.list_symbol = str(listing["symbol"])
    return mapping


def default_file(root: Path) -> Path:
    for name in DEFAULT_FILES:
        if (root / name).is_file():
            return root / name
    return root / DEFAULT_FILES[0]


def read_rows(path: Path, problems: Problems) -> list[tuple[int, list[str]]] | None:
    """(line, cells) for the header and every row; None when the file is refused."""
    if not path.is_file():
        problems.error(path, 0, "no registrations file; export the form's answers as CSV or "
                       "XLSX and pass it as FILE (registrations.example.csv shows the columns)")
        return None
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path, problems)
    data = read_bytes(path, problems, limit=MAX_BYTES)
    if data is None:
        return None
    text = decode(path, data, problems)
    if text is None:
        return None
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    start = 1
    try:
        for cells in reader:
            if len(rows) > MAX_ROWS:
                _too_many(path, problems)
                return None
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.error(path, reader.line_num, f"not a CSV file here ({exc}); export the form "
                       "as CSV (UTF-8) again")
        return None
    return rows


def _too_many(path: Path, problems: Problems) -> None:
    problems.error(path, 0, f"more than {MAX_ROWS:,} rows; a registrations file may hold at "
                   "most that many people: split the file by country and run once per file")


def _xlsx_rows(path: Path, problems: Problems) -> list[tuple[int, list[str]]] | None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.error(path, 0, f"is {size / 1024 / 1024:.1f} MB; a registrations file may be "
                       f"at most {MAX_BYTES // 1024 // 1024} MB: split it by country")
        return None
    return xlsx_rows(path, problems, MAX_ROWS)


@dataclass
class Registrations:
    path: Path
    delegates: list[Delegate]


def _header_index(path: Path, line: int, header: list[str], mapping: Mapping,
                  problems: Problems) -> dict[str, int] | None:
    names = [h.strip().lstrip("\ufeff") for h in header]
    folded = {name.casefold(): i for i, name in reversed(list(enumerate(names)))}
    index: dict[str, int] = {}
    for column in COLUMNS:
        wanted = mapping.columns.get(column, column)
        if wanted.casefold() in folded:
            index[column] = folded[wanted.casefold()]
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        shown = ", ".join(f"'{mapping.columns.get(c, c)}'" for c in missing)
        problems.error(path, line, f"the header has no {shown} column; name the columns as in "
                       "registrations.example.csv, or map your headers in "
                       f"content/{MAPPING_FILE} (columns: {missing[0]}: Your header)")
        return None
    return index


def load_registrations(path: Path, project, content: Path, supported: frozenset[int] | None,
                       problems: Problems, mapping: Mapping | None = None
                       ) -> Registrations | None:
    """Every delegate of a valid file; every problem (with its row's line) recorded."""
    mapping = mapping if mapping is not None else load_mapping(content, problems)
    rows = read_rows(path, problems)
    if rows is None:
        return None
    if not rows:
        problems.error(path, 1, "the file is empty; the first row names the columns")
        return None
    (header_line, header), body = rows[0], rows[1:]
    index = _header_index(path, header_line, header, mapping, problems)
    if index is None:
        return None
    countries = {c.code: c for c in project.countries}
    delegates: list[Delegate] = []
    seen_email: dict[str, int] = {}
    before = len(problems.errors)
    for line, cells in body:
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        delegate = _row(path, line, values, countries, supported, seen_email, problems)
        if delegate is not None:
            delegates.append(delegate)
    if len(problems.errors) > before or problems.errors:
        return None
    return Registrations(path, delegates)


def _row(path: Path, line: int, values: dict[str, str], countries: dict, supported,
         seen_email: dict[str, int], problems: Problems) -> Delegate | None:
    ok = True

    def error(message: str) -> None:
        nonlocal ok
        ok = False
        problems.error(path, line, message)

    _check_cells(values, error)
    if not values.get("given_name") and not values.get("family_name"):
        error("the name is missing: give family_name (and given_name, if the person has one)")
    code = values.get("country", "").upper()
    country = countries.get(code)
    if not code:
        error("the country is missing: give the ISO code of a participating country, e.g. "
              f"{next(iter(countries), 'MX')}")
    elif country is None:
        error(f"country '{values['country']}' is not a participating country (content/"
              f"countries.yaml has {', '.join(countries)})")
    language = values.get("language", "").lower()
    if country is not None:
        if not language:
            language = country.languages[0]
        elif language not in country.languages:
            error(f"language '{values['language']}' is not a language of {code}'s kits "
                  f"({', '.join(country.languages)})")
    email = values.get("email", "")
    if not email:
        error("the e-mail address is missing")
    elif not _EMAIL.match(email) or not _valid_email(email):
        # The address itself is personal data: the message names the row, never the value.
        error("the e-mail address is not valid (expected name@domain.org)")
    else:
        first = seen_email.setdefault(email.casefold(), line)
        if first != line:
            error(f"the same e-mail address as line {first}; each person registers once")
    attendance = values.get("attendance", "").lower() or "registered"
    if attendance not in ATTENDANCE:
        error(f"attendance '{values['attendance']}' must be one of {', '.join(ATTENDANCE)}")
    participation = values.get("participation", "").lower() or "in-person"
    if participation not in PARTICIPATION:
        error(f"participation '{values['participation']}' must be one of "
              f"{', '.join(PARTICIPATION)}")
    if values.get("title") and canonical(values["title"]) is None:
        error(f"title '{values['title']}' is not a title kitbuilder knows ({known_titles()}); "
              "write one of those, or leave it empty and give form_of_address")
    if supported is not None:
        _check_glyphs(path, line, values, supported, error)
    if not ok:
        return None
    return Delegate(line=line, given_name=values.get("given_name", ""),
                    family_name=values.get("family_name", ""), title=values.get("title", ""),
                    organisation=values.get("organisation", ""),
                    position=values.get("position", ""), country=code, language=language,
                    email=email, attendance=attendance, participation=participation,
                    form_of_address=values.get("form_of_address", ""),
                    given_name_latin=values.get("given_name_latin", ""),
                    family_name_latin=values.get("family_name_latin", ""))


def _check_cells(values: dict[str, str], error) -> None:
    """Each cell at most MAX_CELL characters (a longer one is cut) and on one line."""
    for column, value in values.items():
        if len(value) > MAX_CELL:
            error(f"{column} is {len(value)} characters long; at most {MAX_CELL}")
            values[column] = value[:MAX_CELL]
        # isprintable (in C) clears nearly every cell; only the rest is looked at closely.
        bad = None if value.isprintable() else next(
            (c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
             and c not in _JOINERS), None)
        if bad is not None:
            error(f"{column} contains a line break or control character (U+{ord(bad):04X}); "
                  "write it on one line")


PRINTED = ("given_name", "family_name", "title", "organisation", "position", "form_of_address",
           "given_name_latin", "family_name_latin")


def _check_glyphs(path, line, values, supported, error) -> None:
    """One error per cell with characters no shipped face (main, fallback or installed
    system font) can draw: which, and which font to add or install for them."""
    from ..quality.glyphs import describe, font_advice

    for column in PRINTED:
        missing = [char for char in dict.fromkeys(values.get(column, ""))
                   if ord(char) not in supported and unicodedata.category(char) != "Cc"
                   and char not in _JOINERS]
        if missing:
            shown = ", ".join(describe(char) for char in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            error(f"{column}: {shown}{more} cannot be drawn by the fonts kitbuilder has; "
                  f"{font_advice(missing[0])}; or give the name in Latin letters as well "
                  "(the transliteration columns)")


def _valid_email(value: str) -> bool:
    if _PLAIN_EMAIL.match(value) and len(value) <= 254 and len(value.split("@")[0]) <= 64:
        return True
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
