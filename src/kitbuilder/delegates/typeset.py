"""Personal text set directly on a page, in the design's own type.

WeasyPrint lays each shared design out once (render.py). What differs per person (a name, an
address, a code, a row of the list) is a few short lines; laying those out with WeasyPrint
cost about a millisecond a line, which at thousands of delegates was most of the build. Here
they are shaped with HarfBuzz (kerning, ligatures, marks, the same engine Pango uses under
WeasyPrint), broken into lines by their measured width, and drawn in the style CSS gave to a
sample element of the shared design (``TextStyle.of``): the layouts stay the one place the
design is written.

Coordinates are CSS px from the page's top-left corner, as WeasyPrint reports its boxes;
pdfwriter.py turns them into PDF points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..quality.fonts import FALLBACK_FOLDER, SYSTEM_FONTS
from .bidi import needs_bidi, visual_runs

# Noto Sans CJK's collection holds one face per region; the Simplified Chinese one draws
# Chinese names with the shapes their bearers expect, and kana and hangul as the others do.
CJK_FACE = 2
LINE_HEIGHT_NORMAL = None  # CSS 'normal': the font's own ascent + descent


@dataclass(frozen=True)
class Face:
    """One font file: shaping, metrics, and what the PDF needs to embed a subset of it."""

    path: str

    @property
    def hb(self):
        return harfbuzz_font(self.path)

    @property
    def metrics(self) -> dict:
        return _metrics(self.path)


def _file_and_index(path: str) -> tuple[str, int]:
    """A face of a collection (.ttc) is named 'file.ttc#N'."""
    file, _, index = path.partition("#")
    return file, int(index or 0)


@lru_cache(maxsize=32)
def harfbuzz_font(path: str):
    import uharfbuzz as hb

    file, index = _file_and_index(path)
    with open(file, "rb") as handle:
        data = handle.read()
    face = hb.Face(hb.Blob(data), index)
    return face, hb.Font(face), data


@lru_cache(maxsize=32)
def _metrics(path: str) -> dict:
    from fontTools.ttLib import TTFont

    file, index = _file_and_index(path)
    font = TTFont(file, lazy=True, fontNumber=index)
    head, hhea = font["head"], font["hhea"]
    os2 = font.get("OS/2")
    name = font["name"].getDebugName(6) or Path(path).stem
    cmap = font.getBestCmap()
    reverse: dict[int, str] = {}
    order = {glyph: gid for gid, glyph in enumerate(font.getGlyphOrder())}
    for code, glyph in sorted(cmap.items()):
        reverse.setdefault(order[glyph], chr(code))
    return {
        "upem": head.unitsPerEm,
        "ascent": hhea.ascent, "descent": -hhea.descent,
        "bbox": (head.xMin, head.yMin, head.xMax, head.yMax),
        "cap_height": getattr(os2, "sCapHeight", hhea.ascent) if os2 else hhea.ascent,
        "italic_angle": float(font["post"].italicAngle),
        "name": re.sub(r"[^A-Za-z0-9-]", "", name) or "Font",
        "reverse_cmap": reverse,
        "codes": frozenset(cmap),
        # CFF outlines (the CJK faces): embedded as OpenType, glyphs named by their CIDs.
        "cff": "CFF " in font,
    }


class FontBook:
    """The faces fonts.css declares (@font-face: family, weight, style, src), matched the way
    CSS matches them: the first family of the list that has a face, the nearest weight."""

    _FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)

    def __init__(self, fonts_css: Path):
        self.faces: dict[tuple[str, bool, bool], Face] = {}
        text = fonts_css.read_text(encoding="utf-8")
        for block in self._FACE.findall(text):
            family = re.search(r"font-family:\s*[\"']?([^;\"']+)", block)
            src = re.search(r"url\([\"']?([^\"')]+)", block)
            if not family or not src:
                continue
            weight = re.search(r"font-weight:\s*(\w+)", block)
            style = re.search(r"font-style:\s*(\w+)", block)
            bold = bool(weight) and weight.group(1) in ("bold", "600", "700", "800", "900")
            italic = bool(style) and style.group(1) in ("italic", "oblique")
            path = (fonts_css.parent / src.group(1)).resolve()
            self.faces[(family.group(1).strip(), bold, italic)] = Face(str(path))

    def fallbacks(self, bold: bool) -> tuple[Face, ...]:
        """The faces tried, in order, for a character the style's face lacks: the fallback
        folder's (one script each) in fonts.css's order, then the system's CJK face."""
        return _fallbacks(self, bold)

    def match(self, families: tuple[str, ...], weight: int, italic: bool) -> Face:
        bold = weight >= 600
        for family in families:
            for key in ((family, bold, italic), (family, bold, False), (family, False, False)):
                if key in self.faces:
                    return self.faces[key]
        raise ValueError(f"no font in fonts.css for {', '.join(families)}")


