"""Glyph coverage, checked before anything is rendered.

Every character a kit can print must exist in the kit's fonts: the faces shipped in
``layouts/fonts``, their fallback faces, or the system's CJK faces (quality/fonts.py).
Otherwise WeasyPrint silently substitutes a system font (not the brand's, maybe not on the
next machine) or draws a blank box. The check reads the text sources a kit is made of —
content files, gettext catalogs, layouts — line by line, plus the names and dates that come
from CLDR, and reports each unsupported character with its code point and ``path:line``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from pathlib import Path

from .. import locale as loc
from ..content.files import MAX_TEXT_BYTES, link_outside
from ..errors import Problems
from . import fonts as kit_fonts

FONT_SUFFIXES = (".ttf", ".otf")  # the main faces (fallback and system faces: quality/fonts.py)
CONTENT_SUFFIXES = (".yaml", ".yml", ".md", ".markdown", ".json", ".bib", ".txt")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)


def font_files(layouts: Path) -> list[Path]:
    folder = layouts / "fonts"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def supported_characters(fonts: list[Path]) -> frozenset[int]:
    """Code points every one of ``fonts`` has: any text may be set in any style (bold, serif…)."""
    maps = [kit_fonts.cmap(font) for font in fonts]
    return frozenset.intersection(*maps) if maps else frozenset()


def _ignorable(char: str) -> bool:
    # Line ends, tabs and other control characters are never drawn.
    return unicodedata.category(char) == "Cc"


def describe(char: str) -> str:
    name = unicodedata.name(char, "unnamed character")
    shown = char if char.isprintable() and not char.isspace() else ""
    return f"{'«' + shown + '» ' if shown else ''}(U+{ord(char):04X} {name})"


def _lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text that can reach a kit) for one source file."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            return []  # too big to be content: the content loader reports it
        text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    except (OSError, UnicodeDecodeError):
        return []  # unreadable files are reported by the content loader
    suffix = path.suffix.lower()
    if suffix == ".j2":
        # Blank out template comments but keep the line numbers.
        text = _JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if suffix in (".yaml", ".yml", ".po", ".pot") and stripped.startswith("#"):
            continue  # comments are for editors, never printed
        if suffix == ".json":
            line = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line)
        lines.append((number, line))
    return lines


def sources(content: Path, layouts: Path, locales: Path) -> list[Path]:
    """The text files a kit is made of."""
    found = [p for p in sorted(content.rglob("*"))
             if p.is_file() and p.suffix.lower() in CONTENT_SUFFIXES
             and link_outside(p, content) is None]  # the loader reports links that leave
    # The catalogs of the content's languages only: the shipped Chinese one needs a system
    # font that a project with no kit in Chinese need not install.
    languages = {folder.name for folder in content.iterdir() if folder.is_dir()} \
        if content.is_dir() else set()
    found += sorted(p for p in locales.glob("*/LC_MESSAGES/*.po")
                    if p.parent.parent.name in languages) if locales.is_dir() else []
    found += sorted(layouts.rglob("*.j2")) if layouts.is_dir() else []
    return found


def check_text(path: Path, supported: Container[int], problems: Problems) -> None:
    lines = _lines(path)
    # Nearly every file is all in the fonts: one pass over its distinct characters says so.
    if all(ord(char) in supported or _ignorable(char)
           for char in set().union(*(line for _, line in lines))):
        return
    for number, line in lines:
        reported: set[str] = set()
        for char in line:
            if ord(char) in supported or char in reported or _ignorable(char):
                continue
            reported.add(char)
            problems.error(path, number, f"character {describe(char)} is not in the kit's "
                           f"fonts (layouts/fonts); {_advice(char)}")


def _advice(char: str) -> str:
    return "replace it, or " + font_advice(char)


def font_advice(char: str) -> str:
    """Which font would draw ``char`` and where it goes: the system package to install, or
    the Noto family of its script to add to the fallback faces."""
    system = kit_fonts.system_font_for(char)
    if system is not None and not system.path.is_file():
        return (f"install the Debian package {system.package} (scripts/setup-system.sh), "
                f"which puts {system.path.name} in {system.path.parent}")
    family = noto_family(char)
    named = f"{family} (OFL, from Debian's fonts-noto-core or the Noto project)" if family \
        else "a font that has it (an OFL font, e.g. the Noto family of its script)"
    return (f"add {named} to layouts/fonts/fallback/ and declare it in "
            "layouts/styles/fonts.css")


# The words of a character's Unicode name that come after its script's name.
_NAME_KINDS = frozenset(("LETTER", "SIGN", "DIGIT", "VOWEL", "SYLLABLE", "SYLLABICS",
                         "CHARACTER", "LIGATURE", "NUMBER", "MARK", "CONSONANT", "IDEOGRAPH",
                         "SMALL", "CAPITAL", "INDEPENDENT", "DEPENDENT", "FINAL", "MEDIAL",
                         "PUNCTUATION", "FRACTION", "SYMBOL", "HIEROGLYPH"))
_FAMILY_OF = {"Canadian": "Noto Sans Canadian Aboriginal", "Cjk": "Noto Sans CJK",
              "Hangul": "Noto Sans CJK", "Hiragana": "Noto Sans CJK",
              "Katakana": "Noto Sans CJK", "Egyptian": "Noto Sans Egyptian Hieroglyphs"}


def noto_family(char: str) -> str | None:
    """'Noto Sans Tamil' for «த»: the Noto family named after the character's script (its
    Unicode name's first words); None for a symbol or an unnamed character."""
    words = unicodedata.name(char, "").split()
    script = []
    for word in words:
        word = word.split("-")[0]  # CJK UNIFIED IDEOGRAPH-4E2D
        if word in _NAME_KINDS:
            break
        script.append(word.title())
    if not script or len(script) == len(words) or script[0] in ("Latin", "Greek", "Cyrillic"):
        return None  # a symbol; or a letter the main faces lack (a rare Latin one)
    return _FAMILY_OF.get(script[0], "Noto Sans " + " ".join(script))


