"""Files and images: their names in content/assets/, and their bytes from base64 or from a
copied blobstorage (``blob_path``), written in chunks and capped in size."""

from __future__ import annotations

import binascii
import hashlib
import mimetypes
import re
import unicodedata
from pathlib import Path

from .items import Entry

MAX_BLOB_BYTES = 64 * 2**20
CHUNK = 1 << 16  # a multiple of 4: base64 is decoded a whole quantum at a time
_BLOB_PATH = re.compile(r"[0-9A-Za-z_.-]+(?:/[0-9A-Za-z_.-]+){0,20}")
_MAGIC = {"application/pdf": b"%PDF", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8",
          "image/gif": b"GIF8"}
_EXTENSIONS = {"image/jpeg": ".jpg", "application/pdf": ".pdf", "image/png": ".png"}


class AssetProblem(Exception):
    pass


def file_name(entry: Entry) -> str:
    """A safe file name for the item's blob: its file name, else its id with the extension of
    its content type."""
    blob = entry.blob
    given = (blob.filename if blob and blob.filename else entry.id).replace("\\", "/")
    given = given.rsplit("/", 1)[-1]
    plain = unicodedata.normalize("NFKD", given).encode("ascii", "ignore").decode().lower()
    stem, dot, ext = plain.rpartition(".")
    if not dot:
        stem, ext = plain, ""
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_")[:80] or "file"
    ext = re.sub(r"[^a-z0-9]", "", ext)[:10]
    if not ext and blob is not None:
        guessed = _EXTENSIONS.get(blob.content_type) or \
            mimetypes.guess_extension(blob.content_type or "") or ""
        ext = guessed.lstrip(".")
    return f"{stem}.{ext}" if ext else stem


def unique_names(entries: list[Entry]) -> dict[str, str]:
    """UID → file name, no two alike (case-insensitively)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for entry in entries:
        name = file_name(entry)
        stem, dot, ext = name.rpartition(".")
        stem, dot = (stem, dot) if dot else (name, "")
        number = 2
        while name.lower() in taken:
            name = f"{stem}-{number}{dot}{ext}"
            number += 1
        taken.add(name.lower())
        names[entry.uid] = name
    return names


def write_blob(value: object, entry: Entry, target: Path, blobstorage: Path | None,
               limit: int = MAX_BLOB_BYTES) -> str:
    """Write the blob of ``value`` (the item's "file" or "image" dict) to ``target``; return
    its SHA-256. AssetProblem says why it cannot be written."""
    if not isinstance(value, dict):
        raise AssetProblem("has no file in the export")
    if isinstance(value.get("blob_path"), str):
        digest, head = _copy_blob(value["blob_path"], target, blobstorage, limit)
    elif isinstance(value.get("data"), str):
        digest, head = _decode(value["data"], target, limit)
    elif isinstance(value.get("download"), str):
        raise AssetProblem("was exported as a download link, which needs the live site; "
                           "export again with blobs as base-64 strings or blob paths")
    else:
        raise AssetProblem("has no file data in the export")
    expected = _MAGIC.get(entry.blob.content_type if entry.blob else "")
    if expected and not head.startswith(expected):
        raise AssetProblem(f"is not the {entry.blob.content_type} it claims to be")
    return digest


def _decode(data: str, target: Path, limit: int) -> tuple[str, bytes]:
    if len(data) * 3 // 4 > limit + 3:
        raise AssetProblem(f"is larger than {limit // 2**20} MB")
    text = re.sub(r"\s+", "", data) if re.search(r"\s", data[:CHUNK]) else data
    digest = hashlib.sha256()
    head = b""
    with target.open("wb") as out:
        for start in range(0, len(text), CHUNK):
            try:
                chunk = binascii.a2b_base64(text[start:start + CHUNK], strict_mode=True)
            except (binascii.Error, ValueError):
                raise AssetProblem("has file data that is not valid base64") from None
            head = head or chunk[:8]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), head


def _copy_blob(blob_path: str, target: Path, blobstorage: Path | None,
               limit: int) -> tuple[str, bytes]:
    if blobstorage is None:
        raise AssetProblem(f"is in the old site's blobstorage ({blob_path}); copy var/blobstorage "
                           "next to the export (or give --blobstorage DIR) and import again")
    if not _BLOB_PATH.fullmatch(blob_path) or ".." in blob_path.split("/"):
        raise AssetProblem(f"has a blob path that is not one ({blob_path[:200]!r})")
    source = blobstorage / blob_path
    root = blobstorage.resolve()
    if not source.is_file() or not source.resolve().is_relative_to(root):
        raise AssetProblem(f"is missing from the blobstorage ({blob_path})")
    if source.stat().st_size > limit:
        raise AssetProblem(f"is larger than {limit // 2**20} MB")
    digest = hashlib.sha256()
    head = b""
    with source.open("rb") as handle, target.open("wb") as out:
        while chunk := handle.read(CHUNK):
            head = head or chunk[:8]
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), head
