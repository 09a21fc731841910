"""Rules over a loaded project. Pure functions: model in, problems out."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problems
from .model import DOCUMENT_FILES, Agenda, MarkdownDocument, Project

# CLDR supplementalData.xml <paperSize>: A4 everywhere except these territories.
# Babel does not expose this table, so it is copied here (CLDR 44+).
CLDR_LETTER_TERRITORIES = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)

# pandoc's citation syntax: @key inside or outside brackets, not part of an e-mail address.
_CITATION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*)")


def cldr_paper(country_code: str) -> str:
    return "letter" if country_code in CLDR_LETTER_TERRITORIES else "a4"


def citations(doc: MarkdownDocument) -> list[tuple[str, int]]:
    """Every citation key in a document with its line in the file."""
    found = []
    for offset, text in enumerate(doc.body.splitlines()):
        for match in _CITATION.finditer(text):
            found.append((match.group(1).rstrip(".:;,"), doc.body_line + offset))
    return found


def check_project(project: Project, problems: Problems) -> None:
    content = Path(project.root)
    facts = project.workshop
    countries_path = content / "countries.yaml"
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

    keys = {ref["id"] for ref in project.references}
    source = project.languages[facts.source_language]
    for lang, content_lang in project.languages.items():
        for name, filename in DOCUMENT_FILES.items():
            if getattr(content_lang, name) is None and lang != facts.source_language:
                problems.warning(content / lang / filename, 0,
                                 f"missing in '{lang}'; kits in this language will use the "
                                 f"'{facts.source_language}' text, marked as pending translation")
            elif (lang == facts.source_language
                  and not (content / lang / filename).is_file()):
                problems.error(content / lang / filename, 0,
                               f"missing in the source language '{lang}'; every document must "
                               "exist in the source language")
        if content_lang.concept_note is not None:
            for key, line in citations(content_lang.concept_note):
                if key not in keys:
                    problems.error(content_lang.concept_note.path, line,
                                   f"citation '@{key}' has no entry in references.json; add the "
                                   "reference or fix the key")
        if content_lang.agenda is not None:
            check_agenda(content_lang.agenda, content / lang / "agenda.yaml", problems)
            if source.agenda is not None and lang != facts.source_language:
                check_agenda_matches(source.agenda, content_lang.agenda,
                                     content / lang / "agenda.yaml", problems)


def check_agenda(agenda: Agenda, path: Path, problems: Problems) -> None:
    ordered = sorted(agenda.slots, key=lambda s: (s.start, s.end))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            problems.warning(path, after.line,
                             f"slot '{after.title}' ({after.start:%H:%M}–{after.end:%H:%M}) "
                             f"overlaps '{before.title}' ({before.start:%H:%M}–"
                             f"{before.end:%H:%M})")
        elif after.start > before.end:
            problems.warning(path, after.line,
                             f"nothing is scheduled between {before.end:%H:%M} and "
                             f"{after.start:%H:%M} (before '{after.title}')")


def check_agenda_matches(source: Agenda, translation: Agenda, path: Path,
                         problems: Problems) -> None:
    if len(source.slots) != len(translation.slots):
        problems.error(path, 1, f"has {len(translation.slots)} slots, the source agenda has "
                       f"{len(source.slots)}; translate every slot, in the same order")
        return
    for src, tr in zip(source.slots, translation.slots, strict=True):
        if (src.start, src.end) != (tr.start, tr.end):
            problems.error(path, tr.line,
                           f"slot '{tr.title}' is {tr.start:%H:%M}–{tr.end:%H:%M} but the source "
                           f"says {src.start:%H:%M}–{src.end:%H:%M}; times are not translated")
