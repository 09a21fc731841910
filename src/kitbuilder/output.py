"""Writing results safely: stage everything, then move into place; manifest last."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

MANIFEST = "manifest.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def staging(output: Path):
    """A scratch folder on the same file system as ``output``, removed afterwards."""
    output.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=output, prefix=".staging-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def commit(stage: Path, output: Path, relative_paths: list[str]) -> None:
    """Move staged files into place, each with an atomic rename."""
    for relative in relative_paths:
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / relative, target)


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