def check_strings(where: Path, line: int, strings: dict[str, str], supported: Container[int],
                  problems: Problems) -> None:
    """Text from CLDR (country names, dates…): reported at the entry that asks for it."""
    for label, value in strings.items():
        for char in dict.fromkeys(value):
            if ord(char) not in supported and not _ignorable(char):
                problems.error(where, line, f"character {describe(char)} in {label} "
                               f"'{value}' is not in the kit's fonts (layouts/fonts); "
                               f"{_advice(char)}")


def check_glyphs(content: Path, layouts: Path, locales: Path, problems: Problems,
                 project=None) -> None:
    """Report every character the kits would print that the shipped fonts lack."""
    if not font_files(layouts):
        problems.error(layouts / "fonts", 0, "no fonts (.ttf/.otf) found; the kits' fonts "
                       "must be shipped here so every machine renders the same")
        return
    supported = kit_fonts.coverage(layouts)
    if project is not None and _check_system_fonts(project, content, problems):
        # Said once, above: not again for each of its characters.
        supported = supported | kit_fonts.cjk_code_points()
    for path in sources(content, layouts, locales):
        check_text(path, supported, problems)
    if project is not None:
        _check_cldr(project, content, supported, problems)


def _check_system_fonts(project, content: Path, problems: Problems) -> bool:
    """One error per system font the project's languages need and the system lacks."""
    facts = project.workshop
    missing = kit_fonts.missing_system_fonts(facts.languages)
    where = content / "workshop.yaml"
    for font in missing:
        languages = ", ".join(sorted(set(facts.languages) & set(font.languages)))
        problems.error(where, _line_of(where, "languages:"),
                       f"the kits in {languages} need the font {font.path}, which is not "
                       f"installed; install the Debian package {font.package} "
                       "(scripts/setup-system.sh does)")
    return bool(missing)


def _line_of(path: Path, key: str) -> int:
    """The line a top-level key is on (0: not found)."""
    for number, line in _lines(path):
        if line.startswith(key):
            return number
    return 0


def _check_cldr(project, content: Path, supported: Container[int], problems: Problems) -> None:
    facts = project.workshop
    for country in project.countries:
        for lang in country.languages:
            try:
                locale = loc.cldr_locale(facts.cldr_tag(lang))
                strings = {
                    "the country name": loc.country_name(country.code, locale),
                    "the language name": loc.language_name(lang, locale),
                    "the date": loc.long_date(facts.date, locale),
                    "the time zone's city": loc.zone_city(country.timezone, locale),
                    "the time zone's name": loc.zone_name(country.timezone, locale),
                    "the UTC offset": f"UTC{loc.MINUS}5, UTC+1",
                }
            except Exception:  # noqa: BLE001 - bad codes and zones are the loader's to report
                continue
            check_strings(content / "countries.yaml", getattr(country, "line", 0) or 0,
                          strings, supported, problems)
