"""The HTML list of participants' fonts, inside the file: it is mailed and archived alone.

The kits' WOFF2 subsets (layouts/fonts/web, Latin) are embedded as they are, as for the HTML
kits (render/html.py). Names often hold letters outside them (Greek, Cyrillic, Vietnamese,
Arabic …): those letters, and only those, are cut from the shipped faces (or the fallback
faces, layouts/fonts/fallback) into one small extra face per family and weight, declared
with a ``unicode-range`` so the browser takes it for those letters alone. A list of Latin
names costs nothing more than reading the kits' subsets.
"""

from __future__ import annotations

import base64
import io
import re
from functools import lru_cache
from pathlib import Path

from ..render.html import font_faces

# The faces the list's screen stylesheet uses: text (Sans) and headings (Serif).
FACES = ("NotoSans-Regular", "NotoSans-Bold", "NotoSerif-Regular", "NotoSerif-Bold")


@lru_cache(maxsize=32)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def _web_coverage(layouts: Path) -> frozenset[int]:
    """The characters every one of the kits' web subsets has."""
    web = layouts / "fonts" / "web"
    sets = [_cmap(str(p)) for p in sorted(web.glob("*.woff2"))]
    return frozenset.intersection(*sets) if sets else frozenset()


def _family_of(stem: str) -> tuple[str, str]:
    """'NotoSansArabic-Bold' → ('Noto Sans Arabic', 'bold')."""
    name, _, style = stem.partition("-")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name), "bold" if "Bold" in style else "normal"


def _subset_face(path: Path, codes: list[int], shaping: bool) -> str:
    """``codes`` of the face at ``path`` as a WOFF2 @font-face. Without ``shaping`` the
    layout tables are left out: an alphabet of precomposed letters (Greek, Cyrillic, Latin
    with its accents) draws without them, and decoding them is most of the cost."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcTimestamp off: a saved font would carry the time of the build, and the list
    # would differ byte for byte from one build to the next.
    font = TTFont(str(path), lazy=True, recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False
    if not shaping:
        options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    family, weight = _family_of(path.stem)
    ranges = ",".join(f"U+{code:X}" for code in codes)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f"font-style: normal; font-display: swap; unicode-range: {ranges}; "
            f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')


def embedded_fonts(layouts: Path, text: str) -> str:
    """@font-face rules for the list: the kits' subsets, and the letters of ``text`` they
    lack cut from the shipped faces (each face given only the letters it has)."""
    rules = [font_faces(layouts)]
    missing = {ord(c) for c in text if c.isprintable() and not c.isspace()} \
        - _web_coverage(layouts)
    if not missing:
        return "\n".join(rules)
    fonts = layouts / "fonts"
    left = set(missing)
    for stem in FACES:
        path = fonts / f"{stem}.ttf"
        if path.is_file():
            codes = sorted(missing & _cmap(str(path)))
            left -= set(codes)
            if codes:
                rules.append(_subset_face(path, codes, shaping=False))
    for path in sorted((fonts / "fallback").glob("*.ttf")):  # other scripts' own faces
        codes = sorted(left & _cmap(str(path)))
        if codes:  # scripts that join or reorder: their shaping tables stay
            rules.append(_subset_face(path, codes, shaping=True))
    return "\n".join(rules)
