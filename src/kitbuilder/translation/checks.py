"""What `kitbuilder check` (and the build summary) says about translations."""

from __future__ import annotations

from pathlib import Path

from ..content.model import Project
from ..errors import Problems
from .catalogs import check_catalogs
from .glossary import check_glossary
from .status import project_status


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def check_blocks(project: Project, problems: Problems) -> None:
    for status in project_status(project):
        if not status.exists:
            continue  # the whole document falls back; content checks already say so
        confirm = f"`kitbuilder translations confirm {status.path}`"
        for block in status.blocks:
            if block.state == "stale":
                problems.warning(status.path, block.line,
                                 f"block {block.id} is stale: its {status.source} text changed "
                                 f"since it was translated (now: \"{_excerpt(block.source_text)}\""
                                 f", {status.source_path}:{block.source_line}); update it, then "
                                 f"run {confirm}")
            elif block.state == "unconfirmed":
                problems.warning(status.path, block.line,
                                 f"block {block.id} is not confirmed: no record of the "
                                 f"{status.source} text it translates; when it is right, run "
                                 f"{confirm}")
            elif block.state == "missing":
                shown = ("kits show the " + status.source + " text, marked 'Translation pending'"
                         if status.in_kits else "no kit uses this language yet")
                problems.warning(status.path, 0,
                                 f"block {block.id} is not translated ({status.source_path}:"
                                 f"{block.source_line}: \"{_excerpt(block.source_text)}\"); "
                                 f"{shown}")
        for old in status.obsolete:
            problems.warning(status.path, old.line,
                             f"block {old.id} is obsolete: the {status.source} text it "
                             f"translates was deleted from {status.source_path}, so kits leave "
                             f"it out; delete it, then run {confirm}")
        for extra in status.extra:
            problems.warning(status.path, extra.line,
                             f"block {extra.id} has no counterpart in {status.source_path}; "
                             "keep the source's paragraphs, list items and fields, in order")


def check_translations(project: Project, layouts: Path, locales: Path,
                       problems: Problems) -> None:
    check_blocks(project, problems)
    check_catalogs(layouts, locales, list(project.workshop.languages), problems)
    check_glossary(Path(project.root), list(project.workshop.languages), problems)
