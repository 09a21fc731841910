"""Rules over a loaded project. Pure functions: model in, problems out."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

from ..errors import Problems
from ..locale import cldr_paper
from .loader import entry_line
from .model import Agenda, AgendaSlot, MarkdownDocument, Project, WorkshopFacts

# pandoc's citation syntax: @key inside or outside brackets, not part of an e-mail address.
_CITATION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)")


def citations(doc: MarkdownDocument) -> list[tuple[str, int]]:
    """Every citation key in a document with its line in the file."""
    found = []
    for offset, text in enumerate(doc.body.splitlines()):
        for match in _CITATION.finditer(text):
            found.append((match.group(1).rstrip(".:;,"), doc.body_line + offset))
    return found


def check_project(project: Project, problems: Problems) -> None:
    check_countries(project, problems)
    check_documents(project, problems)
    content = Path(project.root)
    source = project.languages[project.workshop.source_language]
    for lang, content_lang in project.languages.items():
        if content_lang.agenda is None:
            continue
        path = content / lang / "agenda.yaml"
        check_agenda(project.workshop, content_lang.agenda, path, problems)
        if source.agenda is not None and lang != project.workshop.source_language:
            check_agenda_matches(source.agenda, content_lang.agenda, path, problems)


def check_countries(project: Project, problems: Problems) -> None:
    countries_path = Path(project.root) / "countries.yaml"
    facts = project.workshop
    seen: dict[str, int] = {}
    for country in project.countries:
        if country.code in seen:
            problems.error(countries_path, country.line,
                           f"country {country.code} is listed twice (first on line "
                           f"{seen[country.code]}); keep one entry")
        seen.setdefault(country.code, country.line)
        for lang in country.languages:
            if lang not in facts.languages:
                problems.error(countries_path, country.line,
                               f"{country.code}: language '{lang}' is not one of the workshop's "
                               f"languages {facts.languages}; add it to workshop.yaml or fix it")
        expected = cldr_paper(country.code)
        if country.paper != expected:
            problems.warning(countries_path, country.line,
                             f"{country.code}: paper '{country.paper}' differs from CLDR's "
                             f"'{expected}' for this country")


def check_documents(project: Project, problems: Problems) -> None:
    """Every document of the kit exists in its source language; translations may lag."""
    content = Path(project.root)
    needed = set(project.translatable_files)
    if any(d.append for d in project.kit):
        needed.add("participants.yaml")
    keys = {ref["id"] for ref in project.references}
    cited: set[str] = set()
    listed = set(project.markdown_files)
    for lang, content_lang in project.languages.items():
        for filename in (f for f in project.translatable_files if f in needed):
            source = project.source_of(filename)
            if content_lang.file(filename) is not None:
                continue
            path = content / lang / filename
            if lang == source and not path.is_file():
                problems.error(path, 0, f"missing in the source language '{lang}'; every "
                               "document of the kit must exist in its source language")
            elif lang != source and not path.is_file():
                problems.warning(path, 0, f"missing in '{lang}'; kits in this language will "
                                 f"use the '{source}' text, marked as pending translation")
        for doc in content_lang.markdown.values():
            for key, line in citations(doc):
                cited.add(key)
                if key not in keys:
                    problems.error(doc.path, line,
                                   f"citation '@{key}' has no entry in references.json; add the "
                                   "reference or fix the key")
        folder = content / lang
        for stray in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if stray.name not in listed:
                problems.warning(stray, 0, "not listed in content/kit.yaml, so no kit shows it; "
                                 "add it to 'documents' or delete it")
    references = content / "references.json"
    for key in sorted(keys - cited):
        problems.warning(references, entry_line(references, key),
                         f"reference '{key}' is cited by no document, yet every kit lists it; "
                         f"cite it ([@{key}]) where a document mentions the work, or remove it")


def _where(slot: AgendaSlot) -> str | None:
    return slot.track or slot.room


def check_agenda(facts: WorkshopFacts, agenda: Agenda, path: Path, problems: Problems) -> None:
    placed: dict = {}
    named: dict[str, AgendaSlot] = {}
    for slot in agenda.slots:
        if slot.id is not None and named.setdefault(slot.id, slot) is not slot:
            problems.error(path, slot.line, f"slot '{slot.title}' has the id '{slot.id}' of "
                           f"slot '{named[slot.id].title}' (line {named[slot.id].line}); each "
                           "slot's id names one event in the calendars: give it another")
        day = facts.date_of(slot)
        if day is None:
            problems.error(path, slot.line, _unplaced(facts, slot))
            continue
        placed.setdefault(day, []).append(slot)
    for slots in placed.values():
        check_day(slots, path, problems)


def _unplaced(facts: WorkshopFacts, slot: AgendaSlot) -> str:
    days = ", ".join(f"{n} = {d:%Y-%m-%d}" for n, d in enumerate(facts.dates, start=1))
    if slot.day is None:
        return (f"slot '{slot.title}' has no 'day' and the workshop has {len(facts.days)} "
                f"days; add 'day:' with its number ({days})")
    return (f"slot '{slot.title}' is on day {slot.day}, which is not a day of the workshop "
            f"({days}); fix 'day' or the workshop's days")


def check_day(slots: list[AgendaSlot], path: Path, problems: Problems) -> None:
    ordered = sorted(slots, key=lambda s: (s.start, s.end))
    for before, after in combinations(ordered, 2):
        if after.start >= before.end:
            continue
        both_parallel = before.kind == after.kind == "parallel"
        if both_parallel and _where(before) != _where(after):
            continue  # declared side by side, each in its own track or room
        clash = (f" in the same track or room '{_where(after)}'" if both_parallel else "")
        problems.warning(path, after.line,
                         f"slot '{after.title}' ({after.start:%H:%M}–{after.end:%H:%M}) "
                         f"overlaps '{before.title}' ({before.start:%H:%M}–"
                         f"{before.end:%H:%M}){clash}; if they run side by side, declare both "
                         "'kind: parallel' with a track or room each")
    latest = None
    for slot in ordered:
        if latest is not None and slot.start > latest.end:
            problems.warning(path, slot.line,
                             f"nothing is scheduled between {latest.end:%H:%M} and "
                             f"{slot.start:%H:%M} (before '{slot.title}')")
        if latest is None or slot.end > latest.end:
            latest = slot


def check_agenda_matches(source: Agenda, translation: Agenda, path: Path,
                         problems: Problems) -> None:
    if len(source.slots) != len(translation.slots):
        problems.error(path, 1, f"has {len(translation.slots)} slots, the source agenda has "
                       f"{len(source.slots)}; translate every slot, in the same order")
        return
    for src, tr in zip(source.slots, translation.slots, strict=True):
        if (src.day, src.start, src.end) != (tr.day, tr.start, tr.end):
            problems.error(path, tr.line,
                           f"slot '{tr.title}' is {_when(tr)} but the source says {_when(src)}; "
                           "days and times are not translated")
        elif src.kind != tr.kind:
            problems.error(path, tr.line, f"slot '{tr.title}' is a {tr.kind} but the source's "
                           f"is a {src.kind}; the kind is not translated")
        elif tr.id is not None and tr.id != src.id:
            problems.error(path, tr.line, f"slot '{tr.title}' has the id '{tr.id}' but the "
                           f"source's is {repr(src.id) if src.id else 'not set'}; the id is not "
                           "translated: copy the source's or leave it out")


def _when(slot: AgendaSlot) -> str:
    day = f"day {slot.day} " if slot.day is not None else ""
    return f"{day}{slot.start:%H:%M}–{slot.end:%H:%M}"
