"""The HTML kits in a real browser: Debian's chromium driven by Playwright (never a downloaded
browser; the fixture is in tests/conftest.py), axe-core (shipped in axe-playwright-python) with
the WCAG 2.2 AA rule set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools import require, require_module

pytestmark = pytest.mark.slow

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
KITS = [("mx", "es"), ("us", "en")]


def open_kit(browser, output, code, lang, width):
    path = next((output / code / lang).glob("*.html"))
    page = browser.new_page(viewport={"width": width, "height": 800})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    # Self-contained: nothing but the file itself (and data: URIs) is loaded.
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    return page


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("code, lang", KITS)
def test_axe_finds_no_violations(shipped_build, browser, code, lang, width):
    axe = require_module("axe_playwright_python.sync_playwright").Axe()
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, width)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                     "resultTypes": ["violations"]})
    # The run really checked the page (rules passed), and found nothing.
    assert results.response["testEngine"]["name"] == "axe-core"
    violations = [(v["id"], [n["target"] for n in v["nodes"]])
                  for v in results.response["violations"]]
    assert violations == []
    assert page.evaluate("document.documentElement.lang") == lang
    page.close()


def test_axe_would_catch_a_contrast_failure(shipped_build, browser):
    """The check is live: low-contrast text injected into the page is reported."""
    axe = require_module("axe_playwright_python.sync_playwright").Axe()
    output, _ = shipped_build
    page = open_kit(browser, output, "mx", "es", 1280)
    page.evaluate("document.querySelector('.lead').style.color = '#bbb'")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert "color-contrast" in {v["id"] for v in results.response["violations"]}
    page.close()


@pytest.mark.parametrize("code, lang", KITS)
def test_usable_at_360_px_without_horizontal_scrolling(shipped_build, browser, code, lang):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, 360)
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert client == 360 and scroll <= client
    # No element pokes out of the viewport either (tables, long links, the emblem).
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 360.5 && e.offsetParent !== null)
        .map(e => e.tagName + '.' + e.className)""")
    assert wide == []
    page.close()


@pytest.mark.parametrize("code, lang", KITS)
def test_prints_cleanly(shipped_build, browser, code, lang, tmp_path):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, 1280)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).display") \
        == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('#agenda')).breakBefore") \
        == "page"
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 5
    text = " ".join(p.extract_text() for p in reader.pages)
    assert ("Agenda" in text) and (("Referencias" if lang == "es" else "References") in text)
    page.close()


@pytest.mark.parametrize("code, lang", KITS)
def test_the_delegation_form_downloads_what_was_typed_as_csv(shipped_build, browser, code, lang,
                                                             tmp_path):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, 1280)
    page.fill("input[name=head-name]", "Ana Ejemplo")
    page.fill("input[name=head-phone]", "+1 555 0100")
    page.fill("input[name=seat-7-email]", 'delegate "seven"@example.org')
    page.fill("textarea[name=seat-2-position]", "=HYPERLINK(\"http://example.org\")")
    page.fill("input[name=seat-3-name]", "@SUM(1+1)")
    page.fill("input[name=seat-4-phone]", "-2+3")
    page.fill("input[name=seat-1-email]", "ana@example.org")
    page.fill("input[name=seat-2-email]", "not an address")
    page.locator("input[name=seat-2-email]").blur()
    # Flagged in the page as the reader leaves the field, before any download.
    assert page.get_attribute("input[name=seat-2-email]", "aria-invalid") == "true"
    described = page.get_attribute("input[name=seat-2-email]", "aria-describedby")
    assert page.locator(f"#{described}").inner_text().strip()
    assert page.get_attribute("input[name=seat-1-email]", "aria-invalid") is None
    with page.expect_download() as download:
        page.click("#delegation-csv")
    saved = tmp_path / "form.csv"
    download.value.save_as(saved)
    import csv

    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 1 + 1 + 7  # header, head of delegation, seven seats
    assert rows[1][1] == "Ana Ejemplo" and rows[1][4] == "+1 555 0100"
    assert rows[8][0] == "7" and rows[8][3] == 'delegate "seven"@example.org'
    # Each seat's role and the country, in columns of their own.
    country, head = ("México", "Jefatura de la delegación") if lang == "es" else (
        "United States", "Head of delegation")
    assert len(rows[0]) == 7 and all(len(row) == 7 for row in rows)
    assert rows[1][5:] == [head, country]
    assert rows[2][5].startswith("representantes de los ministerios de trabajo" if lang == "es"
                                 else "representatives of the ministries of labour")
    assert rows[8][6] == country and rows[8][5] != rows[2][5]
    # A cell a spreadsheet would run as a formula starts with an apostrophe; a phone number
    # with its + stays as typed (rows[1][4] above).
    assert rows[3][2] == "'=HYPERLINK(\"http://example.org\")"
    assert rows[4][1] == "'@SUM(1+1)" and rows[5][4] == "'-2+3"
    # The invalid addresses (seat 2's and seat 7's) are marked at their fields.
    flagged = page.evaluate(
        "[...document.querySelectorAll('[aria-invalid=true]')].map(e => e.name)")
    assert sorted(flagged) == ["seat-2-email", "seat-7-email"]
    assert page.locator("#delegation-status").inner_text().strip()
    assert download.value.suggested_filename == f"rcm-wglm-2021-ws1-{code}-delegation.csv"
    page.close()


