"""Every DOCX opens in LibreOffice (headless, converted to PDF in one call) and in
python-docx; styles, alternative text, core properties, the delegation table, headers and
footers are checked in the files and in LibreOffice's rendering of them."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.tools import require

pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_files(output: Path) -> list[Path]:
    files = sorted(output.rglob("*.docx"))
    assert len(files) == 11
    return files


def fonts_without_noto(folder: Path) -> dict[str, str]:
    """An environment whose fontconfig knows the system's fonts except any Noto: a ministry
    computer where only the DOCX's embedded faces can show Noto."""
    listed = subprocess.run([require("fc-list"), "--format", "%{file}\\n"], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    folders = sorted({str(Path(f).parent) for f in listed if "noto" not in f.lower()})
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<fontconfig>\n'
                      + "".join(f"  <dir>{d}</dir>\n" for d in folders)
                      + f"  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n")
    return {**os.environ, "FONTCONFIG_FILE": str(config), "HOME": str(folder)}


@pytest.fixture(scope="module")
def converted(shipped_build, tmp_path_factory) -> dict[Path, Path]:
    """docx → the PDF LibreOffice made of it (one soffice call, a private profile), on a
    machine without Noto fonts."""
    soffice = require("soffice")
    output, _ = shipped_build
    target = tmp_path_factory.mktemp("lo-pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    files = docx_files(output)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(target), *map(str, files)],
        capture_output=True, text=True, timeout=300,
        env=fonts_without_noto(tmp_path_factory.mktemp("no-noto")))
    # soffice exits 0 even when it cannot load a file: the PDFs are the evidence.
    assert result.returncode == 0, result.stderr
    return {docx: target / (docx.stem + ".pdf") for docx in files}


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run([require("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_every_docx_converts_in_libreoffice(converted):
    for docx, pdf in converted.items():
        assert pdf.is_file() and pdf.stat().st_size > 10_000, docx
        assert len(page_texts(pdf)) >= 4, docx


def test_libreoffice_without_noto_shows_the_embedded_noto(converted):
    """The faces travel in the DOCX (word/fonts/*.odttf): LibreOffice sets the kit in Noto Sans
    and its headings in Noto Serif though the machine has neither."""
    for docx, pdf in converted.items():
        fonts = subprocess.run([require("pdffonts"), str(pdf)], capture_output=True, text=True,
                               check=True).stdout
        faces = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
        assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSerif-Bold"} <= faces, (docx, faces)
        # No style falls back to another face (list bullets are LibreOffice's symbol font).
        assert {f for f in faces if not f.startswith("Noto")} <= {"OpenSymbol"}, (docx, faces)


def test_fonts_are_embedded_as_word_embeds_them(shipped_build):
    """Obfuscated with the key fontTable.xml names (ECMA-376): undone, each part is a font
    fontTools reads, subset, with the family the styles name."""
    from fontTools.ttLib import TTFont
    from lxml import etree

    output, _ = shipped_build
    for path in docx_files(output):
        with zipfile.ZipFile(path) as archive:
            table = etree.fromstring(archive.read("word/fontTable.xml"))
            rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
            settings = archive.read("word/settings.xml").decode()
            assert "<w:embedTrueTypeFonts/>" in settings
            assert 'Extension="odttf"' in archive.read("[Content_Types].xml").decode()
            targets = {rel.get("Id"): rel.get("Target") for rel in rels}
            faces = set()
            for font in table.iter(f"{W}font"):
                for embed in font:
                    if not embed.tag.startswith(f"{W}embed"):
                        continue
                    rid = embed.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                                    "relationships}id")
                    data = archive.read("word/" + targets[rid])
                    key = bytes.fromhex(embed.get(f"{W}fontKey").strip("{}").replace("-", ""))
                    plain = bytes(b ^ key[::-1][i % 16] for i, b in enumerate(data[:32])) + \
                        data[32:]
                    face = TTFont(io.BytesIO(plain))
                    assert face["name"].getBestFamilyName() == font.get(f"{W}name")
                    assert len(face.getGlyphOrder()) < 1000  # subset, not the whole face
                    faces.add((font.get(f"{W}name"), embed.tag[len(W):]))
        assert {("Noto Sans", "embedRegular"), ("Noto Sans", "embedBold"),
                ("Noto Serif", "embedBold")} <= faces, path.name
        assert path.stat().st_size < 400_000, path.name


def test_headers_and_footers_on_every_page(converted):
    """The running head on every page but the cover; the footer with "Page N of M" on all."""
    for docx, pdf in converted.items():
        spanish = docx.stem.endswith("-es")
        pages = page_texts(pdf)
        for number, page in enumerate(pages, start=1):
            lines = [line for line in page.splitlines() if line.strip()]
            header, footer = lines[0], " ".join(lines[-2:])
            conference = "Conferencia Regional" if spanish else "Regional Conference"
            if number == 1:  # the cover has no running head, as in the PDF
                assert conference not in header, (docx.name, header)
            else:
                assert conference in header, (docx.name, number, header)
            expected = (f"Página {number} de {len(pages)}" if spanish
                        else f"Page {number} of {len(pages)}")
            assert expected in footer, (docx.name, number, footer)


def test_broken_docx_is_noticed(tmp_path):
    """soffice 'succeeds' on a corrupt file: only the missing PDF shows it."""
    soffice = require("soffice")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(broken)],
                   capture_output=True, timeout=120)
    assert not (tmp_path / "broken.pdf").exists()


