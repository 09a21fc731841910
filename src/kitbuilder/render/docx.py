"""DOCX writer: pandoc turns the kit's HTML into Word with the brand's reference
document; python-docx then adds what pandoc cannot: the localised header and
footer with page fields, the paper size, core properties and fixed zip times."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from ..locale import is_locale, load_translations
from .docx_agenda import agenda_styles, put, style_agenda_table
from .docx_fonts import embed_fonts
from .docx_layout import add_contents, cover_without_running_head, landscape_form, proofing_language
from .kit import KitRender
from .pandoc_process import convert_html_to_docx, stop_pandoc

PAPER_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}


class DocxWriter:
    name = "docx"
    suffix = ".docx"

    def prepare(self, paths, editions: tuple[str, ...]) -> None:
        import docx  # noqa: F401 - finishes each DOCX

    def finish(self) -> None:
        stop_pandoc()

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        html = kit.html("docx", "", template="docx.html.j2")
        workshop = kit.context["workshop"]
        convert_html_to_docx(html, path, kit.paths.layouts / "docx" / "reference.docx", {
            "title": workshop["title"],
            "subtitle": f"{workshop['kind']} · {workshop['subtitle']}",
            "date": f"{workshop['date_long']} · {workshop['format']}",
            "lang": kit.lang,
            # pandoc's DOCX writer: right-to-left paragraphs (w:bidi) and runs (w:rtl)
            "dir": kit.context["kit"]["dir"],
        })
        finish_docx(kit, path)
        package(path, source_date(kit), kit.paths.layouts)


def source_date(kit: KitRender) -> dt.datetime:
    return kit.context["build"]["date"]


def finish_docx(kit: KitRender, path: Path) -> None:
    from docx import Document
    from docx.shared import Mm

    doc = Document(str(path))
    context = kit.context
    translations = load_translations(kit.paths.locales, kit.lang)
    width, height = PAPER_MM[context["kit"]["paper"]]
    for section in doc.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        # The header (emblem with alt text) and "Page N of M" footer are on every page.
        section.different_first_page_header_footer = False
        # Room between the running header (the emblem) and the page's first heading.
        section.header_distance = Mm(10)
        section.top_margin = max(section.top_margin, Mm(30))
    _style_tables(doc)
    _define_header_footer_styles(doc)
    _finish_styles(doc)
    agenda_styles(doc)
    _finish_agenda(doc, translations.gettext("Activity"))
    first = doc.sections[0]
    add_contents(doc, translations.gettext("Contents"),
                 first.page_width - first.left_margin - first.right_margin)
    landscape_form(doc, translations.gettext("Full name"))
    for section in doc.sections:
        # Each section its own header and footer: the page number's tab stop sits at the
        # right margin of a portrait or a landscape page.
        section.header.is_linked_to_previous = section.footer.is_linked_to_previous = False
        _header(section.header, kit)
        text_width = section.page_width - section.left_margin - section.right_margin
        _footer(section.footer, kit, translations.gettext("Page {page} of {pages}"), text_width)
    cover_without_running_head(doc)
    _complex_script_emphasis(doc)
    proofing_language(doc, proofing_tag(kit.lang, context["kit"]["country_code"]))
    if context["kit"]["dir"] == "rtl":
        _right_to_left(doc)
    _plain_citations(doc)

    props = doc.core_properties
    when = source_date(kit).replace(tzinfo=None)
    props.title = kit.title
    props.subject = kit.subject
    props.author = context["workshop"]["conference"]
    props.language = kit.lang
    props.keywords = ", ".join(filter(None, [context["workshop"]["conference_short"],
                                             context["kit"]["country_name"],
                                             context["workshop"]["symbol"]]))
    props.identifier = context["workshop"]["symbol"]
    props.revision = int(context["workshop"]["revision"]) + 1
    props.created = props.modified = when
    props.last_printed = when
    props.last_modified_by = "kitbuilder"
    doc.save(str(path))


def proofing_tag(lang: str, country: str) -> str:
    """The language with a region, as Word's proofing tools want it: the kit's country where
    CLDR has that locale (es-CR), else the language's likely region (ar → ar-EG)."""
    from babel.core import get_global

    if "-" in lang or "_" in lang:
        return lang.replace("_", "-")
    if is_locale(f"{lang}_{country}"):
        return f"{lang}-{country}"
    likely = str(get_global("likely_subtags").get(lang, "")).split("_")
    return f"{lang}-{likely[-1]}" if len(likely) > 1 and likely[-1].isupper() else lang


