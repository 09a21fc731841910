"""Draw the kits' emblem as SVG (for PDF and HTML) and PNG (for DOCX) from one geometry.

Eleven dots on a ring, one per RCM member state, around two chevrons that suggest
a way forward taken together. Drawn for this project; no official logo is copied.
Run once after changing the design: python scripts/make_emblem.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#0F4C81"
ACCENT = "#1B7F79"
WARM = "#D9822B"
SIZE = 120  # SVG user units
DOTS = 11
OUT = Path(__file__).resolve().parent.parent / "layouts" / "brand"


def dots():
    for i in range(DOTS):
        angle = -math.pi / 2 + 2 * math.pi * i / DOTS
        x = SIZE / 2 + 48 * math.cos(angle)
        y = SIZE / 2 + 48 * math.sin(angle)
        yield x, y, 7.0 if i == 0 else 5.5, WARM if i == 0 else (BRAND if i % 2 else ACCENT)


def chevron(x: float, y: float = SIZE / 2, h: float = 17, t: float = 10):
    """A right-pointing chevron: movement, in the same direction, together."""
    return [(x, y - h), (x + t, y - h), (x + t + h, y), (x + t, y + h), (x, y + h), (x + h, y)]


CHEVRONS = [(chevron(33), BRAND), (chevron(55), ACCENT)]


def svg() -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img" aria-labelledby="t">',
        "<title id=\"t\">Regional Conference on Migration workshop emblem</title>",
    ]
    for x, y, r, colour in dots():
        parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r}" fill="{colour}"/>')
    for points, colour in CHEVRONS:
        path = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
        parts.append(f'<polygon points="{path}" fill="{colour}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def png(pixels: int = 480) -> Image.Image:
    scale = pixels * 4 / SIZE  # draw large, then shrink: cheap anti-aliasing
    big = Image.new("RGBA", (pixels * 4, pixels * 4), (255, 255, 255, 0))
    draw = ImageDraw.Draw(big)
    for x, y, r, colour in dots():
        draw.ellipse([(x - r) * scale, (y - r) * scale, (x + r) * scale, (y + r) * scale],
                     fill=colour)
    for points, colour in CHEVRONS:
        draw.polygon([(x * scale, y * scale) for x, y in points], fill=colour)
    return big.resize((pixels, pixels), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "emblem.svg").write_text(svg(), encoding="utf-8")
    png().save(OUT / "emblem.png", optimize=True)
    print(f"wrote {OUT / 'emblem.svg'} and {OUT / 'emblem.png'}")
