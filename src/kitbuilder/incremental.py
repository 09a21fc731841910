"""Incremental builds: what each artifact was made from, and whether it must be made again.

Every artifact gets an *input key*: a hash of everything that can change its bytes —
kitbuilder's code and the rendering tools' versions, the render settings, the layouts,
the shared content files, its country's entry, its language's content and catalog (plus
the source language's content, which translations fall back to), and the date stamped
into it. ``output/.kitbuilder-state.json`` keeps each artifact's key and the hash of the
file that was written. An artifact is reused when its key is unchanged and the file on
disk is still the one written; anything else is rendered again (``--force``: everything).

Before the content is even loaded, ``fast_check`` hashes the input *files* (a few MB, a
few milliseconds) and compares them with the last build's fingerprint: when nothing
changed, the build is a no-op without importing pydantic, Babel, WeasyPrint, python-docx
or pandoc. This module therefore uses the standard library only.

Dates written into files come from ``SOURCE_DATE_EPOCH``; otherwise from the last git
commit that touched the kit's content (its language's folder, the source language's
folder and the shared files), otherwise from the workshop's metadata — never the clock.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .engine.artifact import inside, remove_files
from .engine.state import BuildState, code_digest, digest, stamp, tree_digests, unchanged
from .output import MANIFEST
from .plan import Artifact, every_artifact, package_name

STATE = ".kitbuilder-state.json"
SHARED_CONTENT = ("workshop.yaml", "countries.yaml", "references.json", "kit.yaml")
# Files of a language's folder and of the layouts that other commands read and no kit does:
# the delegates' texts and layouts (`delegates build`), the message of the mail (`mail`).
# Editing them must rebuild no kit.
NOT_KIT_INPUTS = ("delegates.yaml", "mail.yaml")
NOT_KIT_LAYOUTS = "delegates/"
# Settings that choose *which* files are built or how, but never change a file's bytes. The
# PDF edition changes a PDF's bytes: it is part of each PDF's key ("pdf/print"), not of every key.
NOT_RENDER_SETTINGS = {"content", "output", "countries", "languages", "formats", "editions",
                       "jobs", "force", "layouts", "locales", "brand", "package_budget",
                       "render_timeout", "lock_wait"}

def _subset(digests: dict[str, str], prefix: str) -> dict[str, str]:
    return {k: v for k, v in digests.items() if k == prefix or k.startswith(prefix + "/")}


def render_settings(settings) -> dict:
    """The settings that change what a file contains (e.g. an edition), by name."""
    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
            if f.name not in NOT_RENDER_SETTINGS}


# --- dates -----------------------------------------------------------------------------------

def epoch_paths(langs: set[str]) -> list[str]:
    """The content a kit is made from (its language and the ones it falls back to)."""
    return sorted({*SHARED_CONTENT, *langs})


def git_epoch(content: Path, paths: list[str]) -> int | None:
    """Time of the last commit touching ``paths`` (relative to ``content``), if any."""
    try:
        done = subprocess.run(["git", "-C", str(content), "log", "-1", "--format=%ct", "--",
                               *paths], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return int(value) if done.returncode == 0 and value.isdigit() else None


def language_epochs(content: Path, langs: dict[str, list[str]], fallback: int) -> dict[str, int]:
    """lang → the epoch its files carry: SOURCE_DATE_EPOCH, else git, else ``fallback``."""
    forced = os.environ.get("SOURCE_DATE_EPOCH", "")
    if forced.isdigit():
        return {lang: int(forced) for lang in langs}
    return {lang: git_epoch(content, paths) or fallback for lang, paths in langs.items()}


# --- state -----------------------------------------------------------------------------------

@dataclass
class Inputs:
    """Digests of every input file of a build, taken once."""

    content: dict[str, str]
    layouts: dict[str, str]
    locales: dict[str, str]
    code: str
    settings: dict

    @classmethod
    def scan(cls, settings) -> Inputs:
        layouts = tree_digests(settings.layouts_dir())
        brand = settings.brand_dir()
        if brand != settings.layouts_dir() / "brand":  # a project's own emblem
            layouts.update({f"brand/{k}": v for k, v in tree_digests(brand).items()})
        return cls(tree_digests(Path(settings.content)), layouts,
                   tree_digests(settings.locales_dir()), code_digest(), render_settings(settings))

    def fingerprint(self, selection: dict, epochs: dict[str, int]) -> str:
        return digest(self.content, self.layouts, self.locales, self.code, self.settings,
                       selection, epochs)

    def artifact_key(self, *, fmt: str, lang: str, uses: set[str], country: dict,
                     epoch: int) -> str:
        """``uses``: the content languages the kit is made from (its own and its sources)."""
        content = {name: self.content.get(name) for name in SHARED_CONTENT}
        for language in sorted(uses | {lang}):
            content.update({path: value for path, value in _subset(self.content, language).items()
                            if path.rsplit("/", 1)[-1] not in NOT_KIT_INPUTS})
        layouts = {path: value for path, value in self.layouts.items()
                   if not path.startswith(NOT_KIT_LAYOUTS)}
        return digest(fmt, lang, country, epoch, content, layouts,
                      _subset(self.locales, lang), self.code, self.settings)


def selection(settings) -> dict:
    return {"countries": sorted(c.upper() for c in settings.countries),
            "languages": sorted(settings.languages), "formats": list(settings.formats),
            "editions": sorted(settings.editions)}


@dataclass
class State(BuildState):
    """What the last successful build made: ``output/.kitbuilder-state.json``."""

    selection: dict = field(default_factory=dict)
    epoch_paths: dict[str, list[str]] = field(default_factory=dict)
    fallback_epoch: int = 0
    planned: list[str] = field(default_factory=list)  # what the last build was asked for
    packages: dict[str, dict] = field(default_factory=dict)  # country code → path, sha256, size
    manifest: dict = field(default_factory=dict)  # sha256, size, mtime_ns of manifest.json

    @classmethod
    def read(cls, output: Path) -> State:
        return super().read(output / STATE)

    def write(self, output: Path) -> None:
        super().write(output / STATE)

    def package_intact(self, output: Path, code: str) -> bool:
        entry = self.packages.get(code)
        return entry is not None and unchanged(output / entry["path"], entry)

    def delivered(self, output: Path) -> bool:
        """The manifest and the planned countries' zips are the ones the last build wrote."""
        codes = {self.artifacts[path]["about"]["country"] for path in self.planned
                 if path in self.artifacts}
        return (unchanged(output / MANIFEST, self.manifest)
                and all(self.package_intact(output, code) for code in codes))

    def seal(self, output: Path, manifest: Path) -> None:
        """Last step of a build: remember the manifest just written, then write the state."""
        self.manifest = stamp(manifest)
        self.write(output)


