"""The shared designs, laid out once by WeasyPrint.

A delegate's document is a design everyone of a language and paper shares (the letter's
text, the certificate's frame, a badge's header, the list's letterhead) plus a few personal
lines. The design is laid out here once per process and kept (``Design.once``): its PDF
becomes a ``Template`` (pdfwriter.py), the empty boxes that keep room for personal fields
(``id="slot-NAME"``) give their places, and sample elements (``data-style="NAME"``) give the
type CSS wants for each field (typeset.TextStyle). Each person's text is then set directly
(typeset.py) — one WeasyPrint render per person, or per batch of people, cost several
milliseconds a person, which at thousands of delegates was the whole build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..render.fetcher import RefusedResource, make_weasyprint_fetcher
from ..render.pdf import font_configuration, shared_stylesheet
from .pdfwriter import Template
from .tagging import leaf_names
from .typeset import FontBook, TextStyle, alpha, rgb

# Tagged as the kits are: PDF/UA-1, and the archival PDF/A-3b tagged as well (pdfwriter adds
# its PDF/UA identification).
PDF_UA = {"pdf_variant": "pdf/ua-1"}
PDF_A = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


@dataclass(frozen=True)
class Area:
    """A box of the shared design, in CSS px from its page's top-left corner."""

    page: int
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Sample:
    """A sample element's content box, its type, and the few box properties the personal
    layouts draw themselves (margins, a rule under it, a background)."""

    area: Area
    style: TextStyle
    margin_top: float
    margin_bottom: float
    padding: tuple[float, float, float, float]  # top, right, bottom, left
    rule: tuple[float, tuple[float, float, float]] | None  # border-bottom: width, colour
    background: tuple[float, float, float] | None


@dataclass
class Shared:
    template: Template
    slots: dict[str, Area]
    samples: dict[str, Sample]
    pages: list[Area]  # each page's content area (inside its margins)
    footer_baseline: list[float | None]  # each page's @bottom-left text baseline


def lay_out_shared(html: str, base: Path, roots: tuple[Path, ...], what: str,
                   variant: dict | None = None, css: str = "", title: str = "",
                   pages: int | None = 1, forms: int | None = None,
                   needs: tuple[str, ...] = ()) -> Shared:
    """``html`` laid out and read back: its PDF as a template (its first ``forms`` pages;
    default all), its slots and samples. ``pages``: the number of pages it must have;
    ``needs``: the slots and samples the caller sets text in."""
    document = _render(html, base, roots, css)
    if pages is not None and len(document.pages) != pages:
        raise RuntimeError(f"{what} does not fit its page; shorten its text in "
                           "content/<lang>/delegates.yaml")
    fonts = FontBook(roots[0] / "styles" / "fonts.css")
    slots: dict[str, Area] = {}
    samples: dict[str, Sample] = {}
    areas, footers, leaves = [], [], []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        leaves.append(leaf_names(page_box))
        areas.append(Area(number, page_box.content_box_x(), page_box.content_box_y(),
                          page_box.width, page_box.height))
        footers.append(_footer_baseline(page_box))
        for box in _boxes(page_box):
            element = getattr(box, "element", None)
            if element is None:
                continue
            ident = element.get("id") or ""
            if ident.startswith("slot-") and ident[5:] not in slots:
                slots[ident[5:]] = Area(number, box.border_box_x(), box.border_box_y(),
                                        box.border_width(), box.border_height())
            name = element.get("data-style")
            if name and name not in samples:
                samples[name] = _sample(number, box, fonts)
    missing = [name for name in needs if name not in slots and name not in samples]
    if missing:  # a project's own copy of the layouts, made before they had these
        raise RuntimeError(
            f"the layout of {what} has no element with "
            + ", ".join(f'data-style="{name}" or id="slot-{name}"' for name in missing)
            + "; compare your layouts/delegates/ with the ones kitbuilder ships")
    if title:
        document.metadata.title = title
    variant = variant or PDF_UA
    data = document.write_pdf(**variant)
    return Shared(Template.from_pdf(data, archival="pdf/a" in variant["pdf_variant"],
                                    pages=forms, leaves=leaves),
                  slots, samples, areas, footers)


def _boxes(box):
    """Every box under ``box``, including inside absolutely positioned ones (which WeasyPrint
    keeps behind placeholders that ``descendants()`` does not open)."""
    for child in box.descendants():
        inner = getattr(child, "_box", None)
        if inner is not None and type(child).__name__ == "AbsolutePlaceholder":
            yield from _boxes(inner)
        else:
            yield child


def _sample(page: int, box, fonts: FontBook) -> Sample:
    style = box.style

    def px(name: str) -> float:
        value = style[name]
        return float(getattr(value, "value", value) or 0)

    width = float(style["border_bottom_width"] or 0)
    background = style["background_color"]
    return Sample(
        area=Area(page, box.content_box_x(), box.content_box_y(), box.width, box.height),
        style=TextStyle.of(style, fonts),
        margin_top=px("margin_top"), margin_bottom=px("margin_bottom"),
        padding=(px("padding_top"), px("padding_right"), px("padding_bottom"),
                 px("padding_left")),
        rule=(width, rgb(style["border_bottom_color"]))
        if width and style["border_bottom_style"] != "none" else None,
        background=rgb(background) if alpha(background) > 0 else None)


def _footer_baseline(page_box) -> float | None:
    for child in page_box.children:
        if getattr(child, "at_keyword", None) == "@bottom-left":
            for box in child.descendants():
                if type(box).__name__ == "LineBox":
                    return box.position_y + box.baseline
    return None


def _render(html: str, base: Path, roots: tuple[Path, ...], css: str):
    """WeasyPrint's rendered document. ``css`` (the design's shared sheets) is parsed once
    per process: parsing it, and registering its @font-face fonts, for every render cost
    more than laying out a small page. The HTML's own <style> is the author's and overrides
    it (page size, the slots' sizes)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    base_url = base.as_uri() + "/"
    try:
        sheets = [shared_stylesheet(css, base_url, roots)] if css else []
        return HTML(string=html, base_url=base_url,
                    url_fetcher=make_weasyprint_fetcher(roots)).render(
            font_config=font_configuration(), stylesheets=sheets)
    except FatalURLFetchingError as exc:  # a BaseException: make it an ordinary failure
        raise RefusedResource(str(exc)) from None