@pytest.mark.parametrize("code, lang", KITS)
def test_the_form_at_360_px_never_breaks_a_word(shipped_build, browser, code, lang):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, 360)
    broken = page.evaluate("""(() => {
        const found = [], walker = document.createTreeWalker(
            document.querySelector('.form-page'), NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode, text = node.textContent;
            for (const m of text.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) found.push(m[0]);
            }
        }
        return found;
    })()""")
    assert broken == []
    labels = page.evaluate("""[...document.querySelectorAll('.delegation-form td[data-label]')]
        .slice(0, 2).map(td => getComputedStyle(td, '::before').content)""")
    assert all(label not in ("none", "normal", "") for label in labels), labels
    page.close()


def test_html_embeds_the_noto_fonts_as_woff2_subsets_within_budget(shipped_build, browser):
    output, _ = shipped_build
    files = sorted(output.rglob("*.html"))
    assert len(files) == 11
    for path in files:
        assert path.stat().st_size < 400_000, (path.name, path.stat().st_size)
        html = path.read_text(encoding="utf-8")
        assert html.count("url(data:font/woff2;base64,") >= 5, path.name
    page = open_kit(browser, output, "mx", "es", 1280)
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("""[...document.fonts].filter(f => f.status === 'loaded')
        .map(f => f.family.replace(/"/g, '') + ' ' + f.weight + ' ' + f.style)""")
    for face in ("Noto Sans normal normal", "Noto Sans bold normal", "Noto Serif bold normal"):
        assert face in loaded, loaded
    body_font = page.evaluate("getComputedStyle(document.querySelector('.prose p')).fontFamily")
    assert body_font.startswith('"Noto Sans"')
    page.close()


SYMBOL_IN_ITS_BOX = """(() => {
    const dd = document.querySelector('.cover-facts .symbol'), box = dd.closest('div'),
          facts = document.querySelector('.cover-facts'), r = dd.getBoundingClientRect(),
          b = box.getBoundingClientRect(), f = facts.getBoundingClientRect();
    return {inside: r.left >= b.left - 0.5 && r.right <= b.right + 0.5
                    && r.left >= f.left - 0.5 && r.right <= f.right + 0.5
                    && r.right <= document.documentElement.clientWidth + 0.5,
            unclipped: dd.scrollWidth <= dd.clientWidth + 1
                       && box.scrollWidth <= box.clientWidth + 1,
            text: dd.textContent};
})()"""


def printed_words(pdf: Path) -> list[tuple[int, float, float, str, float, float, float, float]]:
    """(page, page width, page height, word, xMin, yMin, xMax, yMax) of a PDF's words."""
    import re
    import subprocess

    xml = subprocess.run([require("pdftotext"), "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    words, page, size = [], 0, (0.0, 0.0)
    for line in xml.splitlines():
        if found := re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line):
            page, size = page + 1, (float(found.group(1)), float(found.group(2)))
        elif found := re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                r'yMax="([\d.]+)">([^<]*)</word>', line):
            x0, y0, x1, y1 = (float(v) for v in found.groups()[:4])
            words.append((page, *size, found.group(5), x0, y0, x1, y1))
    return words


def check_symbol_on_screen_and_in_print(browser, html: Path, symbol: str, pdf: Path) -> None:
    for width in (1280, 360):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(html.as_uri())
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            found = page.evaluate(SYMBOL_IN_ITS_BOX)
            assert found["inside"] and found["unclipped"], (width, media, found)
            assert found["text"] == symbol
        page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(html.as_uri())
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), print_background=True, prefer_css_page_size=True)
    page.close()
    words = printed_words(pdf)
    pages = {w[0] for w in words}
    first_part = symbol.split("/")[0]
    for number in pages:
        on_page = [w for w in words if w[0] == number]
        _, width, height = on_page[0][:3]
        # The footer's symbol: whole, on the page, in the bottom margin, clear of the text.
        footer = [w for w in on_page if w[3].startswith(first_part) and w[5] > height * 0.9]
        assert footer, (number, "no symbol in the footer")
        for _n, _w, _h, word, x0, _y0, x1, y1 in footer:
            assert x0 >= 0 and x1 <= width and y1 <= height, (number, word, x0, x1, y1)
        text_bottom = max(w[7] for w in on_page if w[5] < height * 0.85)
        assert min(w[5] for w in footer) > text_bottom, (number, "the symbol overlaps the text")
        printed = "".join(w[3] for w in sorted(footer, key=lambda w: (w[5], w[4])))
        assert printed == symbol, (number, printed)


