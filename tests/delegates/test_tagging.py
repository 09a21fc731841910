"""The delegates' PDFs are tagged (PDF/UA-1), read back with pikepdf: catalog and metadata,
a structure tree whose marked content resolves through the parent tree, and every mark on
the pages either inside a tagged sequence or an artifact. (veraPDF is in neither Debian nor
PyPI: these are its rules on the structure, checked one by one.)"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from kitbuilder.delegates.build import DOCUMENTS, build_delegates
from kitbuilder.delegates.check import check_delegates
from kitbuilder.project import ProjectPaths
from tests.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "registrations.example.csv"
PAINTING = {"Tj", "TJ", "'", '"', "f", "f*", "F", "B", "B*", "b", "b*", "S", "s", "Do", "sh"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("tagged-out")
    paths = ProjectPaths.find(ROOT, output=output)
    build_delegates(paths, EXAMPLE, DOCUMENTS)
    people = check_delegates(paths, EXAMPLE).registrations.delegates
    return output / "delegates", people


def structure(pdf: pikepdf.Pdf) -> tuple[list, dict]:
    """Every element in reading order as (role, element, parent role), and each marked
    content (page index, MCID) → its element."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    elements, content = [], {}

    def walk(element, parent_role: str) -> None:
        role = str(element.S)[1:]
        elements.append((role, element, parent_role))
        kids = element.get("/K", pikepdf.Array())
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                content[(pages[element.Pg.objgen], int(kid))] = element
            elif kid.get("/Type") == "/MCR":
                content[(pages[kid.Pg.objgen], int(kid.MCID))] = element
            else:
                assert kid.P.objgen == element.objgen  # each kid names its parent
                walk(kid, role)

    root = pdf.Root.StructTreeRoot
    for kid in root.K:
        walk(kid, "")
    return elements, content


def marks(page) -> tuple[set[int], int]:
    """The MCIDs of a page's content, and how many painting operators it has; asserts
    that each one is inside a tagged sequence (an MCID) or an artifact."""
    found, painted, stack = set(), 0, []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            mcid = operands[1].get("/MCID") if name == "BDC" and isinstance(
                operands[1], pikepdf.Dictionary) else None
            if mcid is not None:
                assert not stack, "a tagged sequence inside another"
                found.add(int(mcid))
            stack.append(tag if tag == "/Artifact" else mcid)
        elif name == "EMC":
            stack.pop()
        elif name in PAINTING:
            painted += 1
            assert any(item == "/Artifact" or item is not None for item in stack), \
                f"{name} drawn outside any tagged sequence or artifact"
    assert not stack
    return found, painted


def assert_tagged(path: Path, lang: str) -> list:
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == lang
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title)
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:title")
        elements, content = structure(pdf)
        assert elements[0][0] == "Document"
        parent_tree = dict(pikepdf.NumberTree(root.StructTreeRoot.ParentTree).items())
        for index, page in enumerate(pdf.pages):
            found, painted = marks(page)
            assert painted
            assert found == {mcid for (p, mcid) in content if p == index}
            parents = parent_tree[int(page.StructParents)]
            for mcid in found:
                assert parents[mcid].objgen == content[(index, mcid)].objgen
        for role, element, _ in elements:
            if role == "Figure":
                assert str(element.get("/Alt", "")).strip()
        for font in pdf.pages[0].Resources.Font.values():
            assert "/ToUnicode" in font
            descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font
                          else font).FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        return [(role, parent) for role, _, parent in elements]


def test_letters_keep_the_designs_structure_with_the_address_in_its_slot(built):
    folder, people = built
    for person in people:
        path = folder / "letters" / f"{person.file_stem}-letter.pdf"
        roles = assert_tagged(path, person.language)
        assert ("Figure", "NonStruct") in roles  # the letterhead's emblem, described
        assert {"Sect", "L", "LI"} <= {role for role, _ in roles}
        # The address and salutation sit in the design's slots, where they are read, not
        # after the signature.
        assert roles[-1][1] not in ("Document", "")
        assert person.family_name.split()[0] in pdf_text(path)


