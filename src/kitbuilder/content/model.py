"""The content model: what a workshop is, independent of files and formats.

Models are frozen pydantic classes; extra keys are refused so that a typo in a
content file is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    field_validator,
    model_validator,
)

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LANG_CODE = r"^[a-z]{2,3}$"


def _https_url(value: str) -> str:
    # A join link is printed in kits and written into calendar files: one line, and only a
    # scheme that opens a page (never javascript:, file: or a header-splitting newline).
    from urllib.parse import urlsplit

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
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone '{value}'; use an IANA name like 'America/Mexico_City'"
        ) from None
    return value


def _known_language(value: str) -> str:
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown language '{value}'; use an ISO 639-1 code like 'es'") from None
    return value


def _known_country(value: str) -> str:
    if value not in Locale("en").territories:
        raise ValueError(f"unknown country code '{value}'; use ISO 3166-1 alpha-2, like 'MX'")
    return value


def _known_locale(value: str) -> str:
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown CLDR locale '{value}'; use one like 'es_419' or "
                         "'en_001'") from None
    return value


def _document_file(value: str) -> str:
    if value not in DOCUMENT_FILES.values():
        raise ValueError(f"'{value}' is not a document; use one of "
                         f"{', '.join(DOCUMENT_FILES.values())}")
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


class DocumentControl(_Model):
    symbol: str
    revision: int = 0
    issued: dt.date


class WorkshopFacts(_Model):
    """content/workshop.yaml: facts that do not depend on language."""

    id: WorkshopId
    date: dt.date
    timezone: Zone
    format: Literal["virtual", "in-person", "hybrid"]
    source_language: Language
    languages: list[Language] = Field(min_length=1)
    cldr_locales: dict[Language, CldrLocale] = {}
    meeting_link: HttpsUrl | None = None
    document_control: DocumentControl | None = None
    # file name → language a document was written in, when it is not source_language
    document_sources: dict[DocumentFile, Language] = {}


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


class WorkshopText(_Model):
    """content/<lang>/workshop.yaml: what the kit says about the workshop."""

    conference: str
    conference_short: str
    kind: str
    title: str
    subtitle: str
    format: str
    organisers: list[str] = []


class Presenter(_Model):
    name: str | None = None
    role: str | None = None
    affiliation: str | None = None


class AgendaSlot(_Model):
    start: dt.time
    end: dt.time
    title: str
    presenters: list[Presenter] = []
    directs: str | None = None
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


    @model_validator(mode="after")
    def _ends_after_start(self) -> AgendaSlot:
        if self.end <= self.start:
            raise ValueError(f"slot '{self.title}' ends ({self.end:%H:%M}) before it starts "
                             f"({self.start:%H:%M}); fix its times")
        return self


class Agenda(_Model):
    title: str
    slots: list[AgendaSlot] = Field(min_length=1)


class DelegationRole(_Model):
    id: str
    count: PositiveInt
    description: str


class Participants(_Model):
    title: str
    intro: str
    delegation: list[DelegationRole]
    regional_intro: str = ""
    regional: list[DelegationRole] = []
    observers: str = ""
    guidance: str = ""


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


class LanguageContent(_Model):
    """Everything one language provides; ``None`` where that file is missing."""

    lang: str
    workshop: WorkshopText | None = None
    concept_note: MarkdownDocument | None = None
    agenda: Agenda | None = None
    participants: Participants | None = None


DOCUMENT_FILES = {
    "workshop": "workshop.yaml",
    "concept_note": "concept-note.md",
    "agenda": "agenda.yaml",
    "participants": "participants.yaml",
}


class Project(_Model):
    """A whole workshop's content, loaded and validated."""

    root: str
    workshop: WorkshopFacts
    countries: list[Country]  # empty when countries.yaml is broken (already reported)
    references: list[dict]
    languages: dict[str, LanguageContent]

    def document(self, lang: str, name: str):
        """The document in ``lang``, or the source language's when it is missing."""
        own = getattr(self.languages[lang], name)
        if own is not None:
            return own, False
        return getattr(self.languages[self.source_of(name)], name), True

    def source_of(self, name: str) -> str:
        """The language ``name`` (e.g. "concept_note") was written in: content decides."""
        chosen = self.workshop.document_sources.get(DOCUMENT_FILES.get(name, name))
        return chosen if chosen in self.languages else self.workshop.source_language
