"""`kitbuilder delegates build`: every delegate's documents under OUTPUT/delegates/.

Incremental: each file's inputs (the shared design and the people it holds) are hashed, and
a file is rendered again only when its hash changed, so editing one registrant re-renders
their letter and certificate, their country's badge sheet and the lists. Jobs (a batch of
people's letters or certificates, a country's badges, a language's list) run on every core;
each sets its people's text over designs laid out once per process (render.py, typeset.py,
pdfwriter.py). Names never reach the reporter: it gets counts only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.artifact import atomic_write_bytes, commit, staging, writing
from ..engine.pool import Lost, Pool
from ..engine.state import BuildState, code_digest
from ..errors import KitError, Problems
from ..lifecycle import session, uninterrupted
from ..report import Reporter
from ..settings import default_jobs
from .issues import RECORD, IssueRecord, meeting_symbol, person_id, reference
from .layouts import layouts_for

if TYPE_CHECKING:
    from .design import Design
    from .registrations import Delegate

DOCUMENTS = ("letter", "badges", "list", "certificate")
FOLDER = "delegates"
STATE = ".state.json"
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
    issues: list[tuple[str, str]] = field(default_factory=list)  # (reference, ISO date) each


@dataclass
class DelegatesState(BuildState):
    """``output/delegates/.state.json`` (engine/state.py): each document's key and file, the
    fingerprint of everything the last complete build read — when it is unchanged and every
    file is there, the build is a no-op without loading the project or reading a row — and
    that build's counts. No personal data."""

    counts: dict = field(default_factory=dict)  # people, attended, files


@dataclass
class Loaded:
    """What a build renders from: the checked registrations and the designs."""

    project: object
    people: list[Delegate]
    designs: dict[str, Design]
    base: str  # the hash of everything the designs are made from
    badge_paper: str
    # Each person's (reference, date of issue) per document, from the issue record.
    issues: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


# Set in each worker by the pool's initializer (forked: designs are shared, never pickled).
_DESIGNS: dict[str, Design] = {}
_CONTEXT: dict = {}


def design_hash(paths, layouts: Path, registrations_mapping: Path) -> str:
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    # All of kitbuilder's code and the rendering tools' versions, as for the kits: the
    # documents also depend on render/pdf.py, placeholders.py, locale.py, WeasyPrint …
    digest.update(code_digest().encode())
    files = sorted((layouts / "delegates").glob("*"))
    files += [layouts / "styles" / "kit.css", layouts / "styles" / "fonts.css",
              layouts / "brand" / "emblem.png"]
    # The emblem and the signatory's signature image, whichever brand folder holds them.
    files += sorted(p for p in (paths.brand or layouts / "brand").glob("*") if p.is_file())
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
                    reporter: Reporter | None = None, jobs: int | None = None,
                    issue_date: dt.date | None = None) -> DelegatesResult:
    """Like a kits build, under the build's session: one writer at a time in the output
    folder (a kits build or a clean waits), a private temp folder for WeasyPrint's font
    folders and the workers (removed whatever happens), and a clean stop on a signal."""
    reporter = reporter or Reporter()
    with session(paths.output, LOCK_WAIT, reporter):
        return _build_delegates(paths, registrations_file, documents, reporter, jobs,
                                issue_date)


