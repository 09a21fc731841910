"""The artifacts a build makes: one file per (country, language, format)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import KitError, Problem
from .settings import EDITIONS, FORMATS, Settings

if TYPE_CHECKING:  # no-op builds plan from the state without loading the content model
    from .content.model import Country, Project


@dataclass(frozen=True)
class Artifact:
    country: Country
    lang: str
    format: str
    path: str  # relative to the output folder
    edition: str = "screen"  # PDF only: screen, print or archive


def file_name(project: Project, country: Country, lang: str, fmt: str,
              edition: str = "screen") -> str:
    code = country.code.lower()
    tail = "" if edition == "screen" else f"-{edition}"  # …-mx-es-print.pdf
    return f"{code}/{lang}/{project.workshop.id}-{code}-{lang}{tail}.{fmt}"


def package_name(project: Project, country: Country) -> str:
    """``mx/rcm-wglm-2021-ws1-mx-kit.zip``, relative to the output folder."""
    code = country.code.lower()
    return f"{code}/{project.workshop.id}-{code}-kit.zip"


def plan(project: Project, settings: Settings) -> list[Artifact]:
    known = {c.code for c in project.countries}
    unknown = [c for c in settings.countries if c.upper() not in known]
    bad_langs = [lang for lang in settings.languages if lang not in project.workshop.languages]
    problems = [Problem("--country", 0, "error", f"'{c}' is not a participating country "
                        f"(known: {', '.join(sorted(known))})") for c in unknown]
    problems += [Problem("--lang", 0, "error", f"'{lang}' is not a workshop language "
                         f"(known: {', '.join(project.workshop.languages)})") for lang in bad_langs]
    if problems:
        raise KitError(problems)
    artifacts = artifacts_for(project, settings.countries, settings.languages, settings.formats,
                              settings.editions)
    if not artifacts:
        raise KitError([empty_selection(project, settings)])
    return artifacts


def every_artifact(project: Project) -> list[Artifact]:
    """Every file the project can make: all countries, languages, formats and PDF editions."""
    return artifacts_for(project, (), (), FORMATS, EDITIONS)


def artifacts_for(project: Project, countries, languages, formats, editions) -> list[Artifact]:
    wanted = {c.upper() for c in countries}
    artifacts = []
    for country in project.countries:
        if wanted and country.code not in wanted:
            continue
        for lang in country.languages:
            if languages and lang not in languages:
                continue
            for fmt in formats:
                for edition in (editions if fmt == "pdf" else ("screen",)):
                    artifacts.append(Artifact(country, lang, fmt, file_name(
                        project, country, lang, fmt, edition), edition))
    return artifacts


def empty_selection(project: Project, settings: Settings) -> Problem:
    """Valid options that select no file (e.g. --country MX --lang en, MX is Spanish only)."""
    wanted = {c.upper() for c in settings.countries}
    chosen = [c for c in project.countries if not wanted or c.code in wanted]
    kits = "; ".join(f"{c.code}: {', '.join(c.languages)}" for c in chosen)
    if settings.languages:
        return Problem("--lang", 0, "error", f"no kit is made in {', '.join(settings.languages)}"
                       f" for the chosen countries ({kits}); pick one of their languages or "
                       "another --country")
    return Problem("--country", 0, "error", "nothing to build for this selection; pick another "
                   "--country or --format")