def _define_header_footer_styles(doc) -> None:
    """python-docx's header and footer parts use the "Header"/"Footer" styles, which the
    reference document does not define: define them, so every style used exists."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    names = {style.name for style in doc.styles}
    for name in ("Header", "Footer"):
        if name not in names:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = name  # the id the header/footer parts refer to
            style.base_style = doc.styles["Normal"]
            style.font.size = Pt(8)
            style.paragraph_format.space_after = Pt(0)


def _finish_styles(doc) -> None:
    """The kit's fonts named in the styles (Word substitutes them where they are missing);
    headings stay with what follows them."""
    from docx.oxml.ns import qn

    def set_font(style, name: str) -> None:
        style.font.name = name
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        # Arabic runs are "complex script", Chinese "East Asian": their own faces.
        script_faces = {"w:cs": _SCRIPT_FACES[name][0], "w:eastAsia": _SCRIPT_FACES[name][1]}
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), script_faces.get(attribute, name))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)

    # Every style that names a face names the kit's (the reference document's Arial, Georgia
    # and theme fonts are not embedded); code keeps its monospaced face.
    for style in doc.styles:
        fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is None or "Consolas" in fonts.attrib.values() or style.name == "Normal":
            continue
        serif = style.name.startswith(("Title", "Subtitle", "Heading", "heading", "TOC Heading"))
        set_font(style, "Noto Serif" if serif else "Noto Sans")
    set_font(doc.styles["Normal"], "Noto Sans")
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/"
                                       f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if defaults is not None:
        for attribute, face in (("w:ascii", "Noto Sans"), ("w:hAnsi", "Noto Sans"),
                                ("w:cs", "Noto Sans Arabic"), ("w:eastAsia", "Noto Sans CJK SC")):
            defaults.set(qn(attribute), face)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            defaults.attrib.pop(qn(theme), None)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        if name in {style.name for style in doc.styles}:
            doc.styles[name].paragraph_format.keep_with_next = True


def _complex_script_emphasis(doc) -> None:
    """A bold or italic style is bold or italic in Arabic too: Word reads w:bCs/w:iCs for
    right-to-left runs, not w:b/w:i."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for style in doc.styles:
        r_pr = style.element.find(qn("w:rPr"))
        if r_pr is None:
            continue
        for plain, complex_script in (("w:b", "w:bCs"), ("w:i", "w:iCs")):
            mark = r_pr.find(qn(plain))
            if mark is not None and r_pr.find(qn(complex_script)) is None:
                twin = OxmlElement(complex_script)
                if mark.get(qn("w:val")) is not None:
                    twin.set(qn("w:val"), mark.get(qn("w:val")))
                mark.addnext(twin)  # CT_RPr: b, bCs, i, iCs


# A main face → its Arabic and its CJK counterparts (layouts/styles/fonts.css, kit.css).
_SCRIPT_FACES = {"Noto Sans": ("Noto Sans Arabic", "Noto Sans CJK SC"),
                 "Noto Serif": ("Noto Naskh Arabic", "Noto Sans CJK SC")}


