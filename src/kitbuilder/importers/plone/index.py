"""The first pass: every item's light model, and the sibling files that link items.

Translations, default pages and ordering are site-wide exports (possibly taken at another
time): only what names an item of this export is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .issues import ExportError, Issues
from .items import Entry, entry_of, language_of, unexported, url_path
from .reading import Export, items, side_pairs, side_records


@dataclass
class Index:
    export: Export
    entries: dict[str, Entry] = field(default_factory=dict)  # UID → item
    by_path: dict[str, str] = field(default_factory=dict)  # path → UID
    children: dict[str, list[str]] = field(default_factory=dict)  # parent path → UIDs
    hosts: set[str] = field(default_factory=set)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # UID → {lang: UID}
    default_pages: dict[str, str] = field(default_factory=dict)  # folder UID → page UID
    order: dict[str, int] = field(default_factory=dict)  # UID → position in its folder
    redirects: dict[str, str] = field(default_factory=dict)  # old path → UID it moved to
    unexported: list[tuple[str, str]] = field(default_factory=list)

    def find(self, path: str) -> Entry | None:
        """The item at a path, with or without the site id in front (virtual hosting)."""
        uid = self.by_path.get(path)
        if uid is None and path.count("/") > 1:
            uid = self.by_path.get("/" + path.split("/", 2)[2])  # /Plone/en/x → /en/x
        if uid is None:
            for prefix in self.site_prefixes():
                uid = self.by_path.get(prefix + path)
                if uid:
                    break
        return self.entries.get(uid) if uid else None

    def site_prefixes(self) -> list[str]:
        firsts = {path.split("/")[1] for path in list(self.by_path)[:50] if path.count("/") > 1}
        return [f"/{first}" for first in sorted(firsts)][:3]


def build_index(export: Export, issues: Issues, limit: int) -> Index:
    index = Index(export)
    for raw in items(export, limit):
        skipped = unexported(raw)
        if skipped is not None:
            index.unexported += skipped
            continue
        entry = entry_of(raw, issues)
        if entry is None:
            continue
        if entry.uid in index.entries:
            issues.error(entry.source, entry.id, f"UID {entry.uid} is also the UID of "
                         f"'{index.entries[entry.uid].path}'; export the content again")
            continue
        index.entries[entry.uid] = entry
        index.by_path.setdefault(entry.path, entry.uid)
        index.children.setdefault(entry.parent_path, []).append(entry.uid)
        index.hosts.add(entry.host)
    if issues.errors:
        raise ExportError(export.name, "", f"{len(issues.errors)} item(s) cannot be read; "
                          "nothing was written", issues.items)
    _read_translations(index, issues)
    _read_default_pages(index, issues)
    _read_ordering(index, issues)
    for old, new in side_pairs(export, "export_redirects.json", issues):
        target = index.find(url_path(new)[1]) if isinstance(new, str) else None
        if target is not None and len(old) < 2000:
            index.redirects[url_path(old)[1]] = target.uid
    return index


def _read_translations(index: Index, issues: Issues) -> None:
    for record in side_records(index.export, "export_translations.json", issues):
        if not isinstance(record, dict):
            continue
        group = {language_of(lang): uid for lang, uid in record.items()
                 if isinstance(uid, str) and uid in index.entries and language_of(lang)}
        if len(group) < 2:
            continue
        for uid in group.values():
            index.translations[uid] = group


def _read_default_pages(index: Index, issues: Issues) -> None:
    for record in side_records(index.export, "export_defaultpages.json", issues):
        if not isinstance(record, dict) or record.get("uuid") not in index.entries:
            continue
        folder = index.entries[record["uuid"]]
        page = record.get("default_page_uuid")
        if not (isinstance(page, str) and page in index.entries):
            wanted = record.get("default_page")
            page = next((uid for uid in index.children.get(folder.path, [])
                         if index.entries[uid].id == wanted), None)
        if page:
            index.default_pages[folder.uid] = page


def _read_ordering(index: Index, issues: Issues) -> None:
    for record in side_records(index.export, "export_ordering.json", issues):
        if isinstance(record, dict) and record.get("uuid") in index.entries \
                and isinstance(record.get("order"), int) \
                and not isinstance(record.get("order"), bool):
            index.order[record["uuid"]] = record["order"]
