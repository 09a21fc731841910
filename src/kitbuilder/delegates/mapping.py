"""``content/registrations.yaml``: how an events system's export maps onto our columns.

A secretariat's form (or Indico, ``examples/registrations/indico.yaml``) exports its own
headers and its own words for a value ("Yes" for attended); this file, content with no
personal data, names them once: ``columns`` (our column: their header), ``values`` (our
column: {their value: ours}), ``language`` (of the participants who are not a country's
delegates, when the file does not say), ``badges`` and ``list``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems

MAPPING_FILE = "registrations.yaml"
KEYS = ("columns", "values", "language", "badges", "list")
# Our columns: the registrations file's, whatever its headers (registrations.py reads them).
COLUMNS = ("given_name", "family_name", "title", "organisation", "position", "country",
           "language", "email", "attendance", "participation", "form_of_address",
           # A name in another script, as its bearer writes it in Latin letters (optional).
           "given_name_latin", "family_name_latin", "kind")


@dataclass
class Mapping:
    """Our column → the header in the file, and how their values read as ours."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # their value casefolded
    language: str | None = None
    badge_paper: str | None = None
    list_symbol: str | None = None
    path: Path = Path(MAPPING_FILE)
    lines: dict[str, int] = field(default_factory=dict)  # our column → its line in columns


def _lines(node) -> dict:
    return getattr(node, "key_lines", {}) or {}


def load_mapping(content: Path, problems: Problems) -> Mapping:
    from ..content.loader import read_yaml

    path = content / MAPPING_FILE
    mapping = Mapping(path=path)
    if not path.is_file():
        return mapping
    data = read_yaml(path, problems, root=content)
    if data is None:
        return mapping
    if not isinstance(data, dict):
        problems.error(path, 1, "must be a mapping with 'columns', 'values', 'language', "
                       "'badges' or 'list'")
        return mapping
    lines = _lines(data)
    for key in data:
        if key not in KEYS:
            problems.error(path, lines.get(key, 1), f"unknown key '{key}'; the keys are "
                           "columns (our column: your form's header), values (our column: "
                           "{your value: ours}), language, badges (paper) and list (symbol)")
    _columns(data, mapping, problems)
    _values(data, mapping, problems)
    if data.get("language") is not None:
        mapping.language = str(data["language"]).strip().lower()
    badges = data.get("badges") or {}
    if isinstance(badges, dict) and badges.get("paper") is not None:
        if badges["paper"] in ("a4", "letter"):
            mapping.badge_paper = badges["paper"]
        else:
            problems.error(path, _lines(badges).get("paper", 1),
                           "badges: paper must be a4 or letter")
    listing = data.get("list") or {}
    if isinstance(listing, dict) and listing.get("symbol") is not None:
        mapping.list_symbol = str(listing["symbol"])
    return mapping


def _columns(data: dict, mapping: Mapping, problems: Problems) -> None:
    path = mapping.path
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.error(path, _lines(data).get("columns", 1), "columns must map our column "
                       "names to your file's headers, e.g. given_name: First name")
        return
    lines = _lines(columns)
    for ours, theirs in columns.items():
        line = lines.get(ours, 1)
        if ours not in COLUMNS:
            problems.error(path, line, f"'{ours}' is not a column; the columns are "
                           f"{', '.join(COLUMNS)}")
        elif not isinstance(theirs, str) or not theirs.strip():
            problems.error(path, line, f"the header for {ours} must be text")
        else:
            mapping.columns[ours] = theirs.strip()
            mapping.lines[ours] = line


def _values(data: dict, mapping: Mapping, problems: Problems) -> None:
    path = mapping.path
    values = data.get("values") or {}
    if not isinstance(values, dict):
        problems.error(path, _lines(data).get("values", 1), "values must map our column "
                       "names to {your value: ours}, e.g. attendance: {'Yes': attended}")
        return
    lines = _lines(values)
    for ours, table in values.items():
        line = lines.get(ours, 1)
        if ours not in COLUMNS:
            problems.error(path, line, f"values: '{ours}' is not a column; the columns are "
                           f"{', '.join(COLUMNS)}")
        elif not isinstance(table, dict) or not all(
                isinstance(v, (str, bool, int)) for v in table.values()):
            problems.error(path, line, f"values: {ours} must map your values to ours, e.g. "
                           "'Yes': attended")
        else:
            # YAML reads an unquoted Yes/No as true/false: taken as the words they were.
            mapping.values[ours] = {_word(theirs).casefold(): _word(value)
                                    for theirs, value in table.items()}


def _word(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()
