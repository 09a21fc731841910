"""Exchange with CAT tools: ``translations export`` (XLIFF 1.2 or PO) and ``translations import``.

units.py: what a unit is, from the translation status; xliff.py and po.py: the two formats;
importing.py: the all-or-nothing import; rewrite.py: the line-by-line edit of content files.
"""

from __future__ import annotations

from ...content.model import Project
from .importing import Imported, import_file
from .po import export_po
from .units import CATEGORIES, collect_units, select
from .xliff import export_xliff

__all__ = ["CATEGORIES", "Imported", "export", "import_file"]


def export(project: Project, lang: str, fmt: str, only: tuple[str, ...]) -> tuple[bytes, int]:
    units = select(collect_units(project, lang), only)
    source_lang = project.workshop.source_language
    if fmt == "xliff":
        return export_xliff(units, lang, source_lang), len(units)
    return export_po(units, lang, source_lang, project.workshop.id), len(units)
