"""`kitbuilder import plone`: an export in, a project out (or updated), a report back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...content.loader import load_project
from ...errors import KitError, Problems
from ...locale import zone_country
from ...project import shipped_dir
from ...scaffold.project import NewProject, create, usage_problems
from ...translation.state import batched
from ...translation.status import confirm
from .assets import unique_names
from .characters import Characters
from .convert import Pass, convert_documents
from .events import Agenda, make_agenda
from .index import Index, build_index
from .issues import ExportError, Issues, UsageError
from .links import Targets
from .planning import make_plan
from .reading import MAX_ITEM_BYTES, locate
from .report import ImportResult
from .selection import Plan, choose_folder, slug
from .summary import summarise
from .texts import agenda_yaml, kit_yaml, with_days, with_title
from .writing import Project


@dataclass(frozen=True)
class Options:
    export: Path
    path: str | None = None
    timezone: str | None = None
    project: Path | None = None
    include_private: bool = False
    force: bool = False
    countries: tuple[str, ...] = ()
    blobstorage: Path | None = None
    max_item_bytes: int = MAX_ITEM_BYTES


def _zone(options: Options, plan: Plan) -> ZoneInfo | None:
    if options.timezone:
        try:
            return ZoneInfo(options.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError("--timezone", f"unknown time zone '{options.timezone}'; use an "
                             "IANA name like 'America/Bogota'") from None
    if plan.events:
        raise UsageError("--timezone", f"the workshop has {len(plan.events)} event(s), whose "
                         "times Plone exports in UTC without the site's time zone; give it with "
                         "--timezone (Plone: Site Setup → Date and Time → Portal timezone), "
                         "e.g. --timezone America/Bogota")
    return None


def _blobstorage(options: Options) -> Path | None:
    if options.blobstorage is not None:
        if not options.blobstorage.is_dir():
            raise UsageError("--blobstorage", f"{options.blobstorage} is not a folder")
        return options.blobstorage
    folder = options.export if options.export.is_dir() else options.export.parent
    for beside in (folder, folder.parent):
        if (beside / "blobstorage").is_dir() and not (beside / "blobstorage").is_symlink():
            return beside / "blobstorage"
    return None


def _targets(index: Index, plan: Plan) -> Targets:
    targets = Targets(assets=unique_names(list(plan.assets.values())))
    for group in plan.documents + plan.orphans:
        for entry in group.by_lang.values():
            targets.documents[entry.uid] = group.filename.removesuffix(".md")
    for folder, page in index.default_pages.items():  # a link to a folder shows its page
        if page in targets.documents and folder not in targets.documents:
            targets.documents[folder] = targets.documents[page]
    return targets


def _country(options: Options, zone: ZoneInfo | None) -> tuple[str, ...]:
    if options.countries:
        return tuple(options.countries)
    found = zone_country(str(zone)) if zone else None
    return (found,) if found else ("US",)


def _scaffold(project: Project, options: Options, plan: Plan, zone: ZoneInfo | None,
              agenda: Agenda | None) -> Path:
    days = agenda.days if agenda and agenda.days else []
    countries = _country(options, zone)
    if not options.countries:
        plan.notes.append((plan.source_lang, f"content/countries.yaml: {', '.join(countries)} "
                           "only (the time zone's country; Plone does not know the "
                           "participating countries): add them, or import with --country"))
    fmt = "in-person" if agenda and any(s.room for s in agenda.slots) else "virtual"
    target = project.scaffold_dir() / slug(plan.folders[plan.source_lang].id)

    try:
        create(NewProject(target=target, title=plan.folders[plan.source_lang].title,
                          languages=tuple(plan.languages), countries=countries,
                          start=days[0] if days else None, format=fmt,
                          timezone=str(zone) if zone else "UTC"), shipped_dir("layouts"))
    except KitError as exc:
        first = exc.problems[0]
        raise UsageError(first.path, first.message) from None
    workshop = target / "content" / "workshop.yaml"
    if days:
        workshop.write_text(with_days(workshop.read_text(encoding="utf-8"), days),
                            encoding="utf-8")
    for lang, folder in plan.folders.items():
        own = target / "content" / lang / "workshop.yaml"
        own.write_text(with_title(own.read_text(encoding="utf-8"), folder.title),
                       encoding="utf-8")
        for placeholder in ("concept-note.md", "logistics-note.md"):
            if f"content/{lang}/{placeholder}" not in project.staged:
                (target / "content" / lang / placeholder).unlink(missing_ok=True)
    return target


def _refuse_bad_options(project: Project, options: Options, plan: Plan,
                        zone: ZoneInfo | None) -> None:
    """What `kitbuilder new` would refuse (a country, a language), before the long part."""
    problems = usage_problems(NewProject(
        target=project.scaffold_dir() / "unused", languages=tuple(plan.languages),
        countries=_country(options, zone), timezone=str(zone) if zone else "UTC"))
    if problems:
        raise UsageError(problems[0].path, problems[0].message)


def _stage_agenda(run: Pass, zone: ZoneInfo | None) -> Agenda | None:
    plan, result = run.plan, run.result
    if not plan.events or zone is None:
        return None
    agenda = make_agenda(plan.events, zone)
    result.language(plan.source_lang).needs_person.extend(agenda.notes)
    if not agenda.slots:
        return None
    for lang in plan.languages:
        run.stage(f"content/{lang}/agenda.yaml",
                  agenda_yaml(lang, plan.source_lang, agenda, str(zone)), None)
        result.language(lang).slots = len(agenda.slots)
        untranslated = [s.group.source.title for s in agenda.slots if lang not in s.group.by_lang]
        if untranslated:
            result.language(lang).needs_person.append(
                f"content/{lang}/agenda.yaml: {len(untranslated)} slot(s) keep the "
                f"'{plan.source_lang}' title (no translated event): translate them")
    return agenda


def _check_days(project: Project, agenda: Agenda | None, result: ImportResult,
                lang: str) -> list[str]:
    days = [d.isoformat() for d in agenda.days] if agenda else []
    before = project.state.get("days")
    if not project.fresh and days and before is not None and before != days:
        result.language(lang).needs_person.append(
            f"content/workshop.yaml: the events' days are now {', '.join(days)} (were "
            f"{', '.join(before) or 'none'}); update 'days:' by hand")
    return days


def _confirm_translations(root: Path, plan: Plan, written: set[str]) -> None:
    """Plone's translations were made by people: record which source text each translates, so
    a later change of the source shows as stale. Only files this import wrote are confirmed."""
    project = load_project(root / "content", Problems())
    if project is None:
        return
    with batched():
        for relative in sorted(written):
            lang = relative.split("/")[1] if relative.count("/") == 2 else ""
            if lang in plan.languages[1:] and relative.endswith((".md", "/agenda.yaml")):
                try:
                    confirm(project, root / relative)
                except (ValueError, KeyError):
                    continue  # a page with no original is no translation: nothing to confirm


def import_plone(options: Options) -> ImportResult:
    """Raises ExportError (exit 1) or UsageError (exit 2); warnings are in the result."""
    issues = Issues()
    export = locate(options.export)
    index = build_index(export, issues, options.max_item_bytes)
    folder = choose_folder(index, options.path)
    plan = make_plan(index, folder, options.include_private)
    if not plan.documents and not plan.events:
        raise ExportError(export.name, folder.id, "the folder holds no published page or "
                          "event to import (--include-private imports drafts too)")
    zone = _zone(options, plan)
    blobstorage = _blobstorage(options)
    project = Project(options.project or Path(slug(folder.id)), options.force)
    if project.fresh:
        _refuse_bad_options(project, options, plan, zone)
    result = ImportResult(project.root, plan.source_lang, folder.path,
                          str(zone) if zone else None, issues=issues,
                          unexported=index.unexported)
    targets = _targets(index, plan)
    project.begin()
    try:
        run = Pass(index, plan, targets, project, issues, result, blobstorage,
                   options.max_item_bytes, Characters(project.root))
        convert_documents(run)
        agenda = _stage_agenda(run, zone)
        filenames = [g.filename for g in plan.documents
                     if f"content/{plan.source_lang}/{g.filename}" in project.staged]
        project.stage_text("content/kit.yaml", kit_yaml(filenames, agenda is not None))
        scaffold = _scaffold(project, options, plan, zone, agenda) if project.fresh else None
        days = _check_days(project, agenda, result, plan.source_lang)
        result.changes = project.commit(scaffold, {"export": export.name, "folder": folder.path,
                                                   "days": days})
    except BaseException:
        project.abandon()
        raise
    changes = result.changes
    _confirm_translations(project.root, plan,
                          set(changes.new + changes.updated + changes.overwritten))
    summarise(plan, result, project)
    return result
