#!/usr/bin/env python3
"""Give the shipped Noto fonts the minus sign (U+2212) their subset left out.

The agendas state time zones as "UTC−5" with a true minus sign (issue 13); without the glyph
WeasyPrint would take it from whatever system font has one. Noto's minus is the horizontal
bar of its plus sign, on the plus sign's advance width, so it is drawn from that glyph here
rather than fetched from anywhere. Idempotent: a font that already maps U+2212 is left alone.

    python scripts/add_minus_sign.py layouts/fonts/*.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

MINUS = 0x2212


def add_minus(path: Path) -> bool:
    font = TTFont(path)
    if MINUS in font.getBestCmap():
        return False
    glyf, hmtx = font["glyf"], font["hmtx"]
    plus = glyf["plus"]
    points = list(plus.getCoordinates(glyf)[0])
    left = min(x for x, _ in points)
    right = max(x for x, _ in points)
    bar = sorted({y for x, y in points if x == left})  # the bar's edges at the left end
    bottom, top = bar[0], bar[-1]
    pen = TTGlyphPen(None)
    pen.moveTo((left, bottom))
    pen.lineTo((left, top))
    pen.lineTo((right, top))
    pen.lineTo((right, bottom))
    pen.closePath()
    name = "uni2212"
    font.setGlyphOrder([*font.getGlyphOrder(), name])
    glyf[name] = pen.glyph()
    hmtx[name] = (hmtx["plus"][0], left)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[MINUS] = name
    font.save(path)
    return True


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        changed = add_minus(Path(argument))
        print(f"{argument}: {'added U+2212' if changed else 'already has U+2212'}")