@lru_cache(maxsize=8)
def _fallbacks(book: FontBook, bold: bool) -> tuple[Face, ...]:
    faces = [face for (_, face_bold, italic), face in book.faces.items()
             if face_bold == bold and not italic and f"/{FALLBACK_FOLDER}/" in face.path]
    for font in SYSTEM_FONTS:
        if font.path.is_file() and ("Bold" in font.path.name) == bold:
            faces.append(Face(f"{font.path}#{CJK_FACE}"))
    return tuple(faces)


@dataclass(frozen=True)
class TextStyle:
    face: Face
    size: float  # px
    color: tuple[float, float, float]
    line_height: float  # px
    align: str = "left"  # left | center | right
    letter_spacing: float = 0.0  # px
    uppercase: bool = False
    fallbacks: tuple[Face, ...] = ()  # for characters ``face`` lacks (FontBook.fallbacks)
    rtl: bool = False  # the paragraph's direction (CSS direction) is right to left

    @classmethod
    def of(cls, style, fonts: FontBook) -> TextStyle:
        """The style WeasyPrint computed for a sample element of the shared design."""
        face = fonts.match(tuple(style["font_family"]), int(style["font_weight"]),
                           style["font_style"] != "normal")
        size = float(style["font_size"])
        line_height = style["line_height"]
        if line_height == "normal":
            m = face.metrics
            height = size * (m["ascent"] + m["descent"]) / m["upem"]
        elif getattr(line_height, "unit", None) == "px":
            height = float(line_height.value)
        else:  # a number: a multiple of the font size
            height = size * float(getattr(line_height, "value", line_height))
        align = style["text_align_all"]
        align = {"start": "left", "end": "right", "justify": "left"}.get(align, align)
        spacing = style["letter_spacing"]
        return cls(face=face, size=size, color=rgb(style["color"]), line_height=height,
                   align=align if align in ("left", "center", "right") else "left",
                   letter_spacing=0.0 if spacing == "normal" else float(spacing),
                   uppercase=style["text_transform"] == "uppercase",
                   fallbacks=fonts.fallbacks(int(style["font_weight"]) >= 600),
                   rtl=style["direction"] == "rtl")

    def scaled(self, factor: float) -> TextStyle:
        return TextStyle(self.face, self.size * factor, self.color, self.line_height * factor,
                         self.align, self.letter_spacing * factor, self.uppercase,
                         self.fallbacks, self.rtl)

    @property
    def baseline(self) -> float:
        """From the top of a line box to the baseline (CSS half-leading)."""
        m = self.face.metrics
        ascent, descent = (m["ascent"] * self.size / m["upem"],
                           m["descent"] * self.size / m["upem"])
        return (self.line_height - ascent - descent) / 2 + ascent


def rgb(color) -> tuple[float, float, float]:
    try:
        return tuple(color.to("srgb").coordinates)  # type: ignore[return-value]
    except AttributeError:  # 'currentcolor' and the like: ink
        return (0.0, 0.0, 0.0)


def alpha(color) -> float:
    return float(getattr(color, "alpha", 0.0))


@dataclass(slots=True)  # a list of thousands of people holds hundreds of thousands
class Glyph:
    gid: int
    advance: float  # units of the line's face (its style's), kerning included
    x_offset: float
    y_offset: float
    text: str  # what it stands for (its cluster; '' for a cluster's later glyphs)
    face: Face | None = None  # a fallback face that draws it; None: the style's face


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph]
    style: TextStyle
    width: float = 0.0  # px
    # The text in reading order where the glyphs alone do not give it back (a script whose
    # clusters reorder, a right-to-left run): the PDF's ActualText for the line.
    actual: str = ""

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


def shape(text: str, style: TextStyle) -> list[Glyph]:
    """``text`` as glyphs (see ``_shape``), shaped once per process for a text and style:
    organisations, positions, labels and dates recur from person to person."""
    return list(_shape(text, style))


@lru_cache(maxsize=65536)
def _shape(text: str, style: TextStyle) -> tuple[Glyph, ...]:
    return tuple(_shape_now(text, style))


