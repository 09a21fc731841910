"""The delegates' documents, read back from the real files."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from kitbuilder.cli import main
from kitbuilder.delegates.build import DOCUMENTS, build_delegates
from kitbuilder.delegates.check import check_delegates
from kitbuilder.delegates.design import sort_key
from kitbuilder.project import ProjectPaths
from tests.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "registrations.example.csv"
MM = 72 / 25.4

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("delegates-out")
    paths = ProjectPaths.find(ROOT, output=output)
    result = build_delegates(paths, EXAMPLE, DOCUMENTS)
    people = check_delegates(paths, EXAMPLE).registrations.delegates
    return output / "delegates", result, people


def page_size_mm(path: Path) -> tuple[int, int]:
    box = PdfReader(path).pages[0].mediabox
    return round(float(box.width) / MM), round(float(box.height) / MM)


def test_one_letter_per_person_in_their_language_and_paper(built):
    folder, result, people = built
    assert result.rendered["letter"] == len(people)
    for person in people:
        pdf = folder / "letters" / f"{person.file_stem}-letter.pdf"
        docx = folder / "letters" / f"{person.file_stem}-letter.docx"
        assert pdf.is_file() and docx.is_file()
        assert len(PdfReader(pdf).pages) == 1
        text = pdf_text(pdf)
        assert person.given_name in text and person.family_name.split()[0] in text
        if person.language == "es":
            assert "tengo el honor de invitarle" in text
        else:
            assert "I have the honour to invite you" in text
        expected = (210, 297) if person.country in ("DO", "HN") else (216, 279)
        assert page_size_mm(pdf) == expected
        # The shared parts (0.8 MB of styles) are compressed, once for everyone.
        assert docx.stat().st_size < 150_000
        paragraphs = "\n".join(p.text for p in Document(docx).paragraphs)
        assert person.full_name in paragraphs
        assert "KBFIELD" not in paragraphs


def test_every_pdf_reads_cleanly_through_its_cross_reference_table(built):
    from tests.delegates.test_pdfwriter import assert_qpdf_clean

    folder, _, _ = built
    files = sorted(folder.rglob("*.pdf"))
    assert len(files) > 20
    for path in files:
        assert_qpdf_clean(path)


def test_letter_names_no_other_delegate(built):
    folder, _, people = built
    mine = people[0]
    text = pdf_text(folder / "letters" / f"{mine.file_stem}-letter.pdf")
    for other in people[1:]:
        assert other.email not in text and other.full_name not in text


def test_no_badges_in_a_virtual_meeting_and_everyone_listed_remote(built):
    folder, result, people = built
    assert result.rendered["badges"] == 0
    assert not list((folder / "badges").glob("*.pdf"))
    assert any(p.participation == "in-person" for p in people)  # as registered
    text = pdf_text(folder / "list" / "list-of-participants-en.pdf")
    assert "In person" not in text and text.count("Remote") == len(people)


def test_long_names_shrink_or_wrap():
    from kitbuilder.delegates.badges import MAX_PT, MIN_PT, fit

    font = ROOT / "layouts" / "fonts" / "NotoSans-Bold.ttf"
    assert fit("Ana", font) == (MAX_PT, True)
    size, one_line = fit("Fernández-Villaverde Rodríguez", font)
    assert MIN_PT <= size < MAX_PT and one_line
    assert fit("Fernández-Villaverde y Rodríguez de la Concepción", font) == (MIN_PT, False)


def test_list_sorted_per_language_with_symbol(built):
    folder, _, everyone = built
    people = [p for p in everyone if p.kind == "delegation"]
    for lang, first, second in (("en", "Belize", "Canada"), ("es", "Belice", "Canadá")):
        text = pdf_text(folder / "list" / f"list-of-participants-{lang}.pdf")
        assert "RCM/WGLM/2021/WS.1/INF.2" in text
        assert text.index(first) < text.index(second)
        html = (folder / "list" / f"list-of-participants-{lang}.html").read_text()
        assert "RCM/WGLM/2021/WS.1/INF.2" in html
        doc = Document(folder / "list" / f"list-of-participants-{lang}.docx")
        # The countries' headings, under the delegations' (organisations follow).
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
        countries = headings[:len({p.country for p in people})]
        assert countries == sorted(countries, key=lambda h, lang=lang: sort_key(h, lang))
        assert len(headings) == len({p.country for p in people}) + len(
            {p.organisation for p in everyone if p.kind == "organisation"})
        rows = sum(len(t.rows) - 1 for t in doc.tables)
        assert rows == len(everyone)
    es = pdf_text(folder / "list" / "list-of-participants-es.pdf")
    # Spanish order: "El Salvador" before "Estados Unidos", "México" after "Honduras".
    assert es.index("El Salvador") < es.index("Estados Unidos") < es.index("Guatemala")
    assert es.index("Honduras") < es.index("México") < es.index("Panamá")


def test_every_docx_is_the_same_bytes_whenever_it_is_built(built):
    """No part of a letter's or the list's DOCX carries the time it was written."""
    folder, _, _ = built
    documents = sorted(folder.rglob("*.docx"))
    assert any(p.parent.name == "list" for p in documents) and len(documents) > 2
    for path in documents:
        with zipfile.ZipFile(path) as archive:
            stamps = {info.date_time for info in archive.infolist()}
        assert stamps == {(1980, 1, 1, 0, 0, 0)}, (path.name, stamps)


def test_certificates_only_for_attendees_pdfa_with_unique_codes(built):
    folder, result, people = built
    attended = [p for p in people if p.attendance == "attended"]
    files = sorted((folder / "certificates").glob("*-certificate.pdf"))
    assert len(files) == len(attended) == result.rendered["certificate"]
    with (folder / "certificates.csv").open(encoding="utf-8") as handle:
        register = list(csv.DictReader(handle))
    codes = [row["code"] for row in register]
    assert len(codes) == len(set(codes)) == len(attended)
    by_file = {row["file"]: row["code"] for row in register}
    for person in attended:
        name = f"certificates/{person.file_stem}-certificate.pdf"
        text = pdf_text(folder / name)
        assert by_file[name] in text
        assert person.family_name.split()[0] in text
        with pikepdf.open(folder / name) as pdf:
            meta = pdf.open_metadata()
            assert meta.pdfa_status.startswith("3")
            assert "/OutputIntents" in pdf.Root
    not_attended = [p for p in people if p.attendance != "attended"]
    assert not any((folder / "certificates" / f"{p.file_stem}-certificate.pdf").exists()
                   for p in not_attended)


def test_markup_in_a_name_is_printed_as_text(tmp_path):
    source = tmp_path / "r.csv"
    source.write_text(EXAMPLE.read_text(encoding="utf-8").splitlines()[0] + "\n" +
                      "<b>Bold</b> {{ 7*7 }},O'Brien <script>,Ms,=1+1,Pos,MX,es,"
                      "x@example.org,attended,in-person\n", encoding="utf-8")
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    build_delegates(paths, source, ("list", "letter", "badges", "certificate"), jobs=1)
    for pdf in (tmp_path / "out/delegates").rglob("*.pdf"):
        # (a narrow column may break the line after the slash)
        assert "<b>Bold</b>{{7*7}}" in pdf_text(pdf).replace(" ", "")
    html = (tmp_path / "out/delegates/list/list-of-participants-es.html").read_text()
    assert "&lt;b&gt;Bold&lt;/b&gt; {{ 7*7 }}" in html and "<script>" not in html
    assert "49" not in html.split("{{ 7*7 }}")[0][-5:]


def test_no_op_and_one_changed_registrant(tmp_path):
    source = tmp_path / "r.csv"
    shutil.copy(EXAMPLE, source)
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    first = build_delegates(paths, source, DOCUMENTS)
    assert sum(first.rendered.values()) > 0
    again = build_delegates(paths, source, DOCUMENTS)
    assert not again.rendered
    text = source.read_text(encoding="utf-8").replace("Directora de Movilidad Laboral",
                                                      "Directora General")
    source.write_text(text, encoding="utf-8")
    changed = build_delegates(paths, source, DOCUMENTS)
    # Ana María García López (MX, attended): her letter and certificate and the list in each
    # language (a virtual meeting has no badges; test_hybrid_one_edit_renders_its_badge_sheet).
    assert dict(changed.rendered) == {"letter": 1, "certificate": 1, "list": 2}
    letter = next((tmp_path / "out/delegates/letters").glob("MX-garcia-lopez-*-letter.pdf"))
    assert "Directora General" in pdf_text(letter)
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_clean_removes_the_delegates_documents_and_keeps_the_records(tmp_path):
    from kitbuilder.clean import RECORDS, clean

    out = tmp_path / "out"
    paths = ProjectPaths.find(ROOT, output=out)
    build_delegates(paths, EXAMPLE, ("list", "certificate"), jobs=1)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    register = out / "delegates" / "certificates.csv"
    before = register.read_bytes()
    issued = out / "delegates" / "letters-issued.csv"  # the letters' issue record
    issued.write_text("reference,date\n", encoding="utf-8")
    (out / "mail").mkdir()
    (out / "mail" / "ledger.jsonl").write_text("{}\n", encoding="utf-8")
    assert {"delegates/certificates.csv", "delegates/letters-issued.csv"} <= set(RECORDS)
    result = clean(out)
    assert result.kept == ["notes.txt"]
    assert result.records == ["delegates/certificates.csv", "delegates/letters-issued.csv",
                              "mail/ledger.jsonl"]
    assert register.read_bytes() == before and issued.is_file()
    assert not (out / "delegates" / "list").exists()
    assert not (out / "delegates" / "certificates").exists()
    assert not (out / "delegates" / ".state.json").exists()
    # A second clean has nothing to do and still keeps them, and says so.
    again = clean(out)
    assert again.removed == [] and again.records == result.records
    assert register.read_bytes() == before
    said = CliRunner().invoke(main, ["clean", "--output", str(out)])
    assert said.exit_code == 0
    assert "Kept 3 record(s), never cleaned: delegates/certificates.csv" in said.output
    assert register.read_bytes() == before


def test_hybrid_example_letter_names_venue_and_join_link_for_remote(tmp_path):
    source = tmp_path / "r.csv"
    source.write_text("given_name,family_name,country,language,email,participation\n"
                      "Ana,García López,GT,es,ana@example.org,remote\n"
                      "Tom,Smith,CA,en,tom@example.org,in-person\n", encoding="utf-8")
    paths = ProjectPaths.find(ROOT / "examples" / "hybrid-workshop", output=tmp_path / "out")
    build_delegates(paths, source, ("letter",), jobs=1)
    letters = tmp_path / "out" / "delegates" / "letters"
    remote = pdf_text(next(letters.glob("GT-*-letter.pdf")))
    in_person = pdf_text(next(letters.glob("CA-*-letter.pdf")))
    assert "Example Conference Centre" in remote and "Example Conference Centre" in in_person
    assert "https://meet.example.org/example-hybrid-2027" in remote
    assert "meet.example.org" not in in_person


def test_a_delegates_build_leaves_nothing_in_the_temp_folder(tmp_path, monkeypatch):
    """Like a kits build, it runs in a temp folder of its own (WeasyPrint's font folders and
    the workers included) and removes it: before, every run left folders behind."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    result = build_delegates(paths, EXAMPLE, ("letter", "badges"), jobs=2)
    assert result.rendered["letter"] > 0
    assert not list(scratch.iterdir()), [p.name for p in scratch.iterdir()]


