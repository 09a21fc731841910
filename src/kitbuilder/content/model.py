"""The content model: what a workshop is, independent of files and formats.

Models are frozen pydantic classes; extra keys are refused so that a typo in a
content file is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from .. import locale as loc

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_SLOT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LANG_CODE = r"^[a-z]{2,3}$"


def _https_url(value: str) -> str:
    # A join link is printed in kits and written into calendar files: one line, and only a
    # scheme that opens a page (never javascript:, file: or a header-splitting newline).

    if any(not char.isprintable() or char.isspace() for char in value):
        raise ValueError("a link cannot hold spaces, line breaks or control characters; "
                         "write it on one line")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"'{value}' is not an https:// link; join links must start with "
                         "https://, like 'https://example.org/j/123'")
    return value


# For any join link: the workshop's, a day's or a slot's.
HttpsUrl = Annotated[str, AfterValidator(_https_url)]


def _known_zone(value: str) -> str:
    if not loc.is_zone(value):
        raise ValueError(
            f"unknown time zone '{value}'; use an IANA name like 'America/Mexico_City'"
        )
    return value


def _known_language(value: str) -> str:
    if not loc.is_locale(value):
        raise ValueError(f"unknown language '{value}'; use an ISO 639-1 code like 'es'")
    return value


def _known_country(value: str) -> str:
    if not loc.is_territory(value):
        raise ValueError(f"unknown country code '{value}'; use ISO 3166-1 alpha-2, like 'MX'")
    return value


def _known_locale(value: str) -> str:
    if not loc.is_locale(value):
        raise ValueError(f"unknown CLDR locale '{value}'; use one like 'es_419' or "
                         "'en_001'")
    return value


def _document_file(value: str) -> str:
    if value not in DATA_FILES.values() and not re.fullmatch(_MARKDOWN_FILE, value):
        raise ValueError(f"'{value}' is not a document; use a Markdown file name like "
                         f"'concept-note.md' or one of {', '.join(DATA_FILES.values())}")
    return value


def _safe_id(value: str) -> str:
    # The id names every output file, so it must never be able to name a path.
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", value):
        raise ValueError(f"'{value}' cannot name files; use lower-case letters, digits and "
                         "dashes, like 'rcm-wglm-2021-ws1'")
    return value


Zone = Annotated[str, AfterValidator(_known_zone)]
WorkshopId = Annotated[str, AfterValidator(_safe_id)]
CldrLocale = Annotated[str, AfterValidator(_known_locale)]
DocumentFile = Annotated[str, AfterValidator(_document_file)]
Language = Annotated[str, Field(pattern=LANG_CODE), AfterValidator(_known_language)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$"), AfterValidator(_known_country)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# A text field a translator leaves as it is: names of people and organisations, rooms, links,
# e-mails, codes. Such a field is no translation block (translation/fields.py): never counted
# as untranslated, never "Translation pending"; each language's file still gives its value.
# Fields that are not text (times, numbers, dates, fixed choices) are never translated either.
# docs/translators.md lists them.
NOT_TRANSLATED = {"translate": False}


class DocumentControl(_Model):
    symbol: str
    revision: int = 0
    issued: dt.date


class Day(_Model):
    """One day of the workshop: its date and, for virtual and hybrid days, its join link."""

    date: dt.date
    join_link: HttpsUrl | None = None


class Venue(_Model):
    """Where an in-person or hybrid workshop meets; its zone is the agenda's local time."""

    name: str
    address: str = ""
    city: str
    timezone: Zone