def _right_to_left(doc) -> None:
    """Tables read from the right (w:bidiVisual: the agenda's time column on the right), and
    the header's and footer's paragraphs run right to left as pandoc made the body's."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for table in doc.element.body.iter(qn("w:tbl")):
        properties = table.find(qn("w:tblPr"))
        if properties is not None and properties.find(qn("w:bidiVisual")) is None:
            properties.append(OxmlElement("w:bidiVisual"))
    for section in doc.sections:
        for paragraph in [*section.header.paragraphs, *section.footer.paragraphs]:
            p_pr = paragraph._p.get_or_add_pPr()
            if p_pr.find(qn("w:bidi")) is None:
                p_pr.insert(0, OxmlElement("w:bidi"))


def _finish_agenda(doc, activity: str) -> None:
    """Agenda tables: one text size, times that never wrap, the closing rows with the rest."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for table in doc.tables:
        header = [cell.text.strip() for cell in table.rows[0].cells]
        if activity not in header:
            continue
        time_columns = header.index(activity)  # the one or two time columns come first
        # Wide enough for "11:00–11:15" on one line (noWrap alone does not widen a column);
        # the activity column gives up the difference.
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        total = sum(int(col.get(qn("w:w"))) for col in grid)
        for col in grid[:time_columns]:
            wanted = max(int(col.get(qn("w:w"))), total * 16 // 100)
            grid[time_columns].set(qn("w:w"), str(int(grid[time_columns].get(qn("w:w")))
                                                  - (wanted - int(col.get(qn("w:w"))))))
            col.set(qn("w:w"), str(wanted))
        rows = list(table.rows)
        for number, row in enumerate(rows):
            for column, cell in enumerate(row.cells):
                if column < time_columns:
                    put(cell._tc, OxmlElement("w:noWrap"))
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(9)
                    # The last three rows keep together: "Closing" never stands alone.
                    if len(rows) - 3 <= number < len(rows) - 1:
                        paragraph.paragraph_format.keep_with_next = True
        style_agenda_table(table, time_columns)
        # A day's heading and what stands between it and its table (the day's link to join)
        # stay with the table.
        before = table._tbl.getprevious()
        while before is not None and before.tag == qn("w:p"):
            p_pr = before.get_or_add_pPr()
            if p_pr.find(qn("w:keepNext")) is None:
                style = p_pr.find(qn("w:pStyle"))
                p_pr.insert(0 if style is None else 1, OxmlElement("w:keepNext"))
            if style_id(before).startswith("Heading"):
                break
            before = before.getprevious()


def style_id(paragraph) -> str:
    from docx.oxml.ns import qn

    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"))


def _plain_citations(doc) -> None:
    """A citation links to its reference, but reads as text: no link colour or underline."""
    from docx.oxml.ns import qn

    body = doc.element.body
    for link in body.iter(qn("w:hyperlink")):
        if not (link.get(qn("w:anchor")) or "").startswith("ref-"):
            continue
        for style in link.iter(qn("w:rStyle")):
            if style.get(qn("w:val")) == "Hyperlink":
                style.getparent().remove(style)


def _header(header, kit: KitRender) -> None:
    from docx.shared import Mm

    paragraph = header.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run()
    run.add_picture(str(kit.paths.brand_dir / "emblem.png"), height=Mm(9))
    doc_pr = run._r.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", kit.context["workshop"]["conference"])  # alternative text
    doc_pr.set("title", kit.context["workshop"]["conference"])
    paragraph.add_run("  " + kit.context["workshop"]["conference"]).bold = True
    paragraph.add_run(f"   ·   {kit.context['kit']['country_name']} · "
                      f"{kit.context['kit']['language_name']}")


def _footer(footer, kit: KitRender, page_message: str, text_width: int) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT

    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    # The page number sits at the right margin, whatever the paper: one right tab stop there.
    paragraph.paragraph_format.tab_stops.clear_all()
    paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    symbol = kit.context["workshop"]["symbol"]
    paragraph.add_run((symbol or "") + "\t")
    for i, piece in enumerate(re.split(r"\{(\w+)\}", page_message)):
        if i % 2:
            _field(paragraph, "PAGE" if piece == "page" else "NUMPAGES")
        elif piece:
            paragraph.add_run(piece)


def _field(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# A blank row of a form (a seat's number at most) is written in by hand on paper: as high as
# the PDF's (24 pt, kit.css .delegation-form td), not one line of type.
WRITE_IN_ROW = "480"  # twips


def _style_tables(doc) -> None:
    """Tables span the text width; header rows repeat on every page; rows do not split;
    blank write-in rows are tall enough to write in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = doc.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635  # twips
    for table in doc.tables:
        # pandoc sizes the grid for its own default page; scale it to this kit's paper.
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        total = sum(int(col.get(qn("w:w"))) for col in grid) or 1
        for col in grid:
            col.set(qn("w:w"), str(int(col.get(qn("w:w"))) * text_width // total))
        for cell_width in table._tbl.iter(qn("w:tcW")):
            cell_width.getparent().remove(cell_width)
        for index, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            if index == 0:
                header = OxmlElement("w:tblHeader")
                header.set(qn("w:val"), "true")
                tr_pr.append(header)
            cant_split = OxmlElement("w:cantSplit")
            cant_split.set(qn("w:val"), "true")
            tr_pr.append(cant_split)
            texts = [cell.text.strip() for cell in row.cells]
            if index and len(texts) > 1 and not any(texts[1:]) and \
                    (not texts[0] or texts[0].isdigit()):
                height = OxmlElement("w:trHeight")
                height.set(qn("w:val"), WRITE_IN_ROW)
                height.set(qn("w:hRule"), "atLeast")
                tr_pr.append(height)


def package(path: Path, when: dt.datetime, layouts: Path) -> None:
    """The last touches on the archive: the fonts embedded, the application's properties,
    and one fixed time on every entry (same content, same bytes)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    embed_fonts(parts, layouts, _SCRIPT_FACES)
    parts["docProps/app.xml"] = APP_XML
    stamp = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    temporary = path.with_suffix(".zip-tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for name in _ordered(parts):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, parts[name])
    temporary.replace(path)


def _ordered(parts: dict[str, bytes]) -> list[str]:
    """[Content_Types].xml first, as Word writes it; then the parts as they came."""
    return sorted(parts, key=lambda name: name != "[Content_Types].xml")


# The application that made the file, and no counts: the reference document's
# "Microsoft Word 12.0.0, 83 words" were not this kit's (Word counts again on opening).
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/docPropsVTypes"><Application>kitbuilder</Application>'
           b'<DocSecurity>0</DocSecurity></Properties>')
