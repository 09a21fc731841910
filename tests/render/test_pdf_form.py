"""The kit PDF's delegation form, filled by tools nobody here wrote (pikepdf/qpdf, poppler,
pdftk), and the structure it sits in (pikepdf): typed text must come out as text, the
fields' names must be the form's own words, IDs must resolve through /IDTree."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import pdf_text
from tests.tools import require

pytestmark = pytest.mark.slow

# A Spanish name and position with every kind of Latin letter a WinAnsi font must type, long
# enough that a one-line field at the body's size would cut it.
VALUES = {
    "head-name": "José Peña Ibáñez",
    "head-position": "Directora General de Migración Laboral, Secretaría del Trabajo y "
                     "Previsión Social",
    "seat-1-email": "ana.lopez@example.org",
    "seat-7-name": "Françoise Œlberg-Müller",
}


def kit_pdf(output: Path, code: str, lang: str) -> Path:
    return output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf"


def text_fields(pdf) -> dict:
    return {str(field.T): field for field in pdf.Root.AcroForm.Fields if field.get("/FT") == "/Tx"}


def typed(pdf_path: Path, fill, tmp_path: Path) -> str:
    """The text of the kit after ``fill`` wrote VALUES into it (a path to the filled file)."""
    filled = fill(pdf_path, tmp_path)
    return pdf_text(filled)


@pytest.mark.parametrize("code, lang, head, column", [
    ("mx", "es", "Jefatura de la delegación", "Nombre completo"),
    ("us", "en", "Head of delegation", "Full name"),
])
def test_fields_type_in_an_embedded_winansi_font_and_are_named_in_the_kits_words(
        shipped_build, code, lang, head, column):
    import pikepdf

    output, _ = shipped_build
    with pikepdf.open(kit_pdf(output, code, lang)) as pdf:
        form = pdf.Root.AcroForm
        fields = text_fields(pdf)
        assert len(fields) == 32
        fonts = form.DR.Font
        for name, field in fields.items():
            appearance = str(field.DA).split()
            font = fonts[appearance[appearance.index("Tf") - 2]]
            # A simple font any filler can encode typed text in, embedded, not a subset.
            assert font.Subtype == "/TrueType" and font.Encoding == "/WinAnsiEncoding"
            assert "+" not in str(font.BaseFont)
            assert len(font.FontDescriptor.FontFile2.read_bytes()) > 20_000
            assert appearance[appearance.index("Tf") - 1] == "0", name  # sized to fit
            # Accessible names: the column's label and the row's, never the field's id.
            assert str(field.TU) != name and " — " in str(field.TU)
        assert str(fields["head-name"].TU) == f"{column} — {head}"
        assert str(fields["seat-3-email"].TU).split(" — ")[1].startswith(
            "participante 3, " if lang == "es" else "participant 3, ")
        # A position and institution is long: multi-line (Ff bit 13); a name is one line.
        multiline = 1 << 12
        assert all(int(f.get("/Ff", 0)) & multiline for n, f in fields.items()
                   if n.endswith("-position"))
        assert not int(fields["head-name"].get("/Ff", 0)) & multiline
        assert form.NeedAppearances is True


def fill_with_pikepdf(pdf_path: Path, tmp_path: Path) -> Path:
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        for name, field in text_fields(pdf).items():
            if name in VALUES:
                field.V = pikepdf.String(VALUES[name])
        pdf.generate_appearance_streams()  # qpdf's appearance generation
        pdf.flatten_annotations("all")
        pdf.save(tmp_path / "qpdf.pdf")
    return tmp_path / "qpdf.pdf"


def fill_with_poppler(pdf_path: Path, tmp_path: Path) -> Path:
    """Only the values set, as a generic filler does: poppler draws the appearances itself
    (NeedAppearances) and pdftocairo writes what it drew."""
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        for name, field in text_fields(pdf).items():
            if name in VALUES:
                field.V = pikepdf.String(VALUES[name])
        pdf.save(tmp_path / "values.pdf")
    subprocess.run([require("pdftocairo"), "-pdf", str(tmp_path / "values.pdf"),
                    str(tmp_path / "poppler.pdf")], check=True)
    return tmp_path / "poppler.pdf"


def fill_with_pdftk(pdf_path: Path, tmp_path: Path) -> Path:
    from xml.sax.saxutils import escape

    xfdf = tmp_path / "values.xfdf"
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/'
                    'xfdf/"><fields>' + "".join(
                        f'<field name="{name}"><value>{escape(value)}</value></field>'
                        for name, value in VALUES.items()) + "</fields></xfdf>",
                    encoding="utf-8")
    subprocess.run([require("pdftk"), str(pdf_path), "fill_form", str(xfdf), "output",
                    str(tmp_path / "pdftk.pdf"), "flatten"], check=True, capture_output=True)
    return tmp_path / "pdftk.pdf"


@pytest.mark.parametrize("fill", [fill_with_pikepdf, fill_with_poppler, fill_with_pdftk],
                         ids=["qpdf", "poppler", "pdftk"])
@pytest.mark.parametrize("code, lang", [("mx", "es"), ("us", "en")])
def test_typed_text_appears_with_generic_fillers(shipped_build, tmp_path, fill, code, lang):
    output, _ = shipped_build
    pdf_path = kit_pdf(output, code, lang)
    before = pdf_text(pdf_path)
    after = typed(pdf_path, fill, tmp_path)
    for value in VALUES.values():
        assert value not in before
        # Every letter as typed: no "?", no empty boxes (a Type0 font's codes).
        assert value in after or value in after.replace(" ", ""), (value, fill.__name__)


def test_a_long_position_wraps_in_its_field(shipped_build, tmp_path):
    """pdftk lays the multi-line field out on two lines inside the cell, not one cut line."""
    import re

    output, _ = shipped_build
    filled = fill_with_pdftk(kit_pdf(output, "mx", "es"), tmp_path)
    raw = subprocess.run([require("pdftotext"), "-layout", str(filled), "-"], check=True,
                         capture_output=True, text=True).stdout
    first = [line for line in raw.splitlines() if "Directora General" in line]
    last = [line for line in raw.splitlines() if re.search(r"Previsión\s+Social", line)]
    assert len(first) == len(last) == 1 and first != last, (first, last)
    assert "Previsión" not in first[0]


def struct_tree(pdf):
    """(element, kids) of every structure element, depth first."""
    import pikepdf

    stack, found = [pdf.Root.StructTreeRoot], []
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        found.append((node, kids))
        stack.extend(kid for kid in kids
                     if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
    return found


def name_tree(node) -> dict:
    names = {}
    if "/Names" in node:
        items = list(node.Names)
        names.update({bytes(items[i]): items[i + 1] for i in range(0, len(items), 2)})
    for kid in node.get("/Kids", []):
        names.update(name_tree(kid))
    return names


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("us", "en")])
def test_every_id_resolves_through_the_id_tree_and_widgets_are_reachable(shipped_build, code,
                                                                          lang):
    import pikepdf

    output, _ = shipped_build
    with pikepdf.open(kit_pdf(output, code, lang)) as pdf:
        elements = struct_tree(pdf)
        ids = {bytes(node.ID): node for node, _ in elements if "/ID" in node}
        headers = set()
        for node, _ in elements:
            attributes = node.get("/A")
            for attribute in (list(attributes) if isinstance(attributes, pikepdf.Array)
                              else [attributes] if attributes is not None else []):
                if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                    headers.update(bytes(h) for h in attribute.Headers)
        assert ids and headers and headers <= set(ids)  # the table cells point at headers
        tree = name_tree(pdf.Root.StructTreeRoot.IDTree)
        assert set(tree) == set(ids)
        assert all(tree[key].objgen == node.objgen for key, node in ids.items())
        # Widgets: each in the AcroForm's fields and, through an OBJR, in a Form element.
        fields = {field.objgen for field in pdf.Root.AcroForm.Fields}
        widgets = {annot.objgen for page in pdf.pages for annot in page.get("/Annots", [])
                   if annot.get("/Subtype") == "/Widget"}
        in_forms = {kid.Obj.objgen for node, kids in elements if node.get("/S") == "/Form"
                    for kid in kids if isinstance(kid, pikepdf.Dictionary)
                    and kid.get("/Type") == "/OBJR"}
        assert len(widgets) == 32 and widgets == fields == in_forms


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("us", "en")])
def test_every_annotation_sits_in_its_structure_element(shipped_build, code, lang):
    """A link in a /Link element, a field in a /Form element: through the OBJR in the tree
    and through the parent tree (the annotation's /StructParent), as PDF/UA asks."""
    import pikepdf

    output, _ = shipped_build
    with pikepdf.open(kit_pdf(output, code, lang)) as pdf:
        holders = {}
        for node, kids in struct_tree(pdf):
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    holders[kid.Obj.objgen] = str(node.get("/S"))
        numbers = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        expected = {"/Link": "/Link", "/Widget": "/Form"}
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert sum(a.Subtype == "/Link" for a in annotations) > 20
        for annotation in annotations:
            wanted = expected[str(annotation.Subtype)]
            assert holders[annotation.objgen] == wanted
            assert str(parents[int(annotation.StructParent)].S) == wanted
        # No Span left behind holding nothing once its link moved to the /Link element.
        empty = [str(node.get("/S")) for node, kids in struct_tree(pdf)[1:]
                 if not kids and node.get("/S") == "/Span"]
        assert empty == []


def test_a_role_awaiting_translation_names_its_fields_in_words_and_leaves_them_empty(tmp_path):
    """A seat's role shown in the source language (its translation is stale) is marked up in
    the kit's text. Inside the fields' attributes that markup ended the tag: the HTML field
    and the PDF field held '<span class="pending" …' as typed text. Empty fields carry no
    /V: given an empty one, poppler lays out the page's text in the form's Latin font (a
    second a page and a missing-glyph error per character on a Cyrillic or Arabic page)."""
    import shutil
    from html.parser import HTMLParser

    import pikepdf

    from kitbuilder.pipeline import build
    from kitbuilder.report import Reporter
    from kitbuilder.settings import Settings
    from tests.conftest import PROJECTS, ROOT

    project = tmp_path / "project"
    shutil.copytree(PROJECTS / "minimal", project)
    source = project / "content" / "en" / "participants.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "representative of the Ministry", "a representative of the Ministry"), encoding="utf-8")
    build(Settings(content=project / "content", output=project / "output",
                   layouts=ROOT / "layouts", locales=ROOT / "locales", languages=("es",),
                   formats=("html", "pdf")), Reporter())
    pending = "a representative of the Ministry of Foreign Affairs [Traducción pendiente]"

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.typed, self.inside = [], [], False

        def handle_starttag(self, tag, attrs):
            if tag in ("input", "textarea"):
                self.fields.append(dict(attrs))
            self.inside = tag == "textarea"

        def handle_data(self, data):
            if self.inside:
                self.typed.append(data)

        def handle_endtag(self, tag):
            self.inside = False

    html = Fields()
    html.feed(next((project / "output").glob("*/es/*.html")).read_text(encoding="utf-8"))
    seat = [f for f in html.fields if f.get("data-role") == "foreign-affairs"]
    assert len(seat) == 4 and {f["data-role-name"] for f in seat} == {pending}
    assert not any("<" in value for f in html.fields for value in f.values() if value)
    assert "".join(html.typed).strip() == ""
    with pikepdf.open(next((project / "output").glob("*/es/*.pdf"))) as pdf:
        fields = text_fields(pdf)
        assert fields and not [name for name, field in fields.items() if "/V" in field]
        assert str(fields["seat-3-phone"].TU).endswith(f", {pending}")
        assert not any("<" in str(field.TU) for field in fields.values())
