"""The small, explicit context a layout receives for one kit.

Work that does not depend on the country (Markdown, citations) is done once per
language in ``LanguageRender`` and shared by every country's kit. The kit is the list of
chapters content/kit.yaml names: nothing here knows a document by name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import locale as loc
from ..content.model import Country, KitDocument, Project
from ..place_names import FORMS, project_country_forms
from ..translation.fallback import (
    annotated_source,
    field_fallbacks,
    merged_markdown,
    pending_label,
    review_label,
)
from .ics import slot_keys
from .markdown import RenderedDocument, render_markdown
from .names import names_of
from .pagination import no_pagination
from .typography import typeset, typography


@dataclass(frozen=True)
class LanguageRender:
    lang: str
    documents: dict[str, RenderedDocument]  # Markdown file name → its rendered body
    bibliography: Markup
    fallbacks: tuple[str, ...]  # documents (or "file:block") shown in the source language
    review: tuple[str, ...] = ()  # "file:block" of translations shown flagged for review
    names: tuple[str, ...] = ()  # never hyphenated (render/names.py)
    fields: tuple | None = None  # untranslated YAML fields (translation.fallback.field_fallbacks)
    fell_back: frozenset[str] = field(default_factory=frozenset)  # whole files, in source language


def render_language(project: Project, lang: str, locales: Path | None = None,
                    preview: bool = False) -> LanguageRender:
    """``preview``: every Markdown block says which file and line it comes from, and its
    translation state (kitbuilder serve)."""
    with tempfile.TemporaryDirectory(prefix="kitbuilder-refs-") as scratch:
        refs = references_file(project, lang, Path(scratch))
        return _render_language(project, lang, locales, refs, preview)


def references_file(project: Project, lang: str, scratch: Path) -> Path:
    """The references as ``lang``'s kits print them: the shared file, or a merged copy."""
    shared = Path(project.root) / "references.json"
    if lang not in project.languages or not project.languages[lang].references:
        return shared
    merged = scratch / f"references-{lang}.json"
    merged.write_text(json.dumps(project.references_in(lang), ensure_ascii=False),
                      encoding="utf-8")
    return merged


def _render_language(project: Project, lang: str, locales: Path | None,
                     refs: Path, preview: bool) -> LanguageRender:
    label = pending_label(locales, lang) if locales else "Translation pending"
    flag = review_label(locales, lang) if locales else "Translation under review"
    review: tuple[str, ...] = ()
    whole = frozenset(f for f in project.translatable_files if project.document(lang, f)[1])
    fallbacks = tuple(sorted(whole))
    names = names_of(project, lang, project.workshop.cldr_tag(lang))
    documents: dict[str, RenderedDocument] = {}
    bibliography = Markup("")
    for filename in project.markdown_files:
        doc, fell_back = project.document(lang, filename)
        body = doc.body
        if preview and (fell_back or lang == project.source_of(filename)):
            body = annotated_source(project, project.source_of(filename) if fell_back
                                    else lang, filename)
        if not fell_back:  # untranslated paragraphs: source text, marked "Translation pending"
            merged = merged_markdown(project, lang, filename, label, annotate=preview,
                                     review=flag)
            body = body if preview and lang == project.source_of(filename) else merged.body
            fallbacks += tuple(f"{filename}:{block}" for block in merged.pending)
            review += tuple(f"{filename}:{block}" for block in merged.review)
        # A fallback document is rendered in its own language so citations format consistently.
        doc_lang = project.source_of(filename) if fell_back else lang
        prefix = filename.removesuffix(".md") + "-"
        rendered = chapter_links(shared_reference_ids(
            render_markdown(body, doc_lang, refs, prefix), prefix), project.markdown_files)
        style = typography(locales, doc_lang, project.workshop.cldr_tag(doc_lang))
        documents[filename] = RenderedDocument(typeset(rendered.body, style), Markup(""))
        if doc_lang == lang:  # the references chapter reads in the kit's language
            bibliography = bibliography or rendered.bibliography
    if not bibliography and project.references:
        bibliography = render_markdown("", lang, refs).bibliography
    bibliography = typeset(bibliography, typography(locales, lang,
                                                    project.workshop.cldr_tag(lang)))
    return LanguageRender(lang, documents, bibliography, fallbacks, review, names,
                          field_fallbacks(project, lang), whole)


def shared_reference_ids(rendered: RenderedDocument, prefix: str) -> RenderedDocument:
    """Every document links its citations to the one references chapter: ``#ref-key``."""
    pattern = re.compile(r'((?:href="#|id="))' + re.escape(prefix) + "(ref-)")
    return RenderedDocument(Markup(pattern.sub(r"\1\2", str(rendered.body))),
                            Markup(pattern.sub(r"\1\2", str(rendered.bibliography))))


# English without a dictionary of its own country is hyphenated the American way: the shipped
# English is spelled that way, and pyphen's British patterns break "organiz-ations".
DEFAULT_HYPHENATION = {"en": "en-US"}