def fast_check(settings) -> tuple[bool, State, Inputs | None]:
    """(nothing to do, last state, scanned inputs) — decided before loading the content."""
    output = Path(settings.output)
    state = State.read(output)
    if settings.force or not state.fingerprint or state.selection != selection(settings):
        return False, state, None
    inputs = Inputs.scan(settings)
    epochs = language_epochs(Path(settings.content), state.epoch_paths, state.fallback_epoch)
    if inputs.fingerprint(selection(settings), epochs) != state.fingerprint:
        return False, state, inputs
    nothing = all(path in state.artifacts and state.intact(output, path)
                  for path in state.planned) and state.delivered(output)
    return nothing, state, inputs


# --- the pipeline's helpers ------------------------------------------------------------------

def metadata_epoch(project) -> int:
    """The workshop's own date: its document's issue date, else the workshop day (UTC)."""
    import calendar

    control = project.workshop.document_control
    day = control.issued if control else project.workshop.date
    return calendar.timegm(day.timetuple())


def uses(project, lang: str) -> set[str]:
    """The content languages a kit in ``lang`` is made from: its own, and its sources
    (untranslated documents and paragraphs fall back to them)."""
    sources = {project.source_of(name) for name in project.translatable_files}
    return {lang} if sources == {lang} else {lang, project.workshop.source_language, *sources}


def kit_epochs(settings, project) -> dict[str, int]:
    """lang → the date its kits carry (see ``language_epochs``)."""
    paths = {lang: epoch_paths(uses(project, lang)) for lang in project.workshop.languages}
    return language_epochs(Path(settings.content), paths, metadata_epoch(project))


def artifact_key(inputs: Inputs, project, artifact, epochs: dict[str, int]) -> str:
    country = artifact.country.model_dump(mode="json")
    return inputs.artifact_key(fmt=f"{artifact.format}/{artifact.edition}", lang=artifact.lang,
                               uses=uses(project, artifact.lang), country=country,
                               epoch=epochs[artifact.lang])


def describe(artifact) -> dict:
    """An artifact as the reporter and the state describe it."""
    return {"path": artifact.path, "country": artifact.country.code, "lang": artifact.lang,
            "format": artifact.format, "edition": artifact.edition}


RENDER_COST = {"pdf": 0, "docx": 1}  # slowest first, so no worker idles at the end


def render_order(artifact) -> tuple:
    return (RENDER_COST.get(artifact.format, 2), artifact.lang, artifact.path)


def batches(artifacts: list) -> list[list]:
    """Worker jobs, longest first: each PDF alone, each DOCX alone (≈ 0.1 s), a kit's HTML
    and calendar together (a few ms each: the build's process renders those while the
    workers start, render/worker.py)."""
    groups: dict[tuple, list] = {}
    for artifact in sorted(artifacts, key=render_order):
        alone = artifact.format in ("pdf", "docx")
        key = (artifact.path,) if alone else (artifact.country.code, artifact.lang)
        groups.setdefault(key, []).append(artifact)
    return list(groups.values())


