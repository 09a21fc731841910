"""The HTML kits in a real browser: Debian's chromium driven by Playwright (never a downloaded
browser), axe-core (shipped in axe-playwright-python) with the WCAG 2.2 AA rule set."""

from __future__ import annotations

import pytest

from tests.tools import require, require_module

pytestmark = pytest.mark.slow

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
KITS = [("mx", "es"), ("us", "en")]


@pytest.fixture(scope="module")
def browser():
    chromium = require("chromium")
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        yield browser
        browser.close()


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
    with page.expect_download() as download:
        page.click("#delegation-csv")
    saved = tmp_path / "form.csv"
    download.value.save_as(saved)
    import csv

    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 1 + 1 + 7  # header, head of delegation, seven seats
    assert rows[1][1] == "Ana Ejemplo" and rows[1][4] == "+1 555 0100"
    assert rows[8][0] == "7" and rows[8][3] == 'delegate "seven"@example.org'
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
