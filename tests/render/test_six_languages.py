"""Kits in the six official languages of the United Nations (issue 24): the example project
examples/un-six-languages built once, its files opened with poppler, pikepdf, python-docx and
the HTML itself; Arabic right to left, Chinese broken by its own rules, Russian hyphenated."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from pathlib import Path

import pytest

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.conftest import ROOT
from tests.render.test_pdf import page_widths, words_with_boxes
from tests.tools import require

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "un-six-languages"
KITS = [("eg", "ar"), ("cn", "zh"), ("ru", "ru"), ("fr", "fr"), ("gb", "en"), ("mx", "es")]
TITLES = {"ar": "مذكرة مفاهيمية", "zh": "开放数据助力可持续发展目标",
          "ru": "Открытые данные для целей", "fr": "Des données ouvertes",
          "en": "Open data for the Sustainable", "es": "Datos abiertos para los"}
# A word of each language's catalog the layouts print (locales/<lang>/LC_MESSAGES).
PAGE_WORDS = {"ar": "الصفحة", "zh": "共5页", "ru": "Страница", "fr": "Page", "en": "Page",
              "es": "Página"}
# Closing punctuation no line of Chinese may start with.
CLOSING = "，。、；：？！）》」』】〕"


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("six-languages")
    reporter = Reporter()
    build(Settings(content=EXAMPLE / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales"), reporter)
    return output


def kit(output: Path, code: str, lang: str, suffix: str) -> Path:
    return output / code / lang / f"example-un6-2027-{code}-{lang}.{suffix}"


def text_of(pdf: Path, *options: str) -> str:
    return subprocess.run([require("pdftotext"), *options, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_every_kit_is_built_in_every_format(six):
    for code, lang in KITS:
        for suffix in ("pdf", "docx", "html", "ics"):
            assert kit(six, code, lang, suffix).stat().st_size > 0, (code, lang, suffix)


@pytest.mark.parametrize("code, lang", KITS)
def test_pdf_text_language_and_subset_fonts(six, code, lang):
    import pikepdf

    pdf = kit(six, code, lang, "pdf")
    assert pdf.stat().st_size < 1_000_000
    text = text_of(pdf)
    assert TITLES[lang] in text and PAGE_WORDS[lang] in text
    assert "EXAMPLE/2027/WS.6/1" in text
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == lang
    rows = subprocess.run([require("pdffonts"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1] for row in rows}
    for row in rows:  # name type encoding emb sub uni object ID
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], (pdf, row)  # embedded, subset
        assert "Noto" in row.split()[0], (pdf, row)
    wanted = {"ar": "Noto-Sans-Arabic", "zh": "Noto-Sans-CJK-SC"}.get(lang, "Noto-Sans")
    assert wanted in fonts, fonts


def test_arabic_pages_run_right_to_left(six):
    """The running head's conference on the right and the page number on the left; the
    agenda's time column rightmost."""
    pdf = kit(six, "eg", "ar", "pdf")
    width = page_widths(pdf)[1]
    # poppler's boxes hold an Arabic word's letters as drawn, right to left: turned round
    # (a lam-alef ligature then reads backwards: the words below have none).
    words = [(p, word[::-1], *box) for p, word, *box in words_with_boxes(pdf)]
    page2 = [w for w in words if w[0] == 2]
    conference = [w for w in page2 if w[1] == "المنتدى" and w[3] < 80]  # its first word
    number = [w for w in page2 if w[1] == "الصفحة"]
    assert conference and conference[0][4] > width * 0.8
    assert number and number[0][2] < width * 0.25
    agenda = next(p for p, word, *_ in words if word == "الأعمال" and p > 2)
    heads = {word: x0 for p, word, x0, *_ in words if p == agenda}
    assert heads["الوقت"] > heads["النشاط"] > heads["الجلسة"]
    # Latin inside Arabic keeps its order: the address reads left to right.
    assert "https://data.example.org/sdg" in text_of(pdf)


