"""Badge sheets: N badges per page on the venue's paper, cut along shared lines; for those
who come in person only (build.badge_holders), a band per kind of participant.

A name must fit its badge without being cut: each line (given name, family name) is set as
large as fits the badge's width, measured with the shipped font's own advance widths; a name
too long even at the smallest size wraps instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .design import PAPER, Design, person_context
from .pdfwriter import write_pdf
from .registrations import KINDS, Delegate
from .render import Shared, lay_out_shared
from .typeset import Canvas, lines, stacked

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


def badge_sheets(design: Design, paper: str, people: list[Delegate]) -> bytes:
    """A country's badge sheets: the sheet (crop marks) and each badge's header laid out once
    per language and paper; each person's names, country, organisation and band set in
    the type and places the layout's samples give."""
    shared = design.once(("badges", paper), lambda: _shared_sheet(design, paper))
    bold = design.layouts / "fonts" / "NotoSans-Bold.ttf"
    width, height = shared.template.sizes[0]
    sheet = shared.pages[0]  # the sheet starts at the page's margins
    badge_w, badge_h = shared.template.sizes[1]
    canvases = []
    for first in range(0, len(people), PER_SHEET):
        canvas = Canvas(width, height)
        canvas.form(0)
        for index, person in enumerate(people[first:first + PER_SHEET]):
            x = sheet.x + (index % COLUMNS) * badge_w
            y = sheet.y + (index // COLUMNS) * badge_h
            canvas.open("Div")  # one badge: its shared header, then the person's lines
            canvas.form(1, x, y)
            _badge(canvas, shared, design, person, bold, x, y)
            canvas.close()
        canvases.append(canvas)
    return write_pdf(shared.template, canvases, design.lang)


def _badge(canvas: Canvas, shared: Shared, design: Design, person: Delegate, bold: Path,
           x: float, y: float) -> None:
    context = person_context(design, person, "p")
    samples = shared.samples
    # The band says what the person is (a project's older layout: their participation).
    band = samples.get(f"band-{person.kind}") or samples[f"band-{person.participation}"]
    bottom = y + band.area.y - 2  # the names never run into the band
    top = y + samples["given"].area.y
    parts = []
    for field in ("given", "family"):
        text = getattr(person, f"{field}_name")
        size, _ = fit(text, bold)  # each name line as large as fits the badge's width
        style = samples[field].style
        parts.append((text, style.scaled(size / 0.75 / style.size)))
    # The name in Latin letters, where given, under the name as its bearer writes it. Then
    # a delegate's country and organisation; anyone else's body once (the band says what
    # they are).
    first, organisation = context["country_name"], person.organisation
    if person.kind != "delegation":
        first, organisation = person.organisation, ""
    parts += [(person.latin_name, samples["country"].style),
              (first, samples["country"].style),
              (organisation, samples["organisation"].style)]
    # A name too long even at the smallest size wraps; if the lines then do not fit above
    # the band, the whole block is set smaller: nothing is cut and nothing overlaps.
    gaps = [0.0, 0.0, 0.0, samples["country"].margin_top, samples["organisation"].margin_top]
    room = bottom - top - sum(gaps)
    width = samples["given"].area.w
    blocks = iter(stacked(parts, width, room, smallest=0.3))
    # Each line in its sample's place in the structure (the Latin name after the family name).
    fields = ("given", "family", "family", "country", "organisation")
    for (text, _), gap, field in zip(parts, gaps, fields, strict=True):
        if text:
            top = canvas.paragraph(next(blocks), x + samples["given"].area.x, top + gap, width,
                                   bottom, slot=field)
    area = band.area
    canvas.rect(x + area.x, y + area.y, area.w, area.h, band.background or (0.0, 0.0, 0.0))
    label = lines(context["kind_label"] if f"band-{person.kind}" in samples else
                  context["participation_label"], band.style, area.w)[:1]
    canvas.paragraph(label, x + area.x, y + area.y, area.w)


def _shared_sheet(design: Design, paper: str) -> Shared:
    marks, margin_x, margin_y = crop_marks(paper)
    html = design.env().get_template("delegates/badges.html.j2").render(
        lang=design.lang, css="", paper=PAPER[paper], marks=marks,
        margin_x=f"{margin_x:.2f}", margin_y=f"{margin_y:.2f}", badge_w=BADGE_W,
        badge_h=BADGE_H, per_sheet=PER_SHEET, rows=ROWS, workshop=design.workshop,
        emblem_src=design.emblem_src, kinds=KINDS)
    return lay_out_shared(html, design.layouts / "delegates", (design.layouts,), "the badges",
                          css=design.css, title=design.gettext("Badges"), pages=3,
                          forms=2, needs=("given", "family", "country", "organisation",
                                          "band-in-person", "band-remote"))
