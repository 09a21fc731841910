"""What every delegate's document of one language shares: the workshop, the texts, the brand.

Computed once per language; a person adds only their own fields (``person_context``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import locale as loc
from ..content.model import Project
from ..place_names import at_venue
from ..placeholders import fill
from ..render.templates import environment
from .layouts import layouts_for
from .registrations import Delegate
from .texts import DelegateTexts

PAPER = {"a4": "A4", "letter": "letter"}
# Paper height (landscape certificates use the short side) in mm, minus the page margins.
SHORT_SIDE_MM = {"a4": 210.0, "letter": 215.9}


@dataclass
class Design:
    """One language's shared design."""

    lang: str
    locale: Any
    texts: DelegateTexts
    workshop: dict
    dates: str
    place: str
    venue: str
    symbol: str
    list_symbol: str
    issued: str
    join_link: str | None
    emblem_src: str
    css: str
    layouts: Path
    locales: Path
    # What is laid out once and shared by everyone of this language (the letter, the
    # certificate, the badges' and the list's shared pages, the DOCX letter's template), kept for
    # the life of this design: in a worker, every batch after the first reuses them.
    shared: dict = field(default_factory=dict, repr=False, compare=False)

    def once(self, key: tuple, make):
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]

    def values(self, name: str = "") -> dict[str, str]:
        w = self.workshop
        return {"name": name, "workshop": w["title"], "conference": w["conference"],
                "conference_short": w["conference_short"], "kind": w["kind"],
                "dates": self.dates, "place": self.place}

    def env(self):
        return environment(self.layouts, self.locales, self.lang)

    def gettext(self, message: str) -> str:
        return loc.load_translations(self.locales, self.lang).gettext(message)


def list_symbol_of(project: Project, configured: str | None) -> str:
    """The list of participants' symbol: content's, else the kit's with INF.2 as the last part
    (…/INF.1 → …/INF.2), else none."""
    if configured:
        return configured
    control = project.workshop.document_control
    if control is None:
        return ""
    parts = control.symbol.split("/")
    return "/".join(parts[:-1] + ["INF.2"]) if len(parts) > 1 else control.symbol + "/INF.2"


def make_design(project: Project, lang: str, texts: DelegateTexts, paths,
                list_symbol: str | None) -> Design:
    facts = project.workshop
    locale = loc.cldr_locale(facts.cldr_tag(lang))
    text, _ = project.document(lang, "workshop")
    venue = facts.venue if facts.format != "virtual" else None
    venue_text = ""
    if venue is not None:
        local = text.venue if text.venue else None
        name = (local.name if local and local.name else venue.name)
        city = (local.city if local and local.city else venue.city)
        address = (local.address if local and local.address else venue.address)
        venue_text = ", ".join(part for part in (name, address, city) if part)
        own = project.languages[lang].country_words if lang in project.languages else None
        phrase = (own.places.get(name) or {}).get("at") if own else None
        place = f"{at_venue(lang, texts.at, name, phrase)}, {city}"
    else:
        place = texts.virtual
    layouts = layouts_for(paths)
    brand = paths.brand or layouts / "brand"
    svg = (brand / "emblem.svg").read_bytes()
    css = "\n".join((layouts / part).read_text(encoding="utf-8")
                    for part in ("styles/fonts.css", "styles/kit.css", "delegates/delegates.css"))
    control = facts.document_control
    return Design(
        lang=lang, locale=locale, texts=texts, workshop=text.model_dump(),
        dates=loc.date_span(facts.dates, locale), place=place, venue=venue_text,
        symbol=control.symbol if control else "",
        list_symbol=list_symbol_of(project, list_symbol),
        issued=loc.long_date(control.issued, locale) if control else
        loc.long_date(facts.dates[0], locale),
        join_link=facts.meeting_link if facts.format != "in-person" else None,
        emblem_src="data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
        css=css, layouts=layouts, locales=paths.locales)


def participation_label(design: Design, participation: str) -> str:
    return design.gettext("In person") if participation == "in-person" \
        else design.gettext("Remote")


def person_context(design: Design, person: Delegate, anchor: str) -> dict:
    name = person.full_name
    formal = f"{person.title} {name}" if person.title else name
    values = design.values(formal)
    return {
        "anchor": anchor,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "formal_name": formal,
        "list_name": list_name(person),
        "position": person.position,
        "organisation": person.organisation,
        "country": person.country,
        "country_name": loc.country_name(person.country, design.locale),
        "participation": person.participation,
        "participation_label": participation_label(design, person.participation),
        "join_link": design.join_link if person.participation == "remote" else None,
        "subject": fill(design.texts.letter.subject, values),
        "salutation": fill(design.texts.letter.salutation, values),
    }


def list_name(person: Delegate) -> str:
    """'GARCÍA LÓPEZ, Ana María': family name first, as lists of participants print them."""
    family = person.family_name.upper()
    if family and person.given_name:
        return f"{family}, {person.given_name}"
    return family or person.given_name


# Letters a language's CLDR collation sorts as their own, after their base letter (Spanish:
# "ñ" after "n"); everywhere else an accent only breaks ties.
_OWN_LETTERS = {"es": {"ñ": "n\uffff", "Ñ": "N\uffff"}}


def sort_key(text: str, lang: str = "") -> tuple:
    """Alphabetical order without a collation library (PyICU is not a dependency): accents and
    case are secondary (Á sorts with A, as CLDR's root collation has it), except a language's
    own letters (_OWN_LETTERS); then the exact text breaks ties."""
    for letter, key in _OWN_LETTERS.get(lang, {}).items():
        text = text.replace(letter, key)
    base = unicodedata.normalize("NFKD", text)
    primary = "".join(c for c in base if not unicodedata.combining(c)).casefold()
    primary = re.sub(r"[\s\-'’.]+", " ", primary).strip()
    return (primary, text)


def verification_code(workshop_id: str, person: Delegate) -> str:
    """Stable for a person and workshop, unique in practice (60 bits), checked in the register."""
    digest = hashlib.sha256(f"{workshop_id}\x1f{person.key}".encode()).digest()
    letters = base64.b32encode(digest).decode("ascii").rstrip("=")[:12]
    return "-".join(letters[i:i + 4] for i in range(0, 12, 4))
