"""The light model of an exported item: what the first pass keeps of each (no text, no blob).

A 10,000-item export keeps 10,000 of these; the rich text and the files are read again, item by
item, when they are written. Values come from untrusted JSON: each is checked for its type and
size, and an item that cannot be an item is an error naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .issues import Issues
from .reading import Raw

DOCUMENT_TYPES = ("Document", "News Item")
ASSET_TYPES = ("File", "Image")
EVENT_TYPE = "Event"
SITE_CONTAINERS = ("LRF", "LIF", "Plone Site")  # a language's root, its assets, the site
CONTAINER_TYPES = ("Folder", *SITE_CONTAINERS)
MAX_TITLE = 1000
MAX_TEXT = 20_000  # descriptions, locations
_UID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Control characters, and halves of surrogate pairs left alone (a JSON "\ud800" decodes to one;
# no file can hold it as UTF-8).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff\ud800-\udfff]")
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_SPACE = re.compile(r"\s+")
# Plone's internal links: resolveuid/<UID> (any case of "Uid"), then a sub-path, query, anchor.
RESOLVEUID = re.compile(r"resolve[Uu]id/([A-Za-z0-9_-]{1,64})")
MAX_LINKS = 500


@dataclass(slots=True)
class Blob:
    field: str  # "file" or "image"
    form: str  # "base64", "blob_path" or "download"
    filename: str
    content_type: str
    size: int | None


@dataclass(slots=True)
class Entry:
    index: int
    source: str  # the export file it came from (for messages and the second pass)
    uid: str
    type: str
    id: str
    path: str  # the path of @id, without a trailing slash
    host: str
    parent_uid: str | None
    parent_path: str
    title: str
    description: str
    language: str
    state: str | None
    folderish: bool
    has_text: bool
    blob: Blob | None = None
    start: str | None = None  # events
    end: str | None = None
    whole_day: bool = False
    open_end: bool = False
    recurrence: str | None = None
    location: str = ""
    links: tuple[str, ...] = ()  # UIDs its rich text links to


def one_line(value: object, limit: int = MAX_TITLE) -> str:
    """A title or description as one clean line (no control characters, bounded)."""
    if not isinstance(value, str):
        return ""
    return _SPACE.sub(" ", _CONTROL.sub("", value)).strip()[:limit]


def language_of(value: object) -> str:
    """``"en"``, ``{"token": "en", …}`` or ``""`` (language-neutral)."""
    if isinstance(value, dict):
        value = value.get("token")
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?", value):
        return re.split(r"[-_]", value.lower())[0]  # pt-br → pt: kits are per language
    return ""


def url_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = _CONTROL.sub("", unquote(parts.path)).rstrip("/") or "/"
    return parts.netloc.lower(), path


def _blob(data: dict) -> Blob | None:
    for name in ("file", "image"):
        value = data.get(name)
        if not isinstance(value, dict):
            continue
        form = ("blob_path" if isinstance(value.get("blob_path"), str) else
                "base64" if isinstance(value.get("data"), str) else
                "download" if isinstance(value.get("download"), str) else None)
        if form is None:
            continue
        size = value.get("size")
        return Blob(name, form, one_line(value.get("filename"), 255),
                    one_line(value.get("content-type"), 100).lower(),
                    size if isinstance(size, int) and size >= 0 else None)
    return None


def _has_text(data: dict) -> bool:
    text = data.get("text")
    return isinstance(text, dict) and isinstance(text.get("data"), str) and \
        bool(text["data"].strip())


def _links(data: dict) -> tuple[str, ...]:
    text = data.get("text")
    if not isinstance(text, dict) or not isinstance(text.get("data"), str):
        return ()
    return tuple(dict.fromkeys(RESOLVEUID.findall(text["data"])))[:MAX_LINKS]


def _event_fields(entry: Entry, data: dict) -> None:
    for name in ("start", "end"):
        value = data.get(name)
        setattr(entry, name, value if isinstance(value, str) and len(value) < 40 else None)
    entry.whole_day = data.get("whole_day") is True
    entry.open_end = data.get("open_end") is True
    recurrence = data.get("recurrence")
    entry.recurrence = one_line(recurrence, 2000) or None
    entry.location = one_line(data.get("location"), MAX_TEXT)


def entry_of(raw: Raw, issues: Issues) -> Entry | None:
    """The item's light model, or None after an error naming what is wrong with it."""
    data, source = raw.data, str(raw.source)
    where = f"#{raw.index + 1}"
    if not isinstance(data, dict):
        issues.error(source, where, "is not an item (a JSON object); export the content again")
        return None
    item_id = one_line(data.get("id"), 255)
    where = item_id or where
    url, uid, kind = data.get("@id"), data.get("UID"), data.get("@type")
    if not isinstance(url, str) or not url.strip() or len(url) > 2000:
        issues.error(source, where, "has no '@id' (its address); export the content again")
        return None
    if not isinstance(uid, str) or not _UID.fullmatch(uid):
        issues.error(source, where, "has no valid 'UID'; export the content again")
        return None
    if not isinstance(kind, str) or not kind.strip() or len(kind) > 100:
        issues.error(source, where, "has no '@type'; export the content again")
        return None
    host, path = url_path(url)
    parent = data.get("parent") if isinstance(data.get("parent"), dict) else {}
    parent_uid = parent.get("UID") if isinstance(parent.get("UID"), str) else None
    parent_url = parent.get("@id") if isinstance(parent.get("@id"), str) else ""
    state = data.get("review_state")
    entry = Entry(
        index=raw.index, source=source, uid=uid, type=kind.strip(),
        id=item_id or path.rsplit("/", 1)[-1], path=path, host=host,
        parent_uid=parent_uid,
        parent_path=url_path(parent_url)[1] if parent_url else path.rsplit("/", 1)[0] or "/",
        title=one_line(data.get("title")) or item_id,
        description=one_line(data.get("description"), MAX_TEXT),
        language=language_of(data.get("language")),
        state=state if isinstance(state, str) and len(state) < 100 else None,
        folderish=data.get("is_folderish") is True or kind in CONTAINER_TYPES,
        has_text=_has_text(data), blob=_blob(data), links=_links(data))
    if entry.type == EVENT_TYPE:
        _event_fields(entry, data)
    return entry


def unexported(raw: Raw) -> list[tuple[str, str]] | None:
    """The entries of a trailing ``{"unexported_paths": […]}`` element (None if it is not one)."""
    data = raw.data
    if isinstance(data, list) and raw.source.name == "errors.json":
        data = {"unexported_paths": data}  # the per-item layout's errors.json
    if not isinstance(data, dict) or "unexported_paths" not in data or "UID" in data:
        return None
    found = []
    entries = data["unexported_paths"] if isinstance(data["unexported_paths"], list) else []
    for entry in entries[:10_000]:
        if isinstance(entry, dict):
            found.append((one_line(entry.get("path"), 2000) or "(no path)",
                          one_line(entry.get("message"), 2000)))
    return found
