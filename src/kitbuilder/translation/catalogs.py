"""Layout strings vs. gettext catalogs: every msgid a layout prints must be translated."""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, read_po

from ..content.files import decode, read_bytes
from ..errors import Problems

JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "encoding": "utf-8"}


def po_path(locales: Path, lang: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / "messages.po"


def layout_messages(layouts: Path) -> dict[str, tuple[Path, int]]:
    """msgid → (template, line) of its first use, extracted as `pybabel extract` does.

    Parsing every template is most of a content check's time; a process that checks again
    (the preview server, the tests) reuses the result while no template changed.
    """
    templates = sorted(Path(layouts).rglob("*.j2"))
    fingerprint = tuple((str(t), t.stat().st_mtime_ns, t.stat().st_size) for t in templates)
    return dict(_extract_messages(str(layouts), fingerprint))


@functools.lru_cache(maxsize=8)
def _extract_messages(layouts: str, _fingerprint: tuple) -> dict[str, tuple[Path, int]]:
    found: dict[str, tuple[Path, int]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(layouts), [("**.j2", "jinja2")], {"**.j2": JINJA_OPTIONS}
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, (Path(layouts) / filename, line))
    return found


def check_catalogs(layouts: Path, locales: Path, languages: list[str],
                   problems: Problems) -> None:

    used = layout_messages(layouts)
    for lang in languages:
        path = po_path(locales, lang)
        if not path.is_file():
            if lang == "en":
                continue  # msgids are English: without a catalog they print as written
            problems.warning(path, 0, f"no catalog for '{lang}': the layouts' own strings print "
                             f"in English; create it with `kitbuilder translations add {lang}`")
            continue
        catalog = read_catalog(path, lang, Path(locales), problems)
        if catalog is None:
            continue
        for msgid, (template, line) in sorted(used.items(), key=lambda kv: kv[1]):
            if msgid not in catalog:
                problems.warning(template, line, f"string \"{msgid}\" is not in {path}; run "
                                 "`pybabel extract` and `pybabel update` (see docs/translators.md)")
        empty = [m for m in catalog if m.id and not m.string]
        if len(empty) > 3:  # a new catalog: one line, not one per string
            problems.warning(path, empty[0].lineno, f"{len(empty)} strings have no {lang} "
                             "translation (empty msgstr) and print in English; translate each "
                             "msgstr")
            empty = []
        for message in empty:
            problems.warning(path, message.lineno, f"\"{message.id}\" has no {lang} "
                             "translation (empty msgstr)")
        for message in catalog:
            if message.id and message.fuzzy and message.string:
                problems.warning(path, message.lineno, f"\"{message.id}\" is marked fuzzy and is "
                                 "not used; check the translation and remove the fuzzy flag")
        check_placeholders(path, catalog, problems)


# A keyword with its quoted string, or a continuation string; a string ends at an unescaped ".
_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?'
                      r'"(?:[^"\\]|\\.)*"\s*')
_PO_START = re.compile(r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')


def po_syntax(path: Path, text: str, problems: Problems) -> bool:
    """Every line of a .po file is blank, a comment, or a keyword and/or one quoted string.

    Babel reads an unterminated string by dropping its last character, silently; checking
    the lines first reports it where it is.
    """
    ok = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _PO_LINE.fullmatch(stripped):
            continue
        if _PO_START.match(stripped):
            problems.error(path, number, "unterminated string: end it with a closing \" "
                           "(write a quote inside the text as \\\")")
        else:
            problems.error(path, number, "not a catalog line: expected msgid, msgstr or a "
                           "quoted string; remove the line or put '#' in front of it")
        ok = False
    return ok


@functools.lru_cache(maxsize=16)
def _parsed_catalog(text: str, lang: str):
    # A process that checks again (the preview server, the tests) re-reads unchanged catalogs.
    return read_po(io.StringIO(text), locale=lang, abort_invalid=True)


def read_catalog(path: Path, lang: str, locales: Path, problems: Problems):
    """The catalog, or None after reporting why it cannot be used (with its line)."""
    data = read_bytes(path, problems, root=locales)
    text = None if data is None else decode(path, data, problems)
    if text is None or not po_syntax(path, text, problems):
        return None
    try:
        return _parsed_catalog(text, lang)
    except PoFileError as exc:
        problems.error(path, getattr(exc, "lineno", -1) + 1, f"invalid catalog: {exc}")
    except ValueError as exc:  # e.g. a Plural-Forms header Babel cannot read
        problems.error(path, 1, f"invalid catalog header: {exc}")
    return None


# {name}, {0}, {name:spec}; %(name)s, %s, %d: what Python and Jinja's trans fill in.
_PLACEHOLDER = re.compile(r"\{\{|\}\}|(\{[^{}]*\}|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|"
                          r"%[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%)")


def placeholders(text: str) -> Counter:
    return Counter(m.group(1) for m in _PLACEHOLDER.finditer(text)
                   if m.group(1) and m.group(1) != "%%")


def check_placeholders(path: Path, catalog, problems: Problems) -> None:
    """A translation fills in exactly the placeholders of its msgid: one dropped prints
    nothing, one renamed or added fails the render with a bare KeyError."""
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = placeholders(ids[0])
        for msgid in ids[1:]:
            wanted |= placeholders(msgid)
        for translated in strings:
            if not translated:
                continue
            have = placeholders(translated)
            # A plural form may leave out the count ("un documento"), never add a placeholder.
            differs = (have - wanted) if len(ids) > 1 else (have != wanted)
            if not differs:
                continue
            missing = ", ".join(sorted((wanted - have).elements()))
            extra = ", ".join(sorted((have - wanted).elements()))
            what = "; ".join(part for part in (
                f"it lacks {missing}" if missing and len(ids) == 1 else "",
                f"{extra} is not in the original" if extra else "") if part)
            problems.error(path, message.lineno, f"\"{translated}\" does not keep the "
                           f"placeholders of \"{ids[0]}\" ({what}); copy each placeholder "
                           "exactly as the original writes it")