def test_certificates_are_pdfa_and_pdfua_with_the_recipient_in_reading_order(built):
    folder, people = built
    with (folder / "certificates.csv").open(encoding="utf-8") as handle:
        codes = {Path(row["file"]).name: row["code"] for row in csv.DictReader(handle)}
    for person in (p for p in people if p.attendance == "attended"):
        path = folder / "certificates" / f"{person.file_stem}-certificate.pdf"
        roles = assert_tagged(path, person.language)
        assert ("H1", "Sect") in roles and ("Figure", "Sect") in roles
        # name, affiliation and code: each a paragraph in its slot (a Div of the design)
        assert [r for r in roles if r == ("P", "Div")][:2]
        with pikepdf.open(path) as pdf:
            assert pdf.open_metadata().pdfa_status.startswith("3")
            # PDF/A knows pdfuaid:part only as the file describes it
            assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in \
                pdf.Root.Metadata.read_bytes()
            elements, _ = structure(pdf)
            alts = [str(e.Alt) for role, e, _ in elements if role == "Figure"]
        # the emblem, and the QR code described by the code it carries
        assert len(alts) == 2 and any(codes[path.name] in alt for alt in alts)


def test_badges_are_one_element_a_badge(tmp_path):
    # A hybrid meeting: a virtual one (the shipped project) prints no badges.
    from tests.delegates.test_kinds import HYBRID, write_rows

    source = write_rows(tmp_path)
    paths = ProjectPaths.find(HYBRID, output=tmp_path / "out")
    build_delegates(paths, source, ("badges",), jobs=1)
    people = [p for p in check_delegates(paths, source).registrations.delegates
              if p.participation == "in-person" and p.attendance != "no-show"]
    sheets = sorted((tmp_path / "out" / "delegates" / "badges").glob("*.pdf"))
    assert len(sheets) == len({p.group_code for p in people}) > 1
    for sheet in sheets:
        code = sheet.name.split("-")[0]
        members = [p for p in people if p.group_code == code]
        # The sheet's language: its members' (the country's first, for a delegation).
        lang = Counter(p.language for p in members).most_common(1)[0][0]
        roles = assert_tagged(sheet, lang)
        badges = [r for r in roles if r == ("Div", "Document")]
        assert len(badges) == len(members)


def test_the_list_is_headings_and_tables_with_header_cells(built):
    folder, _ = built
    for lang in ("en", "es"):
        roles = assert_tagged(folder / "list" / f"list-of-participants-{lang}.pdf", lang)
        names = [role for role, _ in roles]
        assert names.count("H1") == 1
        # A section's title (H2) a kind of participant, a heading (H3) a country or an
        # organisation; resource persons, observers and the secretariat are one table each.
        assert names.count("Table") == names.count("THead") > 0
        assert names.count("H2") == 5  # the example has every kind
        assert names.count("H3") == names.count("Table") - 3
        assert ("TH", "TR") in roles and ("TD", "TR") in roles
        assert ("Sect", "Part") in roles  # after the title, where the design keeps room


def test_a_signature_image_is_a_figure_named_after_the_signatory(tmp_path, project_copy):
    project = project_copy()
    shutil.copy(project / "layouts" / "brand" / "emblem.png",
                project / "layouts" / "brand" / "signature.png")
    texts = project / "content" / "en" / "delegates.yaml"
    source = texts.read_text(encoding="utf-8")
    assert "# signature: signature.png" in source
    texts.write_text(source.replace("# signature: signature.png", "signature: signature.png"),
                     encoding="utf-8")
    paths = ProjectPaths.find(project, output=tmp_path / "out")
    build_delegates(paths, EXAMPLE, ("letter",), jobs=1)
    english = [p for p in check_delegates(paths, EXAMPLE).registrations.delegates
               if p.language == "en"]
    assert english
    for person in english:
        path = tmp_path / "out" / "delegates" / "letters" / f"{person.file_stem}-letter.pdf"
        assert_tagged(path, "en")
        with pikepdf.open(path) as pdf:
            elements, _ = structure(pdf)
            alts = [str(e.Alt) for role, e, _ in elements if role == "Figure"]
        assert "Carmen Rojas Vega" in alts and len(alts) == 2  # the emblem and the signature
