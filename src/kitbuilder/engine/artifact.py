"""Writing an artifact safely: a temporary file moved into place with os.replace, or a
staging folder whose files are moved into place together (commit) or not at all (any
failure or stop removes it). Nothing here knows what a kit or a delegate's document is.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import KitError, Problem


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
def writing(output: Path):
    """The write phase: a file in the way, no permission or a full disk becomes a KitError
    that names the path and how to fix it (no traceback)."""
    try:
        yield
    except OSError as exc:
        raise KitError([write_problem(output, exc)]) from exc


def write_problem(output: Path, exc: OSError) -> Problem:
    where = str(exc.filename or output)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        how = (f"a file is in the way of the output folder {output}; choose another --output "
               "folder or move the file away")
    elif isinstance(exc, PermissionError):
        how = "permission denied; make the output folder writable or choose another --output"
    elif exc.errno == errno.ENOSPC:
        how = "no space left on the device; free some space and build again"
    else:
        how = f"cannot write the kits ({exc.strerror or exc}); check the --output folder"
    return Problem(where, 0, "error", how)


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


def inside(output: Path, relative: str) -> Path | None:
    """``output/relative`` if it names something inside ``output``, else None: the paths come
    from the state file and the manifest, which anyone can edit to say ``../../home``."""
    parts = Path(relative).parts if relative else ()
    if not parts or Path(relative).is_absolute() or ".." in parts:
        return None
    path = output / relative
    try:
        if not path.parent.resolve().is_relative_to(output.resolve()):
            return None  # through a symlinked folder
    except OSError:
        return None
    return path


def remove_files(output: Path, relative_paths) -> list[str]:
    """Delete these files (never folders, never anything outside ``output``), then the folders
    they leave empty. Returns the paths removed."""
    removed = []
    for relative in relative_paths:
        path = inside(output, relative)
        if path is None or not (path.is_file() or path.is_symlink()):
            continue
        path.unlink()
        removed.append(relative)
        prune_empty(output, path.parent)
    return removed


def prune_empty(output: Path, folder: Path) -> None:
    """Remove ``folder`` and its parents up to ``output`` while they are empty."""
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
