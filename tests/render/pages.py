"""A kit's pages as a reader sees them, read back from the PDF with poppler and pikepdf: how far
down each page's text goes, which page is landscape, where each chapter and heading is."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from tests.tools import require

MM = 72 / 25.4
MARGIN = 22 * MM  # print.css: the page's top and bottom margins; the running heads sit in them


@dataclass
class Heading:
    title: str
    level: int
    page: int  # 0-based
    top: float  # points from the trimmed page's top


@dataclass
class Page:
    number: int  # 1-based
    height: float  # the trimmed page's
    landscape: bool
    # The body's words (running heads left out): top, bottom, text, left.
    words: list[tuple[float, float, str, float]] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not self.words

    @property
    def fill(self) -> float:
        """How far down the text area the page's text reaches, 0 to 1."""
        if not self.words:
            return 0.0
        return (max(word[1] for word in self.words) - MARGIN) / (self.height - 2 * MARGIN)

    def lines(self) -> list[str]:
        """The body's lines of text, top to bottom (words with the same top, joined)."""
        rows: dict[int, list[tuple[float, str]]] = {}
        for top, _, text, left in self.words:
            rows.setdefault(round(top), []).append((left, text))
        return [" ".join(text for _, text in sorted(words)) for _, words in sorted(rows.items())]

    def followed(self, heading: Heading) -> bool:
        """Whether text other than the heading's own words comes after it on its page."""
        title = heading.title.split()
        after = [word[2] for word in sorted(self.words, key=lambda w: (round(w[0]), w[3]))
                 if word[0] >= heading.top - 3]
        for word in after:
            if title and word == title[0]:
                title.pop(0)
            else:
                return True
        return False


def read_pages(pdf: Path) -> tuple[list[Page], list[Heading]]:
    """The PDF's pages and headings, read once per file and version: several tests look at
    the same kits. Callers must not change what they get."""
    stat = pdf.stat()
    return _read_pages(pdf, stat.st_mtime_ns, stat.st_size)


@cache
def _read_pages(pdf: Path, mtime_ns: int, size: int) -> tuple[list[Page], list[Heading]]:
    import pikepdf

    require("pdftotext")
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    tree = ElementTree.fromstring(xml)
    pages: list[Page] = []
    with pikepdf.open(pdf) as document:
        offsets = []
        boxes = list(tree.iter("page"))
        for number, (page, box) in enumerate(zip(document.pages, boxes, strict=True), start=1):
            media = [float(v) for v in page.mediabox]
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
            offset = media[3] - trim[3]  # pdftotext measures from the media box's top
            offsets.append((trim[3], offset))
            height, width = trim[3] - trim[1], trim[2] - trim[0]
            words = [(float(w.get("yMin")) - offset, float(w.get("yMax")) - offset, w.text or "",
                      float(w.get("xMin"))) for w in box.iter("word")]
            body = [w for w in words if w[0] > MARGIN - 2 and w[1] < height - MARGIN + 2]
            pages.append(Page(number, height, width > height, body))
        headings = _headings(document, offsets)
    return pages, headings


def _headings(document, offsets) -> list[Heading]:
    """The bookmarks (h1 chapters, h2 sections and days) and where on their page each is."""
    index = {page.objgen: n for n, page in enumerate(document.pages)}
    found: list[Heading] = []
    with document.open_outline() as outline:
        def walk(items, level):
            for item in items:
                destination = item.destination
                if destination is not None and len(destination) >= 4:
                    page = index[destination[0].objgen]
                    top = offsets[page][0] - float(destination[3])
                    found.append(Heading(str(item.title), level, page, top))
                walk(item.children, level + 1)
        walk(outline.root, 1)
    return found


def chapters(pages: list[Page], headings: list[Heading]) -> list[tuple[str, list[int]]]:
    """Each chapter (a level-1 bookmark) and the 0-based pages it runs over (a blank page
    at the end of the kit belongs to none)."""
    starts = [h for h in headings if h.level == 1]
    last = max((p.number - 1 for p in pages if not p.blank), default=0)
    out = []
    for n, heading in enumerate(starts):
        end = starts[n + 1].page - (0 if starts[n + 1].top > MARGIN + 40 else 1) \
            if n + 1 < len(starts) else last
        out.append((heading.title, list(range(heading.page, end + 1))))
    return out