_DOCUMENT_LINK = re.compile(r'href="([a-z0-9][a-z0-9-]{0,63}\.md)(?:#([^"]*))?"')


def chapter_links(rendered: RenderedDocument, files) -> RenderedDocument:
    """A link to another document of the kit (``[the note](logistics-note.md)``, or
    ``logistics-note.md#venue`` for one of its headings) goes to that chapter of the kit."""
    def to_chapter(match: re.Match) -> str:
        if match.group(1) not in files:
            return match.group(0)
        stem = match.group(1).removesuffix(".md")
        return f'href="#{stem}-{match.group(2)}"' if match.group(2) else f'href="#{stem}"'
    return RenderedDocument(Markup(_DOCUMENT_LINK.sub(to_chapter, str(rendered.body))),
                            rendered.bibliography)


def hyphenation_tag(lang: str, country_code: str) -> str:
    """The hyphenation dictionary of a kit: the language as written in the country (en-US)."""
    import pyphen

    if f"{lang}_{country_code}" in pyphen.LANGUAGES:
        return f"{lang}-{country_code}"
    return DEFAULT_HYPHENATION.get(lang, lang)


def kit_context(project: Project, country: Country, lang: str,
                rendered: LanguageRender) -> dict[str, Any]:
    facts = project.workshop
    locale = loc.cldr_locale(project.workshop.cldr_tag(lang))
    text, _ = project.document(lang, "workshop")
    agenda, agenda_fb = project.document(lang, "agenda")
    participants, _ = project.document(lang, "participants")  # None: no kit chapter uses it
    control = facts.document_control
    venue = facts.venue if facts.format != "virtual" else None
    name = loc.country_name(country.code, locale)
    words = project_country_forms(project, country.code, lang, name)
    return {
        "kit": {
            "lang": lang,
            "dir": loc.text_direction(locale),
            "punctuation": loc.punctuation(lang),
            "hyphenation": hyphenation_tag(lang, country.code),
            "language_name": loc.language_name(lang, locale),
            "country_code": country.code,
            "country_name": name,
            # In-sentence forms (content/<lang>/countries.yaml, else place_names.py), None
            # where neither has them: each sentence then has a version around the bare name.
            **{f"country_{form}": words[form] for form in FORMS},
            "paper": country.paper,
            "fallbacks": rendered.fallbacks,
            "review": rendered.review,
        },
        "workshop": {
            **text.model_dump(),
            "id": facts.id,
            "date_long": loc.date_span(facts.dates, locale),
            "days": len(facts.days),
            "is_virtual": facts.format == "virtual",
            "mode": facts.format,
            "meeting_link": facts.meeting_link if facts.format != "in-person" else None,
            "venue": ({**venue.model_dump(), **(text.venue.model_dump(exclude_none=True)
                                                 if text.venue else {})} if venue else None),
            "symbol": control.symbol if control else "",
            "revision": control.revision if control else 0,
            "issued": loc.long_date(control.issued, locale) if control else "",
            "original_language": loc.language_name(facts.source_language, locale),
        },
        "documents": [chapter(project, doc, lang, rendered) for doc in project.kit],
        "agenda": agenda_context(project, country, agenda, agenda_fb, locale),
        "participants": ({**participants.model_dump(),
                          "fallback": "participants.yaml" in rendered.fell_back,
                          "seats": sum(r.count for r in participants.delegation),
                          "deadline": (loc.long_date(facts.form_deadline, locale)
                                       if facts.form_deadline else None),
                          "first_day": loc.long_date(facts.dates[0], locale),
                          **guidance_context(project, locale)}
                         if participants else None),
        "references_html": rendered.bibliography,
        "names": rendered.names,
        # Where pages break (render/pagination.py): the PDF lays the kit out, then fills it in.
        "pagination": no_pagination(),
    }


def guidance_context(project: Project, locale) -> dict[str, Any]:
    """What the participant guidance says beside content's notes: each join link with the days
    it serves, and whether the recommended delegation is already in another chapter."""
    facts = project.workshop
    links: dict[str, list[str]] = {}
    for day in facts.dates:
        if facts.join_link(day):
            links.setdefault(facts.join_link(day), []).append(loc.long_date(day, locale))
    return {
        "join_links": [{"url": url, "days": days if len(links) > 1 else []}
                       for url, days in links.items()],
        "summary_elsewhere": any("participants-summary" in doc.append for doc in project.kit),
    }


def chapter(project: Project, doc: KitDocument, lang: str, rendered: LanguageRender) -> dict:
    """One entry of the kit's chapter list, as the layouts loop over it."""
    entry: dict[str, Any] = {"kind": doc.kind, "id": doc.id, "append": list(doc.append),
                             "title": None, "html": Markup(""), "fallback": False, "lang": None}
    if doc.kind == "markdown":
        text, fell_back = project.document(lang, doc.file)
        entry.update(title=text.title, html=rendered.documents[doc.file].body,
                     fallback=fell_back, lang=project.source_of(doc.file) if fell_back else None)
    return entry