def to_package(state: State, output: Path, artifacts: list, rebuilt: list) -> list:
    """The files whose countries get a new zip: the rebuilt ones, plus one file of each planned
    country whose zip is missing or was edited since the last build."""
    codes = {a.country.code for a in rebuilt}
    for artifact in artifacts:
        code = artifact.country.code
        if code not in codes and not state.package_intact(output, code):
            codes.add(code)
            rebuilt = [*rebuilt, artifact]
    return rebuilt


def current_files(state: State, output: Path, inputs: Inputs, project,
                  epochs: dict[str, int]) -> list:
    """What the manifest lists: every file the project can make (all countries, languages,
    formats and editions, whatever this build selected) that is on disk and made from the
    current inputs, plus the current countries' zips. A removed country or a renamed
    workshop is not listed, even if its old files are still there."""

    files = [a for a in every_artifact(project)
             if state.intact(output, a.path, artifact_key(inputs, project, a, epochs))]
    for country in project.countries:
        entry = state.packages.get(country.code)
        if (entry and entry["path"] == package_name(project, country)
                and state.package_intact(output, country.code)):
            files.append(Artifact(country, "+".join(country.languages), "zip", entry["path"]))
    return files


def records(state: State) -> dict[str, dict]:
    """path → the size and sha256 recorded for every file and zip."""
    return {**state.artifacts, **{e["path"]: e for e in state.packages.values()}}


def remember(state: State, output: Path, settings, inputs: Inputs, project, keys: dict[str, str],
             artifacts: list, rebuilt: list, epochs: dict[str, int], packages: list) -> None:
    """The state of a successful build: every artifact's key and file hash, every zip's hash.
    Written by ``State.seal`` once the manifest is."""
    state.selection = selection(settings)
    state.epoch_paths = {lang: epoch_paths(uses(project, lang))
                         for lang in project.workshop.languages}
    state.fallback_epoch = metadata_epoch(project)
    state.fingerprint = inputs.fingerprint(state.selection, epochs)
    state.planned = [a.path for a in artifacts]
    fresh = {a.path for a in rebuilt}
    for artifact in artifacts:
        if artifact.path not in fresh and artifact.path in state.artifacts:
            continue  # reused: its record still holds
        state.record(output, artifact.path, keys[artifact.path])
        state.artifacts[artifact.path]["about"] = describe(artifact)
    state.artifacts = {p: e for p, e in state.artifacts.items() if (output / p).is_file()}
    for package in packages:
        state.packages[package.country.code] = {"path": package.path,
                                                **stamp(output / package.path)}
    state.packages = {c: e for c, e in state.packages.items() if (output / e["path"]).is_file()}


def withdrawn(state: State, output: Path, project) -> tuple[list[str], list[str]]:
    """Files earlier builds wrote that the content can no longer make: a country or a language
    removed, the workshop renamed. Returns (unchanged since written: safe to delete, changed
    by someone since: left alone). Only files in the state are considered, so a file
    kitbuilder did not write is never touched; every selection's files (other countries,
    formats, editions) are still makeable and never withdrawn."""

    makeable = {a.path for a in every_artifact(project)}
    makeable |= {package_name(project, country) for country in project.countries}
    entries = {path: entry for path, entry in state.artifacts.items() if path not in makeable}
    entries |= {e["path"]: e for e in state.packages.values() if e["path"] not in makeable}
    present = {p: e for p, e in entries.items()
               if (file := inside(output, p)) is not None and file.is_file()}
    intact = sorted(p for p, e in present.items() if unchanged(output / p, e))
    return intact, sorted(set(present) - set(intact))


def remove_withdrawn(state: State, output: Path, project) -> tuple[list[str], list[str]]:
    """Delete the withdrawn files that are as kitbuilder wrote them and forget every withdrawn
    record (a changed file is then the user's). Returns (removed, left in place)."""
    intact, changed = withdrawn(state, output, project)
    removed = remove_files(output, intact)
    gone = set(intact) | set(changed)
    state.artifacts = {p: e for p, e in state.artifacts.items() if p not in gone}
    state.packages = {c: e for c, e in state.packages.items() if e["path"] not in gone}
    return removed, changed


def source_date_epoch(project) -> int:
    """The build's date: SOURCE_DATE_EPOCH, else the content's last commit, else the
    document's issue date (never the clock). Each kit carries its own language's date
    (``kit_epochs``); this is the date of files made from the whole content, like packages."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    return git_epoch(Path(project.root), ["."]) or metadata_epoch(project)