@pytest.mark.parametrize("code, lang", KITS)
def test_the_symbol_is_never_clipped_on_screen_or_printed(shipped_build, browser, code, lang,
                                                          tmp_path):
    """The document symbol stays inside its cover box at 1280 and 360 px, on screen and with
    print media, and printed from Chromium (page.pdf) every page's footer shows it whole,
    in the margin (with no page margins it was clipped, and the heads overprinted the text)."""
    output, _ = shipped_build
    html = next((output / code / lang).glob("*.html"))
    check_symbol_on_screen_and_in_print(browser, html, "RCM/WGLM/2021/WS.1/INF.1",
                                        tmp_path / "printed.pdf")


def test_a_long_symbol_breaks_after_a_slash_and_stays_in_its_box(browser, project_copy,
                                                                 tmp_path):
    from kitbuilder.pipeline import build
    from kitbuilder.report import Reporter
    from kitbuilder.settings import Settings

    project = project_copy("shipped")
    workshop = project / "content" / "workshop.yaml"
    long_symbol = "RCM/WGLM/2021/WS.1/INF.1/Rev.12/Corr.3/Add.1/Summary"
    workshop.write_text(workshop.read_text(encoding="utf-8").replace(
        "symbol: RCM/WGLM/2021/WS.1/INF.1", f"symbol: {long_symbol}"), encoding="utf-8")
    output = tmp_path / "out"
    build(Settings(content=project / "content", output=output, layouts=project / "layouts",
                   locales=project / "locales", countries=("MX",), formats=("html",)),
          Reporter())
    check_symbol_on_screen_and_in_print(browser, next(output.rglob("*.html")), long_symbol,
                                        tmp_path / "printed.pdf")


ADDRESS_BREAKS = """(() => {
  const found = [];
  for (const a of document.querySelectorAll('a[href^="http"]')) {
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    let top = null, before = '';
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) { continue; }
        if (top !== null && rect.top > top + 2) { found.push(before + '|' + node.data[i]); }
        top = rect.top; before = node.data[i];
      }
    }
  }
  return found;
})()"""


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("code, lang", KITS)
def test_web_addresses_break_after_a_slash_never_inside_a_name(shipped_build, browser, code,
                                                               lang, width):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, width)
    breaks = page.evaluate(ADDRESS_BREAKS)
    if width == 360:
        assert breaks  # the references' addresses are longer than a phone's line
    # A line ends after a "/" (or before the hyphen of a long file name), not mid-word.
    assert [b for b in breaks if not (b.startswith("/|") or b.endswith("|-"))] == [], breaks
    page.close()


@pytest.mark.parametrize("code, lang", KITS)
def test_the_favicon_is_the_embedded_emblem(shipped_build, browser, code, lang):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, 1280)  # asserts nothing else is requested
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert icon.startswith("data:image/svg+xml;base64,")
    import base64

    assert b"<svg" in base64.b64decode(icon.split(",", 1)[1])
    page.close()


@pytest.mark.parametrize("code, lang", KITS)
def test_printed_from_the_browser_no_page_ends_with_a_heading(shipped_build, browser, code,
                                                              lang, tmp_path):
    output, _ = shipped_build
    page = open_kit(browser, output, code, lang, 1280)
    page.emulate_media(media="print")
    headings = set(page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4, caption')]"
        ".map(h => h.innerText.replace(/\\s+/g, ' ').trim())"))
    assert page.evaluate("getComputedStyle(document.querySelector('main h2')).breakAfter") \
        == "avoid"
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    words = printed_words(pdf)
    last_lines = []
    for number in sorted({w[0] for w in words}):
        on_page = [w for w in words if w[0] == number]
        height = on_page[0][2]
        body = [w for w in on_page if height * 0.06 < w[5] < height * 0.9]
        if not body:
            continue
        bottom = max(w[5] for w in body)
        line = " ".join(w[3] for w in sorted(body, key=lambda w: w[4]) if w[5] > bottom - 3)
        last_lines.append((number, line))
    assert len(last_lines) >= 5
    stranded = [(n, line) for n, line in last_lines if line in headings]
    assert stranded == [], stranded