def _shape_now(text: str, style: TextStyle) -> list[Glyph]:
    """``text`` as glyphs in the order they stand on the line, left to right. The fast path:
    a text all in the style's face and written left to right is shaped in one call. Other
    text is cut into directional runs (bidi.py), each into runs of the first face that has
    its characters (the style's, then its fallbacks), and each of those shaped on its own."""
    text = _normal(text, style)
    if not text:
        return []
    if not style.rtl and style.face.metrics["codes"].issuperset(map(ord, text)) \
            and not needs_bidi(text):
        return _shaped(text, 0, len(text), style, style.face, False)
    glyphs: list[Glyph] = []
    for start, end, rtl in visual_runs(text, style.rtl):
        pieces = _face_runs(text, start, end, style)
        for run_start, run_end, face in (reversed(pieces) if rtl else pieces):
            glyphs += _shaped(text, run_start, run_end, style, face, rtl)
    return glyphs


def _normal(text: str, style: TextStyle) -> str:
    # As CSS's white-space: normal, any run of spaces, tabs or line breaks is one space.
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text.upper() if style.uppercase else text


def _face_runs(text: str, start: int, end: int, style: TextStyle) -> list[tuple]:
    """(start, end, face) of ``text[start:end]`` in logical order: a character stays in the
    face of the one before it when that face has it (spaces, marks, digits inside a name in
    another script), else it goes to the first face that has it."""
    faces = (style.face, *style.fallbacks)
    runs: list[list] = []
    for position in range(start, end):
        code = ord(text[position])
        if runs and code in runs[-1][2].metrics["codes"]:
            runs[-1][1] = position + 1
            continue
        face = next((f for f in faces if code in f.metrics["codes"]), style.face)
        if runs and (face is runs[-1][2] or unicodedata.category(text[position])[0] == "M"):
            runs[-1][1] = position + 1
        else:
            runs.append([position, position + 1, face])
    return [tuple(run) for run in runs]


def _shaped(text: str, start: int, end: int, style: TextStyle, face: Face,
            rtl: bool) -> list[Glyph]:
    import uharfbuzz as hb

    _, font, _ = harfbuzz_font(face.path)
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in text], start, end - start)
    buffer.guess_segment_properties()
    if rtl:
        buffer.direction = "rtl"
    # CSS turns ligatures off when letters are spaced.
    hb.shape(font, buffer, {"kern": True, "liga": not style.letter_spacing})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    clusters = sorted({info.cluster for info in infos}) + [end]
    following = dict(zip(clusters, clusters[1:], strict=False))
    own = face is style.face or face.path == style.face.path
    # A fallback face's units are turned into the style face's, so lines measure as one.
    scale = 1.0 if own else style.face.metrics["upem"] / face.metrics["upem"]
    glyphs, seen = [], set()
    for info, position in zip(infos, positions, strict=True):
        cluster = info.cluster
        piece = "" if cluster in seen else text[cluster:following[cluster]]
        if rtl and len(piece) > 1:  # readers reverse what a right-to-left glyph stands for
            piece = piece[::-1]
        seen.add(cluster)
        if own:
            glyphs.append(Glyph(info.codepoint, position.x_advance, position.x_offset,
                                position.y_offset, piece))
        else:
            glyphs.append(Glyph(info.codepoint, position.x_advance * scale,
                                position.x_offset * scale, position.y_offset * scale,
                                piece, face))
    return glyphs


def measure(glyphs: list[Glyph], style: TextStyle) -> float:
    upem = style.face.metrics["upem"]
    return sum(g.advance for g in glyphs) * style.size / upem + \
        style.letter_spacing * sum(1 for g in glyphs if g.text)


def lines(text: str, style: TextStyle, width: float) -> list[Line]:
    """``text`` broken into lines no wider than ``width``: after a space, a hyphen or a slash,
    and inside a word only when the word alone is too wide (CSS overflow-wrap: anywhere).
    Made once per process for a text, style and width (lines are never changed once made):
    organisations, positions, labels and dates recur from person to person."""
    return list(_lines(text, style, width))


@lru_cache(maxsize=65536)
def _lines(text: str, style: TextStyle, width: float) -> tuple[Line, ...]:
    if needs_bidi(text) or style.rtl:
        return tuple(_bidi_lines(_normal(text, style), style, width))
    glyphs = shape(text, style)
    result = _broken(glyphs, style, width)
    if any(g.face is not None for g in glyphs):  # a fallback face's script may reorder
        for line in result:
            line.actual = line.text
    return tuple(result)


