"""PDF writer: WeasyPrint, tagged (PDF/UA-1), with the kit's fonts from layouts/fonts."""

from __future__ import annotations

from pathlib import Path

from .fetcher import make_weasyprint_fetcher
from .kit import KitRender


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"

    def write(self, kit: KitRender, path: Path) -> None:
        from weasyprint import HTML

        html = kit.html("print", kit.css("kit.css", "print.css"))
        # Relative URLs in the stylesheet (fonts) resolve from layouts/styles/.
        base_url = (kit.paths.layouts / "styles").as_uri() + "/"
        document = HTML(string=html, base_url=base_url,
                        url_fetcher=make_weasyprint_fetcher(kit.paths.readable_roots))
        document.write_pdf(str(path), pdf_variant="pdf/ua-1")
