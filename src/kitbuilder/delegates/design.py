"""What every delegate's document of one language shares: the workshop, the texts, the brand.

Computed once per language; a person adds only their own fields (``person_context``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import format_date

from .. import locale as loc
from ..content.model import Project
from ..errors import KitError
from ..place_names import at_venue
from ..render.templates import environment
from .layouts import layouts_for
from .messages import format_message
from .registrations import Delegate
from .texts import DelegateTexts
from .titles import NO_TITLE, canonical

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
    issued: str  # the list of participants' date (the kit's date of issue)
    meeting: dict  # the ICU messages' meeting variables (texts.MEETING) but participation
    signature_src: str  # the signatory's signature image as a data: URL, or ""
    brand: Path  # the brand folder (emblem, signature image)
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

    def message(self, text: str, participation: str = "in-person", **more) -> str:
        """A translator's ICU message for this meeting (and ``more``: a person's variables)."""
        values = {**self.meeting, "participation": self.participation(participation), **more}
        return format_message(text, values, self.locale)

    def participation(self, registered: str) -> str:
        """in_person | remote: everyone takes part remotely in a virtual meeting, whatever
        the registration says."""
        return "remote" if self.meeting["format"] == "virtual" or registered == "remote" \
            else "in_person"

    def dateline(self, day: dt.date) -> str:
        """'San José, 12 de marzo de 2027': where and when a document is issued."""
        return format_message(self.texts.dateline, {
            "issue_place": self.texts.place,
            "issue_date": format_date(day, "long", locale=self.locale)}, self.locale)

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
    workshop = text.model_dump()
    dates = loc.date_span(facts.dates, locale)
    meeting = {"workshop": workshop["title"], "conference": workshop["conference"],
               "conference_short": workshop["conference_short"], "kind": workshop["kind"],
               "dates": dates, "place": place, "venue": venue_text, "days": len(facts.dates),
               "format": facts.format.replace("-", "_"),
               "kind_in_title": "yes" if _names_kind(workshop) else "no"}
    return Design(
        lang=lang, locale=locale, texts=texts, workshop=workshop,
        dates=dates, place=place, venue=venue_text,
        symbol=control.symbol if control else "",
        list_symbol=list_symbol_of(project, list_symbol),
        issued=loc.long_date(control.issued, locale) if control else
        loc.long_date(facts.dates[0], locale),
        meeting=meeting, signature_src=_signature(brand, texts), brand=brand,
        join_link=facts.meeting_link if facts.format != "in-person" else None,
        emblem_src="data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
        css=css, layouts=layouts, locales=paths.locales)


def _names_kind(workshop: dict) -> bool:
    """The title already says what the meeting is ("Regional workshop on …"): the texts then
    leave the kind out ("Taller sobre Taller regional …" otherwise)."""
    return workshop["kind"].casefold() in workshop["title"].casefold().split(":")[0][:60]


def _signature(brand: Path, texts: DelegateTexts) -> str:
    name = texts.signatory.signature
    if not name:
        return ""
    path = brand / name
    if not path.is_file():
        raise KitError(f"{brand / name}: error: the signatory's signature image is missing; "
                       "put it in the brand folder, or remove 'signature' from delegates.yaml")
    kind = {"svg": "svg+xml", "jpg": "jpeg"}.get(path.suffix[1:].lower(), path.suffix[1:].lower())
    return f"data:image/{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


# The list's sections and the badges' bands, one per kind of participant (in the list's
# order); gettext's markers make pybabel find them.
def N_(message: str) -> str:  # noqa: N802 - gettext's name for a marker
    return message


SECTIONS = {"delegation": N_("Delegations"), "organisation": N_("International organisations"),
            "resource-person": N_("Resource persons"), "observer": N_("Observers"),
            "secretariat": N_("Secretariat")}
BANDS = {"delegation": N_("Delegation"), "organisation": N_("International organisation"),
         "resource-person": N_("Resource person"), "observer": N_("Observer"),
         "secretariat": N_("Secretariat")}


def group_name(design: Design, person: Delegate) -> str:
    """What a participant is listed and badged under: a delegate's country, an international
    organisation's name, else their kind."""
    if person.kind == "delegation":
        return loc.country_name(person.country, design.locale)
    if person.kind == "organisation":
        return person.organisation
    return design.gettext(BANDS[person.kind])


