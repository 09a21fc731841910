"""Load a project's content and run every check on it: what `kitbuilder check` does, and what
a build, the preview and the mail start with.

Below the pipeline and delivery, which both use it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problems
from .settings import Settings

if TYPE_CHECKING:
    from .content.model import Project


def load_and_check(settings: Settings, detail: bool = False) -> tuple[Project | None, Problems]:
    """``detail``: every unconfirmed or untranslated block, not a count per file."""
    # Imported here: a no-op build imports this module but must not pay for pydantic and Babel.
    from .content.checks import check_project
    from .content.loader import load_project
    from .quality.glyphs import check_glyphs
    from .translation.checks import check_translations

    problems = Problems()
    project = load_project(Path(settings.content), problems)
    if project is not None:
        check_project(project, problems)
        # Translation status, catalogs and glossary: warnings, listed by check and build.
        check_translations(project, settings.layouts_dir(), settings.locales_dir(), problems,
                           detail)
    # Every character the kits print must be in the shipped fonts (before anything renders).
    check_glyphs(Path(settings.content), settings.layouts_dir(), settings.locales_dir(),
                 problems, project)
    return project, problems
