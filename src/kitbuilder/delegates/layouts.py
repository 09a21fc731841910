"""Where the delegates' layouts are: light enough for the no-op check (no pydantic)."""

from __future__ import annotations

from pathlib import Path

from ..project import shipped_dir


def layouts_for(paths) -> Path:
    """The layouts folder holding delegates/: the project's, else kitbuilder's shipped one
    (a project that copied its layouts before delegates existed still builds)."""
    if (paths.layouts / "delegates").is_dir():
        return paths.layouts
    return shipped_dir("layouts")
