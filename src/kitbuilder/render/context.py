"""The small, explicit context a layout receives for one kit.

Work that does not depend on the country (Markdown, citations) is done once per
language in ``LanguageRender`` and shared by every country's kit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import locale as loc
from ..content.model import DOCUMENT_FILES, Country, Project
from .markdown import RenderedDocument, render_markdown
from .names import names_of, protect


@dataclass(frozen=True)
class LanguageRender:
    lang: str
    concept_note: RenderedDocument
    fallbacks: tuple[str, ...]  # documents shown in the source language
    names: tuple[str, ...] = ()  # never hyphenated (render/names.py)
    fields: tuple | None = None  # untranslated YAML fields (translation.fallback.field_fallbacks)


def render_language(project: Project, lang: str, locales: Path | None = None) -> LanguageRender:
    from ..translation.fallback import field_fallbacks, merged_markdown, pending_label

    note, note_fell_back = project.document(lang, "concept_note")
    refs = Path(project.root) / "references.json"
    # A fallback document is rendered in its own language so citations format consistently.
    note_lang = project.source_of("concept_note") if note_fell_back else lang
    fallbacks = tuple(
        name for name in DOCUMENT_FILES
        if project.document(lang, name)[1]
    )
    body = note.body
    if not note_fell_back:  # untranslated paragraphs: source text, marked "Translation pending"
        label = pending_label(locales, lang) if locales else "Translation pending"
        body, missing = merged_markdown(project, lang, label)
        fallbacks += tuple(f"concept-note.md:{block}" for block in missing)
    rendered = render_markdown(body, note_lang, refs, "cn-")
    names = names_of(project, lang, cldr_tag(project, lang))
    rendered = RenderedDocument(protect(rendered.body, names), rendered.bibliography)
    return LanguageRender(lang, rendered, fallbacks, names, field_fallbacks(project, lang))


def cldr_tag(project: Project, lang: str) -> str:
    return project.workshop.cldr_locales.get(lang, lang)


def kit_context(project: Project, country: Country, lang: str,
                rendered: LanguageRender) -> dict[str, Any]:
    facts = project.workshop
    locale = loc.cldr_locale(cldr_tag(project, lang))
    text, _ = project.document(lang, "workshop")
    agenda, agenda_fb = project.document(lang, "agenda")
    participants, participants_fb = project.document(lang, "participants")
    note, _ = project.document(lang, "concept_note")

    slots = []
    for slot in agenda.slots:
        start = loc.at(facts.date, slot.start, facts.timezone)
        end = loc.at(facts.date, slot.end, facts.timezone)
        local_start = loc.in_zone(start, country.timezone)
        local_end = loc.in_zone(end, country.timezone)
        slots.append({
            "local_start": loc.clock(local_start, locale),
            "local_end": loc.clock(local_end, locale),
            "ref_start": loc.clock(start, locale),
            "ref_end": loc.clock(end, locale),
            "title": slot.title,
            "presenters": [p.model_dump() for p in slot.presenters],
            "directs": slot.directs or "",
            "starts": local_start,  # aware datetimes in the country's zone (calendar)
            "ends": local_end,
        })
    first = loc.at(facts.date, agenda.slots[0].start, facts.timezone)
    local_first = loc.in_zone(first, country.timezone)

    control = facts.document_control
    return {
        "kit": {
            "lang": lang,
            "language_name": loc.language_name(lang, locale),
            "country_code": country.code,
            "country_name": loc.country_name(country.code, locale),
            "paper": country.paper,
            "fallbacks": rendered.fallbacks,
        },
        "workshop": {
            **text.model_dump(),
            "id": facts.id,
            "date_long": loc.long_date(facts.date, locale),
            "is_virtual": facts.format == "virtual",
            "meeting_link": facts.meeting_link,
            "symbol": control.symbol if control else "",
            "revision": control.revision if control else 0,
            "issued": loc.long_date(control.issued, locale) if control else "",
            "original_language": loc.language_name(facts.source_language, locale),
        },
        "concept_note": {
            "title": note.title,
            "html": rendered.concept_note.body,
            "fallback": "concept_note" in rendered.fallbacks,
        },
        "agenda": {
            "title": agenda.title,
            "slots": slots,
            "fallback": agenda_fb,
            "local_offset": loc.gmt_offset(local_first),
            "local_city": loc.zone_city(country.timezone, locale),
            "ref_offset": loc.gmt_offset(first),
            "ref_city": loc.zone_city(facts.timezone, locale),
            "same_zone": local_first.utcoffset() == first.utcoffset(),
        },
        "participants": {**participants.model_dump(), "fallback": participants_fb,
                         "seats": sum(r.count for r in participants.delegation)},
        "references_html": rendered.concept_note.bibliography,
        "names": rendered.names,
    }
