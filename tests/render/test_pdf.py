"""The PDFs, opened with real tools: pikepdf (structure tree), poppler (pdffonts, pdftotext,
pdfinfo), qpdf --check. Screen editions from the shared build; print and archive editions
of four kits from the shared editions build (tests/conftest.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EDITION_COUNTRIES, ROOT, pdf_text
from tests.tools import require

pytestmark = pytest.mark.slow


def screen_pdfs(output: Path) -> list[Path]:
    pdfs = sorted(p for p in output.rglob("*.pdf") if not re.search(r"-(print|archive)\.pdf$",
                                                                        p.name))
    assert len(pdfs) == 11
    return pdfs


@pytest.fixture(scope="module")
def editions(shipped_editions) -> Path:
    """Print and archive editions of the CA, DO, MX and US kits (tests/conftest.py)."""
    return shipped_editions


def struct_elements(pdf) -> list:
    """Every structure element of the tagged PDF, depth first."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, list) or hasattr(kids, "append") else [kids]):
            if hasattr(kid, "get") and kid.get("/S") is not None:
                found.append(kid)
                stack.append(kid)
    return found


def outline_titles(pdf) -> list[str]:
    import pikepdf

    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        titles, stack = [], list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(str(item.title))
            stack[:0] = list(item.children)
    return titles


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("us", "en"), ("bz", "en"), ("do", "es")])
def test_tagged_structure_language_title_and_alt(shipped_build, code, lang):
    import pikepdf

    output, _ = shipped_build
    path = next((output / code / lang).glob("*.pdf"))
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title).startswith("Iniciativas" if lang == "es" else
                                                 "Entrepreneurship")
        elements = struct_elements(pdf)
        tags = {str(e.S) for e in elements}
        assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/TR", "/L", "/LI",
                "/Figure"} <= tags, tags
        figures = [e for e in elements if e.S == "/Figure"]
        alts = [str(e.get("/Alt", "")) for e in figures]
        assert alts and all(alts), alts
        emblem = "Emblema" if lang == "es" else "Emblem"
        assert any(alt.startswith(emblem) for alt in alts), alts


def test_every_pdf_passes_qpdf_check_and_embeds_all_fonts(shipped_build, editions):
    qpdf, pdffonts = require("qpdf"), require("pdffonts")
    output, _ = shipped_build
    pdfs = screen_pdfs(output) + sorted(editions.rglob("*.pdf"))
    assert len(pdfs) == 11 + 2 * len(EDITION_COUNTRIES)  # screen; print and archive
    for pdf in pdfs:
        check = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, (pdf, check.stdout, check.stderr)
        assert "No syntax or stream encoding errors" in check.stdout
        fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts, pdf
        for row in fonts:  # name type encoding emb sub uni object ID
            columns = row.split()
            assert columns[-5] == "yes", (pdf, row)  # emb
            assert "Noto" in columns[0], (pdf, row)  # only the shipped fonts


@pytest.mark.parametrize("code, lang, page_word, sections", [
    ("mx", "es", "Página", ["Nota conceptual", "Agenda", "Orientaciones para participantes",
                            "Referencias"]),
    ("us", "en", "Page", ["Concept note", "Agenda", "Participant guidance", "References"]),
])
def test_bookmarks_contents_and_page_numbers_in_kit_language(shipped_build, code, lang,
                                                             page_word, sections):
    output, _ = shipped_build
    path = next((output / code / lang).glob("*.pdf"))
    titles = outline_titles(path)
    for section in sections:
        assert section in titles, titles
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        [require("pdfinfo"), str(path)], capture_output=True, text=True).stdout).group(1))
    text = pdf_text(path)
    assert f"{page_word} 1 de {pages}" in text if lang == "es" else f"Page 1 of {pages}" in text
    last = f"{page_word} {pages} de {pages}" if lang == "es" else f"Page {pages} of {pages}"
    assert last in text
    # The contents page lists every section with its page number at the end of its line (the
    # dot leaders between them are drawn, not text).
    contents = subprocess.run([require("pdftotext"), "-layout", "-f", "2", "-l", "2", str(path),
                               "-"], capture_output=True, text=True, check=True).stdout
    for section in sections:
        assert re.search(re.escape(section) + r" +\d+$", contents, re.M), (section, contents)