class WorkshopFacts(_Model):
    """content/workshop.yaml: facts that do not depend on language."""

    id: WorkshopId
    date: dt.date | None = None  # a one-day workshop's day; else the first of ``days``
    days: list[Day] = []
    timezone: Zone  # the reference zone the agenda's times are written in
    format: Literal["virtual", "in-person", "hybrid"]
    source_language: Language
    languages: list[Language] = Field(min_length=1)
    cldr_locales: dict[Language, CldrLocale] = {}
    venue: Venue | None = None
    meeting_link: HttpsUrl | None = None  # the join link of every day that has none of its own
    document_control: DocumentControl | None = None
    # The date the delegation form is due, when the organisers set one; without it the form
    # says "before the workshop" and its first day (never an invented date).
    form_deadline: dt.date | None = None
    # file name → language a document was written in, when it is not source_language
    document_sources: dict[DocumentFile, Language] = {}

    @field_validator("days", mode="before")
    @classmethod
    def _plain_dates(cls, value: object) -> object:
        # `days: [2027-03-25, 2027-03-26]` is short for a list of {date: …} entries.
        if isinstance(value, list):
            return [d if isinstance(d, dict) else {"date": d} for d in value]
        return value

    @model_validator(mode="before")
    @classmethod
    def _date_or_days(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("date") is not None and data.get("days"):
            raise ValueError("give either 'date' (a one-day workshop) or 'days', not both")
        return data

    @model_validator(mode="after")
    def _days_and_venue(self) -> WorkshopFacts:
        # `date: 2021-11-08` is the one-day workshop's shorthand for `days: [2021-11-08]`.
        if self.date is None and not self.days:
            raise ValueError("missing key 'days' (or 'date' for a one-day workshop); add it")
        if not self.days:
            object.__setattr__(self, "days", [Day(date=self.date)])
        object.__setattr__(self, "date", self.days[0].date)  # the first day
        dates = [d.date for d in self.days]
        if dates != sorted(set(dates)):
            raise ValueError("days must be in order, each date once")
        if self.form_deadline is not None and self.form_deadline >= dates[0]:
            raise ValueError(f"form_deadline {self.form_deadline:%Y-%m-%d} is not before the "
                             f"workshop's first day ({dates[0]:%Y-%m-%d}); give an earlier "
                             "date, or remove it to say 'before the workshop'")
        if self.format != "virtual" and self.venue is None:
            raise ValueError(f"an {self.format} workshop needs a 'venue' (name, city, "
                             "timezone); add one")
        return self

    @property
    def dates(self) -> list[dt.date]:
        return [d.date for d in self.days]

    def cldr_tag(self, lang: str) -> str:
        """The CLDR locale ``lang`` is written in (``cldr_locales``, e.g. es → es_419)."""
        return self.cldr_locales.get(lang, lang)

    def join_link(self, day: dt.date) -> str | None:
        found = next((d.join_link for d in self.days if d.date == day), None)
        return None if self.format == "in-person" else (found or self.meeting_link)

    def date_of(self, slot: AgendaSlot) -> dt.date | None:
        """The date a slot is on; None when it names no day of the workshop."""
        if slot.day is None:
            return self.days[0].date if len(self.days) == 1 else None
        if isinstance(slot.day, dt.date):
            return slot.day if slot.day in self.dates else None
        return self.days[slot.day - 1].date if slot.day <= len(self.days) else None

    @property
    def shown_zone(self) -> str:
        """The zone an in-person or hybrid agenda is printed in: the venue's."""
        return self.venue.timezone if self.venue and self.format != "virtual" else self.timezone


class Country(_Model):
    code: CountryCode
    languages: list[Language] = Field(min_length=1)
    timezone: Zone
    paper: Literal["a4", "letter"]
    line: int = Field(default=0, exclude=True)


class CountryList(_Model):
    countries: list[Country]

    @field_validator("countries")
    @classmethod
    def _at_least_one(cls, value: list[Country]) -> list[Country]:
        if not value:
            raise ValueError("no participating countries; add at least one")
        return value


class VenueText(_Model):
    """The venue's words in one language (its zone and the fact that it exists are shared)."""

    name: str | None = None
    address: str | None = None
    city: str | None = None


class WorkshopText(_Model):
    """content/<lang>/workshop.yaml: what the kit says about the workshop."""

    conference: str
    conference_short: str
    kind: str
    title: str
    subtitle: str
    format: str
    organisers: list[str] = Field(default=[], json_schema_extra=NOT_TRANSLATED)
    notice: str = ""  # printed on the cover, e.g. "Draft" or "Example: invented content"
    venue: VenueText | None = None  # the venue's name, address or city in this language


class Presenter(_Model):
    name: str | None = Field(default=None, json_schema_extra=NOT_TRANSLATED)
    role: str | None = None
    affiliation: str | None = Field(default=None, json_schema_extra=NOT_TRANSLATED)


class AgendaSlot(_Model):
    # The slot's identity for calendars (its UID), kept through edits of its title or time;
    # without it the identity comes from the source-language title (render/ics.py).
    id: str | None = None
    # The day: its number (1 = the first day) or its date; optional in a one-day workshop.
    day: int | dt.date | None = None
    start: dt.time
    end: dt.time
    kind: Literal["session", "break", "parallel"] = "session"
    title: str
    track: str | None = None  # parallel sessions: each has a track or a room
    room: str | None = Field(default=None, json_schema_extra=NOT_TRANSLATED)
    presenters: list[Presenter] = []
    directs: str | None = None  # who chairs or moderates the slot
    join_link: HttpsUrl | None = Field(default=None, json_schema_extra=NOT_TRANSLATED)
    line: int = Field(default=0, exclude=True)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _hh_mm(cls, value: object) -> object:
        if isinstance(value, int):
            # YAML 1.1 reads an unquoted 09:15 as the base-60 number 555.
            raise ValueError('write times in quotes, like "09:15"')
        if isinstance(value, str) and not _TIME.match(value):
            raise ValueError(f'"{value}" is not a time; write 24-hour "HH:MM", like "09:15"')
        return value


    @field_validator("id", mode="before")
    @classmethod
    def _short_name(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # `id: 7` is a fine name
        if isinstance(value, str) and not _SLOT_ID.match(value):
            raise ValueError(f"slot id '{value}' is not a short name; use letters, digits, "
                             "'-', '.' or '_' (at most 64), like 'opening-day-1'")
        return value

    @field_validator("day", mode="before")
    @classmethod
    def _day_number_or_date(cls, value: object) -> object:
        if isinstance(value, bool) or (isinstance(value, int) and value < 1):
            raise ValueError("write the day's number (1 for the first day) or its date, "
                             "like 2027-03-09")
        return value

    @model_validator(mode="after")
    def _ends_after_start(self) -> AgendaSlot:
        if self.end <= self.start:
            raise ValueError(f"slot '{self.title}' ends ({self.end:%H:%M}) before it starts "
                             f"({self.start:%H:%M}); fix its times")
        if self.kind == "break" and (self.presenters or self.directs):
            raise ValueError(f"break '{self.title}' has presenters or a chair; a break has "
                             "neither (use kind: session)")
        if self.kind == "parallel" and not (self.track or self.room):
            raise ValueError(f"parallel session '{self.title}' needs a 'track' or a 'room' "
                             "to tell it from the sessions beside it")
        return self


class Agenda(_Model):
    title: str
    slots: list[AgendaSlot] = Field(min_length=1)


class DelegationRole(_Model):
    id: str = Field(json_schema_extra=NOT_TRANSLATED)
    count: PositiveInt
    description: str


class GuidanceNote(_Model):
    """A part of the participant guidance: how to connect or reach the venue, interpretation,
    whom to ask. Its text's paragraphs are separated by blank lines."""

    title: str
    text: str


class Participants(_Model):
    title: str
    intro: str
    delegation: list[DelegationRole]
    regional_intro: str = ""
    regional: list[DelegationRole] = []
    observers: str = ""
    guidance: str = ""
    # Where the completed delegation form goes and by when (printed under the form's title).
    form_return: str = ""
    # What the participant guidance chapter tells a delegation, after the join links and the
    # venue that workshop.yaml gives.
    notes: list[GuidanceNote] = []


class MarkdownDocument(_Model):
    """A prose document: front matter plus a Markdown body."""

    title: str
    body: str
    path: str
    body_line: int  # line of the file on which the body starts, for messages


class Citation(_Model):
    key: str
    path: str
    line: int


class CountryWords(_Model):
    """content/<lang>/countries.yaml: how each country is named inside this language's
    sentences, with its article or preposition: ``CA: {in: au Canada, of: du Canada, from: le
    Canada}``. Where a country has none, place_names.py gives kitbuilder's forms, and where
    that has none either, sentences are written around the bare name."""

    in_sentence: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")],
                      dict[Literal["in", "of", "from"], str]] = {}
    # A venue (by its name in this language) after "at" in the delegates' letters, whole:
    # ``"Hôtel Lumière": {at: à l’Hôtel Lumière}``. Where none is given, place_names.py
    # joins delegates.yaml's `at` and the name.
    places: dict[str, dict[Literal["at"], str]] = {}


class LanguageContent(_Model):
    """Everything one language provides; ``None`` (or no entry) where a file is missing."""

    lang: str
    workshop: WorkshopText | None = None
    agenda: Agenda | None = None
    participants: Participants | None = None
    markdown: dict[str, MarkdownDocument] = {}  # file name → document, e.g. "concept-note.md"
    # <lang>/references.json: entries (by id) whose fields replace the shared entry's in this
    # language's kits, e.g. the Spanish author "OIT" for "ILO".
    references: list[dict] = []
    country_words: CountryWords | None = None

    def file(self, filename: str):
        """The document read from ``filename`` (e.g. "agenda.yaml"), or None."""
        if filename in self.markdown:
            return self.markdown[filename]
        field = DATA_FIELDS.get(filename)
        return getattr(self, field) if field else None


# The translatable data files every language folder has, by the field that holds each.
DATA_FILES = {"workshop": "workshop.yaml", "agenda": "agenda.yaml",
              "participants": "participants.yaml"}
DATA_FIELDS = {filename: name for name, filename in DATA_FILES.items()}
_MARKDOWN_FILE = r"[a-z0-9][a-z0-9-]{0,63}\.md"

# What a kit can hold besides Markdown documents: sections drawn from the data files.
BUILT_IN_DOCUMENTS = ("agenda", "participants", "references")
# What can follow a Markdown document inside its own chapter (the seed's concept note ends
# with the recommended delegation).
APPENDICES = ("participants-summary",)


class KitDocument(_Model):
    """One entry of content/kit.yaml: a chapter of every kit, in order."""

    kind: Literal["markdown", "agenda", "participants", "references"]
    file: str | None = None  # Markdown documents: the file name in each language folder
    append: list[Literal["participants-summary"]] = []
    line: int = Field(default=0, exclude=True)

    @property
    def id(self) -> str:
        """The chapter's anchor and bookmark id: the file's stem, or the built-in's name."""
        return self.file.removesuffix(".md") if self.file else self.kind

    @property
    def source_file(self) -> str | None:
        """The language file a chapter is read from (references: none, they are shared)."""
        return self.file or {"agenda": "agenda.yaml", "participants": "participants.yaml"}.get(
            self.kind)


DEFAULT_KIT = (
    KitDocument(kind="markdown", file="concept-note.md", append=["participants-summary"]),
    KitDocument(kind="references"),
    KitDocument(kind="agenda"),
    KitDocument(kind="participants"),
)


class Project(_Model):
    """A whole workshop's content, loaded and validated."""

    root: str
    workshop: WorkshopFacts
    countries: list[Country]  # empty when countries.yaml is broken (already reported)
    references: list[dict]
    languages: dict[str, LanguageContent]
    kit: tuple[KitDocument, ...] = DEFAULT_KIT

    def references_in(self, lang: str) -> list[dict]:
        """The shared references with ``lang``'s own author names, titles, … laid over them."""
        own = {entry["id"]: entry for entry in self.languages[lang].references} \
            if lang in self.languages else {}
        return [{**entry, **own.get(entry["id"], {})} for entry in self.references]

    def document(self, lang: str, name: str):
        """The document in ``lang``, or its source language's when it is missing.

        ``name``: a file name ("concept-note.md", "agenda.yaml") or a data field ("agenda").
        """
        filename = DATA_FILES.get(name, name)
        own = self.languages[lang].file(filename)
        if own is not None:
            return own, False
        return self.languages[self.source_of(filename)].file(filename), True

    def source_of(self, name: str) -> str:
        """The language a document (file name or data field) was written in: content decides."""
        chosen = self.workshop.document_sources.get(DATA_FILES.get(name, name))
        return chosen if chosen in self.languages else self.workshop.source_language

    @property
    def markdown_files(self) -> list[str]:
        return [d.file for d in self.kit if d.kind == "markdown" and d.file]

    @property
    def translatable_files(self) -> list[str]:
        """Every file a translator translates, in kit order (workshop.yaml first)."""
        files = ["workshop.yaml", *(d.source_file for d in self.kit if d.source_file)]
        # agenda.yaml feeds the calendar and names even when no chapter shows it.
        return list(dict.fromkeys([*files, "agenda.yaml"]))
