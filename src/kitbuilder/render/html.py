"""HTML writer: one self-contained file; styles, images and fonts inlined, nothing fetched."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from ..locale import script_of
from .kit import KitRender

# layouts/fonts/web/NotoSans-BoldItalic.woff2 → family "Noto Sans", bold, italic
# (scripts/make_web_fonts.py writes these subsets from the fonts the PDF uses).
_FACE = re.compile(r"^(?P<family>[A-Za-z]+?)(?P<style>Regular|Bold|Italic|BoldItalic)$")


def _family(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)  # "NotoSerif" → "Noto Serif"


@lru_cache(maxsize=8)
def _font_faces(folder: str, stamp: tuple, ranged: bool) -> str:
    rules = []
    for path in sorted(Path(folder).glob("*.woff2")):
        face = _FACE.match(path.stem.replace("-", ""))
        if face is None:
            continue
        style = face["style"]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        # A script's cut of a family the kit already has: the browser takes from it only
        # the characters it was cut for.
        covers = f"unicode-range: {_unicode_range(path)}; " if ranged else ""
        rules.append(
            f'@font-face {{ font-family: "{_family(face["family"])}"; '
            f'font-weight: {"bold" if "Bold" in style else "normal"}; '
            f'font-style: {"italic" if "Italic" in style else "normal"}; font-display: swap; '
            f'{covers}src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)


def _unicode_range(path: Path) -> str:
    """The code points a WOFF2 file maps, as CSS ranges (U+400-45F, U+2116)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        codes = sorted(font.getBestCmap() or {})
    finally:
        font.close()
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ", ".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}"
                     for low, high in ranges)


def _stamp(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                 for p in sorted(folder.glob("*.woff2")))


def font_faces(layouts: Path, lang: str = "en") -> str:
    """@font-face rules embedding the layouts' WOFF2 subsets (read once per process): the
    Latin ones, and those of the kit's script (web/Cyrl for Russian, web/Arab for Arabic)."""
    folder = layouts / "fonts" / "web"
    if not folder.is_dir():
        return ""
    rules = [_font_faces(str(folder), _stamp(folder), False)]
    script = folder / script_of(lang)
    if script.is_dir() and script.name != "Latn":
        rules.append(_font_faces(str(script), _stamp(script), True))
    return "\n".join(rule for rule in rules if rule)


class HtmlWriter:
    name = "html"
    suffix = ".html"

    def prepare(self, paths, editions: tuple[str, ...]) -> None:
        pass

    def finish(self) -> None:
        pass

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        css = font_faces(kit.paths.layouts, kit.lang) + "\n" + kit.css("kit.css", "screen.css")
        html = kit.html("screen", css)
        path.write_text(html, encoding="utf-8")
