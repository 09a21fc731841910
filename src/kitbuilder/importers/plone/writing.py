"""Writing the project: everything is staged inside the project first, then moved into place.

A small state file (``.plone-import.json``) keeps the SHA-256 of every file the import wrote.
On the next import a file whose bytes still match is replaced when the export changed it; a
file edited since (or not written by the import) is kept and reported unless --force. Nothing
is ever written outside the project folder, nor through a symbolic link.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .issues import UsageError

STATE_FILE = ".plone-import.json"
STAGING = ".plone-import-staging"


@dataclass
class Changes:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited since the last import; not replaced
    overwritten: list[str] = field(default_factory=list)  # edited, replaced under --force
    gone: list[str] = field(default_factory=list)  # written last time, not in this export


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


class Project:
    """The project folder being written, its staging folder and its import state."""

    def __init__(self, root: Path, force: bool):
        self.root, self.force = root, force
        self.state_path = root / STATE_FILE
        # Empty, or holding only the staging folder of an import that was stopped.
        self.fresh = not root.exists() or (root.is_dir() and all(
            child.name == STAGING for child in root.iterdir()))
        if root.exists() and not root.is_dir():
            raise UsageError("--project", f"{root} is a file; give a folder")
        if root.is_symlink():
            raise UsageError("--project", f"{root} is a symbolic link; give the folder itself")
        if not self.fresh and not self.state_path.is_file():
            raise UsageError("--project", f"{root} holds files that kitbuilder import did not "
                             "write; import into a new or empty folder (or the folder of an "
                             "earlier import)")
        self.state = self._read_state()
        self.staged: dict[str, Path] = {}
        self.staging = root / STAGING

    def _read_state(self) -> dict:
        if self.fresh:
            return {"version": 1, "files": {}}
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UsageError("--project", f"{self.state_path} cannot be read; restore it or "
                             "import into a new folder") from None
        if not isinstance(state, dict) or not isinstance(state.get("files"), dict):
            raise UsageError("--project", f"{self.state_path} is not an import state file")
        return state

    def begin(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.staging.is_symlink() or self.staging.is_file():
            self.staging.unlink()
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.fresh and self.root.is_dir() and not any(self.root.iterdir()):
            self.root.rmdir()

    def stage_path(self, relative: str) -> Path:
        """A file of the staging folder that will become PROJECT/relative."""
        _check_relative(relative)
        path = self.staging / "files" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.staged[relative] = path
        return path

    def stage_text(self, relative: str, text: str) -> None:
        self.stage_path(relative).write_text(text, encoding="utf-8")

    def unstage(self, relative: str) -> None:
        path = self.staged.pop(relative, None)
        if path is not None:
            path.unlink(missing_ok=True)

    def scaffold_dir(self) -> Path:
        return self.staging / "scaffold"

    def commit(self, scaffold: Path | None, extra_state: dict) -> Changes:
        changes = Changes()
        if scaffold is not None:  # a new project: the scaffold's files are the user's own
            for path in sorted(p for p in scaffold.rglob("*") if p.is_file()):
                relative = path.relative_to(scaffold).as_posix()
                if relative not in self.staged:
                    self._move(path, relative)
        recorded: dict[str, str] = dict(self.state["files"])
        for relative, staged in sorted(self.staged.items()):
            digest = sha256(staged)
            outcome = self._place(relative, staged, digest, recorded.get(relative))
            getattr(changes, outcome).append(relative)
            if outcome != "kept":
                recorded[relative] = digest
        changes.gone = sorted(set(self.state["files"]) - set(self.staged))
        for relative in changes.gone:
            recorded.pop(relative)
        state = {"version": 1, **extra_state, "files": recorded}
        _atomic_text(self.state_path, json.dumps(state, indent=1, sort_keys=True) + "\n")
        shutil.rmtree(self.staging, ignore_errors=True)
        return changes

    def _place(self, relative: str, staged: Path, digest: str, recorded: str | None) -> str:
        target = self._target(relative)
        if target is None:
            return "kept"
        if not target.exists():
            return "new" if self._move(staged, relative) else "kept"
        current = sha256(target)
        if current == digest:
            return "unchanged"
        if current == recorded or self.force:
            outcome = "updated" if current == recorded else "overwritten"
            return outcome if self._move(staged, relative) else "kept"
        return "kept"

    def _target(self, relative: str) -> Path | None:
        """PROJECT/relative, or None if any part of it is a link (never written through)."""
        _check_relative(relative)
        path = self.root
        for part in PurePosixPath(relative).parts:
            path = path / part
            if path.is_symlink():
                return None
        return path

    def _move(self, source: Path, relative: str) -> bool:
        target = self._target(relative)
        if target is None:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(self.root.resolve()):
            return False
        os.replace(source, target)
        return True


def _check_relative(relative: str) -> None:
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise ValueError(f"not a path inside the project: {relative!r}")


def _atomic_text(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
