"""Rendering many delegates at once.

WeasyPrint's cost is mostly per render, not per page: one render of 200 letters takes about
as long per page as a long kit, while 200 renders of one letter each take several times
longer (fonts, stylesheets and the template parsed again every time). So each batch of
delegates is laid out as one document whose pages are then split per person (pikepdf, which
copies pages without re-encoding them). Batches are bounded (``BATCH``) so memory stays flat
however many people registered.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..render.fetcher import RefusedResource, make_weasyprint_fetcher
from ..render.pdf import font_configuration, shared_stylesheet

BATCH = 150
PDF_A = {"pdf_variant": "pdf/a-3b"}


def render_pdf(html: str, base: Path, roots: tuple[Path, ...], anchors: list[str],
               variant: dict | None = None, title: str = "", css: str = ""
               ) -> tuple[bytes, list[int]]:
    """The PDF of ``html`` and, for each anchor, the index of the page it starts on."""
    document = _render(html, base, roots, css)
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    missing = [a for a in anchors if a not in starts]
    if missing:
        raise RuntimeError(f"{len(missing)} delegate(s) missing from the rendered pages")
    if title:
        document.metadata.title = title
    return document.write_pdf(**(variant or {})), [starts[a] for a in anchors]


def _render(html: str, base: Path, roots: tuple[Path, ...], css: str):
    """WeasyPrint's rendered document. ``css`` (the design's shared sheets) is parsed once
    per process: parsing it, and registering its @font-face fonts, for every render cost
    more than laying out a batch's small pages. The HTML's own <style> is the author's and
    overrides it (page size, the layer's positions)."""
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


def page_ranges(starts: list[int], pages: int) -> list[range]:
    """Each person's pages: from their first page to the next person's (one-page sections
    share nothing, so these never overlap)."""
    ends = starts[1:] + [pages]
    return [range(start, max(end, start + 1)) for start, end in zip(starts, ends, strict=True)]


def split_pdf(data: bytes, starts: list[int], archival: bool = False) -> list[bytes]:
    """One PDF per person; an archival (PDF/A) source keeps its XMP metadata and output
    intent in every part, so each part is PDF/A as well."""
    import pikepdf

    source = pikepdf.open(io.BytesIO(data))
    parts = []
    for pages in page_ranges(starts, len(source.pages)):
        part = pikepdf.new()
        for number in pages:
            part.pages.append(source.pages[number])
        _copy_document_parts(source, part, archival)
        buffer = io.BytesIO()
        # A fixed /ID keeps a re-render of unchanged input byte-identical.
        part.save(buffer, deterministic_id=True, linearize=False)
        parts.append(buffer.getvalue())
    source.close()
    return parts


def layout_once(html: str, base: Path, roots: tuple[Path, ...], what: str,
                variant: dict | None = None, css: str = "") -> tuple[bytes, dict, float]:
    """A one-page design shared by many people, laid out once: its PDF, the places of its
    personal fields (elements with an id ``slot-NAME``) and the page height, in CSS px."""
    document = _render(html, base, roots, css)
    if len(document.pages) != 1:
        raise RuntimeError(f"{what} is longer than one page; shorten its text in "
                           "content/<lang>/delegates.yaml")
    page = document.pages[0]
    slots: dict[str, dict] = {}
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        ident = element.get("id", "") if element is not None else ""
        if ident.startswith("slot-") and ident[5:] not in slots:
            slots[ident[5:]] = {"x": f"{box.border_box_x():.2f}",
                                "y": f"{box.border_box_y():.2f}",
                                "w": f"{box.border_width():.2f}",
                                "h": f"{box.border_height():.2f}"}
    return document.write_pdf(**(variant or {})), slots, page.height


def merge_layers(layer: bytes, starts: list[int], backgrounds: list[bytes],
                 archival: bool = False) -> list[bytes]:
    """One PDF per person: their page of ``layer`` (their own fields) over their background's
    only page (the shared design, as a form XObject). An archival layer keeps its PDF/A
    metadata and output intent in every part."""
    import pikepdf

    source = pikepdf.open(io.BytesIO(layer))
    opened: dict[int, pikepdf.Pdf] = {}
    parts = []
    for start, background in zip(starts, backgrounds, strict=True):
        if id(background) not in opened:
            opened[id(background)] = pikepdf.open(io.BytesIO(background))
        part = pikepdf.new()
        part.pages.append(source.pages[start])
        shared = part.copy_foreign(opened[id(background)].pages[0].as_form_xobject())
        part.pages[0].add_underlay(shared)
        _copy_document_parts(source, part, archival)
        buffer = io.BytesIO()
        # A fixed /ID keeps a re-render of unchanged input byte-identical.
        part.save(buffer, deterministic_id=True)
        parts.append(buffer.getvalue())
    return parts


def _copy_document_parts(source, part, archival: bool) -> None:
    import pikepdf

    if archival:
        for key in ("/Metadata", "/OutputIntents", "/MarkInfo", "/Lang"):
            if key in source.Root:
                value = source.Root[key]
                if isinstance(value, pikepdf.String):
                    part.Root[key] = value
                else:  # it may hold references: copy it with what it refers to
                    part.Root[key] = part.copy_foreign(source.make_indirect(value))
    if "/Info" in source.trailer:
        part.trailer.Info = part.copy_foreign(source.make_indirect(source.trailer.Info))
