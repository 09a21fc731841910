"""Badge sheets: N badges per page on the venue's paper, cut along shared lines.

A name must fit its badge without being cut: each line (given name, family name) is set as
large as fits the badge's width, measured with the shipped font's own advance widths; a name
too long even at the smallest size wraps instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .design import PAPER, Design, person_context
from .registrations import Delegate
from .render import render_pdf

BADGE_W, BADGE_H = 90.0, 62.0  # mm; 2 × 4 fit A4 and US letter with room for the marks
COLUMNS, ROWS = 2, 4
PER_SHEET = COLUMNS * ROWS
PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
NAME_WIDTH_PT = (BADGE_W - 10) / 25.4 * 72 * 0.96  # inside the padding, with a safety margin
MAX_PT, MIN_PT = 22.0, 12.0
MARK, GAP = 5.0, 2.0  # crop mark length and its distance from the cut, mm


@lru_cache(maxsize=4)
def _advances(font: str) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    ttf = TTFont(font, lazy=True)
    widths = {code: ttf["hmtx"][glyph][0] for code, glyph in ttf.getBestCmap().items()}
    return widths, ttf["head"].unitsPerEm


def width_em(text: str, font: Path) -> float:
    widths, units = _advances(str(font))
    fallback = widths.get(ord("M"), units)
    return sum(widths.get(ord(c), fallback) for c in text) / units


def fit(text: str, font: Path) -> tuple[float, bool]:
    """(font size in pt, whether it fits on one line at that size)."""
    em = width_em(text, font)
    if em == 0:
        return MAX_PT, True
    size = min(MAX_PT, NAME_WIDTH_PT / em)
    if size >= MIN_PT:
        return round(size, 1), True
    return MIN_PT, False


def crop_marks(paper: str) -> tuple[list[dict], float, float]:
    """Marks in the margins at every cut line; (marks, margin x, margin y) in mm."""
    width, height = PAGE_MM[paper]
    margin_x = (width - COLUMNS * BADGE_W) / 2
    margin_y = (height - ROWS * BADGE_H) / 2
    marks = []
    # The sheet's box starts at the page margin: marks are placed relative to it.
    for column in range(COLUMNS + 1):
        x = column * BADGE_W
        marks.append({"x": x - 0.1, "y": -GAP - MARK, "w": 0.2, "h": MARK})
        marks.append({"x": x - 0.1, "y": ROWS * BADGE_H + GAP, "w": 0.2, "h": MARK})
    for row in range(ROWS + 1):
        y = row * BADGE_H
        marks.append({"x": -GAP - MARK, "y": y - 0.1, "w": MARK, "h": 0.2})
        marks.append({"x": COLUMNS * BADGE_W + GAP, "y": y - 0.1, "w": MARK, "h": 0.2})
    return marks, margin_x, margin_y


# Badges laid out per WeasyPrint render: bounds the memory a big country's sheet needs.
SHEETS_PER_RENDER = 12


def badge_sheets(design: Design, paper: str, people: list[Delegate]) -> bytes:
    """A country's badge sheets: each person's fields (names, country, organisation, band)
    laid out in bounded renders, every page over the shared sheet (crop marks, the badges'
    headers and emblem) laid out once per number of badges on a sheet."""
    import io

    import pikepdf

    bold = design.layouts / "fonts" / "NotoSans-Bold.ttf"
    contexts = []
    for i, person in enumerate(people):
        context = person_context(design, person, f"p{i}")
        context["given_size"], context["given_fits"] = fit(person.given_name, bold)
        context["family_size"], context["family_fits"] = fit(person.family_name, bold)
        contexts.append(context)
    sheets = [contexts[i:i + PER_SHEET] for i in range(0, len(contexts), PER_SHEET)]
    result = pikepdf.new()
    shared: dict[int, object] = {}  # badges on the sheet -> the shared page, as a form
    for first in range(0, len(sheets), SHEETS_PER_RENDER):
        chunk = sheets[first:first + SHEETS_PER_RENDER]
        layer = pikepdf.open(io.BytesIO(_render(design, paper, chunk, "personal")))
        for page, sheet in zip(layer.pages, chunk, strict=True):
            if len(sheet) not in shared:
                background = pikepdf.open(io.BytesIO(_shared_sheet(design, paper, sheet)))
                shared[len(sheet)] = result.copy_foreign(
                    background.pages[0].as_form_xobject())
            result.pages.append(page)
            result.pages[-1].add_underlay(shared[len(sheet)])
    title = design.gettext("Badges")
    result.docinfo["/Title"] = title
    result.Root.Lang = pikepdf.String(design.lang)
    buffer = io.BytesIO()
    # A fixed /ID keeps a re-render of unchanged input byte-identical.
    result.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _shared_sheet(design: Design, paper: str, sheet: list[dict]) -> bytes:
    """The shared page for a sheet of this many badges, laid out once per design."""
    return design.once(("badges", paper, len(sheet)),
                       lambda: _render(design, paper, [sheet], "shared"))


def _render(design: Design, paper: str, sheets: list[list[dict]], layer: str) -> bytes:
    marks, margin_x, margin_y = crop_marks(paper)
    html = design.env().get_template("delegates/badges.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper], sheets=sheets, layer=layer,
        marks=marks, margin_x=f"{margin_x:.2f}", margin_y=f"{margin_y:.2f}", badge_w=BADGE_W,
        badge_h=BADGE_H, per_sheet=PER_SHEET, columns=COLUMNS, rows=ROWS, workshop=design.workshop,
        emblem_src=design.emblem_src)
    anchors = [c["anchor"] for sheet in sheets for c in sheet] if layer == "personal" else []
    data, _ = render_pdf(html, design.layouts / "delegates", (design.layouts,), anchors,
                         title=design.gettext("Badges"), css=design.css)
    return data
