"""Names are never hyphenated: people, countries and organisations keep their shape in print.

The names come from the content itself (organisers, presenters, affiliations, who directs a
slot) and from CLDR (every participating country, in the kit's language). Each occurrence in
the kit's prose is wrapped in ``<span class="name">``, which the stylesheets exempt from
hyphenation; authors can mark any other name in Markdown as ``[Name]{.name}``.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .. import locale as loc
from ..content.model import Project

_TAG = re.compile(r"(<[^>]+>)")
_ACRONYM = re.compile(r"\s*\([^)]*\)\s*$")
# A capitalised word, and the capitalised words that follow it joined by the small words of
# an institution's name ("Alto Comisionado de las Naciones Unidas para los Refugiados",
# "Ministries of Foreign Affairs"): proper names the content does not list are kept whole too.
_CAPITAL = r"(?<![\w@])[A-ZÀ-ÖØ-Þ][\w@]*(?:-[\w@]+)*"
_JOINER = r"(?:de|del|la|las|los|el|y|e|para|sobre|en|of|the|and|for|on|in|to)"
_PROPER_NAME = rf"{_CAPITAL}(?:\s+(?:{_JOINER}\s+)*{_CAPITAL})*"


def names_of(project: Project, lang: str, cldr_tag: str) -> tuple[str, ...]:
    """Longest first, so 'International Labour Organization' wins over 'Organization'."""
    found: set[str] = set()
    text, _ = project.document(lang, "workshop")
    agenda, _ = project.document(lang, "agenda")
    found.add(text.conference)
    found.update(_ACRONYM.sub("", organiser) for organiser in text.organisers)
    for slot in agenda.slots:
        found.update(p for person in slot.presenters for p in (person.name, person.affiliation)
                     if p)
        if slot.directs:
            found.add(_ACRONYM.sub("", slot.directs))
    locale = loc.cldr_locale(cldr_tag)
    found.update(loc.country_name(c.code, locale) for c in project.countries)
    return tuple(sorted((n for n in found if len(n) > 3), key=lambda n: (-len(n), n)))


def protect(html: str, names: tuple[str, ...]) -> Markup:
    """Wrap each name in the text of trusted (sanitised or escaped) HTML; tags untouched."""
    if not names:
        return Markup(html)
    pattern = re.compile("|".join(re.escape(str(escape(n))) for n in names))
    parts = _TAG.split(str(html))
    for i in range(0, len(parts), 2):  # even items are text between tags
        parts[i] = pattern.sub(lambda m: f'<span class="name">{m.group(0)}</span>', parts[i])
    return Markup("".join(parts))


_CAPITALISED = re.compile(_PROPER_NAME)
_HYPHENATABLE = re.compile(r"\w{6,}")  # hyphenate-limit-chars: 6 (layouts/styles/print.css)


def _keep_whole(match: re.Match) -> str:
    if not _HYPHENATABLE.search(match.group(0)):
        return match.group(0)  # too short to be hyphenated: no span to lay out
    return f'<span class="name">{match.group(0)}</span>'


def protect_capitalised(html: str) -> Markup:
    """Wrap each run of capitalised words in the text of trusted HTML in ``<span
    class="name">``, for the printed kit (the only hyphenated one). A capitalised word is a
    name or starts a sentence; breaking it ("Refu-giados", "For-eign Affairs") is what a copy
    editor corrects first. Tags untouched."""
    parts = _TAG.split(str(html))
    for index in range(0, len(parts), 2):
        parts[index] = _CAPITALISED.sub(_keep_whole, parts[index])
    return Markup("".join(parts))


def protect_text(value: object, names: tuple[str, ...]) -> Markup:
    """Jinja filter for plain content strings: escape first, then protect the names and the
    capitalised words (participant guidance: "Red Regional … para las Migraciones")."""
    return protect_capitalised(protect(str(escape(value)), names))