def participation_label(design: Design, participation: str) -> str:
    """As the list prints it: everyone remote in a virtual meeting, whatever was registered."""
    return design.gettext("In person") if design.participation(participation) == "in_person" \
        else design.gettext("Remote")


def salutation_values(design: Design, person: Delegate) -> dict[str, str]:
    """The person's variables of the salutation and honorific (texts.PERSON)."""
    title = canonical(person.title) or NO_TITLE
    values = {**title.values, "given_name": person.given_name,
              "family_name": person.family_name or person.given_name,
              "full_name": person.full_name}
    values["honorific"] = format_message(design.texts.honorific, values, design.locale)
    return values


def salutation(design: Design, person: Delegate, values: dict[str, str]) -> str:
    given = getattr(person, "form_of_address", "").strip().rstrip(",:;")
    if given:
        return format_message(design.texts.letter.salutation_given,
                              {"form_of_address": given}, design.locale)
    return design.message(design.texts.letter.salutation, person.participation, **values)


def person_context(design: Design, person: Delegate, anchor: str) -> dict:
    name = person.full_name
    values = salutation_values(design, person)
    formal = f"{values['honorific']} {name}" if values["honorific"] else name
    return {
        "anchor": anchor,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "formal_name": formal,
        "list_name": list_name(person),
        "list_original": list_name(person, latin=False),
        "list_latin": latin_list_name(person),
        "position": person.position,
        "organisation": person.organisation,
        "country": person.country,
        "country_name": loc.country_name(person.country, design.locale)
        if person.country else "",
        "group_name": group_name(design, person),
        "kind": person.kind,
        "kind_label": design.gettext(BANDS[person.kind]),
        "participation": design.participation(person.participation),
        "participation_label": participation_label(design, person.participation),
        "join_link": design.join_link
        if design.participation(person.participation) == "remote" else None,
        "subject": design.message(design.texts.letter.subject, person.participation),
        "salutation": salutation(design, person, values),
    }


def list_name(person: Delegate, latin: bool = True) -> str:
    """'GARCÍA LÓPEZ, Ana María': family name first, as lists of participants print them,
    in capitals by the name's language (Greek without accents, Turkish İ); the name in Latin
    letters after it where the registration gives one: '王, 小明 (WANG, Xiaoming)'."""
    lang = loc.name_language(person.country, person.language)
    name = _family_first(loc.upper(person.family_name, lang), person.given_name)
    transliterated = latin_list_name(person, lang) if latin else ""
    return f"{name} ({transliterated})" if transliterated else name


def latin_list_name(person: Delegate, lang: str = "") -> str:
    """The name in Latin letters as the list prints it ('WANG, Xiaoming'); '' if not given."""
    lang = lang or loc.name_language(person.country, person.language)
    return _family_first(loc.upper(person.family_name_latin, lang), person.given_name_latin)


def _family_first(family: str, given: str) -> str:
    if family and given:
        return f"{family}, {given}"
    return family or given


def sort_key(text: str, lang: str = "") -> bytes:
    """Alphabetical order in ``lang`` (CLDR's collation through ICU: locale.collation_key)."""
    return loc.collation_key(text, lang)


def verification_code(workshop_id: str, person: Delegate) -> str:
    """Stable for a person and workshop, unique in practice (60 bits), checked in the register."""
    digest = hashlib.sha256(f"{workshop_id}\x1f{person.key}".encode()).digest()
    letters = base64.b32encode(digest).decode("ascii").rstrip("=")[:12]
    return "-".join(letters[i:i + 4] for i in range(0, 12, 4))
