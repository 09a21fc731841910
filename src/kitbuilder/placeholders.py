"""Texts with {placeholders} written by translators (mail, letters, certificates), and the
mark of text the scaffold left to write (TODO).

They are checked and filled from ``string.Formatter().parse`` pieces, never with
``str.format``: a format spec or conversion in a text (``{name:>2000000000}``, ``{name!z}``)
must never run, and is refused when the text is checked.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import Problem


def placeholder_problems(template: str, allowed: Iterable[str]) -> tuple[list[str], list[str]]:
    """(placeholders used, problems): unknown names, specs, conversions, stray braces."""
    allowed = tuple(allowed)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion
                  in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return [], [f"{exc}; write a literal brace as {{{{ or }}}}"]
    problems = []
    for name, spec, conversion in fields:
        if name not in allowed:
            problems.append(f"unknown placeholder {{{name}}}; use "
                            f"{', '.join('{' + p + '}' for p in allowed)}")
        elif spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + \
                (f":{spec}" if spec else "") + "}"
            problems.append(f"{written} has a format spec or conversion; placeholders take "
                            f"none: write {{{name}}}")
    return [name for name, _, _ in fields], problems


def fill(template: str, values: dict[str, str]) -> str:
    """The text with each {placeholder} replaced; the template has been checked."""
    pieces = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        pieces.append(literal)
        if name is not None:
            pieces.append(values[name])
    return "".join(pieces)


# --- Text still to be written ------------------------------------------------------------
# Every text `kitbuilder new` leaves for the secretariat to write or decide carries the word
# TODO ("TODO: city where the letters are signed", "TODO (translate): …"). This is the one
# test for it: `check` and `build` warn at each line holding one; what goes to a delegate
# or a focal point (letters, certificates, mail, `build --strict`) refuses it.
MARK = "TODO"
_MARKED = re.compile(r"\b" + MARK + r"\b")
LEFT_TO_FILL = "placeholder left to fill"
REPLACE = "; replace it with the workshop's text"


def is_unwritten(text: str) -> bool:
    """True when ``text`` still holds a placeholder the scaffold wrote."""
    return bool(_MARKED.search(text))


def left_to_fill(line: str) -> str:
    """The warning for a line still holding a placeholder."""
    return f"{LEFT_TO_FILL}: {line[:70]!r}{REPLACE}"


def is_left_to_fill(problem: Problem) -> bool:
    return problem.message.startswith(LEFT_TO_FILL + ":")


def refuse_unwritten(problems: Iterable[Problem], what: str,
                     only: Callable[[Path], bool] = lambda path: True) -> list[Problem]:
    """The placeholder warnings among ``problems`` as errors, for the files ``only`` accepts
    (given the resolved path): ``what`` says what would carry them, e.g. "the letters"."""
    return [Problem(p.path, p.line, "error",
                    f"{p.message.removesuffix(REPLACE)}; {what} would print it: write the "
                    "text in its place, then run this again")
            for p in problems if is_left_to_fill(p) and only(Path(p.path).resolve())]


def in_files(*paths: Path) -> Callable[[Path], bool]:
    """For refuse_unwritten: only these files."""
    wanted = {Path(path).resolve() for path in paths}
    return lambda path: path in wanted


def in_kits(project, content: Path, langs: list[str]) -> Callable[[Path], bool]:
    """For refuse_unwritten: the files the kits in ``langs`` and their message are made of —
    the shared ones, the languages' own, and each document's source (a block not translated
    yet is printed from it)."""
    content = Path(content).resolve()
    folders = {content / lang for lang in langs}
    sources = {content / project.source_of(name) / name for name in project.translatable_files}

    def wanted(path: Path) -> bool:
        return path.parent == content or path.parent in folders or path in sources
    return wanted
