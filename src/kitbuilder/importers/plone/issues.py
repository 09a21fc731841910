"""Problems of an import, named the way the rest of kitbuilder names them:
``EXPORT:item-id: level: message`` (the export file, then the Plone item's id)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ...errors import display_path

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    path: str
    item: str
    level: Level
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.item}" if self.item else self.path
        return f"{where}: {self.level}: {self.message}"


class ExportError(Exception):
    """An export that cannot be read on (malformed or hostile), with what was found before."""

    def __init__(self, path: str, item: str, message: str, before: list[Issue] = ()):
        self.issue = Issue(_shown(path), item, "error", message)
        self.issues = [*before, self.issue]  # every problem found, this one last
        super().__init__("\n".join(str(i) for i in self.issues))


class UsageError(Exception):
    """An option that cannot work (exit 2)."""

    def __init__(self, option: str, message: str):
        self.issue = Issue(option, "", "error", message)
        super().__init__(str(self.issue))


def _shown(path: str) -> str:
    return display_path(path) if path and not path.startswith("-") else path


@dataclass
class Issues:
    """Every problem of one import run, so one run reports them all."""

    items: list[Issue] = field(default_factory=list)

    def error(self, path: str | Path, item: str, message: str) -> None:
        self.items.append(Issue(_shown(str(path)), item, "error", message))

    def warning(self, path: str | Path, item: str, message: str) -> None:
        self.items.append(Issue(_shown(str(path)), item, "warning", message))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.level == "warning"]
