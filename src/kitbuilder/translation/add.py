"""``kitbuilder translations add LANG [--country CODE]...``: everything a new language needs.

- the language in ``content/workshop.yaml`` (``languages``),
- the folder ``content/<lang>/`` (documents not there yet fall back to the source, marked),
- the layouts' catalog ``locales/<lang>/LC_MESSAGES/messages.po``, made from
  ``locales/messages.pot`` in the project's own locales; a project that uses kitbuilder's
  shipped locales and needs a catalog they lack gets its own copy of them first,
- the language in each ``--country``'s entry of ``content/countries.yaml`` (a new entry for a
  country not listed yet).

Nothing existing is overwritten: an existing folder or catalog is kept as it is. The two YAML
files are edited as text, line by line, so their comments and layout stay; each edit is
checked by reading the file back, and refused (the file untouched) when the result is not
exactly the data asked for.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

from ..errors import KitError, Problem
from ..locale import capital_zone, cldr_paper, is_country_code, is_language_code
from .catalogs import po_path


@dataclass
class Added:
    """What ``add_language`` did, one line each, for the CLI to print."""

    done: list[tuple[Path, str]] = field(default_factory=list)  # (path, what was done)
    kept: list[tuple[Path, str]] = field(default_factory=list)  # (path, why it was left)


def usage(where: str, message: str) -> KitError:
    return KitError([Problem(where, 0, "error", message)])


def check_language(lang: str) -> None:
    if not is_language_code(lang):
        raise usage("LANG", f"unknown language '{lang}'; use an ISO 639-1 code like 'fr'")


def check_countries(codes: tuple[str, ...]) -> list[str]:
    bad = [code for code in codes if not is_country_code(code)]
    if bad:
        raise KitError([Problem("--country", 0, "error", f"unknown country '{code}'; use an "
                                "ISO 3166-1 alpha-2 code like 'CA'") for code in bad])
    return [code.upper() for code in codes]


def _write(path: Path, text: str) -> None:
    """Replace a file in one step: an interrupted run leaves the old one."""
    temporary = path.with_name(f".{path.name}.kitbuilder-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _flow_add(line: str, value: str) -> str | None:
    """``key: [a, b]  # note`` → ``key: [a, b, value]  # note``; None if not that shape."""
    match = re.match(r"^(\s*(?:-\s+)?languages:\s*\[)([^\]]*)(\].*)$", line)
    if match is None:
        return None
    items = match.group(2).strip()
    return f"{match.group(1)}{items + ', ' if items else ''}{value}{match.group(3)}"


