"""Which items become what: the workshop folder in each language, its documents in folder
order (default page first), its events, its files, and what is left out and why."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .index import Index
from .issues import UsageError
from .items import ASSET_TYPES, DOCUMENT_TYPES, EVENT_TYPE, SITE_CONTAINERS, Entry, url_path

# Review states that mean "the public could see it"; File and Image have none (None) and
# follow their folder.
PUBLIC_STATES = {None, "published", "internally_published", "external", "visible"}
# Chapter ids the kit already uses (a document's id is its file's stem).
RESERVED_STEMS = {"agenda", "participants", "references", "contents", "main", "cover"}
UNSUPPORTED_ADVICE = {
    "Link": "a link to another page; add it to a document's text by hand",
    "Collection": "a saved search; the items it lists are imported where they live in the "
                  "workshop folder, add a list by hand if the kit needs one",
    "FormFolder": "a form; kits have no forms besides the delegation form",
    "EasyForm": "a form; kits have no forms besides the delegation form",
}
DEFAULT_ADVICE = "no kitbuilder equivalent; copy what matters into a document by hand"


@dataclass
class Group:
    """One document, event or file in every language it exists in."""

    source: Entry
    by_lang: dict[str, Entry] = field(default_factory=dict)
    filename: str = ""


@dataclass
class Plan:
    source_lang: str
    folders: dict[str, Entry]  # the workshop folder in each language, source first
    documents: list[Group] = field(default_factory=list)  # kit order
    orphans: list[Group] = field(default_factory=list)  # no source-language original
    events: list[Group] = field(default_factory=list)
    assets: dict[str, Entry] = field(default_factory=dict)  # UID → File/Image
    skipped: list[tuple[str, Entry, str]] = field(default_factory=list)  # lang, item, why
    unsupported: list[tuple[str, Entry, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # lang, what needs a person
    include_private: bool = False

    @property
    def languages(self) -> list[str]:
        return list(self.folders)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:56] or "page"


def choose_folder(index: Index, path: str | None) -> Entry:
    if path:
        wanted = url_path(path)[1] if "://" in path else "/" + path.strip("/")
        entry = index.find(wanted) or index.entries.get(path.strip())  # a path, URL or UID
        if entry is None or not entry.folderish:
            raise UsageError("--path", f"no folder at '{path}' in the export; "
                             f"folders: {', '.join(_candidates(index)[:8]) or 'none'}")
        return entry
    found = _candidates(index)
    if len(found) != 1:
        listed = ", ".join(found[:8]) if found else "none"
        raise UsageError("--path", f"the export holds {len(found)} folders that could be the "
                         f"workshop ({listed}); choose one with --path")
    return index.find(found[0])


def _candidates(index: Index) -> list[str]:
    """Top-most folders with pages or events in them, one per translation group."""
    wanted = set(DOCUMENT_TYPES) | {EVENT_TYPE}
    holders: set[str] = set()  # every folder path with a page or an event at any depth
    for entry in index.entries.values():
        if entry.type in wanted:
            parts = entry.parent_path.split("/")
            holders.update("/".join(parts[:n]) for n in range(2, len(parts) + 1))
    seen_groups: set[int] = set()
    found = []
    for entry in sorted(index.entries.values(), key=lambda e: e.index):
        if not entry.folderish or entry.type in SITE_CONTAINERS:
            continue
        if entry.path not in holders:
            continue
        parent = index.find(entry.parent_path)
        if parent is not None and parent.folderish and parent.type not in SITE_CONTAINERS:
            continue
        group = id(index.translations.get(entry.uid)) if entry.uid in index.translations \
            else None
        if group is not None and group in seen_groups:
            continue
        if group is not None:
            seen_groups.add(group)
        found.append(entry.path)
    return found


def language_of_item(index: Index, entry: Entry) -> str:
    for _ in range(50):  # parents named by the export itself: a hostile one may loop
        if entry is None:
            break
        if entry.language:
            return entry.language
        segment = entry.path.rsplit("/", 1)[-1]
        if entry.type == "LRF" or re.fullmatch(r"[a-z]{2}", segment):
            return segment
        entry = index.find(entry.parent_path) if entry.parent_path != entry.path else None
    return ""


def ordered_children(index: Index, folder: Entry) -> list[Entry]:
    children = [index.entries[uid] for uid in index.children.get(folder.path, [])]
    first = index.default_pages.get(folder.uid)
    return sorted(children, key=lambda e: (e.uid != first, index.order.get(e.uid, 10**9),
                                           e.index))


def walk(index: Index, folder: Entry, lang: str, plan: Plan,
         seen: set[str] | None = None) -> list[Entry]:
    """The folder's items depth first, in folder order; private ones are set aside. Each
    folder once: parents are named by the export itself, and a hostile one may loop."""
    found: list[Entry] = []
    seen = set() if seen is None else seen
    if folder.uid in seen or len(seen) > 100_000:
        return found
    seen.add(folder.uid)
    for child in ordered_children(index, folder):
        if child.state not in PUBLIC_STATES and not plan.include_private:
            plan.skipped.append((lang, child, f"its state is '{child.state}' "
                                              "(--include-private imports it)"))
            if child.folderish:
                _skip_inside(index, child, lang, plan, 0)
            continue
        imported = child.type in DOCUMENT_TYPES + ASSET_TYPES + (EVENT_TYPE,)
        if imported:
            found.append(child)
        if child.folderish:  # folders, and pages that hold pages (Plone 6 with Volto)
            found += walk(index, child, lang, plan, seen)
        elif not imported:
            advice = UNSUPPORTED_ADVICE.get(child.type, DEFAULT_ADVICE)
            plan.unsupported.append((lang, child, f"{child.type}: {advice}"))
    return found


def _skip_inside(index: Index, folder: Entry, lang: str, plan: Plan, depth: int) -> None:
    for child in ordered_children(index, folder):
        plan.skipped.append((lang, child, f"it is inside '{folder.title}', whose state is "
                                          f"'{folder.state}'"))
        if child.folderish and depth < 50:
            _skip_inside(index, child, lang, plan, depth + 1)
