"""What one build is asked to do."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("pdf", "docx", "html", "ics")
# PDF editions (docs/quality.md): screen = tagged PDF/UA-1 (default), print = PDF/UA-1 with
# crop marks and 3 mm bleed, archive = PDF/A-3b (tagged). Other formats have one edition.
EDITIONS = ("screen", "print", "archive")


@dataclass(frozen=True)
class Settings:
    content: Path = Path("content")
    output: Path = Path("output")
    layouts: Path | None = None
    locales: Path | None = None
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ("screen",)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    package_budget: int = 10_000_000  # bytes per country zip; warn above (0: no limit)

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
