"""Names in every script on the delegates' documents, read back from the real files: the text
(pdftotext), the language and the embedded faces (pikepdf), pages drawn (pdftoppm), the list
in Word and HTML."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from kitbuilder import locale as loc
from kitbuilder.delegates.build import DOCUMENTS, build_delegates
from kitbuilder.delegates.check import check_delegates
from kitbuilder.project import ProjectPaths
from kitbuilder.quality import fonts as kit_fonts
from tests.tools import require, require_file

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("given_name,family_name,title,organisation,position,country,language,email,"
          "attendance,participation,given_name_latin,family_name_latin\n")
# (given, family, Latin given, Latin family, the face that must draw it)
PEOPLE = [
    ("Zoë", "Łukasiewicz-Ødegård", "", "", "NotoSans"),
    ("Αικατερίνη", "Παπαδοπούλου", "Aikaterini", "Papadopoulou", "NotoSans"),
    ("Анна", "Кузнецова", "", "", "NotoSans"),
    ("محمد", "عبد الله", "Mohammed", "Abdullah", "NotoSansArabic"),
    ("דוד", "לוי", "David", "Levi", "NotoSansHebrew"),
    ("小明", "王", "Xiaoming", "Wang", "NotoSansCJK"),
    ("太郎", "山田", "Taro", "Yamada", "NotoSansCJK"),
    ("민준", "김", "Minjun", "Kim", "NotoSansCJK"),
    ("अमिताभ", "बच्चन", "Amitabh", "Bachchan", "NotoSansDevanagari"),
    ("สมชาย", "ใจดี", "Somchai", "Jaidee", "NotoSansThai"),
    ("አበበ", "ቢቂላ", "Abebe", "Bikila", "NotoSansEthiopic"),
    ("Ayşe", "Yılmaz", "", "", "NotoSans"),
]
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))

pytestmark = pytest.mark.slow


def registrations(path: Path) -> Path:
    rows = [f"{given},{family},,Org {i},Officer,MX,es,p{i}@example.org,attended,in-person,"
            f"{latin_given},{latin_family}\n"
            for i, (given, family, latin_given, latin_family, _) in enumerate(PEOPLE)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    require_file(kit_fonts.SYSTEM_FONTS[0].path, "fonts-noto-cjk")
    folder = tmp_path_factory.mktemp("scripts")
    file = registrations(folder / "registrations.csv")
    # A hybrid meeting: badges are printed for who comes in person (none in a virtual one).
    paths = ProjectPaths.find(ROOT / "examples" / "hybrid-workshop", output=folder / "out")
    checked = check_delegates(paths, file)
    assert not checked.problems.errors, [p.message for p in checked.problems.errors]
    build_delegates(paths, file, DOCUMENTS)
    return folder / "out" / "delegates"


@cache  # the built documents do not change: each is read once, not once per person
def text_of(pdf: Path) -> str:
    done = subprocess.run([require("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return unicodedata.normalize("NFC", done.stdout.translate(BIDI_MARKS))


def words(name: str) -> list[str]:
    return re.findall(r"\w+", name)


def faces(pdf: Path) -> set[str]:
    found = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                found.add(re.sub(r"^[A-Z]{6}\+", "", str(font.BaseFont)[1:]))
                descendant = font.DescendantFonts[0]
                assert "/FontFile2" in descendant.FontDescriptor or \
                    "/FontFile3" in descendant.FontDescriptor  # embedded, not named only
    return found


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.rglob(pattern))
    assert found, pattern
    return found[0]


def test_every_script_reads_back_from_badges_and_list(built):
    for pattern in ("*badges*.pdf", "*list*.pdf"):
        pdf = one(built, pattern)
        text = text_of(pdf)
        for given, family, latin_given, latin_family, _ in PEOPLE:
            for word in words(given + " " + family + " " + latin_given + " " + latin_family):
                # The list prints family names in capitals, each by its language's rules.
                assert word in text or loc.upper(word) in text, (pdf.name, word)
        suffix = re.search(r"-([a-z]{2})\.pdf$", pdf.name)
        with pikepdf.open(pdf) as document:  # the list's language, or the delegates' (es)
            assert str(document.Root.Lang) == (suffix.group(1) if suffix else "es")
        used = faces(pdf)
        for *_, face in PEOPLE:
            assert any(name.startswith(face) for name in used), (pdf.name, face, used)


def test_capitals_follow_the_names_language(built):
    text = text_of(one(built, "*list*.pdf"))
    assert "ΠΑΠΑΔΟΠΟΥΛΟΥ" in text and "ΠΑΠΑΔΟΠΟΎΛΟΥ" not in text
    assert "YILMAZ" in text  # ı capitalised as I, not as İ


def test_transliteration_beside_the_original_on_the_list(built):
    text = " ".join(text_of(one(built, "*list*.pdf")).split())
    assert "(WANG, Xiaoming)" in text and "(PAPADOPOULOU, Aikaterini)" in text


def test_each_persons_letter_and_certificate_names_them_in_their_script(built):
    for given, family, *_ in PEOPLE:
        for kind in ("letter", "certificate"):
            pdfs = [p for p in built.rglob(f"*{kind}*.pdf")
                    if all(w in text_of(p) for w in words(given + " " + family))]
            assert pdfs, (kind, family)


def test_pages_are_drawn_with_ink_for_every_script(built, tmp_path):
    from PIL import Image

    for pattern in ("*badges*.pdf", "*list*.pdf"):
        pdf = one(built, pattern)
        subprocess.run([require("pdftoppm"), "-r", "50", "-png", str(pdf),
                        str(tmp_path / pdf.stem)], check=True)
        pngs = sorted(tmp_path.glob(f"{pdf.stem}*.png"))
        assert pngs
        for png in pngs:
            with Image.open(png) as image:
                dark = sum(image.convert("L").histogram()[:128])
            assert dark > 500, png.name  # text drawn, not a blank page


def test_the_word_and_html_lists_show_every_script(built):
    docx = one(built, "*list*.docx")
    cells = " ".join(cell.text for table in Document(str(docx)).tables
                     for row in table.rows for cell in row.cells)
    html = one(built, "*list*.html").read_text(encoding="utf-8")
    for given, family, latin_given, *_ in PEOPLE:
        for word in words(given + " " + family + " " + latin_given):
            # Family names in capitals, by their language's rules.
            assert word in cells or loc.upper(word) in cells, word
            assert word in html or loc.upper(word) in html, word
    assert '"Noto Sans Arabic"' in html and "<bdi>" in html
    xml = Document(str(docx)).element.xml
    assert 'w:cs="Noto Sans Arabic"' in xml and "<w:rtl/>" in xml
