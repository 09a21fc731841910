"""Write a new project: content for every language and country, a neutral brand, a README.

Everything is decided (and every bad option refused) before the first file is written, so a
refused `kitbuilder new` leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..content.loader import load_project
from ..delivery.recipients import recipients_for
from ..errors import KitError, Problem, Problems
from ..locale import (
    capital_zone,
    cldr_paper,
    is_country_code,
    is_language_code,
    is_zone,
    official_languages,
)
from ..translation.status import confirm
from .brand import write_neutral_brand
from .texts import DEFAULT_TITLE, delegate_texts, mail_texts, texts

FORMATS = ("virtual", "in-person", "hybrid")


@dataclass(frozen=True)
class NewProject:
    target: Path
    title: str = DEFAULT_TITLE
    languages: tuple[str, ...] = ("en",)
    countries: tuple[str, ...] = ("US",)  # "CA", or "CA:fr" / "CA:en,fr" to choose its kits
    start: dt.date | None = None
    days: int = 1
    format: str = "virtual"
    timezone: str = "UTC"
    brand: bool = False  # copy the shipped layouts into the project, to re-brand them


def usage_problems(new: NewProject) -> list[Problem]:
    """Everything wrong with the options, each as a usage error."""
    found = []
    if new.target.exists() and (not new.target.is_dir() or any(new.target.iterdir())):
        found.append(Problem("DIR", 0, "error", f"{new.target} is not empty; kitbuilder new "
                             "writes only into a new or empty folder"))
    for lang in new.languages:
        if not is_language_code(lang):
            found.append(Problem("--language", 0, "error", f"unknown language '{lang}'; use an "
                                 "ISO 639-1 code like 'es'"))
    found += country_problems(new)
    if not is_zone(new.timezone):
        found.append(Problem("--timezone", 0, "error", f"unknown time zone '{new.timezone}'; use "
                             "an IANA name like 'America/Guatemala'"))
    if new.format not in FORMATS:
        found.append(Problem("--format", 0, "error", f"'{new.format}' is not one of "
                             f"{', '.join(FORMATS)}"))
    if not 1 <= new.days <= 31:
        found.append(Problem("--days", 0, "error", "a workshop lasts 1 to 31 days"))
    return found


def split_country(argument: str) -> tuple[str, tuple[str, ...]]:
    """"CA" → ("CA", ()); "ca:en,fr" → ("CA", ("en", "fr")): the kit languages chosen."""
    code, _, chosen = argument.partition(":")
    return code.strip().upper(), tuple(lang.strip() for lang in chosen.split(",") if lang.strip())


def country_problems(new: NewProject) -> list[Problem]:
    found = []
    for argument in new.countries:
        code, chosen = split_country(argument)
        if not is_country_code(code):
            found.append(Problem("--country", 0, "error", f"unknown country '{code}'; use an "
                                 "ISO 3166-1 alpha-2 code like 'GT'"))
        if ":" in argument and not chosen:
            found.append(Problem("--country", 0, "error", f"'{argument}' names no language; "
                                 f"write {code}:LANG, e.g. {code}:{new.languages[0]}"))
        for lang in chosen:
            if lang not in new.languages:
                found.append(Problem("--country", 0, "error", f"'{argument}': '{lang}' is not "
                                     f"a language of the project ({', '.join(new.languages)});"
                                     f" add --language {lang} or choose one of those"))
    return found


# CLDR's status of a language spoken in the whole country, then in a part of it.
NATIONAL, REGIONAL = ("official", "de_facto_official"), ("official_regional",)


def kit_language(code: str, languages: tuple[str, ...]) -> tuple[str, str | None]:
    """(the country's one kit language, a note when it was not an official one): the first
    of the project's languages official in the whole country (CLDR), else the first one
    official in part of it, else the project's first language."""
    for wanted in (NATIONAL, REGIONAL):
        chosen = official_languages(code, languages, wanted)
        if chosen:
            return chosen[0], None
    return languages[0], (f"{code}: none of {', '.join(languages)} is official there; its kit "
                          f"is in {languages[0]} (--country {code}:LANG to choose)")


def country_languages(countries: tuple[str, ...],
                      languages: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Each country's kit languages (chosen with CC:LANG, else one by default), and the
    notes to show."""
    chosen: dict[str, tuple[str, ...]] = {}
    notes = []
    for argument in countries:
        code, langs = split_country(argument)
        if not langs:
            lang, note = kit_language(code, languages)
            langs = (lang,)
            notes += [note] if note else []
        chosen[code] = tuple(dict.fromkeys((*chosen.get(code, ()), *langs)))
    return chosen, notes


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Created:
    files: list[Path]
    notes: list[str]  # what the user did not choose and should know (a country's language)


def create(new: NewProject, shipped_layouts: Path) -> Created:
    """Write the project. Raises KitError (usage) before writing anything."""
    problems = usage_problems(new)
    if problems:
        raise KitError(problems)
    languages = tuple(dict.fromkeys(new.languages))
    kits, notes = country_languages(new.countries, languages)
    countries = tuple(kits)
    start = new.start or (dt.date.today() + dt.timedelta(days=60))
    dates = [start + dt.timedelta(days=n) for n in range(new.days)]
    files = {"content/workshop.yaml": workshop_yaml(new, languages, dates),
             "content/countries.yaml": countries_yaml(kits),
             "content/kit.yaml": kit_yaml(new.format),
             "content/references.json": "[]\n",
             "README.md": readme(new, languages, countries)}
    files["recipients.example.yaml"] = recipients_for(files["content/countries.yaml"])
    for lang in languages:
        words = texts(lang)
        files[f"content/{lang}/workshop.yaml"] = language_workshop_yaml(new, words)
        files[f"content/{lang}/concept-note.md"] = concept_note(words)
        files[f"content/{lang}/agenda.yaml"] = agenda_yaml(words, len(dates))
        files[f"content/{lang}/participants.yaml"] = participants_yaml(words)
        files[f"content/{lang}/delegates.yaml"] = delegate_texts(lang)
        files[f"content/{lang}/mail.yaml"] = mail_texts(lang)
        if new.format != "virtual":
            files[f"content/{lang}/logistics-note.md"] = logistics_note(words, new.format)
    written = []
    new.target.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        path = new.target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if new.brand:
        shutil.copytree(shipped_layouts, new.target / "layouts")

    written += write_neutral_brand(new.target / "layouts" / "brand")
    confirm_translations(new.target / "content", languages)
    return Created(written, notes)


def confirm_translations(content: Path, languages: tuple[str, ...]) -> None:
    """The placeholder files are translations of each other: record that, so `check` reports
    only the placeholders left to fill."""
    project = load_project(content, Problems())
    if project is None:
        return
    for lang in languages[1:]:
        for filename in project.translatable_files:
            if (content / lang / filename).is_file():
                done = confirm(project, content / lang / filename)
                # "Agenda", "TODO", the title given on the command line: rightly the same.
                for block in done.same_as_source:
                    confirm(project, content / lang / filename, block.line)


def workshop_id(target: Path) -> str:
    """The id `new` gives a workshop: its folder's name, as letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-")[:40] or "workshop"


def workshop_yaml(new: NewProject, languages: tuple[str, ...], dates: list[dt.date]) -> str:
    days = "\n".join(f"  - date: {d.isoformat()}" for d in dates)
    venue = "" if new.format == "virtual" else (
        "venue:                           # where delegates meet (its words per language are "
        "in <lang>/workshop.yaml)\n"
        f"  name: {q(texts(languages[0])['venue_name'])}\n"
        f"  city: {q(texts(languages[0])['venue_city'])}\n"
        f"  timezone: {new.timezone}\n")
    link = "" if new.format == "in-person" else (
        "meeting_link: https://meet.example.org/TODO   # the join link (a day may have its own)\n")
    return f"""# Facts about the workshop that do not depend on language.
id: {workshop_id(new.target)}   # from the folder's name; in every kit's file name and calendar
days:                             # in order; agenda slots say which (day: 1, 2 …)
{days}
timezone: {new.timezone}          # the zone the agenda's times are written in
format: {new.format}              # virtual | in-person | hybrid
{venue}{link}source_language: {languages[0]}
languages: [{", ".join(languages)}]
document_control:
  symbol: TODO/{dates[0].year}/1   # the document symbol printed on every page
  revision: 0
  issued: {dates[0].isoformat()}
"""


def countries_yaml(kits: dict[str, tuple[str, ...]]) -> str:
    lines = ["# One entry per participating country: one kit per language listed.",
             "# timezone: the capital's IANA zone; paper: CLDR's paper size for the country.",
             "countries:"]
    for code, langs in kits.items():
        lines += [f"  - code: {code}",
                  f"    languages: [{', '.join(langs)}]",
                  f"    timezone: {capital_zone(code)}",
                  f"    paper: {cldr_paper(code)}"]
    return "\n".join(lines) + "\n"


def kit_yaml(fmt: str) -> str:
    logistics = "" if fmt == "virtual" else "  - logistics-note.md\n"
    return ("# The kit's chapters, in order: Markdown documents (<name>.md in every language "
            "folder)\n# and the built-in agenda, participants and references.\ndocuments:\n"
            "  - concept-note.md\n"
            "  # - references      # add once references.json lists works (CSL JSON)\n"
            f"  - agenda\n{logistics}  - participants      # last: the form's landscape page\n")


def language_workshop_yaml(new: NewProject, words: dict[str, str]) -> str:
    title = words["title"] if new.title in ("", DEFAULT_TITLE) else new.title
    return (f"conference: {q(words['conference'])}\n"
            f"conference_short: {q(words['conference_short'])}\n"
            f"kind: {q(words['kind'])}\n"
            f"title: {q(title)}\n"
            f"subtitle: {q(words['subtitle'])}\n"
            f"format: {q(words['format.' + new.format])}\n"
            f"organisers:\n  - {q(words['organiser'])}\n")


def concept_note(words: dict[str, str]) -> str:
    return (f"---\ntitle: {q(words['concept_title'])}\n---\n"
            f"## {words['background']}\n\n{words['background_text']}\n\n"
            f"## {words['objectives']}\n\n1. {words['objective']}\n")


def agenda_yaml(words: dict[str, str], days: int) -> str:
    lines = ["# Times in quotes, 24-hour, in the reference zone of workshop.yaml.",
             "# kind: session (default), break, or parallel (with a track or room).",
             f"title: {q(words['agenda'])}", "slots:"]
    for day in range(1, days + 1):
        for start, end, kind, title in (("09:00", "12:00", "session", words["morning"]),
                                        ("12:00", "13:30", "break", words["break"]),
                                        ("13:30", "16:30", "session", words["afternoon"])):
            lines += [f"  - day: {day}", f'    start: "{start}"', f'    end: "{end}"']
            if kind != "session":
                lines.append(f"    kind: {kind}")
            lines.append(f"    title: {q(title)}")
    return "\n".join(lines) + "\n"


def participants_yaml(words: dict[str, str]) -> str:
    return (f"title: {q(words['participants'])}\nintro: {q(words['intro'])}\ndelegation:\n"
            f"  - id: delegates\n    count: 2\n    description: {q(words['delegate'])}\n"
            f"guidance: {q(words['guidance'])}\n")


def logistics_note(words: dict[str, str], fmt: str) -> str:
    online = (f"\n## {words['online_heading']}\n\n{words['online_text']}\n"
              if fmt == "hybrid" else "")
    return (f"---\ntitle: {q(words['logistics_title'])}\n---\n"
            f"## {words['venue_heading']}\n\n{words['venue_text']}\n{online}")


def readme(new: NewProject, languages: tuple[str, ...], countries: tuple[str, ...]) -> str:
    source = languages[0]
    return f"""# {new.title}

A kitbuilder project: `kitbuilder build` in this folder writes a kit (PDF, DOCX, HTML and
calendar) for every country in `content/countries.yaml` into `output/`.

## What to edit next

1. `kitbuilder check` lists every placeholder left to fill (lines with TODO), with its file
   and line: what only you can decide (titles, sessions, venue, who signs the letters).
   Replace each one with the workshop's own text. Until then `delegates build`, `mail` and
   `build --strict` refuse to print or send it.
2. `content/workshop.yaml`: the dates, the reference time zone, the format
   ({new.format}){", the venue" if new.format != "virtual" else ""}, the join link and the
   document symbol.
3. `content/{source}/agenda.yaml`: the agenda, day by day (`day: 1`, `day: 2` …). A slot has
   `kind: session`, `break` or `parallel` (parallel sessions need a `track` or `room`).
4. `content/{source}/concept-note.md` and the other Markdown documents listed in
   `content/kit.yaml`. Add a document by creating `<name>.md` in every language folder and
   listing it in `content/kit.yaml`.
5. Translations: the same file names in every language folder
   ({", ".join(f"content/{lang}/" for lang in languages)}). `kitbuilder status` shows what is
   missing or stale.
6. The brand: `layouts/brand/emblem.svg` and `emblem.png` are a neutral emblem; replace them.
   `kitbuilder new --brand` copies all the layouts (templates, styles, fonts) for a full re-brand.

Countries: {", ".join(countries)}. Languages: {", ".join(languages)}.
"""
