"""Problems found in content, reported the way compilers do: ``path:line: level: message``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


def display_path(path: Path | str) -> str:
    """A path as the user typed it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def display_paths_in(text: str) -> str:
    """``text`` with every absolute path inside the working folder shown relative, as
    ``display_path`` shows a problem's own path: one line never mixes the two forms."""
    cwd = Path.cwd()
    for base in dict.fromkeys((str(cwd.resolve()), str(cwd))):
        if base != "/":  # a path right after a letter, slash, colon or dot is not one we wrote
            text = re.sub(r"(?<![\w/:.])" + re.escape(base) + "/", "", text)
    return text


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    level: Level
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return display_paths_in(f"{where}: {self.level}: {self.message}")


@dataclass
class Problems:
    """Collects every problem of a run, so one run reports them all."""

    items: list[Problem] = field(default_factory=list)


    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(display_path(path), line, "error", message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(display_path(path), line, "warning", message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]


class KitError(Exception):
    """A failure the user can fix; carries every problem found."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("kitbuilder", 0, "error", problems)]
        if not problems:  # a failure must always say why
            problems = [Problem("kitbuilder", 0, "error", "failed without a reported problem")]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
