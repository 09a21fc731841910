"""What each artifact was made from, and whether the file on disk is still the one written.

A build keeps one JSON file in its output folder: for every artifact (a kit's PDF, a
delegate's letter) its *key* — a hash of everything that can change its bytes — and the
size, mtime and sha256 of the file written; and one *fingerprint* of all the build's inputs,
so that a build with nothing to do can say so before loading anything. An artifact is made
again when its key changed or its file is gone or was edited. Standard library only: a no-op
build passes through here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .artifact import atomic_write_bytes, sha256

# The libraries whose version can change an artifact's bytes.
TOOLS = ("weasyprint", "pydyf", "python-docx", "pypandoc-binary", "jinja2", "nh3",
         "markdown-it-py", "babel", "fonttools", "pyphen", "tinyhtml5", "pikepdf", "uharfbuzz")


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()


def tree_digests(folder: Path) -> dict[str, str]:
    """relative path → sha256 of every file under ``folder`` (hidden files and caches skipped)."""
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", "~")):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
                # Never open a file outside the project; the loader refuses the link.
                found[path.relative_to(folder).as_posix()] = "link:" + os.readlink(path)
                continue
            found[path.relative_to(folder).as_posix()] = sha256(path)
    return found


def code_digest() -> str:
    """kitbuilder's own source files and the versions of the tools that render."""
    from importlib import metadata

    versions = {}
    for tool in TOOLS:
        try:
            versions[tool] = metadata.version(tool)
        except metadata.PackageNotFoundError:
            versions[tool] = None
    package = Path(__file__).resolve().parent.parent  # all of kitbuilder
    return digest(__version__, sys.version, versions, tree_digests(package))


def stamp(file: Path) -> dict:
    stat = file.stat()
    return {"sha256": sha256(file), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def unchanged(file: Path, entry: dict) -> bool:
    """``file`` is still the one ``entry`` (a ``stamp``) describes: size + mtime, else sha256."""
    if not entry:
        return False
    try:
        stat = file.stat()
    except OSError:
        return False
    if stat.st_size != entry.get("size"):
        return False
    if stat.st_mtime_ns == entry.get("mtime_ns"):
        return True
    return sha256(file) == entry.get("sha256")


@dataclass
class BuildState:
    """What the last successful build made; ``artifacts``: path (relative to the output
    folder) → its key and the ``stamp`` of the file written (plus what a build adds)."""

    version = 1  # bump when the file's shape changes: an older one is then ignored
    fingerprint: str = ""
    artifacts: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, file: Path):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.pop("version", None) != cls.version:
                return cls()
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return cls()

    def write(self, file: Path) -> None:
        data = {"version": self.version, **dataclasses.asdict(self)}
        atomic_write_bytes(file, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode())

    def record(self, output: Path, path: str, key: str, **more) -> None:
        self.artifacts[path] = {"key": key, **stamp(output / path), **more}

    def intact(self, output: Path, path: str, key: str | None = None) -> bool:
        """The file the state remembers is still there, unchanged (and made from ``key``)."""
        entry = self.artifacts.get(path)
        if entry is None or (key is not None and entry.get("key") != key):
            return False
        return unchanged(output / path, entry)