def _invented(count: int) -> str:
    """``count`` invented delegates spread over the shipped countries (example.org)."""
    countries = {"BZ": "en", "CA": "en", "US": "en", "CR": "es", "DO": "es", "SV": "es",
                 "GT": "es", "HN": "es", "MX": "es", "NI": "es", "PA": "es"}
    codes = sorted(countries)
    lines = ["given_name,family_name,country,language,email,position"]
    for number in range(count):
        code = codes[number % len(codes)]
        lines.append(f"Ana {number},Núñez {number:04d},{code},{countries[code]},"
                     f"delegate{number:04d}@example.org,Director")
    return "\n".join(lines) + "\n"


def test_a_long_list_numbers_every_page_and_repeats_the_table_header(tmp_path):
    source = tmp_path / "r.csv"
    source.write_text(_invented(300), encoding="utf-8")
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    first = build_delegates(paths, source, ("list",), jobs=2)
    assert first.rendered["list"] == 2  # one list in each language
    pdf = tmp_path / "out/delegates/list/list-of-participants-en.pdf"
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages >= 4
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert "RCM/WGLM/2021/WS.1/INF.2" in text  # the footer of every page
        # A country's table that goes on to the next page takes its header row with it.
        assert "Name" in text and "Organisation" in text
    text = pdf_text(pdf)
    assert text.count("List of participants") == 1  # the heading on the first page only
    assert all(f"NÚÑEZ {n:04d}, Ana {n}" in text for n in range(300))
    assert text.index("Belize") < text.index("Canada") < text.index("United States")

    source.write_text(source.read_text(encoding="utf-8").replace(
        "delegate0007@example.org,Director", "delegate0007@example.org,Minister"),
        encoding="utf-8")
    edited = build_delegates(paths, source, ("list",), jobs=2)
    assert edited.rendered["list"] == 2
    assert "Minister" in pdf_text(pdf)
    assert len(PdfReader(pdf).pages) == pages


