"""PDF writer: WeasyPrint, tagged (PDF/UA-1), with the kit's fonts from layouts/fonts."""

from __future__ import annotations

import atexit
import os
import re
import tempfile
from pathlib import Path

from .fetcher import RefusedResource, make_weasyprint_fetcher
from .kit import KitRender, read_styles
from .names import keep_names_whole
from .pagination import lay_out
from .pdf_finish import finish, tag_languages

# One file cannot be both PDF/UA and PDF/A (WeasyPrint): the screen and print editions are
# PDF/UA-1; the archival edition is PDF/A-3b, tagged as well (pdf_tags) so it stays accessible.
VARIANTS = {
    # The delegation form's inputs become PDF form fields; the archive is not for filling in.
    "screen": {"pdf_variant": "pdf/ua-1", "pdf_forms": True},
    "print": {"pdf_variant": "pdf/ua-1", "pdf_forms": True},
    "archive": {"pdf_variant": "pdf/a-3b", "pdf_tags": True},
}


# One font configuration per process and build: the shipped @font-face fonts are loaded once,
# not once per document. Keyed by process id, because a forked worker must not share its
# parent's (fontconfig state and the temporary font folder are not fork-safe); and by the temp
# folder, which is the build's own (lifecycle.private_temp) and removed with it.
_FONT_CONFIGS: dict[tuple[int, str], object] = {}


@atexit.register
def _forget_fonts() -> None:
    """Before the interpreter dismantles WeasyPrint's modules, which a configuration's
    __del__ still needs (it removes its font folder)."""
    _STYLESHEETS.clear()
    _FONT_CONFIGS.clear()


def _font_key() -> tuple[int, str]:
    return os.getpid(), tempfile.gettempdir()


def font_configuration():
    """WeasyPrint's font configuration for this process and build (kits and delegates)."""

    from weasyprint.text.fonts import FontConfiguration

    key = _font_key()
    if key not in _FONT_CONFIGS:
        # An earlier build's configuration in this process points at a folder removed with
        # that build. Others' entries stay referenced: dropping a forked parent's would run
        # its __del__, which deletes the font folder the parent still uses.
        for stale in [k for k in _FONT_CONFIGS if k[0] == key[0]]:
            del _FONT_CONFIGS[stale]
        _FONT_CONFIGS[key] = FontConfiguration()
    return _FONT_CONFIGS[key]


# Parsed stylesheets, per process and font configuration: the shared sheets are the same for
# every kit, and parsing them again took ~40 ms of each PDF. Keyed by their text, so an edited
# sheet (kitbuilder serve) is parsed afresh; a handful of entries at most.
_STYLESHEETS: dict[tuple, object] = {}


def shared_stylesheet(text: str, base_url: str, roots: tuple[Path, ...]):
    """WeasyPrint's parsed form of ``text``, parsed once per process and build."""
    from weasyprint import CSS

    key = (_font_key(), base_url, roots, text)
    if key not in _STYLESHEETS:
        if len(_STYLESHEETS) >= 8:
            _STYLESHEETS.clear()
        # @font-face rules register their fonts with this process's configuration while
        # parsing: the key holds that configuration's key, so a new one means a new parse.
        _STYLESHEETS[key] = CSS(string=text, base_url=base_url,
                                font_config=font_configuration(),
                                url_fetcher=make_weasyprint_fetcher(roots))
    return _STYLESHEETS[key]


_LANG = re.compile(r'\slang="([^"]+)"')


def stylesheet_names(edition: str) -> tuple[str, ...]:
    # The print edition adds crop marks, bleed and right-hand chapter starts.
    return ("fonts.css", "kit.css", "print.css") + (
        ("print-edition.css",) if edition == "print" else ())


# Each of the kits' faces and main elements, for the sample a worker lays out as it starts.
_SAMPLE = ("<html lang='en'><body><h1>Aa</h1><h2><em>Aa</em></h2><p>Aa <em>Aa</em> <strong>"
           "Aa <em>Aa</em></strong> <a href='#x'>Aa</a> <small>Aa</small> <code>Aa</code></p>"
           "<ul><li>Aa</li></ul><table><thead><tr><th>Aa</th></tr></thead><tbody><tr><td>Aa"
           "</td></tr></tbody></table><div class='delegation-form'><input value='Aa'></div>"
           "</body></html>")


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"

    def prepare(self, paths, editions: tuple[str, ...]) -> None:
        """Parse the shared stylesheets of each edition (registering the kit's fonts), lay out
        a sample (WeasyPrint and Pango set up each face on first use), read the hyphenation
        dictionaries."""
        from weasyprint import HTML

        base_url = (paths.layouts / "styles").as_uri() + "/"
        roots = paths.readable_roots
        sheets = [shared_stylesheet(read_styles(paths.layouts, stylesheet_names(edition)),
                                    base_url, roots) for edition in editions]
        HTML(string=_SAMPLE, base_url=base_url, url_fetcher=make_weasyprint_fetcher(roots)
             ).render(font_config=font_configuration(), stylesheets=sheets[:1])
        # The hyphenation dictionaries of the content's languages (its folders).
        keep_names_whole({folder.name for folder in paths.content.iterdir() if folder.is_dir()})

    def finish(self) -> None:
        pass

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        from weasyprint import CSS, DEFAULT_OPTIONS, HTML
        from weasyprint.urls import FatalURLFetchingError

        tag_languages()
        sheets = stylesheet_names(edition)
        # Only print is hyphenated: there, names and capitalised words stay whole.
        keep_names_whole({kit.context["kit"]["hyphenation"],
                          *_LANG.findall(kit.html("print", None))})
        # Relative URLs in the stylesheet (fonts) resolve from layouts/styles/.
        base_url = (kit.paths.layouts / "styles").as_uri() + "/"
        roots = kit.paths.readable_roots
        try:
            fetcher = make_weasyprint_fetcher(roots)
            shared, own = kit.css(*sheets), kit.html("print", "", template="partials/page.css.j2",
                                                     edition=edition)

            def sheet(text: str):
                return CSS(string=text, base_url=base_url, font_config=font_configuration(),
                           url_fetcher=fetcher)

            # Both as user stylesheets, in the order the HTML edition inlines them: the kit's
            # own page rules (headers, paper) after the shared ones, which they refine.
            stylesheets = [shared_stylesheet(shared, base_url, roots), sheet(own)]
            options = {**DEFAULT_OPTIONS, **VARIANTS[edition]}

            def render(pagination: dict):
                html = kit.html("print", None, pagination=pagination)
                return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                    font_config=font_configuration(), **{**options, "stylesheets": stylesheets})

            lay_out(render, edition).write_pdf(str(path), finisher=finish, **options)
        except FatalURLFetchingError as exc:  # a BaseException: make it an ordinary failure
            raise RefusedResource(str(exc)) from None
