"""The Unicode bidirectional algorithm (ICU's) over one line of personal text: a name in
Arabic or Hebrew reads right to left, a Latin name or number inside it left to right."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Below the Hebrew block nothing is written right to left: such text needs no reordering.
FIRST_RTL = "\u0590"


_RTL_CLASSES = frozenset(("R", "AL", "RLE", "RLO", "RLI"))


def needs_bidi(text: str) -> bool:
    """Whether ``text`` has a character written right to left."""
    return bool(text) and max(text) >= FIRST_RTL and any(
        unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


def visual_runs(text: str, rtl: bool = False) -> list[tuple[int, int, bool]]:
    """(start, end, right_to_left) of ``text``'s directional runs, in the order they stand on
    the line from left to right; start and end index ``text``'s characters. ``rtl``: the
    paragraph's direction, the document's (an Arabic name with its Latin letters in
    brackets after it, in an English list: the Arabic first, at the left)."""
    if not needs_bidi(text) and not rtl:
        return [(0, len(text), False)]
    return list(_runs(text, rtl))


@lru_cache(maxsize=4096)
def _runs(text: str, rtl: bool) -> tuple[tuple[int, int, bool], ...]:
    import icu

    bidi = icu.Bidi()
    bidi.setPara(icu.UnicodeString(text), 1 if rtl else 0)
    # ICU counts UTF-16 units; a character beyond the BMP (rare Han) counts two.
    index, unit = [], 0
    for position, char in enumerate(text):
        index.append((unit, position))
        unit += 2 if ord(char) > 0xFFFF else 1
    to_char = dict(index)
    to_char[unit] = len(text)
    runs = []
    for number in range(bidi.countRuns()):
        start, length, direction = bidi.getVisualRun(number)
        runs.append((to_char[start], to_char[start + length], bool(direction)))
    return tuple(runs)