def test_no_op_reads_no_row_and_a_missing_file_is_rendered_again(tmp_path, monkeypatch):
    """Unchanged inputs and every file there: the build ends before loading the project or
    checking a row (the stamp); a deleted file or an edited input means a real build."""
    import kitbuilder.delegates.check as check

    source = tmp_path / "r.csv"
    shutil.copy(EXAMPLE, source)
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    first = build_delegates(paths, source, ("letter",), jobs=1)
    people = first.people

    def refuse(*args, **kwargs):
        raise AssertionError("the no-op loaded the registrations")

    with monkeypatch.context() as patched:
        patched.setattr(check, "check_delegates", refuse)
        again = build_delegates(paths, source, ("letter",), jobs=1)
    assert not again.rendered and again.people == people

    letter = next((tmp_path / "out/delegates/letters").glob("*-letter.pdf"))
    letter.unlink()
    repaired = build_delegates(paths, source, ("letter",), jobs=1)
    assert dict(repaired.rendered) == {"letter": 1} and letter.is_file()

    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = build_delegates(paths, source, ("letter",), jobs=1)  # same rows: nothing new
    assert not edited.rendered
    with monkeypatch.context() as patched:  # and the edited file is now the one vouched for
        patched.setattr(check, "check_delegates", refuse)
        assert not build_delegates(paths, source, ("letter",), jobs=1).rendered