def test_cover_fits_on_the_first_page(shipped_build):
    output, _ = shipped_build
    for pdf in screen_pdfs(output):
        second = subprocess.run([require("pdftotext"), "-f", "2", "-l", "2", str(pdf), "-"],
                                capture_output=True, text=True, check=True).stdout
        assert re.search(r"Cont(ents|enido)", second), (pdf, second[:300])
        # The cover has no running heads (print.css @page :first); the kit's page rules
        # once outranked it with !important and printed "México · español" above the cover.
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        assert " · English" not in first and " · español" not in first, (pdf, first[:200])
        # Language names as each language writes them (CLDR): "español" in Spanish.
        assert re.search(r" · (English|español)", second), (pdf, second[:200])


def test_print_edition_has_bleed_trim_and_whole_sheets(editions):
    import pikepdf

    for pdf_path in sorted(editions.rglob("*-print.pdf")):
        with pikepdf.open(pdf_path) as pdf:
            for page in pdf.pages:
                media = [float(v) for v in page.MediaBox]
                trim = [float(v) for v in page.TrimBox]
                bleed = [float(v) for v in page.BleedBox]
                # WeasyPrint: MediaBox = BleedBox = trim box + 3 mm (8.5 pt) on every side;
                # the crop marks are drawn in that margin.
                assert trim != media and bleed != trim
                assert [round(b - t, 1) for t, b in zip(trim, bleed, strict=True)] \
                    == [-8.5, -8.5, 8.5, 8.5]
                assert media == bleed
            assert str(pdf.Root.Lang) in ("es", "en")
            # The first chapter (a level-1 bookmark) starts on the right-hand page after the
            # cover's blank back; later ones on the next page, left or right (issue 23: a blank
            # page before each wasted 3 of 11 pages). An even count: whole sheets.
            with pdf.open_outline() as outline:
                starts = []
                for item in outline.root:
                    target = item.destination or item.action.D
                    starts.append(pdf.pages.index(pikepdf.Page(target[0])) + 1)
            assert len(starts) == 4 and starts[0] == 3, (pdf_path, starts)
            assert len(pdf.pages) % 2 == 0, (pdf_path, len(pdf.pages))


def test_screen_edition_is_lean_without_marks(shipped_build):
    import pikepdf

    output, _ = shipped_build
    with pikepdf.open(screen_pdfs(output)[0]) as pdf:
        page = pdf.pages[0]
        assert "/BleedBox" not in page or list(page.BleedBox) == list(page.MediaBox)


def test_archive_edition_is_pdfa3b_and_still_tagged(editions):
    import pikepdf

    for pdf_path in sorted(editions.rglob("*-archive.pdf")):
        with pikepdf.open(pdf_path) as pdf:
            meta = pdf.open_metadata()
            assert meta.pdfa_status == "3B", (pdf_path, meta.pdfa_status)
            assert "/OutputIntents" in pdf.Root
            assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
            assert str(pdf.Root.Lang) in ("es", "en")


