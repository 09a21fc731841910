"""Each language's typographic conventions, applied to the kit's prose and references.

locales/<lang>/typography.yaml gives the quotation marks (CLDR's delimiters) and the dash that
sets off a parenthetical phrase; the percent sign follows CLDR's percent pattern for the kit's
locale (Babel). Only text between tags changes: never a tag, an address or an attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup

_TAG = re.compile(r"(<[^>]*>)")
_PERCENT = re.compile(r"(\d)[ \u00a0\u202f]?%")
# A double quotation as authors type it or pandoc sets it (“…”, «…», „…“), on one line.
_DOUBLE = re.compile(r"(?:“|«[ \u00a0\u202f]?|„)([^“”«»„\n<>]{1,400}?)(?:[ \u00a0\u202f]?»|”|“)")
# A dash between spaces: always punctuation (never a hyphen, nor a range "9–11").
_SPACED_DASH = re.compile(r"(?<=\S) [–—] (?=\S)")
# A dash pair set closed ("—inciso—"), as Spanish sets it. Spaced pairs are not turned into
# closed ones: "Star.COOP – Herramienta … – Guía" may be a title's parts, not an aside.
_CLOSED_INCISE = re.compile(r"(?<=\s)[–—](\S[^–—.;:<>]{0,200}?\S)[–—](?=[ ,.;:)])")


@dataclass(frozen=True)
class Typography:
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")
    quote_space: str = ""
    dash: str = ""  # empty: dashes as written
    dash_spaced: bool = True
    percent_space: str = ""  # between a number and "%": CLDR's pattern for the locale


@lru_cache(maxsize=32)
def typography(locales: Path | None, lang: str, cldr_tag: str) -> Typography:
    """The conventions of ``lang`` (locales/<lang>/typography.yaml), read once per process."""
    from babel import Locale

    data: dict = {}
    path = locales / lang / "typography.yaml" if locales else None
    if path and path.is_file():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pattern = Locale.parse(cldr_tag).percent_formats[None].pattern
    space = next((c for c in ("\u00a0", "\u202f", " ") if c + "%" in pattern), "")
    quotes = tuple(data.get("quotes", Typography.quotes))
    return Typography(quotes=quotes, quote_space=str(data.get("quote_space", "")),
                      dash=str(data.get("dash", "")),
                      dash_spaced=bool(data.get("dash_spaced", True)),
                      percent_space="\u00a0" if space else "")


def _text(text: str, style: Typography) -> str:
    opening, closing = style.quotes[0] + style.quote_space, style.quote_space + style.quotes[1]
    text = _DOUBLE.sub(lambda m: opening + m.group(1).strip() + closing, text)
    text = _PERCENT.sub(lambda m: m.group(1) + style.percent_space + "%", text)
    if style.dash:
        if style.dash_spaced:
            text = _CLOSED_INCISE.sub(lambda m: f"{style.dash} {m.group(1)} {style.dash}", text)
            text = _SPACED_DASH.sub(f" {style.dash} ", text)
        else:
            text = _CLOSED_INCISE.sub(lambda m: f"{style.dash}{m.group(1)}{style.dash}", text)
    return text


def typeset(html: str, style: Typography) -> Markup:
    """``html`` with the language's quotation marks, percent signs and dashes in its text."""
    parts = _TAG.split(str(html))
    for index in range(0, len(parts), 2):  # even items are text, odd ones tags
        if parts[index].strip():
            parts[index] = _text(parts[index], style)
    return Markup("".join(parts))