def test_a_change_to_kitbuilders_code_or_tools_renders_everything_again(tmp_path, monkeypatch):
    """The documents depend on more than delegates/ (render/pdf.py, locale.py, WeasyPrint's
    version): the same code digest as the kits' decides."""
    import kitbuilder.delegates.build as delegates_build

    source = tmp_path / "r.csv"
    shutil.copy(EXAMPLE, source)
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    first = build_delegates(paths, source, ("letter",), jobs=1)
    assert not build_delegates(paths, source, ("letter",), jobs=1).rendered
    monkeypatch.setattr(delegates_build, "code_digest", lambda: "a newer kitbuilder")
    again = build_delegates(paths, source, ("letter",), jobs=1)
    assert dict(again.rendered) == dict(first.rendered)


def test_a_projects_older_letter_layout_is_a_clear_error(tmp_path, project_copy):
    """A project's own copy of the layouts made before the samples existed: the build says
    which element is missing instead of failing somewhere inside."""
    from kitbuilder.errors import KitError

    project = project_copy()
    layout = project / "layouts" / "delegates" / "letter.html.j2"
    layout.write_text(layout.read_text(encoding="utf-8").replace(' data-style="addressee-name"',
                                                                 ""), encoding="utf-8")
    paths = ProjectPaths.find(project, output=tmp_path / "out")
    with pytest.raises(KitError) as failure:
        build_delegates(paths, EXAMPLE, ("letter",), jobs=1)
    message = str(failure.value)
    assert 'data-style="addressee-name"' in message and "layouts/delegates/" in message
    assert not list((tmp_path / "out" / "delegates" / "letters").glob("*.pdf"))


def test_the_longest_cells_allowed_are_set_whole_in_letters_certificates_and_list(tmp_path):
    """300 characters (the most a cell may hold) in every text column, one of them a single
    word: set smaller or broken inside the word, never cut off and never an error (the badge
    too: its whole block of names is set smaller above the band)."""
    from kitbuilder.delegates.registrations import MAX_CELL

    word = ("Ñ" + "a" * 9) * (MAX_CELL // 10)
    words = " ".join(["Organización"] * (MAX_CELL // 13))
    source = tmp_path / "r.csv"
    row = ("given_name,family_name,title,organisation,position,country,language,"
           "email,attendance,participation\n"
           f"{word},{words},Dr,{words},{word},MX,es,long@example.org,attended,")
    source.write_text(row + "remote\n", encoding="utf-8")
    paths = ProjectPaths.find(ROOT, output=tmp_path / "out")
    result = build_delegates(paths, source, DOCUMENTS, jobs=1)
    assert result.rendered["letter"] == result.rendered["certificate"] == 1
    # The badge: in a hybrid meeting, for the same person coming in person.
    in_person = tmp_path / "in-person.csv"
    in_person.write_text(row + "in-person\n", encoding="utf-8")
    hybrid = ProjectPaths.find(ROOT / "examples" / "hybrid-workshop", output=tmp_path / "out2")
    assert build_delegates(hybrid, in_person, ("badges",), jobs=1).rendered["badges"] == 1
    folder = tmp_path / "out" / "delegates"
    compact = words.replace(" ", "")
    for pdf in (*folder.glob("letters/*.pdf"), *folder.glob("certificates/*.pdf"),
                folder / "list" / "list-of-participants-es.pdf",
                tmp_path / "out2" / "delegates" / "badges" / "MX-badges.pdf"):
        text = pdf_text(pdf).replace(" ", "")
        if pdf.name.startswith("list-"):
            # Read in the order the cells are drawn: poppler's layout reading splits a tall
            # cell beside another into blocks, whatever page the row lands on.
            text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                                  capture_output=True, text=True).stdout
            text = re.sub(r"\s+", "", text)
        assert compact in text, pdf.name  # the organisation, whole
        assert word in text or word.upper() in text, pdf.name
