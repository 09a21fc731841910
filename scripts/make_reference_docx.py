"""Make layouts/docx/reference.docx: pandoc's default reference document in the kit's brand.

pandoc takes paragraph, heading and table styles from this file. Headers and
footers are added per kit by the DOCX writer, because they are in the kit's language.
Run after changing the brand: python scripts/make_reference_docx.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "layouts" / "docx" / "reference.docx"
BRAND = RGBColor(0x0B, 0x3A, 0x63)
ACCENT = RGBColor(0x14, 0x63, 0x5E)
INK = RGBColor(0x1D, 0x27, 0x33)
BODY_FONT = "Arial"  # on every office suite; LibreOffice maps it to Liberation Sans
HEADING_FONT = "Georgia"


def set_font(style, name: str, size: float | None = None, colour=None, bold=None) -> None:
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size:
        style.font.size = Pt(size)
    if colour is not None:
        style.font.color.rgb = colour
    if bold is not None:
        style.font.bold = bold


def table_borders(style) -> None:
    """Thin rules around and inside every cell of pandoc's 'Table' style."""
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "C9D3DE")
        borders.append(element)
    tbl_pr.append(borders)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        default = Path(tmp) / "default.docx"
        subprocess.run([pypandoc.get_pandoc_path(), "-o", str(default),
                        "--print-default-data-file", "reference.docx"], check=True)
        doc = Document(str(default))
    styles = doc.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Definition",
                 "Bibliography", "Block Text"):
        # Compact is pandoc's style for table cells and tight lists: a little smaller, so
        # agenda times ("10:00–10:15") stay on one line in their column.
        set_font(styles[name], BODY_FONT, 9.5 if name == "Compact" else 10.5, INK)
    styles["Body Text"].paragraph_format.space_after = Pt(6)
    set_font(styles["Title"], HEADING_FONT, 24, BRAND, True)
    set_font(styles["Subtitle"], HEADING_FONT, 15, ACCENT, False)
    set_font(styles["Date"], BODY_FONT, 11, INK)
    set_font(styles["Author"], BODY_FONT, 11, INK)
    set_font(styles["Definition Term"], BODY_FONT, 9, ACCENT, True)
    for level, size in ((1, 20), (2, 14), (3, 12), (4, 11)):
        style = styles[f"Heading {level}"]
        set_font(style, HEADING_FONT, size, BRAND if level < 3 else ACCENT, True)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if level > 1 else 0)
        style.paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.page_break_before = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    table_borders(styles["Table"])
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Mm(22)
        section.left_margin = section.right_margin = Mm(20)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = "kitbuilder"
    doc.save(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
