"""Reading a collective.exportimport export as a stream.

The content export is either one JSON array (``Plone.json``: parents before children) or a
folder of one numbered file per item ("save each item as a separate file"). Both are read item
by item with ijson, so a multi-gigabyte export never sits in memory; an item larger than
``max_item_bytes`` (base64 blobs inflate files by a third) is refused before it is complete.
The sibling files (translations, default pages, ordering) are optional; the members export
holds password hashes and is never opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson

from .issues import ExportError, Issues

MAX_ITEM_BYTES = 96 * 2**20  # one item, base64 blobs included
MAX_SIDE_RECORD_BYTES = 2**20  # one translation group, default page or position
MAX_DEPTH = 64  # Plone items nest a few levels (workflow history, blocks); more is hostile
SIDE_FILES = ("export_translations.json", "export_defaultpages.json", "export_ordering.json",
              "export_redirects.json")
NEVER_READ = "export_members.json"
_NUMBERED = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Raw:
    """One element of the content export, with where it came from."""

    index: int  # position in the export, from 0
    source: Path  # the file it was read from
    data: object  # the parsed JSON value (a dict for an item)


@dataclass
class Export:
    """Where an export's files are."""

    given: Path  # EXPORT as typed
    content_files: list[Path] = field(default_factory=list)  # whole-array files, in order
    item_files: list[Path] = field(default_factory=list)  # per-item files, numeric order
    side: dict[str, Path] = field(default_factory=dict)  # export_*.json found beside it
    folder: Path | None = None  # the folder the content files are in (EXPORT or inside it)

    @property
    def name(self) -> str:
        return self.given.name or str(self.given)


class _Capped:
    """A binary file that refuses to give more than ``limit`` bytes between two resets:
    ijson reads through it, and the caller resets it after each item."""

    def __init__(self, handle, limit: int, path: Path):
        self.handle, self.limit, self.path = handle, limit, path
        self.since_reset = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing to learn whether the file gives bytes
            return b""
        chunk = self.handle.read(size if size > 0 else 65536)
        self.since_reset += len(chunk)
        if self.since_reset > self.limit:
            raise ExportError(str(self.path), "", f"an item is larger than {_size(self.limit)}"
                              "; export it again with blobs as blob paths, or leave its "
                              "files out of the export")
        return chunk


def _numeric_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.parts if _NUMBERED.fullmatch(part)) or (0,)


def _per_item_files(folder: Path) -> list[Path]:
    """exportimport's walker: numbered *.json files, then numbered sub-folders, numerically."""
    found: list[Path] = []
    for child in folder.iterdir():
        if child.is_symlink():
            continue
        if child.is_file() and child.suffix == ".json" and _NUMBERED.fullmatch(child.stem):
            found.append(child)
        elif child.is_dir() and _NUMBERED.fullmatch(child.name):
            found += _per_item_files(child)
    return sorted(found, key=lambda p: (_numeric_key(p.relative_to(folder).with_suffix(""))))


def _first_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(4096)
            if not chunk:
                return b""
            stripped = chunk.lstrip()
            if stripped:
                return stripped[:1]


def _read_folder(export: Export, folder: Path) -> bool:
    """The content files of a folder (numbered item files, whole-array files): any?"""
    export.item_files = _per_item_files(folder)
    for child in sorted(folder.glob("*.json")):
        if child.name.startswith("export_") or child.name == "errors.json" \
                or _NUMBERED.fullmatch(child.stem) or child.is_symlink():
            continue
        if _first_byte(child) == b"[":
            export.content_files.append(child)
    return bool(export.item_files or export.content_files)


def locate(given: Path) -> Export:
    """The export's files, or ExportError saying what EXPORT should be."""
    if not given.exists():
        raise ExportError(str(given), "", "no such file or folder; give the .json file "
                          "@@export_content wrote, or the folder of its numbered files")
    export = Export(given)
    if given.is_file():
        export.content_files = [given]
        beside = [given.parent]
    else:
        folder = given
        if not _read_folder(export, folder):  # the folder that holds the numbered folder?
            inner = [d for d in sorted(given.iterdir()) if d.is_dir() and not d.is_symlink()
                     and any(_NUMBERED.fullmatch(f.stem) for f in d.glob("*.json"))]
            if len(inner) == 1:
                folder = inner[0]
                _read_folder(export, folder)
        export.folder = folder
        beside = [folder, folder.parent] if folder == given else [given, folder]
        if not export.content_files and not export.item_files:
            raise ExportError(str(given), "", "holds no content export: neither a .json file "
                              "with a list of items nor numbered item files (1.json, 2.json …)")
    for name in SIDE_FILES:
        for folder in beside:
            candidate = folder / name
            if candidate.is_file() and not candidate.is_symlink():
                export.side[name] = candidate
                break
    return export


class _TooDeep(Exception):
    pass


