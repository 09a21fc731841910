"""The second pass: the rich text and the files of the items the plan imports, read again one
item at a time (the single-file export streamed once more, per-item files opened one by one),
cleaned, converted and staged."""

from __future__ import annotations

import html as htmlmod
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...quality.glyphs import describe
from .assets import AssetProblem, write_blob
from .characters import Characters
from .html import clean_html
from .index import Index
from .issues import Issues
from .items import Entry
from .links import Links, Targets
from .markdown import to_markdown, with_footnotes
from .reading import Raw, items, reread
from .report import ImportResult
from .selection import Plan
from .texts import document
from .writing import Project

MAX_PAGE_CHARACTERS = 4_000_000  # `kitbuilder check` refuses content files over 5 MB
# UTF-8 read as Latin-1 once, long ago (Python 2 sites): "Ã³" for "ó", "â€™" for "'". Flagged,
# never "fixed": the same letters can be right.
MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|â€[\u0080-\u00bf™œ\u201a-\u201e]")


@dataclass
class Pass:
    index: Index
    plan: Plan
    targets: Targets
    project: Project
    issues: Issues
    result: ImportResult
    blobstorage: Path | None
    limit: int
    characters: Characters

    def stage(self, relative: str, text: str, entry: Entry | None) -> None:
        """Stage a text file, without the characters the kit's fonts cannot draw."""
        text, missing = self.characters.clean(text)
        for char in missing:
            where = (entry.source, entry.id) if entry else (self.index.export.name, "")
            self.issues.warning(*where, f"character {describe(char)} is not in the kit's "
                                f"fonts; left out of {relative}")
        self.project.stage_text(relative, text)

    def documents(self) -> dict[str, tuple[str, str]]:
        """UID → (language, file name) of every page imported."""
        found = {}
        for group in self.plan.documents + self.plan.orphans:
            for lang, entry in group.by_lang.items():
                found[entry.uid] = (lang, group.filename)
        return found


def wanted_raws(index: Index, wanted: set[str], limit: int) -> Iterator[Raw]:
    export = index.export
    streamed = {str(path) for path in export.content_files}
    if any(index.entries[uid].source in streamed for uid in wanted):
        for raw in items(export, limit):
            if str(raw.source) not in streamed:
                break
            if isinstance(raw.data, dict) and raw.data.get("UID") in wanted:
                yield raw
    for uid in sorted(wanted, key=lambda u: index.entries[u].index):
        entry = index.entries[uid]
        if entry.source not in streamed:
            yield reread(Path(entry.source), entry.index, limit)


def _text_html(data: dict, entry: Entry, notes: list[str]) -> str:
    text = data.get("text")
    if not isinstance(text, dict) or not isinstance(text.get("data"), str):
        if isinstance(data.get("blocks"), dict) and data["blocks"]:
            notes.append(f"'{entry.title}' is a Volto page (blocks); its text is not imported: "
                         "copy it by hand")
        return ""
    if len(text["data"]) > MAX_PAGE_CHARACTERS:
        notes.append(f"'{entry.title}' is longer than {MAX_PAGE_CHARACTERS:,} characters "
                     "(kitbuilder refuses content files over 5 MB); its text is not "
                     "imported: split it in Plone or copy it by hand")
        return ""
    kind = str(text.get("content-type") or "text/html")
    if kind == "text/html":
        return text["data"]
    if kind != "text/plain":
        notes.append(f"'{entry.title}' is written in {kind[:40]}; imported as plain text: "
                     "check its formatting")
    paragraphs = [p for p in text["data"].split("\n\n") if p.strip()]
    return "".join(f"<p>{htmlmod.escape(p)}</p>" for p in paragraphs)


def _rewriter(run: Pass, entry: Entry, lang: str, broken: list[int]):
    links = Links(run.index, run.targets)

    def rewrite(url: str, text: str, image: bool) -> str | None:
        found = links.resolve(url, entry, image)
        if found.problem:
            what = "image" if image else "link"
            shown = " ".join(text.split())[:60]
            run.issues.warning(entry.source, entry.id, f"{what} '{shown}' → {found.problem}; "
                               "kept as text")
            broken[0] += 1
        return found.href
    return rewrite


def _asset(run: Pass, raw: Raw, entry: Entry) -> None:
    name = run.targets.assets[entry.uid]
    target = run.project.stage_path(f"content/assets/{name}")
    field = entry.blob.field if entry.blob else "file"
    try:
        write_blob(raw.data.get(field), entry, target, run.blobstorage)
    except AssetProblem as exc:
        run.project.unstage(f"content/assets/{name}")
        run.issues.warning(entry.source, entry.id, f"file '{entry.title}' {exc}")
        run.result.language(run.plan.source_lang).needs_person.append(
            f"content/assets/{name}: the file '{entry.title}' {exc}")
        return
    run.result.assets.append(name)


def _pages(run: Pass, wanted_docs: dict[str, tuple[str, str]],
           broken: dict[str, list[int]]) -> Iterator[tuple[str, str]]:
    wanted = set(wanted_docs) | set(run.targets.assets)
    for raw in wanted_raws(run.index, wanted, run.limit):
        entry = run.index.entries[raw.data["UID"]]
        if entry.uid in run.targets.assets and entry.blob is not None:
            _asset(run, raw, entry)
        if entry.uid not in wanted_docs:
            continue
        lang, filename = wanted_docs[entry.uid]
        notes = run.result.language(lang).needs_person
        raw_html = _text_html(raw.data, entry, notes)
        broken[entry.uid] = [0]
        clean = clean_html(raw_html, _rewriter(run, entry, lang, broken[entry.uid])) \
            if raw_html else ""
        yield entry.uid, clean


def convert_documents(run: Pass) -> None:
    wanted_docs = run.documents()
    broken: dict[str, list[int]] = {}
    for uid, markdown, why in to_markdown(_pages(run, wanted_docs, broken)):
        entry = run.index.entries[uid]
        lang, filename = wanted_docs[uid]
        report = run.result.language(lang)
        if markdown is None:
            run.issues.warning(entry.source, entry.id, f"'{entry.title}' could not be converted "
                               f"({why}); it is not imported")
            report.needs_person.append(f"'{entry.title}' ({entry.path}) could not be converted")
            continue
        markdown = with_footnotes(markdown)
        lead = f"../assets/{run.targets.assets[uid]}" if uid in run.targets.assets \
            and entry.type == "News Item" else None
        run.stage(f"content/{lang}/{filename}", document(entry, markdown, lead), entry)
        garbled = MOJIBAKE.search(markdown) or MOJIBAKE.search(entry.title)
        if garbled:
            report.needs_person.append(f"content/{lang}/{filename}: '{garbled.group(0)}' looks "
                                       "like text decoded twice (mojibake): check the page")
        images = markdown.count("![") + (lead is not None)
        if images:
            report.needs_person.append(f"content/{lang}/{filename}: {images} image(s), kept in "
                                       "the Markdown; kits do not print images (the build "
                                       "removes them): describe them in words where they matter")
        if broken.get(uid, [0])[0]:
            report.needs_person.append(f"content/{lang}/{filename}: {broken[uid][0]} link(s) "
                                       "that could not be resolved (see the warnings)")
