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
import os
from pathlib import Path

from ..render.fetcher import RefusedResource, make_weasyprint_fetcher

BATCH = 150
PDF_A = {"pdf_variant": "pdf/a-3b"}
_font_configs: dict[int, object] = {}


def font_config():
    from weasyprint.text.fonts import FontConfiguration

    pid = os.getpid()
    if pid not in _font_configs:  # per process: fontconfig state is not fork-safe
        _font_configs[pid] = FontConfiguration()
    return _font_configs[pid]


def render_pdf(html: str, base: Path, roots: tuple[Path, ...], anchors: list[str],
               variant: dict | None = None, title: str = "") -> tuple[bytes, list[int]]:
    """The PDF of ``html`` and, for each anchor, the index of the page it starts on."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = HTML(string=html, base_url=base.as_uri() + "/",
                        url_fetcher=make_weasyprint_fetcher(roots)).render(
            font_config=font_config())
    except FatalURLFetchingError as exc:  # a BaseException: make it an ordinary failure
        raise RefusedResource(str(exc)) from None
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
        buffer = io.BytesIO()
        # A fixed /ID keeps a re-render of unchanged input byte-identical.
        part.save(buffer, deterministic_id=True, linearize=False)
        parts.append(buffer.getvalue())
    source.close()
    return parts