def _add_to_list(lines: list[str], key_index: int, value: str) -> list[str] | None:
    """Add ``value`` to the ``languages`` list whose key is on ``lines[key_index]``."""
    flowed = _flow_add(lines[key_index], value)
    if flowed is not None:
        return [*lines[:key_index], flowed, *lines[key_index + 1:]]
    key_indent = len(lines[key_index]) - len(lines[key_index].lstrip(" -"))
    last, item_indent = key_index, None
    for index in range(key_index + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(lines[index]) - len(lines[index].lstrip())
        if stripped.startswith("- ") and indent >= key_indent:
            last, item_indent = index, indent
            continue
        break
    if item_indent is None:
        return None
    return [*lines[:last + 1], " " * item_indent + f"- {value}", *lines[last + 1:]]


def _checked(path: Path, old_text: str, new_lines: list[str] | None, expected) -> str:
    """The new text when it reads back as ``expected``; else refuse, saying what to do."""
    if new_lines is not None:
        new_text = "\n".join(new_lines) + ("\n" if old_text.endswith("\n") else "")
        try:
            if yaml.safe_load(new_text) == expected:
                return new_text
        except yaml.YAMLError:
            pass
    raise KitError([Problem(str(path), 0, "error", "could not add the language to this file "
                            "automatically (its layout is unusual); nothing was changed: edit "
                            "it by hand as docs/translators.md shows, then run the command "
                            "again")])


def add_to_workshop(path: Path, lang: str, added: Added) -> str | None:
    """The new text of workshop.yaml, or None when it already lists the language."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list):
        raise usage(str(path), "no 'languages' list to add the language to; run "
                    "`kitbuilder check` and fix the file first")
    if lang in languages:
        added.kept.append((path, f"'{lang}' is already among the workshop's languages"))
        return None
    lines = text.splitlines()
    at = next((i for i, line in enumerate(lines) if re.match(r"^languages:", line)), None)
    new_lines = None if at is None else _add_to_list(lines, at, lang)
    new_text = _checked(path, text, new_lines, {**data, "languages": [*languages, lang]})
    added.done.append((path, f"added '{lang}' to languages"))
    return new_text


def _entry_span(lines: list[str], code: str) -> tuple[int, int] | None:
    """First and last line index of the countries.yaml entry for ``code``."""
    start = next((i for i, line in enumerate(lines)
                  if re.match(rf"^\s*-\s+code:\s*['\"]?{code}['\"]?\s*(#.*)?$", line)), None)
    if start is None:
        return None
    dash = len(lines[start]) - len(lines[start].lstrip())
    end = start
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(lines[index]) - len(lines[index].lstrip())
        if indent <= dash:
            break
        end = index
    return start, end


def add_to_countries(path: Path, lang: str, codes: list[str], added: Added) -> str | None:
    """The new text of countries.yaml, or None when nothing changes."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    entries = data.get("countries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise usage(str(path), "no 'countries' list to add to; run `kitbuilder check` and fix "
                    "the file first")
    lines = text.splitlines()
    changes = []
    for code in codes:
        entry = next((e for e in entries if str(e.get("code", "")).upper() == code), None)
        if entry is not None and lang in (entry.get("languages") or []):
            added.kept.append((path, f"{code} already gets a kit in '{lang}'"))
            continue
        if entry is None:
            dash = next((line[: len(line) - len(line.lstrip())] for line in lines
                         if re.match(r"^\s*-\s+code:", line)), "  ")
            lines += [f"{dash}- code: {code}", f"{dash}  languages: [{lang}]",
                      f"{dash}  timezone: {capital_zone(code)}",
                      f"{dash}  paper: {cldr_paper(code)}"]
            entries.append({"code": code, "languages": [lang], "timezone": capital_zone(code),
                            "paper": cldr_paper(code)})
            changes.append(f"added {code} with a kit in '{lang}' (check its timezone and paper)")
            continue
        span = _entry_span(lines, code)
        key = None if span is None else next(
            (i for i in range(span[0], span[1] + 1)
             if re.match(r"^\s*(?:-\s+)?languages:", lines[i])), None)
        if span is not None and key is None:
            indent = " " * (len(lines[span[0]]) - len(lines[span[0]].lstrip()) + 2)
            new_lines = [*lines[:span[0] + 1], f"{indent}languages: [{lang}]",
                         *lines[span[0] + 1:]]
        else:
            new_lines = None if key is None else _add_to_list(lines, key, lang)
        if new_lines is None:
            _checked(path, text, None, None)  # refuses, nothing written
        lines = new_lines
        entry["languages"] = [*(entry.get("languages") or []), lang]
        changes.append(f"{code} gets a kit in '{lang}'")
    if not changes:
        return None
    new_text = _checked(path, text, lines, data)
    added.done.extend((path, change) for change in changes)
    return new_text


def new_catalog(pot: Path, target: Path, lang: str) -> None:
    """What `pybabel init` writes, without its overwriting: the template with this locale."""
    with pot.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    catalog.locale = lang
    catalog.revision_date = dt.datetime.now(dt.UTC)
    catalog.fuzzy = False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.kitbuilder-tmp")
    with temporary.open("wb") as handle:
        write_po(handle, catalog, width=100)
    os.replace(temporary, target)


def add_catalog(paths, lang: str, added: Added) -> None:
    """The layouts' catalog for ``lang`` in the project's own locales (see the docstring)."""
    locales = Path(paths.locales)
    if po_path(locales, lang).is_file():
        where = "kitbuilder's shipped catalog" if paths.shipped_locales else "the catalog"
        added.kept.append((po_path(locales, lang), f"{where} for '{lang}' exists; kept as is"))
        return
    if paths.shipped_locales:
        own = Path(paths.root) / "locales"
        if own.exists():
            raise usage(str(own), "exists but is not a locales folder kitbuilder can use; "
                        "move it away and run the command again")
        shutil.copytree(locales, own)
        added.done.append((own, "copied kitbuilder's locales into the project (its catalogs are "
                                "now the project's own)"))
        locales = own
    pot = locales / "messages.pot"
    if not pot.is_file():
        raise usage(str(pot), "missing: the catalog is made from it; copy it from kitbuilder's "
                    "locales/ or run `pybabel extract` (see docs/translators.md)")
    new_catalog(pot, po_path(locales, lang), lang)
    added.done.append((po_path(locales, lang), "new catalog from messages.pot: translate each "
                                               "msgstr"))


def add_language(paths, lang: str, countries: tuple[str, ...]) -> Added:
    """Raises KitError: usage problems (nothing was written) or a file it cannot edit."""
    check_language(lang)
    codes = check_countries(countries)
    content = Path(paths.content)
    added = Added()
    for required in (content / "workshop.yaml", content / "countries.yaml"):
        if not required.is_file():
            raise usage(str(required), "missing; run the command in a project folder (or pass "
                        "--project DIR)")
    # Both YAML edits are worked out before anything is written: a refusal changes nothing.
    edits = {content / "workshop.yaml": add_to_workshop(content / "workshop.yaml", lang, added),
             content / "countries.yaml": add_to_countries(content / "countries.yaml", lang,
                                                          codes, added) if codes else None}
    for path, text in edits.items():
        if text is not None:
            _write(path, text)
    folder = content / lang
    if folder.is_dir():
        added.kept.append((folder, "exists; its files are kept"))
    else:
        folder.mkdir()
        added.done.append((folder, "created: put the translated documents here"))
    add_catalog(paths, lang, added)
    return added
