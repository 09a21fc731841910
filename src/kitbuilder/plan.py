"""The artifacts a build makes: one file per (country, language, format)."""

from __future__ import annotations

from dataclasses import dataclass

from .content.model import Country, Project
from .errors import KitError, Problem
from .settings import Settings


@dataclass(frozen=True)
class Artifact:
    country: Country
    lang: str
    format: str
    path: str  # relative to the output folder
    edition: str = "screen"  # PDF only: screen, print or archive

    @property
    def kit_key(self) -> tuple[str, str]:
        return (self.country.code, self.lang)


def file_name(project: Project, country: Country, lang: str, fmt: str,
              edition: str = "screen") -> str:
    code = country.code.lower()
    tail = "" if edition == "screen" else f"-{edition}"  # …-mx-es-print.pdf
    return f"{code}/{lang}/{project.workshop.id}-{code}-{lang}{tail}.{fmt}"


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
    wanted = {c.upper() for c in settings.countries}
    artifacts = []
    for country in project.countries:
        if wanted and country.code not in wanted:
            continue
        for lang in country.languages:
            if settings.languages and lang not in settings.languages:
                continue
            for fmt in settings.formats:
                for edition in (settings.editions if fmt == "pdf" else ("screen",)):
                    artifacts.append(Artifact(country, lang, fmt, file_name(
                        project, country, lang, fmt, edition), edition))
    return artifacts
