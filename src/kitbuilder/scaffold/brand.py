"""A neutral emblem for new projects: not any organisation's mark, just a calm shape in the
kit's colours, as SVG (PDF, HTML) and PNG (DOCX: python-docx cannot place SVG)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#0f4c81"
ACCENT = "#1b7f79"

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72" width="72" height="72"
     role="img">
  <title>Workshop emblem</title>
  <circle cx="36" cy="36" r="33" fill="none" stroke="{BRAND}" stroke-width="4"/>
  <path d="M20 44 L36 24 L52 44" fill="none" stroke="{ACCENT}" stroke-width="6"
        stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="36" cy="52" r="4" fill="{BRAND}"/>
</svg>
"""


def write_neutral_brand(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    svg = folder / "emblem.svg"
    if not svg.exists():
        svg.write_text(SVG, encoding="utf-8")
    png = folder / "emblem.png"
    if not png.exists():
        scale = 8  # drawn large, then reduced: smooth edges without an SVG renderer
        size = 72 * scale
        image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
        draw = ImageDraw.Draw(image)
        draw.ellipse([3 * scale, 3 * scale, 69 * scale, 69 * scale], outline=BRAND,
                     width=4 * scale)
        draw.line([(20 * scale, 44 * scale), (36 * scale, 24 * scale), (52 * scale, 44 * scale)],
                  fill=ACCENT, width=6 * scale, joint="curve")
        draw.ellipse([32 * scale, 48 * scale, 40 * scale, 56 * scale], fill=BRAND)
        image.resize((288, 288), Image.LANCZOS).save(png, optimize=True)
    return [svg, png]
