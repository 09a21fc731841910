"""PDF writer: WeasyPrint, tagged (PDF/UA-1), with the kit's fonts from layouts/fonts."""

from __future__ import annotations

import os
from pathlib import Path

from .fetcher import RefusedResource, make_weasyprint_fetcher
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
        # One font configuration per process and build: the shipped @font-face fonts are
        # loaded once, not once per kit. Keyed by process id, because a forked worker must not
        # share its parent's (fontconfig state and the temporary font folder are not
        # fork-safe); and by the temp folder, which is the build's own and removed with it.
        self._font_configs: dict[tuple[int, str], object] = {}

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        # The print edition adds crop marks, bleed and right-hand chapter starts.
        sheets = ("kit.css", "print.css") + (("print-edition.css",) if edition == "print" else ())
        html = kit.html("print", kit.css(*sheets))
        # Relative URLs in the stylesheet (fonts) resolve from layouts/styles/.
        base_url = (kit.paths.layouts / "styles").as_uri() + "/"
        try:
            document = HTML(string=html, base_url=base_url,
                            url_fetcher=make_weasyprint_fetcher(kit.paths.readable_roots))
            document.write_pdf(str(path), font_config=self._font_config(),
                               **VARIANTS[edition])
        except FatalURLFetchingError as exc:  # a BaseException: make it an ordinary failure
            raise RefusedResource(str(exc)) from None

    def _font_config(self):
        import tempfile

        from weasyprint.text.fonts import FontConfiguration

        key = (os.getpid(), tempfile.gettempdir())
        if key not in self._font_configs:
            # An earlier build's configuration in this process points at a folder removed with
            # that build. Others' entries stay referenced: dropping a forked parent's would run
            # its __del__, which deletes the font folder the parent still uses.
            for stale in [k for k in self._font_configs if k[0] == key[0]]:
                del self._font_configs[stale]
            self._font_configs[key] = FontConfiguration()
        return self._font_configs[key]
