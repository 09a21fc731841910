"""What one build is asked to do."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .project import brand_dir, own_or_shipped

if TYPE_CHECKING:
    from .project import ProjectPaths

FORMATS = ("pdf", "docx", "html", "ics")
# PDF editions (docs/quality.md): screen = tagged PDF/UA-1 (default), print = PDF/UA-1 with
# crop marks and 3 mm bleed, archive = PDF/A-3b (tagged). Other formats have one edition.
EDITIONS = ("screen", "print", "archive")


def default_jobs() -> int:
    """Worker processes when none are asked for: ``KITBUILDER_JOBS`` (a machine that runs
    other jobs beside the build, or a test run already spread over every core), else one per
    core. The command line refuses a value that is not a whole number from 1 (Click checks
    the variable as it checks --jobs)."""
    given = os.environ.get("KITBUILDER_JOBS", "").strip()
    return int(given) if given.isdigit() and int(given) >= 1 else os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    content: Path = Path("content")
    output: Path = Path("output")
    layouts: Path | None = None
    locales: Path | None = None
    brand: Path | None = None  # the emblem's folder when it is not layouts/brand
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = ("screen",)
    jobs: int = field(default_factory=default_jobs)
    force: bool = False
    package_budget: int = 10_000_000  # bytes per country zip; warn above (0: no limit)
    render_timeout: float = 120.0  # seconds one kit's render may take (0: no limit)
    lock_wait: float = 10.0  # seconds to wait for another build into the same output folder
    preview: bool = False  # kitbuilder serve: blocks say where they come from (never a kit)

    @classmethod
    def for_project(cls, paths: ProjectPaths, **more) -> Settings:
        """Settings for a project whose folders are already resolved (the CLI's way)."""
        return cls(content=paths.content, output=paths.output, layouts=paths.layouts,
                   locales=paths.locales, brand=paths.brand, **more)

    def layouts_dir(self) -> Path:
        return self._beside_content("layouts", self.layouts)

    def brand_dir(self) -> Path:
        if self.brand is not None:
            return Path(self.brand).resolve()
        return brand_dir(self.layouts_dir(), Path(self.content).resolve().parent / "layouts")

    def locales_dir(self) -> Path:
        return self._beside_content("locales", self.locales)

    def _beside_content(self, name: str, given: Path | None) -> Path:
        """The given folder, else the project's own next to its content, else kitbuilder's
        shipped one (never one found in the working folder)."""
        if given is not None:
            return Path(given).resolve()
        return own_or_shipped(name, Path(self.content).resolve().parent / name)[0]