def test_arabic_cover_is_set_from_the_right(six, tmp_path):
    from PIL import Image

    pdf = kit(six, "eg", "ar", "pdf")
    subprocess.run([require("pdftoppm"), "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "cover")], check=True)
    image = Image.open(next(tmp_path.glob("cover*.png"))).convert("L")
    # The title's band (a third of the way down): its ink lies right of the middle.
    band = image.crop((0, image.height // 5, image.width, image.height * 2 // 5))
    xs = [x for x in range(band.width) for y in range(0, band.height, 3)
          if band.getpixel((x, y)) < 128]
    assert xs and sum(xs) / len(xs) > band.width * 0.55


def test_chinese_lines_break_by_its_own_rules(six):
    text = text_of(kit(six, "cn", "zh", "pdf"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in CLOSING]
    # No hyphen put in by the layout, and the full-width punctuation kept.
    assert "\u2010" not in text
    assert "，" in text and "。" in text and "（SDGs）" in text


def test_russian_is_hyphenated_with_its_dictionary(six):
    import pyphen

    raw = text_of(kit(six, "ru", "ru", "pdf"))
    breaks = re.findall(r"([а-яё]+)\u2010\n\s*([а-яё]+)", raw)
    assert breaks
    dictionary = pyphen.Pyphen(lang="ru_RU")
    for head, tail in breaks:
        assert len(head) in dictionary.positions(head + tail), (head, tail)


@pytest.mark.parametrize("code, lang, direction", [("eg", "ar", "rtl"), ("cn", "zh", "ltr"),
                                                   ("ru", "ru", "ltr")])
def test_html_says_language_and_direction(six, code, lang, direction):
    html = kit(six, code, lang, "html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert TITLES[lang] in html


def test_arabic_docx_has_right_to_left_paragraphs_and_tables(six):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(kit(six, "eg", "ar", "docx")))
    body = document.element.body
    paragraphs = [p for p in body.iter(qn("w:p")) if "".join(p.itertext()).strip()]
    rtl = [p for p in paragraphs if p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None]
    assert len(rtl) > len(paragraphs) * 0.9
    tables = list(body.iter(qn("w:tbl")))
    assert tables and all(t.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
                          for t in tables)
    assert any("مذكرة مفاهيمية" in p.text for p in document.paragraphs)
    chinese = Document(str(kit(six, "cn", "zh", "docx")))
    assert not list(chinese.element.body.iter(qn("w:bidiVisual")))


def test_html_embeds_the_faces_of_its_script_only(six):
    """Russian carries the Cyrillic cut of the kit's faces (unicode-range), Arabic its Arabic
    face; a Spanish kit neither; each file stays self-contained and under 400 KB."""
    from fontTools.ttLib import TTFont

    def faces(code: str, lang: str) -> list[tuple[str, str, bytes]]:
        html = kit(six, code, lang, "html").read_text(encoding="utf-8")
        assert kit(six, code, lang, "html").stat().st_size < 400_000
        return [(family, ranges, base64.b64decode(data)) for family, ranges, data in re.findall(
            r'@font-face \{ font-family: "([^"]+)";[^}]*?(unicode-range: [^;]+; )?src: '
            r'url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)', html)]

    def maps(data: bytes) -> set[int]:
        return set(TTFont(io.BytesIO(data)).getBestCmap())

    spanish, russian, arabic = faces("mx", "es"), faces("ru", "ru"), faces("eg", "ar")
    assert {f for f, _, _ in spanish} == {"Noto Sans", "Noto Serif"}
    assert not any(ranges for _, ranges, _ in spanish)
    assert not any(ord("ж") in maps(data) for _, _, data in spanish)
    cyrillic = [(f, data) for f, ranges, data in russian if "U+400-45F" in ranges]
    assert {f for f, _ in cyrillic} == {"Noto Sans", "Noto Serif"}
    assert all(ord("ж") in maps(data) for _, data in cyrillic)
    assert any(f == "Noto Sans Arabic" and ord("م") in maps(data) for f, _, data in arabic)


def test_english_shown_in_an_arabic_kit_reads_left_to_right(tmp_path):
    """A paragraph and a heading whose Arabic is not confirmed against the changed English:
    the kit shows the English, marked, in a block (or span) of its own language and
    direction; the French kit, written the same way as English, needs no such mark."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    note = project / "content" / "en" / "concept-note.md"
    note.write_text(note.read_text(encoding="utf-8")
                    .replace("meets online for one day.", "meets online for one day (UTC+2).")
                    .replace("## Format", "## Format and interpretation"), encoding="utf-8")
    output = tmp_path / "out"
    build(Settings(content=project / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", countries=("EG", "FR"), formats=("html",)),
          Reporter())
    arabic = kit(output, "eg", "ar", "html").read_text(encoding="utf-8")
    assert re.search(r'<div lang="en" dir="ltr">\s*<p><span class="pending-mark">[^<]+</span>'
                     r' The workshop meets online for one day \(UTC\+2\)', arabic)
    assert re.search(r'<h2[^>]*><span lang="en" dir="ltr"><span class="pending-mark">[^<]+'
                     r'</span> Format and interpretation</span></h2>', arabic)
    french = kit(output, "fr", "fr", "html").read_text(encoding="utf-8")
    assert "(UTC+2)" in french and 'lang="en" dir=' not in french


def test_layout_punctuation_follows_the_script(six):
    """The layouts' own separators: full-width in Chinese, with no space between sentences;
    the Arabic comma in Arabic; the Latin ones elsewhere."""
    chinese = kit(six, "cn", "zh", "html").read_text(encoding="utf-8")
    assert "）。参考时间：" in chinese and "Amina Example</span>，示例秘书处" in chinese
    assert "在线参会：</strong>" in chinese
    arabic = kit(six, "eg", "ar", "html").read_text(encoding="utf-8")
    assert "Amina Example</span>، رئيسة" in arabic
    english = kit(six, "gb", "en", "html").read_text(encoding="utf-8")
    assert "). Reference time: " in english and "Amina Example</span>, Head" in english


def test_a_locale_counting_in_arabic_indic_digits_gets_them_in_the_kit(tmp_path):
    """`cldr_locales: {ar: ar_EG}`: CLDR's digits for Egypt (١٨ مايو ٢٠٢٧, ١١:٠٠) in the
    date and the agenda's times; the Latin-digit 'ar' of the example keeps 18 and 11:00."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    workshop = project / "content" / "workshop.yaml"
    workshop.write_text(workshop.read_text(encoding="utf-8")
                        + "cldr_locales:\n  ar: ar_EG\n", encoding="utf-8")
    output = tmp_path / "out"
    build(Settings(content=project / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", countries=("EG",), formats=("html",)),
          Reporter())
    html = kit(output, "eg", "ar", "html").read_text(encoding="utf-8")
    assert "١٨ مايو ٢٠٢٧" in html and "١١:٠٠" in html and "18 مايو 2027" not in html


def test_arabic_print_edition_is_bound_on_the_right(tmp_path):
    """Right to left, a book opens from the other side: odd pages are left-hand, the contents
    start on one (recto), and the page number sits on the outer edge: left on odd pages,
    right on even ones."""
    import pikepdf

    output = tmp_path / "out"
    build(Settings(content=EXAMPLE / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", countries=("EG",), formats=("pdf",),
                   editions=("print",)), Reporter())
    pdf_path = output / "eg" / "ar" / "example-un6-2027-eg-ar-print.pdf"
    words, widths = words_with_boxes(pdf_path), page_widths(pdf_path)
    numbers = {page: (x0, x1) for page, word, x0, _y0, x1, _y1 in words
               if word[::-1] == "الصفحة"}  # poppler's boxes: drawn order
    assert len(numbers) >= 4
    for page, (left, right) in numbers.items():
        width = widths[page - 1]
        assert (left < width / 4) if page % 2 else (right > width * 3 / 4), (page, left, right)
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        starts = {pdf.pages.index(pikepdf.Page((item.destination or item.action.D)[0])) + 1
                  for item in outline.root}
        count = len(pdf.pages)
    # As every print edition now (issue 23): the contents on the first recto after the cover's
    # blank back, later chapters on the next page, an even number of pages.
    assert min(starts) == 3 and count % 2 == 0, (starts, count)


@pytest.mark.parametrize("code, lang", KITS)
def test_form_fields_are_typed_from_the_side_the_kit_is_written_from(six, code, lang):
    """WeasyPrint writes no alignment (/Q), so every field was typed from the left: in the
    Arabic kit the fields start on the right, like the form around them. No field is given
    an empty value (poppler spent a second on each such page of a non-Latin kit)."""
    import pikepdf

    with pikepdf.open(kit(six, code, lang, "pdf")) as pdf:
        fields = [f for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Tx"]
        assert fields
        assert {int(f.get("/Q", 0)) for f in fields} == ({2} if lang == "ar" else {0})
        assert not [f for f in fields if "/V" in f]
