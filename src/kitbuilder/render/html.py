"""HTML writer: one self-contained file; styles and images inlined, nothing fetched."""

from __future__ import annotations

from pathlib import Path

from .kit import KitRender


class HtmlWriter:
    name = "html"
    suffix = ".html"

    def write(self, kit: KitRender, path: Path) -> None:
        html = kit.html("screen", kit.css("kit.css", "screen.css"))
        path.write_text(html, encoding="utf-8")