def viewpoint(project: Project, country: Country) -> tuple[str, str | None, str]:
    """(zone the agenda is printed in, zone printed beside it or None, why the second one).

    Virtual: the delegation's own time, with the agenda's reference time beside it.
    In person: the venue's time only. Hybrid: the venue's, and the delegation's own time
    for those who join remotely.
    """
    facts = project.workshop
    if facts.format == "virtual":
        return country.timezone, facts.timezone, "reference"
    if facts.format == "in-person":
        return facts.shown_zone, None, ""
    return facts.shown_zone, country.timezone, "remote"


def slot_entry(facts, slot, key: str, zones: tuple[str, str | None], locale) -> dict[str, Any]:
    """One slot as layouts and the calendar read it: its times in the kit's zones."""
    main_zone, side_zone = zones
    day = facts.date_of(slot)
    start = loc.at(day, slot.start, facts.timezone)
    end = loc.at(day, slot.end, facts.timezone)
    shown_start, shown_end = loc.in_zone(start, main_zone), loc.in_zone(end, main_zone)
    entry = {
        "key": key,  # its identity (render/ics.py: the calendar's UID)
        "kind": slot.kind,
        "title": slot.title,
        "track": slot.track or "",
        "room": slot.room or "",
        "presenters": [p.model_dump() for p in slot.presenters],
        "directs": slot.directs or "",
        "join_link": slot.join_link or "",
        "join": slot.join_link or facts.join_link(day) or "",  # for the calendar
        "local_start": loc.clock(shown_start, locale),
        "local_end": loc.clock(shown_end, locale),
        "local_shift": (shown_start.date() - day).days,
        "starts": shown_start,  # aware datetimes in the shown zone (calendar)
        "ends": shown_end,
        "day": day,
    }
    if side_zone:
        side_start, side_end = loc.in_zone(start, side_zone), loc.in_zone(end, side_zone)
        entry.update(ref_start=loc.clock(side_start, locale),
                     ref_end=loc.clock(side_end, locale),
                     ref_shift=(side_start.date() - day).days)
    return entry


def agenda_context(project: Project, country: Country, agenda, fallback: bool,
                   locale) -> dict[str, Any]:
    facts = project.workshop
    main_zone, side_zone, side_role = viewpoint(project, country)
    slots: list[dict] = []  # YAML order: translation fallbacks address slots by index
    by_day: dict[dt.date, list[dict]] = {d: [] for d in facts.dates}
    # A slot is the same event in every language: its identity comes from the source's slot
    # at the same place (checks.check_agenda_matches holds translations to its order).
    source, _ = project.document(project.source_of("agenda"), "agenda")
    keys = slot_keys(facts, source.slots if source and len(source.slots) == len(agenda.slots)
                     else agenda.slots)
    for slot, key in zip(agenda.slots, keys, strict=True):
        entry = slot_entry(facts, slot, key, (main_zone, side_zone), locale)
        slots.append(entry)
        by_day[entry["day"]].append(entry)
    days = []
    for number, (day, entries) in enumerate(by_day.items(), start=1):
        entries.sort(key=lambda e: (e["starts"], e["kind"] != "parallel", e["track"]))
        noon = loc.at(day, dt.time(12), facts.timezone)
        days.append({
            "number": number,
            "date_long": loc.long_date(day, locale),
            "slots": entries,
            "join_link": facts.join_link(day) or "",
            "local_offset": loc.utc_offset(loc.in_zone(noon, main_zone)),
            "ref_offset": loc.utc_offset(loc.in_zone(noon, side_zone)) if side_zone else "",
        })
    first = loc.at(facts.dates[0], agenda.slots[0].start, facts.timezone)
    shown_first = loc.in_zone(first, main_zone)
    side_first = loc.in_zone(first, side_zone) if side_zone else shown_first
    same_zone = side_zone is None or all(
        loc.in_zone(s["starts"], side_zone).utcoffset() == s["starts"].utcoffset()
        for s in slots)
    return {
        "title": agenda.title,
        "slots": slots,
        "days": days,
        "fallback": fallback,
        "mode": facts.format,
        "side_role": side_role,  # "reference" (virtual) or "remote" (hybrid)
        "local_offset": loc.utc_offset(shown_first),
        "local_city": loc.zone_city(main_zone, locale),
        "local_zone": loc.zone_name(main_zone, locale),  # "Eastern Time", "" for none
        "ref_offset": loc.utc_offset(side_first),
        "ref_city": loc.zone_city(side_zone or main_zone, locale),
        "ref_zone": loc.zone_name(side_zone or main_zone, locale),
        # The delegation's own zone is the agenda's reference zone (Mexico's kit), not only
        # the same offset (Belize's): only then is it "the agenda's reference time".
        "is_reference": country.timezone == facts.timezone,
        # The country spans several zones: say which one its times are in.
        "country_zones": loc.zones_of_country(country.code),
        "country_city": loc.zone_city(country.timezone, locale),
        "same_zone": same_zone,
        "has_parallel": any(s["kind"] == "parallel" for s in slots),
    }
