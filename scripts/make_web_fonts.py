#!/usr/bin/env python3
"""Write the WOFF2 subsets of the shipped Noto fonts that the HTML kits embed.

The HTML kit is one self-contained file: its fonts travel inside it as data: URIs, so they
must be small (issue 13: the file stays under 400 KB). Each face is cut down to the scripts the
kits are written in (Latin with its extensions, the punctuation and symbols the layouts print)
and compressed as WOFF2 once, here; a build only reads the files (render/html.py), so it stays
fast. Run it again after changing a font in layouts/fonts/:

    python scripts/make_web_fonts.py    # writes layouts/fonts/web/**/*.woff2 and fonts/form/*.ttf
    python scripts/make_web_fonts.py --scripts   # only web/<script>/ (Cyrl, Arab)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "layouts" / "fonts"
# The faces the screen stylesheet uses: body text (Sans) and headings and the cover (Serif).
FACES = ("NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic", "NotoSans-BoldItalic",
         "NotoSerif-Regular", "NotoSerif-Bold")
UNICODES = [
    *range(0x20, 0x7F),      # Basic Latin
    *range(0xA0, 0x180),     # Latin-1 Supplement, Latin Extended-A (Western and Central Europe)
    *range(0x2C6, 0x2DE),    # spacing modifiers (ˆ ˜ …)
    *range(0x2000, 0x2070),  # general punctuation: dashes, quotes, …, thin spaces
    0x20AC, 0x2122, 0x2116, 0x2190, 0x2192, 0x2212, 0x2260, 0x2264, 0x2265, 0xFB01, 0xFB02,
]


# Faces for the kits in another script, in web/<ISO 15924 script>/: an HTML kit embeds those of
# its language's script only (render/html.py), so a Spanish kit does not carry Arabic.
SCRIPTS = {
    # Russian and the other Cyrillic languages: the same families, their Cyrillic letters.
    "Cyrl": (FACES, [*range(0x400, 0x460), *range(0x490, 0x4A0), 0x4AE, 0x4AF, 0x4B0, 0x4B1,
                     0x4D8, 0x4D9, 0x4E8, 0x4E9, 0x2116]),
    # Arabic: its own face (layouts/fonts/fallback), for text and headings alike; the
    # presentation forms come with the letters (the shaping tables reach them).
    "Arab": (("fallback/NotoSansArabic-Regular", "fallback/NotoSansArabic-Bold"),
             [*range(0x600, 0x700), *range(0x750, 0x780), 0x200C, 0x200D, 0x200E, 0x200F]),
}


def make(face: str, unicodes=UNICODES, folder: str = "") -> Path:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning, ligatures, marks positioning
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screens hint on their own; the hints were half of each file
    font = TTFont(FONTS / f"{face}.ttf")
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    target = FONTS / "web" / folder / f"{Path(face).name}.woff2"
    target.parent.mkdir(exist_ok=True)
    font.flavor = "woff2"
    font.save(target)
    return target


def make_form_font() -> Path:
    """The face the PDF's form fields type in. A form field embeds its font whole (a delegate
    may type any letter), so it gets a small Latin cut of its own instead of all of Noto Sans:
    the PDF stays small and writing it fast."""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(FONTS / "NotoSans-Regular.ttf")
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    target = FONTS / "form" / "NotoSansForm-Regular.ttf"
    target.parent.mkdir(exist_ok=True)
    font.save(target)
    return target


if __name__ == "__main__":
    only_scripts = sys.argv[1:] == ["--scripts"]  # leave the Latin faces as they are
    scripts = [make(face, unicodes, script) for script, (faces, unicodes) in SCRIPTS.items()
               for face in faces]
    latin = [] if only_scripts else [*(make(face) for face in FACES), make_form_font()]
    for path in [*latin, *scripts]:
        print(f"{path.relative_to(FONTS.parent.parent)}: {path.stat().st_size // 1024} KB")