def _bidi_lines(text: str, style: TextStyle, width: float) -> list[Line]:
    """Text with a right-to-left part: broken between words in logical order, then each
    line reordered on its own (UAX #9)."""
    result: list[Line] = []
    words: list[str] = []

    def close():
        # No ActualText here: readers (poppler) take a right-to-left line's text in the
        # order it is drawn and reverse it themselves, so its glyphs must say it.
        result.extend(_broken(shape(" ".join(words), style), style, width))

    for word in text.split():
        if words and measure(shape(" ".join([*words, word]), style), style) > width + 0.01:
            close()
            words = []
        words.append(word)
    if words:
        close()
    return result


def _broken(glyphs: list[Glyph], style: TextStyle, width: float) -> list[Line]:
    result: list[Line] = []
    while glyphs:
        end, last_break, used = 0, 0, 0.0
        upem = style.face.metrics["upem"]
        while end < len(glyphs):
            g = glyphs[end]
            step = g.advance * style.size / upem + (style.letter_spacing if g.text else 0)
            if used + step > width + 0.01 and g.text != " " and end > 0:
                break
            used += step
            end += 1
            if g.text in (" ", "-", "/", "\u2010") or g.text.endswith("-"):
                last_break = end
        if end < len(glyphs) and last_break:
            end = last_break
        piece, glyphs = glyphs[:end], glyphs[end:]
        while piece and piece[-1].text == " ":
            piece.pop()
        while glyphs and glyphs[0].text == " ":
            glyphs.pop(0)
        result.append(Line(piece, style, measure(piece, style)))
    return result


def stacked(parts: list[tuple[str, TextStyle]], width: float, height: float,
            smallest: float = 0.6) -> list[list[Line]]:
    """Several paragraphs one under the other (an address: name, position, organisation,
    country) in ``height``: set smaller together, down to ``smallest``, when they do not
    fit, so a long organisation is never cut off at the bottom of the box."""
    factor = 1.0
    while True:
        blocks = [lines(text, style.scaled(factor) if factor != 1.0 else style, width)
                  for text, style in parts if text]
        used = sum(line.style.line_height for block in blocks for line in block)
        if used <= height + 0.5 or factor <= smallest:
            return blocks
        factor = max(smallest, factor * 0.92)


@dataclass
class Canvas:
    """One page's drawing: shared forms (the design WeasyPrint laid out), rectangles and
    text lines, in the order given (later ones on top)."""

    width: float  # px
    height: float  # px
    items: list = field(default_factory=list)

    def form(self, index: int, x: float = 0.0, y: float = 0.0) -> None:
        self.items.append(("form", index, x, y))

    def open(self, role: str, slot: str = "", alt: str = "") -> None:
        """What is drawn until ``close()`` is one element of the tagged PDF's structure
        (P, H2, Sect, Table, TR, TH, TD, Div; a Figure with its ``alt`` text), put in place
        of the design's empty element ``slot`` (a data-style or slot- name) if it has one;
        "Artifact": what no reader reads out (a repeated table header)."""
        self.items.append(("open", role, slot, alt))

    def close(self) -> None:
        self.items.append(("close",))

    def rect(self, x: float, y: float, w: float, h: float,
             color: tuple[float, float, float]) -> None:
        self.items.append(("rect", x, y, w, h, color))

    def line(self, line: Line, x: float, top: float, box_width: float) -> None:
        """``line`` in a box ``box_width`` wide whose top-left is (x, top), aligned as its
        style says."""
        offset = {"center": (box_width - line.width) / 2,
                  "right": box_width - line.width}.get(line.style.align, 0.0)
        self.items.append(("text", line, x + max(offset, 0.0) if line.style.align != "right"
                           else x + offset, top + line.style.baseline))

    def paragraph(self, text_lines: list[Line], x: float, top: float, box_width: float,
                  bottom: float | None = None, slot: str = "", role: str = "P") -> float:
        """Lines stacked from ``top``; those below ``bottom`` are left out. Returns the
        top of what follows. The lines are one ``role`` element (none: ''), in ``slot``."""
        if role:
            self.open(role, slot)
        top = self._lines(text_lines, x, top, box_width, bottom)
        if role:
            self.close()
        return top

    def _lines(self, text_lines: list[Line], x: float, top: float, box_width: float,
               bottom: float | None) -> float:
        for item in text_lines:
            if bottom is not None and top + item.style.line_height > bottom + 0.5:
                break
            self.line(item, x, top, box_width)
            top += item.style.line_height
        return top
