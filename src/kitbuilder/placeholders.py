"""Texts with {placeholders} written by translators (mail, letters, certificates).

They are checked and filled from ``string.Formatter().parse`` pieces, never with
``str.format``: a format spec or conversion in a text (``{name:>2000000000}``, ``{name!z}``)
must never run, and is refused when the text is checked.
"""

from __future__ import annotations

import string
from collections.abc import Iterable


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