def text_with_breaks(pdf: Path) -> str:
    """PDF text where a word the layout hyphenated keeps its U+2010 (and loses the newline)."""
    require("pdftotext")
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return re.sub(r"\s+", " ", re.sub("\u2010\\s*\n\\s*", "\u2010", raw))


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("do", "es"), ("us", "en"), ("ca", "en")])
def test_text_is_hyphenated_but_names_are_not(shipped_build, code, lang):
    from kitbuilder.content.loader import load_project
    from kitbuilder.errors import Problems
    from kitbuilder.render.names import names_of

    output, _ = shipped_build
    text = text_with_breaks(output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf")
    assert "\u2010" in text, "hyphens: auto should break some long words in justified prose"
    project = load_project(ROOT / "content", Problems())
    names = names_of(project, lang, project.workshop.cldr_locales.get(lang, lang))
    assert "International Labour Organization" in names or "Organización Internacional del " \
        "Trabajo" in names
    broken = []
    for name in names:  # the name with an optional line-end hyphen between any two letters
        pattern = "\u2010?".join(r"\s+" if ch == " " else re.escape(ch) for ch in name)
        broken += [m.group(0) for m in re.finditer(pattern, text) if "\u2010" in m.group(0)]
    assert broken == [], f"names hyphenated across a line: {broken}"


def hyphenated_line_ends(pdf: Path) -> list[tuple[int, int, str, str]]:
    """(page, line, part before, part after) for every line the layout ended with a hyphen."""
    require("pdftotext")
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    found = []
    for page_number, page in enumerate(raw.split("\f"), start=1):
        lines = page.split("\n")
        for number, line in enumerate(lines):
            if line.endswith("\u2010"):
                head = re.search(r"(\w*)\u2010$", line).group(1)
                rest = " ".join(lines[number + 1:])  # the word may go on after a blank line
                tail = re.match(r"\s*(\w*)", rest).group(1)
                found.append((page_number, number, head, tail))
    return found


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("do", "es"), ("us", "en"), ("bz", "en")])
def test_hyphenation_is_sparse_and_follows_the_rules(shipped_build, code, lang):
    """Issue 13: 52 hyphens in the Dominican kit, runs of 3-5, 'Refu-giados', 'dis-ponibles'.
    Now: words of 6 letters or more, 3 letters at least each side, never more than 2
    consecutive hyphenated lines, no capitalised word (a name) broken, nothing in the agenda."""
    output, _ = shipped_build
    pdf = output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf"
    ends = hyphenated_line_ends(pdf)
    assert 0 < len(ends) <= 20, f"{len(ends)} hyphenated line ends: {ends}"
    for _page, _line, head, tail in ends:
        assert len(head) >= 3 and len(tail) >= 3, f"{head}-{tail}: fewer than 3 letters a side"
        assert not head[0].isupper(), f"{head}-{tail}: a capitalised word (a name) broken"
    run = longest = 0
    previous = None
    for page, line, _head, _tail in ends:
        run = run + 1 if previous == (page, line - 1) else 1
        longest, previous = max(longest, run), (page, line)
    assert longest <= 2, f"{longest} consecutive hyphenated lines in {pdf.name}"
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    agenda_pages = [number for number, page in enumerate(raw.split("\f"), start=1)
                    if re.search(r"\b(Activity|Actividad)\b", page)]
    assert agenda_pages
    assert [e for e in ends if e[0] in agenda_pages] == [], "hyphens in the agenda"


def test_the_us_kit_is_hyphenated_with_the_american_dictionary(shipped_build):
    from kitbuilder.render.context import hyphenation_tag

    assert hyphenation_tag("en", "US") == "en-US"
    assert hyphenation_tag("es", "DO") == "es"
    output, _ = shipped_build
    html = (output / "us" / "en" / "rcm-wglm-2021-ws1-us-en.html").read_text()
    assert '-weasy-lang: "en-US"' in html


@pytest.mark.parametrize("code, dictionary", [("us", "en_US"), ("ca", "en_US")])
def test_the_pdf_breaks_words_where_the_kits_dictionary_allows(shipped_build, code,
                                                               dictionary):
    """The PDF's stylesheets reach WeasyPrint apart from the HTML, where the lang attribute
    ("en") would otherwise choose the British dictionary: "organiz-ations", not "organi-zations"."""
    import pyphen

    output, _ = shipped_build
    ends = hyphenated_line_ends(output / code / "en" / f"rcm-wglm-2021-ws1-{code}-en.pdf")
    assert ends
    breaks = pyphen.Pyphen(lang=dictionary)
    wrong = [f"{head}-{tail}" for _page, _line, head, tail in ends
             if len(head) not in breaks.positions(head + tail)]
    assert wrong == [], f"breaks the {dictionary} dictionary does not allow: {wrong}"


def words_with_boxes(pdf: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, xMin, yMin, xMax, yMax) of every word, from poppler's bounding boxes."""
    require("pdftotext")
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    words, page = [], 0
    for line in xml.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">([^<]*)</word>', line)
        if found:
            x0, y0, x1, y1 = (float(v) for v in found.groups()[:4])
            words.append((page, found.group(5), x0, y0, x1, y1))
    return words


