"""Names are never hyphenated: people, countries and organisations keep their shape in print.

The names come from the content itself (organisers, presenters, affiliations, who directs a
slot) and from CLDR (every participating country, in the kit's language); templates mark
them in plain content strings (``protect_names``). In the PDF, the hyphenation dictionaries
leave every capitalised word whole (``keep_names_whole``); authors can mark any other name in
Markdown as ``[Name]{.name}``, which the stylesheets exempt from hyphenation.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .. import locale as loc
from ..content.model import Project

_TAG = re.compile(r"(<[^>]+>)")
_ACRONYM = re.compile(r"\s*\([^)]*\)\s*$")


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


class UnbrokenCapitals:
    """A pyphen dictionary that offers no break inside a capitalised word: a name, or the
    first word of a sentence ("Refu-giados", "For-eign Affairs" are what a copy editor
    corrects first). Other words break as the dictionary says."""

    def __init__(self, dictionary) -> None:
        self.dictionary = dictionary

    def positions(self, word: str) -> list:
        return [] if word[:1].isupper() else self.dictionary.positions(word)


def keep_names_whole(tags: set[str]) -> None:
    """Make the hyphenation dictionaries of ``tags`` (BCP 47, as in ``lang`` and
    ``-weasy-lang``) keep capitalised words whole, for the PDF: the only hyphenated edition.

    WeasyPrint hyphenates through pyphen, which keeps one dictionary per file in
    ``pyphen.hdcache``; the kit's entries are replaced by wrappers. Wrapping each name in a
    ``<span>`` instead made it an inline box of its own in every line that held it (with the
    contents' dot leaders, a tenth of a kit's PDF time: docs/performance.md). A name with a
    long word in lower case can be marked in Markdown as ``[Name]{.name}``, which the
    stylesheets exempt from hyphenation.
    """
    import pyphen

    for tag in tags:
        found = pyphen.language_fallback(tag)
        if found is None:
            continue
        path = pyphen.LANGUAGES[found]
        current = pyphen.hdcache.get(path)
        if not isinstance(current, UnbrokenCapitals):
            pyphen.hdcache[path] = UnbrokenCapitals(current or pyphen.HyphDict(path))


def protect_text(value: object, names: tuple[str, ...]) -> Markup:
    """Jinja filter for plain content strings: escape first, then mark the known names."""
    return protect(str(escape(value)), names)
