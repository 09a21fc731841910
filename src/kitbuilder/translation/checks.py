"""What `kitbuilder check` (and the build summary) says about translations."""

from __future__ import annotations

from pathlib import Path

from ..content.model import Project
from ..errors import Problems
from ..placeholders import is_unwritten
from .catalogs import check_catalogs
from .glossary import check_glossary
from .status import project_status


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# States a new translation has by the dozen: one line per file unless the detail is asked for,
# so they do not bury the real problems.
COUNTED = ("unconfirmed", "untranslated")
PENDING = "kits show the {source} text there, marked 'Translation pending'"


def _counted(status, state: str, problems: Problems) -> None:
    # A placeholder on either side is named by the placeholder check, once.
    blocks = [b for b in status.blocks if b.state == state
              and (state != "untranslated" or b.text == b.source_text)
              and not is_unwritten(b.text) and not is_unwritten(b.source_text)]
    if not blocks:
        return
    lines = ", ".join(str(b.line) for b in blocks[:8]) + (", …" if len(blocks) > 8 else "")
    confirm = f"`kitbuilder translations confirm {status.path}`"
    shown = PENDING.format(source=status.source)
    if state == "unconfirmed":
        problems.warning(status.path, blocks[0].line,
                         f"{len(blocks)} block(s) not confirmed (lines {lines}): no record that "
                         f"they translate the current {status.source} text, so {shown}; when "
                         f"they are right, run {confirm} (each one: `kitbuilder check -v` or "
                         f"`kitbuilder status -v --lang {status.lang}`)")
    else:
        problems.warning(status.path, blocks[0].line,
                         f"{len(blocks)} block(s) still in the {status.source} text (lines "
                         f"{lines}): untranslated, {shown}; translate them, or confirm one "
                         "that is rightly the same (a name) with `kitbuilder translations "
                         f"confirm {status.path}:LINE`")


def _block_warning(status, block, detail: bool, problems: Problems) -> None:
    confirm = f"`kitbuilder translations confirm {status.path}`"
    shown = PENDING.format(source=status.source)
    source_at = f"{status.source_path}:{block.source_line}"
    if block.state == "stale":
        problems.warning(status.path, block.line,
                         f"block {block.id} is stale: its {status.source} text changed since it "
                         f"was translated (now: \"{_excerpt(block.source_text)}\", {source_at}),"
                         f" so {shown}; update it, then run {confirm}")
    elif block.state == "untranslated" and block.text != block.source_text:
        # Never folded into the per-file count: the source moved on and left a copy behind.
        problems.warning(status.path, block.line,
                         f"block {block.id} is a copy of an earlier {status.source} text, "
                         f"which has changed since (now: \"{_excerpt(block.source_text)}\", "
                         f"{source_at}): untranslated, so {shown}; translate it")
    elif block.state == "untranslated" and detail:
        problems.warning(status.path, block.line,
                         f"block {block.id} is still the {status.source} text "
                         f"(\"{_excerpt(block.source_text)}\", {source_at}): untranslated, "
                         f"{shown}; translate it, or if it is rightly the same, run "
                         f"`kitbuilder translations confirm {status.path}:{block.line}`")
    elif block.state == "unconfirmed" and detail:
        problems.warning(status.path, block.line,
                         f"block {block.id} is not confirmed: no record that it translates "
                         f"the current {status.source} text ({source_at}), so {shown}; when it "
                         f"is right, run {confirm}")
    elif block.state == "missing":
        where = shown if status.in_kits else "no kit uses this language yet"
        problems.warning(status.path, 0,
                         f"block {block.id} is not translated ({source_at}: "
                         f"\"{_excerpt(block.source_text)}\"); {where}")


def _between(status, own) -> str:
    """The source lines an unpaired translation block stands between, as a translator finds
    them: "after content/en/x.md:8, before content/en/x.md:12"."""
    rows = status.rows
    at = next(k for k, row in enumerate(rows) if row.own is own and row.source is None)
    before = next((r.source for r in reversed(rows[:at]) if r.source is not None
                   and r.source.id != "title"), None)
    after = next((r.source for r in rows[at + 1:] if r.source is not None), None)
    parts = [f"after {status.source_path}:{before.last}" if before else
             f"at the top of {status.source_path}",
             f"before {status.source_path}:{after.line}" if after else "at its end"]
    return ", ".join(parts)


def _unpaired_warning(status, own, problems: Problems) -> None:
    if not status.document.endswith(".md"):
        problems.warning(status.path, own.line,
                         f"block {own.id} needs review: it is paired with no block of "
                         f"{status.source_path} (the {status.source} file has no value at "
                         f"{own.id}), so kits show it marked 'Translation under review'; keep "
                         f"the {status.source} file's keys and list items: if it has no such "
                         "value, remove this one, or have it added to the source first")
        return
    problems.warning(status.path, own.line,
                     f"block {own.id} needs review: it is paired with no block of "
                     f"{status.source_path} (it stands {_between(status, own)}), so kits show "
                     "it marked 'Translation under review'. If it translates one of the "
                     f"{status.source} blocks there, make the two files' paragraphs, items "
                     "and headings correspond one to one there (each still not translated "
                     "there is listed on its own), then run `kitbuilder translations confirm "
                     f"{status.path}`; if its {status.source} text was removed, remove it too")


def check_blocks(project: Project, problems: Problems, detail: bool = False) -> None:
    """``detail``: one warning per unconfirmed or untranslated block, not one per file."""
    for status in project_status(project):
        if not status.exists:
            continue  # the whole document falls back; content checks already say so
        if not detail:
            for state in COUNTED:
                _counted(status, state, problems)
        for block in status.blocks:
            if not is_unwritten(block.text) and not is_unwritten(block.source_text):
                _block_warning(status, block, detail, problems)
        for own in status.unpaired:
            _unpaired_warning(status, own, problems)


def check_translations(project: Project, layouts: Path, locales: Path,
                       problems: Problems, detail: bool = False) -> None:
    check_blocks(project, problems, detail)
    check_catalogs(layouts, locales, list(project.workshop.languages), problems)
    check_glossary(Path(project.root), list(project.workshop.languages), problems)
