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


# States a new translation has by the dozen: one line per file unless the detail is asked for,
# so they do not bury the real problems.
COUNTED = ("unconfirmed", "untranslated")


def _counted(status, state: str, problems: Problems) -> None:
    blocks = [b for b in status.blocks if b.state == state]
    if not blocks:
        return
    lines = ", ".join(str(b.line) for b in blocks[:8]) + (", …" if len(blocks) > 8 else "")
    confirm = f"`kitbuilder translations confirm {status.path}`"
    if state == "unconfirmed":
        problems.warning(status.path, blocks[0].line,
                         f"{len(blocks)} block(s) not confirmed (lines {lines}): no record of "
                         f"the {status.source} text they translate; when they are right, run "
                         f"{confirm} (each one: `kitbuilder check -v` or `kitbuilder status -v "
                         f"--lang {status.lang}`)")
    else:
        problems.warning(status.path, blocks[0].line,
                         f"{len(blocks)} block(s) still in the {status.source} text (lines "
                         f"{lines}): untranslated, kits mark them 'Translation pending'; "
                         "translate them, or confirm one that is rightly the same (a name) "
                         f"with `kitbuilder translations confirm {status.path}:LINE`")


def check_blocks(project: Project, problems: Problems, detail: bool = False) -> None:
    """``detail``: one warning per unconfirmed or untranslated block, not one per file."""
    for status in project_status(project):
        if not status.exists:
            continue  # the whole document falls back; content checks already say so
        confirm = f"`kitbuilder translations confirm {status.path}`"
        if not detail:
            for state in COUNTED:
                _counted(status, state, problems)
        for block in status.blocks:
            if block.state == "stale":
                problems.warning(status.path, block.line,
                                 f"block {block.id} is stale: its {status.source} text changed "
                                 f"since it was translated (now: \"{_excerpt(block.source_text)}\""
                                 f", {status.source_path}:{block.source_line}); update it, then "
                                 f"run {confirm}")
            elif block.state == "untranslated" and detail:
                problems.warning(status.path, block.line,
                                 f"block {block.id} is still the {status.source} text "
                                 f"(\"{_excerpt(block.source_text)}\"): untranslated, kits mark "
                                 "it 'Translation pending'; translate it, or if it is rightly the "
                                 "same, run `kitbuilder translations confirm "
                                 f"{status.path}:{block.line}`")
            elif block.state == "unconfirmed" and detail:
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
                       problems: Problems, detail: bool = False) -> None:
    check_blocks(project, problems, detail)
    check_catalogs(layouts, locales, list(project.workshop.languages), problems)
    check_glossary(Path(project.root), list(project.workshop.languages), problems)
