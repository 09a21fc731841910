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
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..content.files import decode, read_bytes
from ..errors import Problems
from .mapping import COLUMNS, MAPPING_FILE, Mapping, load_mapping
from .titles import canonical, known_titles
from .workbook import xlsx_rows

REQUIRED = ("given_name", "family_name", "country", "email")
# Every kind of participant, in the order the list of participants groups them. Only a
# country's delegation belongs to a participating country; the others may name any country
# (a nationality), or none, and withdrawing a country never touches them.
KINDS = ("delegation", "organisation", "resource-person", "observer", "secretariat")
KIND_CODES = {"organisation": "IO", "resource-person": "RP", "observer": "OBS",
              "secretariat": "SEC"}  # their badge sheet's and files' prefix, as a country's code
_KIND_ALIASES = {"country": "delegation", "delegate": "delegation",
                 "organization": "organisation", "international-organisation": "organisation",
                 "international-organization": "organisation", "io": "organisation",
                 "resource": "resource-person", "expert": "resource-person",
                 "speaker": "resource-person", "staff": "secretariat"}
ATTENDANCE = ("registered", "attended", "no-show")
PARTICIPATION = ("in-person", "remote")
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
    kind: str = "delegation"

    @property
    def group_code(self) -> str:
        """A delegate's country; another participant's kind (IO, RP, OBS, SEC)."""
        return self.country if self.kind == "delegation" else KIND_CODES[self.kind]

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
        return f"{self.group_code}-{slug(family + ' ' + given)}-{self.ident}"

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
    # Without a kind column everyone is a country's delegate: the country is then required.
    required = [c for c in REQUIRED if c != "country" or "kind" not in index]
    missing = [c for c in required if c not in index]
    for column, header_name in mapping.columns.items():
        if column not in index:  # the mapping names a header the file lacks: a typo, or
            # another export's mapping
            problems.error(mapping.path, mapping.lines.get(column, 1),
                           f"{column}: the registrations file {path.name} has no column "
                           f"'{header_name}'; its headers are "
                           f"{', '.join(repr(n) for n in names if n)}")
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
    rules = _Rules({c.code: c for c in project.countries}, tuple(project.workshop.languages),
                   mapping)
    delegates: list[Delegate] = []
    seen_email: dict[str, int] = {}
    for line, cells in body:
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        for column, table in mapping.values.items():
            if column in values:
                values[column] = table.get(values[column].casefold(), values[column])
        delegate = _row(path, line, values, rules, supported, seen_email, problems)
        if delegate is not None:
            delegates.append(delegate)
    if problems.errors:
        return None
    return Registrations(path, delegates)


@dataclass
class _Rules:
    countries: dict  # code → the participating country
    languages: tuple[str, ...]  # the workshop's: the others' documents are in one of them
    mapping: Mapping


def _kind(values: dict[str, str], error) -> str | None:
    raw = values.get("kind", "")
    kind = re.sub(r"[\s_]+", "-", raw.strip().casefold()) or "delegation"
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        error(f"kind '{raw}' must be one of {', '.join(KINDS)}")
        return None
    return kind


def _group(values: dict[str, str], rules: _Rules, error) -> tuple[str, str, str]:
    """(kind, country code, language) of a row."""
    kind = _kind(values, error)
    if kind is None:  # nothing else is known of the row
        return "delegation", "", ""
    raw = values.get("country", "")
    code = country_code(raw, rules.languages)
    language = values.get("language", "").lower()
    if kind != "delegation":
        if raw and code is None:
            error(f"country '{raw}' is not a country's ISO code or name; give the code "
                  "(e.g. MX), or leave it empty")
        if kind == "organisation" and not values.get("organisation"):
            error("the organisation is missing: an international organisation's people are "
                  "listed under its name")
        language = language or rules.mapping.language or rules.languages[0]
        if language not in rules.languages:
            error(f"language '{language}' is not a language of the workshop "
                  f"({', '.join(rules.languages)})")
        return kind, code or "", language
    country = rules.countries.get(code or "")
    if not raw:
        error("the country is missing: give the ISO code of a participating country, e.g. "
              f"{next(iter(rules.countries), 'MX')} (or a kind: {', '.join(KINDS[1:])})")
    elif country is None:
        error(f"country '{raw}' is not a participating country (content/countries.yaml has "
              f"{', '.join(rules.countries)}); a participant of another kind gets a kind "
              f"column ({', '.join(KINDS[1:])})")
    elif not language:
        language = country.languages[0]
    elif language not in country.languages:
        error(f"language '{values['language']}' is not a language of {code}'s kits "
              f"({', '.join(country.languages)})")
    return kind, code or raw.upper(), language


def _row(path: Path, line: int, values: dict[str, str], rules: _Rules, supported,
         seen_email: dict[str, int], problems: Problems) -> Delegate | None:
    ok = True

    def error(message: str) -> None:
        nonlocal ok
        ok = False
        problems.error(path, line, message)

    _check_cells(values, error)
    if not values.get("given_name") and not values.get("family_name"):
        error("the name is missing: give family_name (and given_name, if the person has one)")
    kind, code, language = _group(values, rules, error)
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
                    family_name_latin=values.get("family_name_latin", ""), kind=kind)


def country_code(value: str, languages: tuple[str, ...] = ()) -> str | None:
    """The ISO code of a country given by its code ('mx') or its name in English or one of
    ``languages`` ('Mexico', 'México'), as events systems export it; None when neither."""
    text = value.strip()
    if not text:
        return None
    names = _country_names(tuple(sorted({"en", *languages})))
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper() if text.upper() in names.values() else None
    return names.get(_name_key(text))


def _name_key(name: str) -> str:
    base = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^\w]+", " ", "".join(c for c in base if not unicodedata.combining(c))).strip()


@lru_cache(maxsize=8)
def _country_names(languages: tuple[str, ...]) -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    names: dict[str, str] = {}
    for lang in languages:
        try:
            territories = Locale.parse(lang).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_name_key(name), code)
    return names


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
