"""The per-language report: what was imported, what was skipped and why, what needs a person."""

from __future__ import annotations

from .report import ImportResult
from .selection import Plan
from .writing import Project


def summarise(plan: Plan, result: ImportResult, project: Project) -> None:
    source = plan.source_lang
    for lang in plan.languages:
        report = result.language(lang)
        for group in plan.documents + plan.orphans:
            if lang in group.by_lang and f"content/{lang}/{group.filename}" in project.staged:
                report.documents.append(group.filename)
        if lang != source:
            for group in plan.documents:
                if lang not in group.by_lang:
                    report.needs_person.append(
                        f"content/{lang}/{group.filename}: '{group.source.title}' has no "
                        f"'{lang}' translation in the export; kits in '{lang}' show the "
                        f"'{source}' text, marked as pending translation")
    for group in plan.orphans:
        (lang, entry), = group.by_lang.items()
        result.language(lang).needs_person.append(
            f"content/{lang}/{group.filename}: '{entry.title}' translates no '{source}' page, "
            "so no kit lists it; link it to its original in Plone and import again, or add it "
            "to content/kit.yaml with a '{source}' version")
    for lang, entry, why in plan.skipped:
        result.language(lang).skipped.append(f"{entry.title} ({entry.path}): {why}")
    for lang, entry, what in plan.unsupported:
        result.language(lang).skipped.append(f"{entry.title} ({entry.path}): {what}")
    for lang, note in plan.notes:
        result.language(lang).needs_person.append(note)
    result.language(source).assets = len(result.assets)