def _assemble(events: Iterator[tuple[str, object]]) -> Iterator[object]:
    """The values completed at the top level of a basic_parse stream (the elements of the root
    array once its '[' is consumed; else the root value), nesting capped at MAX_DEPTH: ijson's
    own builder keeps a prefix per level, which a hostile nesting makes quadratic."""
    stack: list = []
    keys: list = []
    for event, value in events:
        if event == "map_key":
            keys[-1] = value
            continue
        if event in ("start_map", "start_array"):
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep
            stack.append({} if event == "start_map" else [])
            keys.append(None)
            continue
        if event in ("end_map", "end_array"):
            if not stack:
                return  # the root array's ']'
            value = stack.pop()
            keys.pop()
        if not stack:
            yield value
        elif isinstance(stack[-1], dict):
            stack[-1][keys[-1]] = value
        else:
            stack[-1].append(value)


def _stream_array(path: Path, start: int, limit: int) -> Iterator[Raw]:
    if _first_byte(path) != b"[":
        raise ExportError(str(path), "", "is not a content export: it should hold a JSON list "
                          "of items ('[' first)")
    index = start
    with path.open("rb") as handle:
        capped = _Capped(handle, limit, path)
        try:
            events = ijson.basic_parse(capped, use_float=True)
            next(events)  # the root array's '['
            for value in _assemble(events):
                yield Raw(index, path, value)
                index += 1
                capped.since_reset = 0
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise ExportError(str(path), f"#{index + 1}", f"not valid JSON ({exc}); export "
                              "the content again") from None
        except _TooDeep:
            raise ExportError(str(path), f"#{index + 1}", f"nested more than {MAX_DEPTH} "
                              "levels deep; this is no Plone export") from None


def _read_one(path: Path, index: int, limit: int) -> Raw:
    size = path.stat().st_size
    if size > limit:
        raise ExportError(str(path), "", f"is larger than {_size(limit)}; export its blobs "
                          "as blob paths, or leave its files out of the export")
    with path.open("rb") as handle:
        try:
            values = list(_assemble(ijson.basic_parse(handle, use_float=True)))
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise ExportError(str(path), "", f"not valid JSON ({exc})") from None
        except _TooDeep:
            raise ExportError(str(path), "", f"nested more than {MAX_DEPTH} levels deep; this "
                              "is no Plone export") from None
    return Raw(index, path, values[0] if values else None)


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"


def items(export: Export, limit: int = MAX_ITEM_BYTES) -> Iterator[Raw]:
    """Every element of the content export in export order (unexported-paths entries too)."""
    index = 0
    for path in export.content_files:
        for raw in _stream_array(path, index, limit):
            index = raw.index + 1
            yield raw
    for path in export.item_files:
        yield _read_one(path, index, limit)
        index += 1
    errors = export.folder / "errors.json" if export.folder is not None else None
    if errors is not None and errors.is_file() and not errors.is_symlink():
        yield _read_one(errors, index, limit)


def reread(source: Path, index: int, limit: int = MAX_ITEM_BYTES) -> Raw:
    """A per-item file again (the second pass reads only the items it needs)."""
    return _read_one(source, index, limit)


def side_records(export: Export, name: str, issues: Issues) -> Iterator[object]:
    """The elements of a sibling export (a JSON list), streamed; nothing if it is absent."""
    path = export.side.get(name)
    if path is None or path.name == NEVER_READ:
        return
    if _first_byte(path) != b"[":
        issues.warning(str(path), "", "is not a JSON list; ignored")
        return
    with path.open("rb") as handle:
        capped = _Capped(handle, MAX_SIDE_RECORD_BYTES, path)
        try:
            events = ijson.basic_parse(capped, use_float=True)
            next(events)
            for value in _assemble(events):
                yield value
                capped.since_reset = 0
        except _TooDeep:
            raise ExportError(str(path), "", f"nested more than {MAX_DEPTH} levels deep") \
                from None
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise ExportError(str(path), "", f"not valid JSON ({exc}); export it again, or "
                              "move it away to import without it") from None


def side_pairs(export: Export, name: str, issues: Issues) -> Iterator[tuple[str, str]]:
    """The string → string pairs of a sibling export that is one JSON object (the redirects:
    old path → new path), streamed; nothing if it is absent."""
    path = export.side.get(name)
    if path is None:
        return
    if _first_byte(path) != b"{":
        issues.warning(str(path), "", "is not a JSON object; ignored")
        return
    with path.open("rb") as handle:
        capped = _Capped(handle, MAX_SIDE_RECORD_BYTES, path)
        key = None
        try:
            for event, value in ijson.basic_parse(capped):
                if event == "map_key":
                    key = value
                elif event == "string" and key is not None:
                    yield key, value
                    capped.since_reset = 0
                elif event != "start_map" and event != "end_map":
                    issues.warning(str(path), "", "holds more than old → new paths; ignored")
                    return
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise ExportError(str(path), "", f"not valid JSON ({exc}); export it again, or "
                              "move it away to import without it") from None
