"""HTML writer: one self-contained file; styles, images and fonts inlined, nothing fetched."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from .kit import KitRender

# layouts/fonts/web/NotoSans-BoldItalic.woff2 → family "Noto Sans", bold, italic
# (scripts/make_web_fonts.py writes these subsets from the fonts the PDF uses).
_FACE = re.compile(r"^(?P<family>[A-Za-z]+?)(?P<style>Regular|Bold|Italic|BoldItalic)$")


def _family(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)  # "NotoSerif" → "Noto Serif"


@lru_cache(maxsize=8)
def _font_faces(folder: str, stamp: tuple) -> str:
    rules = []
    for path in sorted(Path(folder).glob("*.woff2")):
        face = _FACE.match(path.stem.replace("-", ""))
        if face is None:
            continue
        style = face["style"]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{_family(face["family"])}"; '
            f'font-weight: {"bold" if "Bold" in style else "normal"}; '
            f'font-style: {"italic" if "Italic" in style else "normal"}; font-display: swap; '
            f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)


def font_faces(layouts: Path) -> str:
    """@font-face rules embedding the layouts' WOFF2 subsets (read once per process)."""
    folder = layouts / "fonts" / "web"
    if not folder.is_dir():
        return ""
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted(folder.glob("*.woff2")))
    return _font_faces(str(folder), stamp)


class HtmlWriter:
    name = "html"
    suffix = ".html"

    def prepare(self, paths, editions: tuple[str, ...]) -> None:
        pass

    def finish(self) -> None:
        pass

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        css = font_faces(kit.paths.layouts) + "\n" + kit.css("kit.css", "screen.css")
        html = kit.html("screen", css)
        path.write_text(html, encoding="utf-8")
