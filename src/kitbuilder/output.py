"""The kits' manifest: what the output folder holds, written last."""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .engine.artifact import atomic_write_bytes

MANIFEST = "manifest.json"


def manifest_entries(files: list, records: dict[str, dict]) -> list[dict]:
    """One entry per file (an Artifact) with the size and sha256 recorded when it was written."""
    return [{
        "path": file.path,
        "country": file.country.code,
        "language": file.lang,
        "format": file.format,
        **({"edition": file.edition} if file.format == "pdf" else {}),
        "size": records[file.path]["size"],
        "sha256": records[file.path]["sha256"],
        "generator": f"kitbuilder {__version__}",
    } for file in files]


def write_manifest(output: Path, entries: list[dict]) -> Path:
    entries = sorted(entries, key=lambda e: e["path"])
    data = {"files": entries}
    path = output / MANIFEST
    atomic_write_bytes(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    return path


def read_manifest(output: Path) -> list[dict]:
    try:
        return json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return []
