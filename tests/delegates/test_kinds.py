"""Issue 22: every kind of participant (delegations, international organisations, resource
persons, observers, the secretariat) in the list, the badges and the files; a withdrawn
country takes only its own delegates' documents. Read back from the real files."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from kitbuilder.delegates.build import DOCUMENTS, build_delegates
from kitbuilder.delegates.check import check_delegates
from kitbuilder.project import ProjectPaths
from tests.conftest import pdf_text
from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
HYBRID = ROOT / "examples" / "hybrid-workshop"

pytestmark = pytest.mark.slow

# Invented people at example.org; the hybrid example's countries are GT, MX, CA and ES.
ROWS = (
    "given_name,family_name,title,organisation,position,"
    "country,language,email,attendance,participation,kind\n"
    "Ana María,García López,Ms,Secretaría del Trabajo,Directora,"
    "MX,es,ana@example.org,attended,in-person,\n"
    "Tom,Smith,Mr,Department of Labour,Adviser,"
    "CA,en,tom@example.org,registered,in-person,delegation\n"
    "Rosa,Pérez,Ms,Ministerio de Trabajo,Asesora,"
    "GT,es,rosa@example.org,registered,in-person,delegation\n"
    "Luis,Ortega,Mr,Ministerio de Inclusión,Técnico,"
    "ES,es,luis@example.org,registered,remote,delegation\n"
    "Αικατερίνη,Παπαδοπούλου,Dr,Department of Labour,Economist,"
    "CA,en,aikaterini@example.org,registered,remote,delegation\n"
    "Fatou,Diallo,Ms,International Labour Organization,Specialist,"
    ",en,fatou@example.org,attended,in-person,organisation\n"
    "Pierre,Martin,Mr,International Organization for Migration,Officer,"
    "FR,,pierre@example.org,attended,in-person,international organisation\n"
    "Lucía,Herrera Soto,Dr,Universidad de Costa Rica,Profesora,"
    "CR,es,lucia@example.org,attended,in-person,resource-person\n"
    "Hiroshi,Tanaka,Mr,Embassy of Japan,Second Secretary,"
    "JP,en,hiroshi@example.org,no-show,in-person,observer\n"
    "Carmen,Rojas Vega,Ms,Technical Secretariat,Conference Officer,"
    "GT,es,carmen@example.org,attended,in-person,secretariat\n"
)


def layout_text(path: Path) -> str:
    """The PDF's text in reading order of its layout (pdftotext -layout): a heading set on a
    shaded band otherwise comes out of order."""
    require("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


def write_rows(folder: Path, text: str = ROWS) -> Path:
    source = folder / "registrations.csv"
    source.write_text(text, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kinds")
    source = write_rows(folder)
    paths = ProjectPaths.find(HYBRID, output=folder / "out")
    result = build_delegates(paths, source, DOCUMENTS)
    people = check_delegates(paths, source).registrations.delegates
    return folder / "out" / "delegates", result, people


def test_kinds_read_with_their_language_and_country(hybrid):
    _, _, people = hybrid
    by_email = {p.email: p for p in people}
    assert by_email["ana@example.org"].kind == "delegation"  # an empty kind: a delegate
    assert by_email["pierre@example.org"].kind == "organisation"
    assert by_email["pierre@example.org"].language == "en"  # the workshop's first
    assert by_email["carmen@example.org"].country == "GT"
    assert by_email["lucia@example.org"].country == "CR"  # not a participating country
    assert {p.group_code for p in people} == {"MX", "CA", "GT", "ES", "IO", "RP", "OBS",
                                              "SEC"}


SECTIONS = {"en": ["Delegations", "International organisations", "Resource persons",
                   "Observers", "Secretariat"],
            "es": ["Delegaciones", "Organizaciones internacionales", "Especialistas invitados",
                   "Observadores", "Secretaría"]}


def test_the_list_groups_every_kind_in_order(hybrid):
    folder, _, people = hybrid
    for lang, sections in SECTIONS.items():
        stem = folder / "list" / f"list-of-participants-{lang}"
        text = layout_text(stem.with_suffix(".pdf"))
        upper = [s.upper() for s in sections]  # the titles are set in capitals
        at = [text.index(title) for title in upper]
        assert at == sorted(at), lang
        # Delegations by country in this language's order, organisations by name.
        order = (["Canada", "Guatemala", "Mexico", "Spain"] if lang == "en" else
                 ["Canadá", "España", "Guatemala", "México"])
        places = [text.index(name) for name in order]
        assert at[0] < places[0] and places == sorted(places) and places[-1] < at[1]
        assert at[1] < text.index("International Labour") < text.index(
            "International Organization") < at[2]
        assert at[3] < text.index("TANAKA, Hiroshi") < at[4] < text.index("ROJAS VEGA, Carmen")
        for person in people:
            assert person.given_name in text
        html = stem.with_suffix(".html").read_text(encoding="utf-8")
        titles = re.findall(r'<h2 class="section">([^<]+)</h2>', html)
        assert titles == sections
        assert len(set(re.findall(r'<tr id="(p\d+)"', html))) == len(people)  # unique ids
        doc = Document(stem.with_suffix(".docx"))
        assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == sections
        assert sum(len(t.rows) - 1 for t in doc.tables) == len(people)


def test_the_docx_list_is_styled_like_the_pdf(hybrid):
    folder, _, _ = hybrid
    doc = Document(folder / "list" / "list-of-participants-en.docx")
    for table in doc.tables:
        properties = table._tbl.tblPr
        margins = properties.find(qn("w:tblCellMar"))
        assert margins is not None
        assert int(margins.find(qn("w:left")).get(qn("w:w"))) >= 100  # text off the borders
        header = table.rows[0]._tr
        assert header.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
        shading = header.find(qn("w:tc")).tcPr.find(qn("w:shd"))
        assert shading.get(qn("w:fill")) == "0F4C81"
        assert [c.text for c in table.rows[0].cells] == ["Name", "Position", "Organisation",
                                                         "Participation"]
        for row in table.rows[1:]:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_badges_only_for_who_comes_in_person(hybrid):
    folder, result, people = hybrid
    names = sorted(p.name for p in (folder / "badges").glob("*.pdf"))
    # Luis (ES) is remote, Hiroshi (observer) a no-show: no sheet for either.
    assert names == ["CA-badges.pdf", "GT-badges.pdf", "IO-badges.pdf", "MX-badges.pdf",
                     "RP-badges.pdf", "SEC-badges.pdf"]
    assert result.rendered["badges"] == len(names)


def test_withdrawing_a_country_keeps_everyone_else(tmp_path):
    """Guatemala withdrawn (its entry and its delegate's row removed): the secretariat member
    of Guatemalan nationality keeps her letter, badge and certificate, untouched."""
    project = tmp_path / "project"
    shutil.copytree(HYBRID, project, ignore=shutil.ignore_patterns("output"))
    source = write_rows(tmp_path)
    paths = ProjectPaths.find(project, output=tmp_path / "out")
    build_delegates(paths, source, DOCUMENTS, jobs=1)
    folder = tmp_path / "out" / "delegates"
    carmen = sorted(p.name for p in folder.rglob("SEC-rojas-vega-*"))
    assert len(carmen) == 3  # letter (PDF, DOCX), certificate
    before = {p: p.read_bytes() for p in folder.rglob("SEC-*")}

    countries = project / "content" / "countries.yaml"
    text, found = re.subn(r"  - code: GT\n(    .*\n)+", "", countries.read_text())
    assert found == 1
    countries.write_text(text, encoding="utf-8")
    write_rows(tmp_path, "".join(line for line in ROWS.splitlines(keepends=True)
                                 if ",GT,es,rosa@" not in line))
    paths = ProjectPaths.find(project, output=tmp_path / "out")
    again = build_delegates(paths, source, DOCUMENTS, jobs=1)
    assert again.removed >= 2  # Rosa's letter (PDF, DOCX) and GT's badge sheet
    assert not list(folder.rglob("GT-perez-*")) and not (folder / "badges/GT-badges.pdf").exists()
    assert sorted(p.name for p in folder.rglob("SEC-rojas-vega-*")) == carmen
    assert {p: p.read_bytes() for p in folder.rglob("SEC-*")} == before
    assert "ROJAS VEGA, Carmen" in pdf_text(folder / "list" / "list-of-participants-en.pdf")


def test_a_delegate_of_a_country_not_taking_part_is_an_error_that_names_the_kinds(tmp_path):
    source = write_rows(tmp_path, ROWS.splitlines()[0] + "\n"
                        "Ana,Ruiz,,,,PE,es,ana.ruiz@example.org,,,\n"
                        "Ola,Berg,,Some body,,,en,ola@example.org,,,observer\n"
                        "Kim,Lee,,,,,,kim@example.org,,,organisation\n"
                        "Max,Roe,,,,XX,,max@example.org,,,staff\n"
                        "Eva,Nile,,,,,,eva@example.org,,,guest\n")
    paths = ProjectPaths.find(HYBRID, output=tmp_path / "out")
    messages = [str(p) for p in check_delegates(paths, source).problems.errors]
    assert messages == [
        f"{source}:2: error: country 'PE' is not a participating country (content/"
        "countries.yaml has GT, MX, CA, ES); a participant of another kind gets a kind column "
        "(organisation, resource-person, observer, secretariat)",
        f"{source}:4: error: the organisation is missing: an international organisation's "
        "people are listed under its name",
        f"{source}:5: error: country 'XX' is not a country's ISO code or name; give the code "
        "(e.g. MX), or leave it empty",
        f"{source}:6: error: kind 'guest' must be one of delegation, organisation, "
        "resource-person, observer, secretariat",
    ]
def test_badges_one_per_person_with_a_band_per_kind_and_crop_marks(hybrid):
    folder, _, people = hybrid
    texts = {pdf.name.split("-")[0]: pdf_text(pdf) for pdf in (folder / "badges").glob("*.pdf")}
    holders = [p for p in people if p.participation == "in-person" and p.attendance != "no-show"]
    assert set(texts) == {p.group_code for p in holders}
    for person in holders:
        text = texts[person.group_code]
        assert text.count(person.given_name) == 1
        for word in person.family_name.split():  # the long compound name wraps, never cut
            assert word in text
    everything = "".join(texts.values())
    for person in people:
        if person not in holders:  # remote, or a no-show: no badge
            assert person.given_name not in everything
    bands = {code: text.replace(" ", "") for code, text in texts.items()}  # letter-spaced
    assert "DELEGATION" in bands["CA"] and "DELEGACIÓN" in bands["MX"]
    assert "ORGANIZACIÓNINTERNACIONAL" in bands["IO"] or "INTERNATIONALORGANISATION" in bands["IO"]
    assert "SECRETARIAT" in bands["SEC"] or "SECRETARÍA" in bands["SEC"]
    assert "ESPECIALISTA" in bands["RP"]  # Lucía's language
    # Under a resource person's name: their organisation (the band says what they are).
    assert "Universidad de Costa Rica" in texts["RP"] and texts["RP"].count("Especialista") == 0
    # The band says what the person is; the line under the name, their country or body.
    assert "Guatemala" in texts["GT"] and "International Labour Organization" in texts["IO"]




def test_the_html_list_embeds_its_fonts_with_the_letters_of_every_name(hybrid):
    import base64
    import io

    from fontTools.ttLib import TTFont

    folder, _, _ = hybrid
    html = (folder / "list" / "list-of-participants-en.html").read_text(encoding="utf-8")
    assert "ΠΑΠΑΔΟΠΟΎΛΟΥ" in html or "ΠΑΠΑΔΟΠΟΥΛΟΥ" in html
    faces = re.findall(r"@font-face \{([^}]*)\}", html)
    assert faces and not re.search(r"url\((?!data:)", html)  # nothing fetched, no path
    covered: dict[str, set[int]] = {}
    for face in faces:
        family = re.search(r'font-family: "([^"]+)"', face)[1]
        weight = re.search(r"font-weight: (\w+)", face)[1]
        data = re.search(r"base64,([A-Za-z0-9+/=]+)", face)[1]
        cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
        covered.setdefault(f"{family} {weight}", set()).update(cmap)
    # Every letter of the names, in the face the list sets them in (names in bold Sans).
    greek = re.search(r"ΠΑΠΑΔΟΠΟ[^<]*", html)[0]  # as the list prints it
    for letter in greek.replace(" ", "").replace(",", "") + "GARCÍALÓPEZ":
        assert ord(letter) in covered["Noto Sans bold"] | covered["Noto Sans normal"], letter
    assert len(html.encode()) < 400_000