def _build_delegates(paths, registrations_file: Path, documents: tuple[str, ...],
                     reporter: Reporter, jobs: int | None,
                     issue_date: dt.date | None) -> DelegatesResult:
    started = time.perf_counter()
    state_file = paths.output / FOLDER / STATE
    state = DelegatesState.read(state_file)
    fingerprint = _fingerprint(paths, registrations_file, documents, issue_date)
    if fingerprint and _up_to_date(state, paths.output, fingerprint, documents):
        result = DelegatesResult(people=int(state.counts.get("people", 0)),
                                 attended=int(state.counts.get("attended", 0)))
        result.reused["unchanged"] = int(state.counts.get("files", 0))
        result.seconds = time.perf_counter() - started
        return result
    loaded = _load(paths, registrations_file, documents, reporter)
    record = _issue(loaded, paths.output / FOLDER / RECORD, documents, issue_date)
    result = DelegatesResult(people=len(loaded.people), attended=len(_attended(loaded)))
    planner = Planner(state, paths.output, loaded.base, result)
    planned = planner.plan(loaded, documents)
    reporter.emit("delegates-plan", jobs=len(planned), people=len(loaded.people))
    with writing(paths.output):
        if state.fingerprint:  # files change from here on: the old fingerprint vouches no more
            state.fingerprint = ""
            state.write(state_file)
        state_file.parent.mkdir(parents=True, exist_ok=True)
        # As the kits: rendered into a staging folder, moved into place only when all were.
        with staging(paths.output) as stage:
            _render(planned, loaded, stage, jobs, reporter, result)
            with uninterrupted():
                commit(stage, paths.output, [p.relative_to(stage).as_posix()
                                             for p in stage.rglob("*") if p.is_file()])
        if "certificate" in documents:
            _write_register(loaded, paths.output / FOLDER)
        if record is not None:
            record.write()
        result.removed = _remember(state, paths.output, planner.keys, documents)
        state.fingerprint = fingerprint or ""
        state.counts = {"people": result.people, "attended": result.attended,
                        "files": sum(result.rendered.values()) + sum(result.reused.values())}
        state.write(state_file)
    result.seconds = time.perf_counter() - started
    return result


def _fingerprint(paths, registrations_file: Path, documents: tuple[str, ...],
                 issue_date: dt.date | None = None) -> str:
    """A hash of everything a build reads: code, layouts, content, catalogs, the mapping, the
    registrations file and the documents asked for ("": the file cannot be read)."""
    try:
        registrations = Path(registrations_file).read_bytes()
    except OSError:
        return ""
    layouts = layouts_for(paths)
    return _hash(design_hash(paths, layouts, paths.content / "registrations.yaml"),
                 str(Path(registrations_file).resolve()),
                 hashlib.sha256(registrations).hexdigest(), *sorted(documents),
                 issue_date.isoformat() if issue_date else "")


def _up_to_date(state: DelegatesState, output: Path, fingerprint: str,
                documents: tuple[str, ...]) -> bool:
    """Nothing the last build read changed, and its files are all there as it wrote them."""
    return (state.fingerprint == fingerprint
            and all(state.intact(output, path) for path in state.artifacts)
            and ("certificate" not in documents or (output / FOLDER / REGISTER).is_file())
            and not ({"letter", "certificate"} & set(documents)
                     and not (output / FOLDER / RECORD).is_file()))


def _load(paths, registrations_file: Path, documents: tuple[str, ...],
          reporter: Reporter) -> Loaded:
    """Check the registrations and the texts (every problem at once), lay out the designs."""
    # Imported here: a no-op build never loads the project (pydantic, Babel, WeasyPrint).
    from .check import check_delegates
    from .design import make_design
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
    designs = {lang: make_design(project, lang, texts[lang], paths, checked.mapping.list_symbol)
               for lang in langs}
    base = design_hash(paths, layouts_for(paths), paths.content / "registrations.yaml")
    return Loaded(project, people, designs, base,
                  checked.mapping.badge_paper or venue_paper(project))


def _issue(loaded: Loaded, path: Path, documents: tuple[str, ...],
           issue_date: dt.date | None) -> IssueRecord | None:
    """Each letter's reference and each document's date of issue: as first issued (the
    record), or ``issue_date`` (the command line) for every document of this build."""
    chosen = [(kind, people) for kind, people in (("letter", loaded.people),
                                                  ("certificate", _attended(loaded)))
              if kind in documents]
    if not chosen:
        return None
    record = IssueRecord.read(path)
    workshop = loaded.project.workshop
    control = workshop.document_control
    symbol = meeting_symbol(control.symbol if control else "", workshop.id)
    day = issue_date or dt.date.today()
    for kind, people in chosen:
        for person in people:
            entry = record.issue(person_id(workshop.id, person.key), kind, day,
                                 issue_date is not None)
            loaded.issues[(kind, person.key)] = (reference(symbol, entry.number),
                                                 getattr(entry, kind))
    return record


