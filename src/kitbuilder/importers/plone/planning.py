"""The plan: documents, events and files of the workshop, paired across languages.

Pairs come from export_translations.json; without it (or for an item in no group), an item of
the same id in the translated folder is taken as the translation, and the report says so.
"""

from __future__ import annotations

from .index import Index
from .items import ASSET_TYPES, DOCUMENT_TYPES, EVENT_TYPE, Entry
from .selection import (
    PUBLIC_STATES,
    RESERVED_STEMS,
    Group,
    Plan,
    language_of_item,
    slug,
    walk,
)


def make_plan(index: Index, folder: Entry, include_private: bool = False) -> Plan:
    source_lang = language_of_item(index, folder) or "en"
    folders = {source_lang: folder}
    for lang, uid in sorted(index.translations.get(folder.uid, {}).items()):
        other = index.entries[uid]
        if lang not in folders and other.folderish:
            folders[lang] = other
    plan = Plan(source_lang, folders, include_private=include_private)
    walked = {lang: walk(index, found, lang, plan) for lang, found in folders.items()}
    for found in walked.values():
        for entry in found:
            if entry.type in ASSET_TYPES:
                plan.assets.setdefault(entry.uid, entry)
    _pair(index, plan, walked, DOCUMENT_TYPES, plan.documents)
    _pair(index, plan, walked, (EVENT_TYPE,), plan.events)
    _linked_assets(index, plan)
    _name_documents(plan)
    return plan


def _pair(index: Index, plan: Plan, walked: dict[str, list[Entry]], types: tuple[str, ...],
          into: list[Group]) -> None:
    claimed: set[str] = set()
    source = plan.source_lang
    for entry in walked[source]:
        if entry.type not in types:
            continue
        group = Group(entry, {source: entry})
        claimed.add(entry.uid)
        translations = index.translations.get(entry.uid, {})
        for lang in plan.languages[1:]:
            other = _translation(index, plan, walked[lang], translations, entry, lang, types)
            if other is not None and other.uid not in claimed:
                group.by_lang[lang] = other
                claimed.add(other.uid)
        into.append(group)
    for lang in plan.languages[1:]:
        for entry in walked[lang]:
            if entry.type in types and entry.uid not in claimed:
                claimed.add(entry.uid)
                if types == DOCUMENT_TYPES:
                    plan.orphans.append(Group(entry, {lang: entry}))
                else:
                    plan.notes.append((lang, f"event '{entry.title}' translates no "
                                             f"'{source}' event; it is not in the agenda"))


def _translation(index: Index, plan: Plan, walked: list[Entry], translations: dict[str, str],
                 entry: Entry, lang: str, types: tuple[str, ...]) -> Entry | None:
    uid = translations.get(lang)
    if uid is not None:
        other = index.entries[uid]
        if other.type not in types:
            return None
        if other.state not in PUBLIC_STATES and not plan.include_private:
            plan.skipped.append((lang, other, f"its state is '{other.state}' "
                                              "(--include-private imports it)"))
            return None
        return other
    same_id = next((e for e in walked if e.id == entry.id and e.type in types), None)
    if same_id is not None and same_id.uid not in index.translations:
        plan.notes.append((lang, f"'{same_id.title}' paired with '{entry.title}' by its id "
                                 f"'{entry.id}' (no translation link in the export)"))
        return same_id
    return None


def _linked_assets(index: Index, plan: Plan) -> None:
    """Files and images the documents link to, wherever they live (e.g. a language's assets
    folder), as long as they are public."""
    for group in plan.documents + plan.orphans:
        for entry in group.by_lang.values():
            if entry.type == "News Item" and entry.blob is not None:  # its lead image
                plan.assets.setdefault(entry.uid, entry)
            for uid in entry.links:
                target = index.entries.get(uid)
                if target is not None and target.type in ASSET_TYPES \
                        and uid not in plan.assets:
                    plan.assets[uid] = target


def _name_documents(plan: Plan) -> None:
    taken: set[str] = set()
    for group in plan.documents + plan.orphans:
        stem = slug(group.source.id)
        if stem in RESERVED_STEMS:
            stem += "-page"
        base, number = stem, 2
        while stem in taken:
            stem = f"{base}-{number}"
            number += 1
        taken.add(stem)
        group.filename = stem + ".md"
