"""The DOCX laid out like the PDF, read with python-docx: a table of contents, the agenda's
header row, titles, breaks and parallel sessions, the delegation form in a landscape section
with wide columns, a cover without running head, the proofing language with its region."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory) -> Path:
    """The hybrid example (breaks, parallel sessions, three days): its Canadian DOCX."""
    project = ROOT / "examples" / "hybrid-workshop"
    output = tmp_path_factory.mktemp("hybrid-docx")
    build(Settings(content=project / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", countries=("CA",), formats=("docx",), jobs=1),
          Reporter())
    (path,) = output.rglob("*.docx")
    return path


def shipped(shipped_build, code: str = "do", lang: str = "es") -> Path:
    output, _ = shipped_build
    return output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.docx"


def styles_of(paragraph) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return "" if style is None else style.get(f"{W}val")


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


@pytest.mark.parametrize("code, lang, contents", [("do", "es", "Contenido"),
                                                  ("us", "en", "Contents")])
def test_a_table_of_contents_with_its_entries_written(shipped_build, code, lang, contents):
    from docx import Document

    document = Document(str(shipped(shipped_build, code, lang)))
    body = list(document.element.body.iter(f"{W}p"))
    instructions = [i.text for i in document.element.body.iter(f"{W}instrText")]
    assert any(re.match(r'\s*TOC \\o "1-1"', i) for i in instructions), instructions
    chapters = [text_of(p) for p in body if styles_of(p) == "Heading1"]
    entries = [text_of(p) for p in body if styles_of(p) == "TOC1"]
    assert entries == chapters and len(chapters) == 4
    title = next(p for p in body if styles_of(p) == "TOCHeading")
    assert text_of(title) == contents
    # On the cover: before the first chapter; every entry links to its chapter's bookmark.
    assert body.index(title) < body.index(next(p for p in body if styles_of(p) == "Heading1"))
    anchors = [link.get(f"{W}anchor") for p in body if styles_of(p) == "TOC1"
               for link in p.iter(f"{W}hyperlink")]
    marks = {m.get(f"{W}name") for m in document.element.body.iter(f"{W}bookmarkStart")}
    assert len(anchors) == 4 and set(anchors) <= marks
    # Chapters are outline level 1 in Word's navigation pane; the contents' title is not.
    assert document.styles["Heading 1"].element.find(f"{W}pPr/{W}outlineLvl").get(
        f"{W}val") == "0"


def test_the_delegation_form_is_a_landscape_section_with_wide_columns(shipped_build):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document(str(shipped(shipped_build)))
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    body = document.element.body
    blocks = list(body)
    form_end = next(b for b in blocks if b.find(f"{W}pPr/{W}sectPr/{W}pgSz") is not None
                    and b.find(f"{W}pPr/{W}sectPr/{W}pgSz").get(f"{W}orient") == "landscape")
    portrait_end = next(b for b in blocks if b.find(f"{W}pPr/{W}sectPr") is not None)
    forms = [t for t in blocks[blocks.index(portrait_end):blocks.index(form_end)]
             if t.tag == f"{W}tbl"]
    assert len(forms) == 2  # the head of delegation and the seats, both in landscape
    for table in forms:
        widths = [int(c.get(f"{W}w")) / TWIPS_PER_MM for c in table.iter(f"{W}gridCol")]
        assert sum(widths) > 240  # the landscape text width of A4 (257 mm)
        # Name, position and e-mail: 60 mm and more, as the README promises.
        assert sorted(widths)[-3] >= 60, widths
    # The running head and footer on every section, the page number at each one's margin.
    for section in document.sections:
        assert "Conferencia Regional" in section.header.paragraphs[0].text
        stops = section.footer.paragraphs[0].paragraph_format.tab_stops
        assert [stop.position for stop in stops] == \
            [section.page_width - section.left_margin - section.right_margin]
    # The form's header rows as the PDF's: white bold on the brand colour.
    for table in forms:
        first = table.find(f"{W}tr")
        assert {c.get(f"{W}fill") for c in first.iter(f"{W}shd")} == {"0F4C81"}
        assert all(r.find(f"{W}rPr/{W}b") is not None for r in first.iter(f"{W}r"))


def test_the_cover_has_no_running_head_and_the_properties_are_true(shipped_build):
    from docx import Document

    path = shipped(shipped_build)
    document = Document(str(path))
    cover = document.sections[0]
    assert cover.different_first_page_header_footer
    assert not cover.first_page_header.paragraphs[0].text.strip()
    assert "Conferencia Regional" in cover.header.paragraphs[0].text
    assert "Página" in "".join(p.text for p in cover.first_page_footer.paragraphs)
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*</w:docDefaults>", styles, re.S).group(0)
    assert re.search(r'<w:lang [^>]*w:val="es-DO"', defaults), defaults


def test_the_agenda_header_row_and_titles(shipped_build):
    from docx import Document

    document = Document(str(shipped(shipped_build)))
    agenda = [t for t in document.tables if "Actividad" in [c.text for c in t.rows[0].cells]]
    assert agenda
    for table in agenda:
        header = table.rows[0]
        assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None
        for cell in header.cells:
            assert cell._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "0F4C81"
            assert all(run.bold for p in cell.paragraphs for run in p.runs if run.text.strip())
        titles = [p for row in list(table.rows)[1:] for p in row.cells[-2].paragraphs
                  if p.style.name == "Agenda Title"]
        assert len(titles) == len(table.rows) - 1
    assert document.styles["Agenda Title"].font.bold
    for name in ("Agenda Title", "Heading 1", "Title"):  # bold in Arabic too
        assert document.styles[name].element.find(f"{W}rPr/{W}bCs") is not None, name


def test_breaks_are_quiet_and_parallel_sessions_grouped(hybrid):
    from docx import Document

    document = Document(str(hybrid))
    tables = [t for t in document.tables if "Activity" in [c.text for c in t.rows[0].cells]]
    assert len(tables) == 3  # one per day
    rows = [row for table in tables for row in list(table.rows)[1:]]
    breaks = [r for r in rows if any(p.style.name == "Agenda Break"
                                     for c in r.cells for p in c.paragraphs)]
    assert {r.cells[2].text for r in breaks} >= {"Coffee break", "Lunch"}
    for row in breaks:
        assert {c._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill") for c in row.cells} == {"EEF3F8"}
        assert not document.styles["Agenda Break"].font.bold
        assert document.styles["Agenda Break"].font.italic
    day_one = list(tables[0].rows)
    parallel = [r for r in day_one if "Parallel session" in r._tr.xpath("string(.)")]
    assert len(parallel) == 2
    first, second = (r._tr.tc_lst for r in parallel)
    # One time for the group: the second session's time cells continue the first's.
    for column in (0, 1):
        assert first[column].find(f"{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
        continued = second[column].find(f"{W}tcPr/{W}vMerge")
        assert continued is not None and continued.get(f"{W}val") in (None, "continue")
        assert not text_of(second[column])
    for table in tables:  # each day's heading and its link to join stay with its table
        before = table._tbl.getprevious()
        assert before.find(f"{W}pPr/{W}keepNext") is not None
        while not styles_of(before).startswith("Heading"):
            before = before.getprevious()
            assert before.find(f"{W}pPr/{W}keepNext") is not None
    for tcs in (first, second):  # an accent rule down the group's activities
        assert tcs[2].find(f"{W}tcPr/{W}tcBorders/{W}left").get(f"{W}color") == "1B7F79"