def _attended(loaded: Loaded) -> list[Delegate]:
    return [p for p in loaded.people if p.attendance == "attended"]


class Planner:
    """The jobs of a build: the files whose key (their design and people) changed, or that
    are missing or were edited since written."""

    def __init__(self, state: DelegatesState, output: Path, base: str,
                 result: DelegatesResult) -> None:
        self.state, self.output, self.base, self.result = state, output, base, result
        self.keys: dict[str, str] = {}  # every file this build makes → its key
        self.jobs: list[Job] = []

    def wanted(self, target: str, key: str) -> bool:
        self.keys[target] = key
        return not self.state.intact(self.output, target, key)

    def plan(self, loaded: Loaded, documents: tuple[str, ...]) -> list[Job]:
        countries = {c.code: c.paper for c in loaded.project.countries}
        # A delegate's letter on their country's paper; anyone else's on the venue's.
        papers = {p.key: countries[p.country] if p.kind == "delegation" else loaded.badge_paper
                  for p in loaded.people}
        if "letter" in documents:
            self.per_person("letter", (".pdf", ".docx"), loaded.people, papers, loaded.issues)
        if "certificate" in documents:
            self.per_person("certificate", (".pdf",), _attended(loaded), papers, loaded.issues)
        if "badges" in documents:
            self.badges(loaded)
        if "list" in documents:
            self.lists(loaded)
        return self.jobs

    def per_person(self, kind: str, suffixes: tuple[str, ...], chosen: list[Delegate],
                   papers: dict[str, str], issues: dict) -> None:
        pending: dict[tuple[str, str], list[tuple[Delegate, str, tuple]]] = {}
        for person in chosen:
            stem = f"{FOLDER}/{kind}s/{person.file_stem}-{kind}"
            issue = issues[(kind, person.key)]
            key = _hash(self.base, kind, person.fingerprint, *issue)
            # Every format of a person's document is rendered when any one is missing.
            if any([self.wanted(stem + suffix, key) for suffix in suffixes]):
                pending.setdefault((person.language, papers[person.key]), []).append(
                    (person, stem, issue))
            else:
                self.result.reused[kind] += 1
        for (lang, paper), group in sorted(pending.items()):
            for i in range(0, len(group), BATCH):
                chunk = group[i:i + BATCH]
                self.jobs.append(Job(kind, lang, paper, [p for p, _, _ in chunk],
                                     [s for _, s, _ in chunk], [i for _, _, i in chunk]))

    def badges(self, loaded: Loaded) -> None:
        """A sheet per country's delegation and per other kind (IO, RP, OBS, SEC), for those
        who come in person: none for remote participants, none at all in a virtual meeting."""
        first_lang = {c.code: c.languages[0] for c in loaded.project.countries}
        by_group: dict[str, list[Delegate]] = {}
        for person in badge_holders(loaded.project, loaded.people):
            by_group.setdefault(person.group_code, []).append(person)
        for code, members in sorted(by_group.items()):
            members.sort(key=lambda p: (p.family_name.casefold(), p.given_name.casefold(),
                                        p.key))
            target = f"{FOLDER}/badges/{code}-badges.pdf"
            key = _hash(self.base, "badges", loaded.badge_paper,
                        *(p.fingerprint for p in members))
            lang = first_lang.get(code) or Counter(p.language for p in members).most_common(
                1)[0][0]
            if self.wanted(target, key):
                self.jobs.append(Job("badges", lang, loaded.badge_paper, members, [target]))
            else:
                self.result.reused["badges"] += 1

    def lists(self, loaded: Loaded) -> None:
        everyone = _hash(self.base, "list", *sorted(p.fingerprint for p in loaded.people))
        paper = venue_paper(loaded.project)
        for lang in loaded.project.workshop.languages:
            stem = f"{FOLDER}/list/list-of-participants-{lang}"
            if any([self.wanted(stem + suffix, everyone) for suffix in (".pdf", ".docx",
                                                                          ".html")]):
                self.jobs.append(Job("list", lang, paper, loaded.people, [stem]))
            else:
                self.result.reused["list"] += 1