def test_styles_alt_text_and_core_properties(shipped_build):
    from docx import Document

    output, _ = shipped_build
    for path in docx_files(output):
        lang = path.stem.rsplit("-", 1)[1]
        document = Document(str(path))  # re-opens with python-docx
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("word/styles.xml").decode()
            defined = set(re.findall(r'w:styleId="([^"]+)"', styles))
            parts = [n for n in archive.namelist()
                     if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
            used = set()
            for name in parts:
                xml = archive.read(name).decode()
                used |= set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml))
        assert used and used <= defined, (path.name, used - defined)

        pictures = [e for part in [document.part] + [s.header.part for s in document.sections]
                    for e in part.element.iter("{http://schemas.openxmlformats.org/"
                                               "drawingml/2006/wordprocessingDrawing}docPr")]
        assert pictures, path.name
        assert all(p.get("descr") for p in pictures), path.name

        props = document.core_properties
        assert props.language == lang
        assert props.title.startswith("Iniciativas" if lang == "es" else "Entrepreneurship")
        assert props.subject and "2021" in props.subject
        with zipfile.ZipFile(path) as archive:
            app = archive.read("docProps/app.xml").decode()
        # The application that made it, and no counts another document's Word wrote.
        assert "<Application>kitbuilder</Application>" in app
        assert "Microsoft" not in app and "<Words>" not in app


def header_row(table):
    return table.rows[0]


def test_delegation_table_is_a_real_table_to_type_into(shipped_build):
    from docx import Document

    output, _ = shipped_build
    for path in docx_files(output):
        lang = path.stem.rsplit("-", 1)[1]
        document = Document(str(path))
        heading = "Nombre completo" if lang == "es" else "Full name"
        tables = [t for t in document.tables if heading in [c.text for c in t.rows[0].cells]]
        assert len(tables) == 2, path.name  # the head of delegation, then the seats
        head, table = tables
        assert len(head.columns) == 4 and len(head.rows) == 2
        assert [c.text.strip() for c in head.rows[1].cells] == ["", "", "", ""]
        # The seats, under their role (said once, across the row), then one row per seat.
        assert len(table.columns) == 5 and len(table.rows) == 1 + 4 + 7
        header = table.rows[0]._tr
        assert header.find(f"{W}trPr/{W}tblHeader") is not None  # repeats on each page
        rows = list(table.rows)[1:]
        seats = [row for row in rows if row.cells[0].text.strip().isdigit()]
        roles = [row for row in rows if not row.cells[0].text.strip().isdigit()]
        assert len(roles) == 4 and all(len({c._tc for c in r.cells}) == 1 for r in roles)
        for number, row in enumerate(seats, start=1):
            cells = [c.text.strip() for c in row.cells]
            assert cells[0] == str(number)
            assert cells[1:] == ["", "", "", ""]  # blank cells a delegate types into
            # Each blank cell holds a paragraph, so Word places the cursor in it.
            assert all(c.paragraphs for c in row.cells[1:])
        # Blank rows are high enough to write in by hand, as in the PDF (24 pt).
        for row in [head.rows[1], *seats]:
            height = row._tr.find(f"{W}trPr/{W}trHeight")
            assert height is not None and height.get(f"{W}val") == "480"
            assert height.get(f"{W}hRule") == "atLeast"
        assert all(r._tr.find(f"{W}trPr/{W}trHeight") is None for r in (*roles, header_row(table)))


@pytest.mark.parametrize("code, lang, activity", [("do", "es", "Actividad"),
                                                  ("us", "en", "Activity")])
def test_docx_finish_fonts_headings_agenda_and_citations(shipped_build, code, lang, activity):
    from docx import Document
    from docx.shared import Mm

    output, _ = shipped_build
    document = Document(str(output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.docx"))
    assert document.styles["Normal"].font.name == "Noto Sans"
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].font.name == "Noto Serif"
        assert document.styles[name].paragraph_format.keep_with_next is True
    section = document.sections[0]
    assert section.top_margin - section.header_distance >= Mm(18)  # room under the header
    agenda = [t for t in document.tables if activity in [c.text for c in t.rows[0].cells]]
    assert agenda
    for table in agenda:
        times = [c for row in list(table.rows)[1:] for c in row.cells[:1]]
        assert all(c._tc.tcPr.find(f"{W}noWrap") is not None for c in times)
        sizes = {run.font.size for row in table.rows for cell in row.cells
                 for p in cell.paragraphs for run in p.runs}
        assert len(sizes) == 1, sizes  # one text size in the agenda
        last = list(table.rows)[-3:-1]  # the closing rows stay together
        assert all(p.paragraph_format.keep_with_next for row in last for cell in row.cells
                   for p in cell.paragraphs)
    body = document.element.body
    citations = [link for link in body.iter(f"{W}hyperlink")
                 if (link.get(f"{W}anchor") or "").startswith("ref-")]
    assert citations
    assert not [s for link in citations for s in link.iter(f"{W}rStyle")
                if s.get(f"{W}val") == "Hyperlink"]  # citations read as text, not links


def test_the_agendas_hidden_caption_is_not_printed_in_the_docx(shipped_build):
    """The agenda table's caption is for screen readers (visually hidden in the HTML and PDF);
    a Word caption printed it under the agenda heading that already says it. The head of
    delegation's caption is visible everywhere and stays a Word table caption."""
    from docx import Document

    output, _ = shipped_build
    for path in docx_files(output):
        document = Document(str(path))
        captions = [p.text for p in document.paragraphs if p.style.name == "Table Caption"]
        assert captions in (["Head of delegation"], ["Jefatura de la delegación"]), \
            (path.name, captions)
        assert not [p.text for p in document.paragraphs if p.text.startswith("Agenda — ")]
