"""PDF writer: WeasyPrint, tagged (PDF/UA-1), with the kit's fonts from layouts/fonts."""

from __future__ import annotations

from pathlib import Path

from .fetcher import make_weasyprint_fetcher
from .kit import KitRender


# One file cannot be both PDF/UA and PDF/A (WeasyPrint): the screen and print editions are
# PDF/UA-1; the archival edition is PDF/A-3b, tagged as well (pdf_tags) so it stays accessible.
VARIANTS = {
    "screen": {"pdf_variant": "pdf/ua-1"},
    "print": {"pdf_variant": "pdf/ua-1"},
    "archive": {"pdf_variant": "pdf/a-3b", "pdf_tags": True},
}


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"

    def __init__(self) -> None:
        # One font configuration per worker process: the shipped @font-face fonts are loaded
        # once, not once per kit (about 8 % of a kit's render time).
        self._font_config = None

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        from weasyprint import HTML

        # The print edition adds crop marks, bleed and right-hand chapter starts.
        sheets = ("kit.css", "print.css") + (("print-edition.css",) if edition == "print" else ())
        html = kit.html("print", kit.css(*sheets))
        # Relative URLs in the stylesheet (fonts) resolve from layouts/styles/.
        base_url = (kit.paths.layouts / "styles").as_uri() + "/"
        document = HTML(string=html, base_url=base_url,
                        url_fetcher=make_weasyprint_fetcher(kit.paths.readable_roots))
        if self._font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            self._font_config = FontConfiguration()
        document.write_pdf(str(path), font_config=self._font_config, **VARIANTS[edition])
