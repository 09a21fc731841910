"""Make layouts/fonts/docx/: each main face subset to the Latin set the DOCX embeds for most
kits (render/docx_fonts.py), so a build does not subset them again.

Run after changing a face in layouts/fonts/ or upgrading fontTools:
    python scripts/make_docx_fonts.py
(tests/render/test_docx_fonts.py fails while these files are not what the build would make.)
"""

from __future__ import annotations

from pathlib import Path

from kitbuilder.render.docx_fonts import PREBUILT, latin_set, subset

LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def main() -> None:
    target = LAYOUTS / PREBUILT
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((LAYOUTS / "fonts").glob("*.ttf")):
        (target / path.name).write_bytes(subset(path, latin_set(path)))
        print(f"wrote {target / path.name}")


if __name__ == "__main__":
    main()
