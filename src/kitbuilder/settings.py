"""What one build is asked to do."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("pdf", "docx", "html", "ics")


@dataclass(frozen=True)
class Settings:
    content: Path = Path("content")
    output: Path = Path("output")
    layouts: Path | None = None
    locales: Path | None = None
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False

    def layouts_dir(self) -> Path:
        return self._beside_content("layouts", self.layouts)

    def locales_dir(self) -> Path:
        return self._beside_content("locales", self.locales)

    def _beside_content(self, name: str, given: Path | None) -> Path:
        """A project's own folder next to its content, else the one in the working folder."""
        if given is not None:
            return Path(given).resolve()
        own = Path(self.content).resolve().parent / name
        return own if own.is_dir() else Path(name).resolve()
