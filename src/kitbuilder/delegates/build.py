"""`kitbuilder delegates build`: every delegate's documents under OUTPUT/delegates/.

Incremental: each file's inputs (the shared design and the people it holds) are hashed, and
a file is rendered again only when its hash changed, so editing one registrant re-renders
their letter and certificate, their country's badge sheet and the lists. Jobs (a batch of
people's letters or certificates, a country's badges, a language's list) run on every core;
each sets its people's text over designs laid out once per process (render.py, typeset.py,
pdfwriter.py). Names never reach the reporter: it gets counts only.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KitError, Problems
from ..output import atomic_write_bytes, writing
from ..report import Reporter
from .layouts import layouts_for

if TYPE_CHECKING:
    from .design import Design
    from .registrations import Delegate

DOCUMENTS = ("letter", "badges", "list", "certificate")
FOLDER = "delegates"
STATE = ".state.json"
# The inputs of the last complete build (a hash) and its counts, no personal data: when they
# are unchanged and every file is there, the build is a no-op without loading the project or
# reading a row (`python -c "import pydantic"` alone is a third of the 0.3 s budget).
STAMP = ".stamp.json"
REGISTER = "certificates.csv"
LOCK_WAIT = 10.0  # seconds to wait for another build or clean of the same output folder
FORMAT_VERSION = "1"  # bump when a change in code changes the documents
# People per job: jobs spread over the workers, and a crash loses at most one job's files.
BATCH = 150


@dataclass
class DelegatesResult:
    rendered: Counter = field(default_factory=Counter)
    reused: Counter = field(default_factory=Counter)
    removed: int = 0
    people: int = 0
    attended: int = 0
    seconds: float = 0.0


@dataclass
class Job:
    kind: str  # letter | certificate | badges | list
    lang: str
    paper: str
    people: list[Delegate]
    targets: list[str]  # relative paths: per person (letter, certificate) or the file's stem


# Set in the parent before the workers fork: designs are shared, never pickled.
_DESIGNS: dict[str, Design] = {}
_CONTEXT: dict = {}


def design_hash(paths, layouts: Path, registrations_mapping: Path) -> str:
    from ..incremental import code_digest

    digest = hashlib.sha256(FORMAT_VERSION.encode())
    # All of kitbuilder's code and the rendering tools' versions, as for the kits: the
    # documents also depend on render/pdf.py, placeholders.py, locale.py, WeasyPrint …
    digest.update(code_digest().encode())
    files = sorted((layouts / "delegates").glob("*"))
    files += [layouts / "styles" / "kit.css", layouts / "styles" / "fonts.css",
              (paths.brand or layouts / "brand") / "emblem.svg", layouts / "brand" / "emblem.png"]
    files += sorted((layouts / "fonts").glob("*"))
    files += sorted(p for p in paths.content.rglob("*") if p.is_file())
    files += sorted(paths.locales.glob("*/LC_MESSAGES/messages.po"))
    files.append(registrations_mapping)
    for path in files:
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def build_delegates(paths, registrations_file: Path, documents: tuple[str, ...],
                    reporter: Reporter | None = None, jobs: int | None = None
                    ) -> DelegatesResult:
    """Like a kits build, under the build's session: one writer at a time in the output
    folder (a kits build or a clean waits), a private temp folder for WeasyPrint's font
    folders and the workers (removed whatever happens), and a clean stop on a signal."""
    from ..lifecycle import session

    reporter = reporter or Reporter()
    with session(paths.output, LOCK_WAIT, reporter):
        return _build_delegates(paths, registrations_file, documents, reporter, jobs)


def _build_delegates(paths, registrations_file: Path, documents: tuple[str, ...],
                     reporter: Reporter, jobs: int | None) -> DelegatesResult:
    started = time.perf_counter()
    stamp = _stamp(paths, registrations_file, documents)
    unchanged = _unchanged(paths.output / FOLDER, stamp, documents)
    if unchanged is not None:
        unchanged.seconds = time.perf_counter() - started
        return unchanged
    # From here on files may change: a stamp left behind by an interrupted build must not
    # vouch for them.
    (paths.output / FOLDER / STAMP).unlink(missing_ok=True)
    from .check import check_delegates
    from .design import make_design, verification_code
    from .texts import load_texts, refuse_placeholders

    checked = check_delegates(paths, registrations_file)
    problems = checked.problems
    project, registrations = checked.project, checked.registrations
    if problems.errors or project is None or registrations is None:
        raise KitError(problems.errors or problems.items)
    people = registrations.delegates
    langs = sorted({p.language for p in people} | set(project.workshop.languages)
                   if "list" in documents else {p.language for p in people})
    # With the content's warnings: the documents print the workshop's words too.
    text_problems = Problems(list(problems.items))
    texts = {lang: load_texts(paths.content, lang, text_problems) for lang in langs}
    refuse_placeholders(paths.content, langs, text_problems, "the delegates' documents")
    if text_problems.errors:
        raise KitError(text_problems.errors)
    for warning in text_problems.warnings:
        reporter.emit("warning", problem=warning)
    layouts = layouts_for(paths)
    designs = {lang: make_design(project, lang, texts[lang], paths, checked.mapping.list_symbol)
               for lang in langs}
    base = design_hash(paths, layouts, paths.content / "registrations.yaml")
    papers = {c.code: c.paper for c in project.countries}
    first_lang = {c.code: c.languages[0] for c in project.countries}

    output = paths.output / FOLDER
    state_path = output / STATE
    old_state = _read_state(state_path)
    new_state: dict[str, str] = {}
    planned: list[Job] = []
    result = DelegatesResult(people=len(people),
                             attended=sum(p.attendance == "attended" for p in people))

    existing = _existing_files(output)  # one listing, not a stat per file

    def wanted(target: str, digest: str) -> bool:
        new_state[target] = digest
        return old_state.get(target) != digest or target not in existing

    def per_person(kind: str, suffixes: tuple[str, ...], chosen: list[Delegate]) -> None:
        pending: dict[tuple[str, str], list[tuple[Delegate, str]]] = {}
        for person in chosen:
            stem = f"{FOLDER}/{kind}s/{person.file_stem}-{kind}"
            digest = _hash(base, kind, person.fingerprint)
            # Every format of a person's document is rendered when any one is missing.
            needed = [wanted(stem + suffix, digest) for suffix in suffixes]
            if any(needed):
                pending.setdefault((person.language, papers[person.country]), []).append(
                    (person, stem))
            else:
                result.reused[kind] += 1
        for (lang, paper), group in sorted(pending.items()):
            for i in range(0, len(group), BATCH):
                chunk = group[i:i + BATCH]
                planned.append(Job(kind, lang, paper, [p for p, _ in chunk],
                                   [s for _, s in chunk]))

    if "letter" in documents:
        per_person("letter", (".pdf", ".docx"), people)
    attended = [p for p in people if p.attendance == "attended"]
    if "certificate" in documents:
        per_person("certificate", (".pdf",), attended)
    if "badges" in documents:
        paper = checked.mapping.badge_paper or venue_paper(project)
        by_country: dict[str, list[Delegate]] = {}
        for person in people:
            by_country.setdefault(person.country, []).append(person)
        for code, members in sorted(by_country.items()):
            members.sort(key=lambda p: (p.family_name.casefold(), p.given_name.casefold(),
                                        p.key))
            target = f"{FOLDER}/badges/{code}-badges.pdf"
            digest = _hash(base, "badges", paper, *(p.fingerprint for p in members))
            if wanted(target, digest):
                planned.append(Job("badges", first_lang[code], paper, members, [target]))
            else:
                result.reused["badges"] += 1
    if "list" in documents:
        everyone = _hash(base, "list", *sorted(p.fingerprint for p in people))
        paper = venue_paper(project)
        for lang in project.workshop.languages:
            stem = f"{FOLDER}/list/list-of-participants-{lang}"
            if any([wanted(stem + suffix, everyone) for suffix in (".pdf", ".docx", ".html")]):
                planned.append(Job("list", lang, paper, people, [stem]))
            else:
                result.reused["list"] += 1

    reporter.emit("delegates-plan", jobs=len(planned), people=len(people))
    _DESIGNS.clear()
    _DESIGNS.update(designs)
    _CONTEXT["workshop_id"] = project.workshop.id
    _CONTEXT["output"] = paths.output
    with writing(paths.output):
        output.mkdir(parents=True, exist_ok=True)
        try:
            for kind, count in _run(planned, jobs):
                if count:
                    result.rendered[kind] += count
                    reporter.emit("delegates-rendered", document=kind, count=count)
        except (OSError, KitError):
            raise
        except Exception as exc:  # noqa: BLE001 - a render failure: say which, no traceback
            raise KitError(f"rendering the delegates' documents failed ({exc.__class__.__name__}:"
                           f" {exc}); the files already written are complete, run again after "
                           "fixing the layouts") from exc
        if "certificate" in documents:
            rows = [(verification_code(project.workshop.id, p), p,
                     f"certificates/{p.file_stem}-certificate.pdf") for p in attended]
            codes = [code for code, _, _ in rows]
            if len(set(codes)) != len(codes):  # 60 bits: never seen, but never print twice
                raise KitError("two delegates received the same verification code; report "
                               "this to kitbuilder's developers")
            from .certificates import register_csv

            _write_if_changed(output / REGISTER, register_csv(rows))
        kept = set(new_state)
        for target, _ in old_state.items():
            if target not in kept and _kind_of(target) in documents:
                (paths.output / target).unlink(missing_ok=True)
                result.removed += 1
        merged = {k: v for k, v in old_state.items()
                  if _kind_of(k) not in documents and (paths.output / k).is_file()}
        merged.update(new_state)
        if merged != old_state:
            atomic_write_bytes(state_path, json.dumps(merged, indent=0, sort_keys=True)
                               .encode())
        if stamp is not None:
            atomic_write_bytes(output / STAMP, json.dumps({
                "stamp": stamp, "people": result.people, "attended": result.attended,
                "files": sum(result.rendered.values()) + sum(result.reused.values())}).encode())
    result.seconds = time.perf_counter() - started
    return result


def _stamp(paths, registrations_file: Path, documents: tuple[str, ...]) -> str | None:
    """A hash of everything a build reads: code, layouts, content, catalogs, the mapping, the
    registrations file and the documents asked for (None: the file cannot be read)."""
    try:
        registrations = Path(registrations_file).read_bytes()
    except OSError:
        return None
    layouts = layouts_for(paths)
    return _hash(design_hash(paths, layouts, paths.content / "registrations.yaml"),
                 str(Path(registrations_file).resolve()),
                 hashlib.sha256(registrations).hexdigest(), *sorted(documents))


def _unchanged(output: Path, stamp: str | None, documents: tuple[str, ...]
               ) -> DelegatesResult | None:
    """The last build's result when nothing it read changed and its files are all there."""
    if stamp is None:
        return None
    try:
        last = json.loads((output / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(last, dict) or last.get("stamp") != stamp:
        return None
    state = _read_state(output / STATE)
    if not set(state) <= _existing_files(output):
        return None
    if "certificate" in documents and not (output / REGISTER).is_file():
        return None
    result = DelegatesResult(people=int(last.get("people", 0)),
                             attended=int(last.get("attended", 0)))
    result.reused["unchanged"] = int(last.get("files", 0))
    return result


def _kind_of(target: str) -> str:
    folder = target.split("/")[1]
    return {"letters": "letter", "certificates": "certificate"}.get(folder, folder)


def venue_paper(project) -> str:
    """The paper where the badges are printed: the venue's country's (matched by its zone),
    else the paper most participating countries use."""
    venue = project.workshop.venue
    if venue is not None:
        for country in project.countries:
            if country.timezone == venue.timezone:
                return country.paper
    counts = Counter(c.paper for c in project.countries)
    return counts.most_common(1)[0][0] if counts else "a4"


def _existing_files(output: Path) -> set[str]:
    found: set[str] = set()
    for folder in ("letters", "certificates", "badges", "list"):
        try:
            with os.scandir(output / folder) as entries:
                found.update(f"{FOLDER}/{folder}/{entry.name}" for entry in entries
                             if entry.is_file())
        except OSError:
            continue
    return found


def _read_state(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)


def _run(planned: list[Job], jobs: int | None):
    from ..engine.pool import Lost, Pool

    if not planned:
        return
    # Largest first, so the last job to finish is a short one.
    planned = sorted(planned, key=lambda j: -len(j.people) * (4 if j.kind == "list" else 1))
    with Pool(min(jobs or os.cpu_count() or 1, len(planned))) as pool:
        for job, result in pool.run(planned, run_job):
            if isinstance(result, Lost):
                raise KitError(f"a worker process died while rendering the {job.kind} "
                               f"documents ({result.detail}); the machine may be short of "
                               "memory: try --jobs 1")
            yield result


def run_job(job: Job) -> tuple[str, int]:
    design = _DESIGNS[job.lang]
    output: Path = _CONTEXT["output"]
    if job.kind == "letter":
        from .letters import letter_docx, letter_pdfs

        for stem, pdf, person in zip(job.targets, letter_pdfs(design, job.paper, job.people),
                                     job.people, strict=True):
            atomic_write_bytes(output / f"{stem}.pdf", pdf)
            atomic_write_bytes(output / f"{stem}.docx", letter_docx(design, job.paper, person))
    elif job.kind == "certificate":
        from .certificates import certificate_pdfs

        pdfs = certificate_pdfs(design, job.paper, job.people, _CONTEXT["workshop_id"])
        for stem, pdf in zip(job.targets, pdfs, strict=True):
            atomic_write_bytes(output / f"{stem}.pdf", pdf)
    elif job.kind == "badges":
        from .badges import badge_sheets

        atomic_write_bytes(output / job.targets[0], badge_sheets(design, job.paper, job.people))
    elif job.kind == "list":
        from .participants import list_docx, list_html, list_pdf

        stem = job.targets[0]
        atomic_write_bytes(output / f"{stem}.pdf", list_pdf(design, job.people, job.paper))
        atomic_write_bytes(output / f"{stem}.docx", list_docx(design, job.people, job.paper))
        atomic_write_bytes(output / f"{stem}.html", list_html(design, job.people, job.paper))
    return job.kind, (len(job.people) if job.kind in ("letter", "certificate") else 1)