def badge_holders(project, people: list[Delegate]) -> list[Delegate]:
    """Who gets a badge: those who come to the venue (not remote, not a no-show)."""
    if project.workshop.format == "virtual":
        return []
    return [p for p in people if p.participation == "in-person" and p.attendance != "no-show"]


def _render(planned: list[Job], loaded: Loaded, output: Path, jobs: int | None,
            reporter: Reporter, result: DelegatesResult) -> None:
    """Run the jobs on every core, largest first (the last to finish is a short one)."""
    if not planned:
        return
    planned = sorted(planned, key=lambda j: -len(j.people) * (4 if j.kind == "list" else 1))
    context = {"workshop_id": loaded.project.workshop.id, "output": output}
    try:
        with Pool(min(jobs or default_jobs(), len(planned)), initializer=_share,
                  initargs=(loaded.designs, context)) as pool:
            for job, done in pool.run(planned, run_job):
                if isinstance(done, Lost):
                    raise KitError(f"a worker process died while rendering the {job.kind} "
                                   f"documents ({done.detail}); the machine may be short of "
                                   "memory: try --jobs 1")
                kind, count = done
                if count:
                    result.rendered[kind] += count
                    reporter.emit("delegates-rendered", document=kind, count=count)
    except (OSError, KitError):
        raise
    except Exception as exc:  # noqa: BLE001 - a render failure: say which, no traceback
        raise KitError(f"rendering the delegates' documents failed ({exc.__class__.__name__}:"
                       f" {exc}); nothing was written, run again after fixing the layouts") from exc


def _share(designs: dict[str, Design], context: dict) -> None:
    _DESIGNS.clear()
    _DESIGNS.update(designs)
    _CONTEXT.update(context)


def _write_register(loaded: Loaded, folder: Path) -> None:
    """certificates.csv: each attendee's verification code."""
    from .certificates import register_csv
    from .design import verification_code

    workshop_id = loaded.project.workshop.id
    rows = [(verification_code(workshop_id, p), p, f"certificates/{p.file_stem}-certificate.pdf")
            for p in _attended(loaded)]
    codes = [code for code, _, _ in rows]
    if len(set(codes)) != len(codes):  # 60 bits: never seen, but never print twice
        raise KitError("two delegates received the same verification code; report this to "
                       "kitbuilder's developers")
    _write_if_changed(folder / REGISTER, register_csv(rows))


def _remember(state: DelegatesState, output: Path, keys: dict[str, str],
              documents: tuple[str, ...]) -> int:
    """Record each file this build made; delete the files of the documents asked for that
    it no longer makes (a registrant removed). Returns how many were deleted."""
    removed = 0
    for path in list(state.artifacts):
        if path in keys:
            continue
        if _kind_of(path) in documents:
            (output / path).unlink(missing_ok=True)
            removed += 1
        if _kind_of(path) in documents or not (output / path).is_file():
            del state.artifacts[path]
    for path, key in keys.items():
        if not state.intact(output, path, key) and (output / path).is_file():
            state.record(output, path, key)
    return removed


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


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write_bytes(path, data)


def run_job(job: Job) -> tuple[str, int]:
    design = _DESIGNS[job.lang]
    output: Path = _CONTEXT["output"]
    if job.kind == "letter":
        from .letters import letter_docx, letter_pdfs

        pdfs = letter_pdfs(design, job.paper, job.people, job.issues)
        for stem, pdf, person, issue in zip(job.targets, pdfs, job.people, job.issues,
                                            strict=True):
            atomic_write_bytes(output / f"{stem}.pdf", pdf)
            atomic_write_bytes(output / f"{stem}.docx",
                               letter_docx(design, job.paper, person, issue))
    elif job.kind == "certificate":
        from .certificates import certificate_pdfs

        pdfs = certificate_pdfs(design, job.paper, job.people, _CONTEXT["workshop_id"],
                                job.issues)
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