def page_widths(pdf: Path) -> list[float]:
    xml = subprocess.run([require("pdftotext"), "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [float(w) for w in re.findall(r'<page width="([\d.]+)"', xml)]


def test_print_edition_mirrors_margins_and_page_numbers(editions):
    """Bound, the page number is on the outer edge (left on left-hand, even pages), the inner
    margin is the wider one, and a page is blank only as the back of the cover or as the last
    page that makes the count even."""
    import pikepdf

    for pdf_path in sorted(editions.rglob("*-print.pdf")):
        words, widths = words_with_boxes(pdf_path), page_widths(pdf_path)
        numbers = {page: (x0, x1) for page, word, x0, _y0, x1, _y1 in words
                   if word in ("Page", "Página")}
        symbols = {page: (x0, x1) for page, word, x0, _y0, x1, _y1 in words
                   if word.startswith("RCM/")}
        printed = {page for page, *_ in words}
        blank = [n for n in range(1, len(widths) + 1) if n not in printed]
        assert blank, "the print edition has a blank back of the cover"
        for page in sorted(printed):
            width = widths[page - 1]
            (number_left, number_right), (symbol_left, _) = numbers[page], symbols[page]
            if page % 2 == 0:  # a left-hand page: the number at the left edge, symbol right
                assert number_left < width / 4 and symbol_left > width / 2, (pdf_path, page)
            else:
                assert number_right > width * 3 / 4 and symbol_left < width / 4, (pdf_path, page)
        # Body text starts further from the left edge on right-hand pages (the inner margin,
        # 24 mm against 18 mm: 17 pt), on every portrait page of either kind.
        portrait = min(widths)
        left_edges = {page: min(x0 for p, _w, x0, *_ in words if p == page)
                      for page in printed if widths[page - 1] == portrait}
        odd = {round(x) for page, x in left_edges.items() if page % 2}
        even = {round(x) for page, x in left_edges.items() if not page % 2}
        assert min(odd) - max(even) >= 15, (pdf_path, odd, even)
        with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
            starts = {pdf.pages.index(pikepdf.Page((item.destination or item.action.D)[0])) + 1
                      for item in outline.root}
        # Blank: only the back of the cover (the contents start on page 3 with the first
        # chapter) and an even last page (a verso) after an odd count of pages.
        assert all(n % 2 == 0 and (n + 1 in starts or n == len(widths)) for n in blank), \
            (pdf_path, blank, starts)
        assert set(blank) <= {2, len(widths)}, (pdf_path, blank)
        assert min(starts) == 3, (pdf_path, starts)


@pytest.mark.parametrize("code, lang, header, next_header",
                         [("do", "es", "referencia", "Actividad"),
                          ("us", "en", "time", "Activity")])
def test_time_column_headers_stay_in_their_column(shipped_build, code, lang, header,
                                                   next_header):
    """'Hora de referencia' ran into 'Actividad': the heading now wraps inside its column."""
    output, _ = shipped_build
    words = words_with_boxes(output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf")
    activity = next(w for w in words if w[1] == next_header)
    same_page = [w for w in words if w[0] == activity[0] and w[1] == header
                 and abs(w[3] - activity[3]) < 30]
    assert same_page, f"no '{header}' in the agenda's header row"
    assert all(w[4] < activity[2] for w in same_page), (same_page, activity)


def test_time_zones_by_cldr_name_with_a_true_minus(shipped_build):
    output, _ = shipped_build
    us = pdf_text(output / "us" / "en" / "rcm-wglm-2021-ws1-us-en.pdf")
    assert "Times are local to the United States: Eastern Time (UTC\u22125)." in us
    assert "Reference time: Central Time, Mexico City (UTC\u22126). This kit gives the time of " \
        "New York, one of several time zones in the United States." in us
    belize = pdf_text(output / "bz" / "en" / "rcm-wglm-2021-ws1-bz-en.pdf")
    assert "Central Time (UTC\u22126), the same as the agenda's reference time, that of " \
        "Mexico City" in belize
    assert "(UTC\u22126), the agenda's reference time" not in belize  # Belize is not the reference
    mexico = pdf_text(output / "mx" / "es" / "rcm-wglm-2021-ws1-mx-es.pdf")
    assert "la hora central (UTC\u22126), la hora de referencia de la agenda" in mexico
    assert "la hora de referencia de la agenda. Este material da la hora de Ciudad de México, " \
        "uno de los varios husos horarios de México" in mexico
    require("pdffonts")
    fonts = subprocess.run(["pdffonts", str(output / "us" / "en" / "rcm-wglm-2021-ws1-us-en.pdf")],
                           check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all("Noto" in line for line in fonts), fonts  # the minus is Noto's too


def test_contents_share_a_page_and_addresses_break_after_a_slash(shipped_build):
    output, _ = shipped_build
    raw = subprocess.run(["pdftotext", str(output / "do" / "es" / "rcm-wglm-2021-ws1-do-es.pdf"),
                          "-"], check=True, capture_output=True, text=True).stdout
    pages = raw.split("\f")
    contents = next(page for page in pages if "Contenido" in page)
    assert "Contexto" in contents, "the contents page is near-empty: the first chapter follows"
    lines = raw.splitlines()
    assert not [line for line in lines if re.search(r"https?://$", line)], "breaks after https://"
    assert not [line for line in lines if "://" in line and line.endswith("-")]


@pytest.mark.parametrize("code, lang, paper_mm", [("do", "es", 297), ("us", "en", 279.4)])
def test_the_delegation_form_is_fillable_wide_and_even(shipped_build, code, lang, paper_mm):
    import pikepdf

    output, _ = shipped_build
    pdf_path = output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf"
    with pikepdf.open(pdf_path) as pdf:
        fields = {}
        for number, page in enumerate(pdf.pages):
            for annot in page.get("/Annots", []):
                if annot.get("/FT") == "/Tx":
                    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                    fields[str(annot.T)] = (number, abs(x1 - x0), abs(y1 - y0))
        assert "/AcroForm" in pdf.Root
        assert {"head-name", "head-position", "head-email", "head-phone"} <= set(fields)
        seats = [f"seat-{n}-{key}" for n in range(1, 8)
                 for key in ("name", "position", "email", "phone")]
        assert set(seats) <= set(fields), sorted(fields)
        form_page = pdf.pages[fields["seat-1-name"][0]]
        x0, y0, x1, y1 = (float(v) for v in form_page.MediaBox)
        assert x1 - x0 > y1 - y0 and abs((x1 - x0) - paper_mm * 72 / 25.4) < 2  # landscape
        mm = 72 / 25.4
        padding = 10  # the cell's 5pt on each side of its field
        for n in range(1, 8):  # columns of 60 mm: room for a handwritten address and name
            for key in ("name", "position", "email"):
                width = fields[f"seat-{n}-{key}"][1] + padding
                assert width >= 60 * mm, (n, key, width / mm)
        heights = {round(fields[name][2], 1) for name in seats}
        assert len(heights) == 1, heights  # even rows
        assert len({fields[name][0] for name in seats}) == 1  # the form is in one piece
    text = pdf_text(pdf_path)
    # The seed sets no due date (content/corrections.md): the form asks before the workshop.
    assert ("Please send the completed form to the RCM Technical Secretariat. Deadline: before "
            "the workshop (Monday, 8 November 2021)." in text) if lang == "en" else (
        "a la Secretaría Técnica de la CRM. Plazo: antes del taller (lunes, 8 de noviembre de "
        "2021)." in text)
    assert "1 November" not in text and "1 de noviembre" not in text


@pytest.mark.parametrize("code, lang", [("mx", "es"), ("us", "en")])
def test_a_web_address_never_cuts_its_file_name(shipped_build, code, lang):
    import json

    output, _ = shipped_build
    raw = subprocess.run(["pdftotext", str(output / code / lang /
                                           f"rcm-wglm-2021-ws1-{code}-{lang}.pdf"), "-"],
                         check=True, capture_output=True, text=True).stdout
    lines = raw.splitlines()
    names = {entry["URL"].rsplit("/", 1)[1] for entry in json.loads(
        (ROOT / "content" / "references.json").read_text(encoding="utf-8")) if "URL" in entry}
    # Whole on one line (a hyphenated name may break before a hyphen: its first part).
    assert names and all(any(name.split("-")[0] in line for line in lines) for name in names)
    assert any("wcms_763348.pdf" in line for line in lines)
