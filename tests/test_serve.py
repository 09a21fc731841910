"""`kitbuilder serve`: live preview in a real browser (Debian's chromium via Playwright), the
error page and its recovery, nothing outside the project reachable, bound to 127.0.0.1."""

from __future__ import annotations

import http.client
import re
import threading

import pytest

from kitbuilder.project import ProjectPaths
from kitbuilder.serve import make_server


@pytest.fixture
def server(project_copy):
    project = project_copy("bilingual")
    httpd, preview = make_server(ProjectPaths.find(project), "127.0.0.1", 0)
    threads = [threading.Thread(target=httpd.serve_forever, daemon=True),
               threading.Thread(target=preview.watch, daemon=True)]
    for thread in threads:
        thread.start()
    yield project, httpd
    httpd.shutdown()
    httpd.server_close()
    preview.close()
    for thread in threads:
        thread.join(timeout=5)


def get(httpd, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*httpd.server_address[:2], timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_it_listens_only_on_the_loopback(server):
    _, httpd = server
    assert httpd.server_address[0] == "127.0.0.1"


def test_nothing_outside_the_project_is_served(server, tmp_path):
    project, httpd = server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-OUTSIDE\n")
    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/ca/fr/../../../../etc/passwd", "//etc/passwd", f"/{secret}",
                 f"/%2f{str(secret).lstrip('/')}", "/ca/%2e%2e/", "/content/fr/agenda.yaml",
                 "/review/../../etc/passwd"):
        status, body = get(httpd, path)
        assert status == 404, path
        assert b"root:" not in body and b"TOP-SECRET" not in body
    # A content file that is a link to a file outside: refused by the loader, never shown.
    note = project / "content/fr/concept-note.md"
    note.unlink()
    note.symlink_to(secret)
    status, body = get(httpd, "/ca/fr/")
    assert status == 200 and b"TOP-SECRET" not in body
    assert b"concept-note.md" in body  # the error names the file


def test_index_review_and_pdf(server):
    _, httpd = server
    status, index = get(httpd, "/")
    assert status == 200 and b'href="/ca/fr/"' in index and b"stale" in index
    status, review = get(httpd, "/review/fr/")
    assert status == 200
    assert b"Paragraphe Bravo" in review and b"Charlie paragraph" in review
    status, pdf = get(httpd, "/ca/fr/kit.pdf")
    assert status == 200 and pdf.startswith(b"%PDF-")
    assert get(httpd, "/de/fr/")[0] == 404


def block_origins(html: bytes) -> dict[str, tuple[str, str]]:
    """file:line → (state, the text that follows) of every block marked in a preview page."""
    found = re.finditer(r'<span class="kb-block" data-kb-where="([^"]+)" '
                        r'data-kb-state="(\w+)"></span>\s*([^<]*)', html.decode("utf-8"))
    return {m.group(1): (m.group(2), m.group(3).strip()) for m in found}


def test_each_block_says_where_it_comes_from_and_stale_ones_are_marked(server):
    project, httpd = server
    source = project / "content/en/concept-note.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Alpha paragraph", "Alpha paragraph, revised"), encoding="utf-8")
    _, page = get(httpd, "/ca/fr/")
    origins = block_origins(page)
    assert origins["content/fr/concept-note.md:6"][0] == "stale"
    assert origins["content/fr/concept-note.md:6"][1].startswith("Paragraphe Alpha")
    assert origins["content/fr/concept-note.md:8"] == (
        "translated", "Paragraphe Bravo sur les personnes migrantes dans les communautés "
        "d\u2019accueil.")  # pandoc's typographic apostrophe
    # A block with no translation shows the source text, where the source has it.
    assert origins["content/en/concept-note.md:10"][0] == "missing"
    # So do the texts of the YAML documents: an agenda title, a chair not yet translated.
    assert origins["content/fr/agenda.yaml:5"] == ("translated", "Bienvenue")
    assert origins["content/en/agenda.yaml:14"] == ("missing",
                                                    "Working Group on Labour Migration")
    _, english = get(httpd, "/ca/en/")
    assert {state for state, _ in block_origins(english).values()} == {"source"}
    assert block_origins(english)["content/en/concept-note.md:6"][1].startswith(
        "Alpha paragraph, revised")
    # The PDF is the kit as it is sent: no preview marks.
    status, pdf = get(httpd, "/ca/fr/kit.pdf")
    assert status == 200 and b"kb-block" not in pdf


def test_a_save_renders_again_only_the_kits_it_affects(server):
    project, httpd = server
    preview = httpd.RequestHandlerClass.preview
    get(httpd, "/ca/en/")
    get(httpd, "/ca/fr/")
    kits = {lang: next((preview.cache_dir / "html" / "ca" / lang).glob("*.html"))
            for lang in ("en", "fr")}
    before = {lang: path.stat().st_mtime_ns for lang, path in kits.items()}
    note = project / "content/fr/concept-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "Paragraphe Bravo", "Paragraphe Bravo, revu"), encoding="utf-8")
    preview.bump()  # what the watcher does on a save
    assert b"Paragraphe Bravo, revu" in get(httpd, "/ca/fr/")[1]
    assert b"Alpha paragraph" in get(httpd, "/ca/en/")[1]
    assert kits["fr"].stat().st_mtime_ns != before["fr"]
    assert kits["en"].stat().st_mtime_ns == before["en"], "the English kit was rendered again"


@pytest.mark.slow
def test_the_open_page_follows_saves_and_errors(server, browser):
    project, httpd = server
    host, port = httpd.server_address[:2]
    page = browser.new_page()
    try:
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"http://{host}:{port}/ca/fr/")
        page.wait_for_selector("text=Paragraphe Bravo")
        # The missing block is highlighted where it stands and names its file and line.
        missing = page.locator("p:has(> .kb-block[data-kb-state=missing])")
        assert missing.evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
        assert "content/en/concept-note.md:10" in missing.locator(".kb-block").evaluate(
            "e => getComputedStyle(e, '::before').content")
        page.wait_for_timeout(300)  # the event stream is open
        note = project / "content/fr/concept-note.md"
        note.write_text(note.read_text(encoding="utf-8")
                        + "\nUne phrase ajoutée pendant la relecture.\n", encoding="utf-8")
        page.wait_for_selector("text=Une phrase ajoutée pendant la relecture.", timeout=20000)
        agenda = project / "content/fr/agenda.yaml"
        good = agenda.read_text(encoding="utf-8")
        agenda.write_text("title: [not closed\n" + good, encoding="utf-8")
        page.wait_for_selector("text=The content has errors", timeout=20000)
        assert "content/fr/agenda.yaml:" in page.inner_text("body")
        agenda.write_text(good, encoding="utf-8")
        page.wait_for_selector("text=Une phrase ajoutée pendant la relecture.", timeout=20000)
        # Nothing but this server was asked for anything.
        assert all(url.startswith(f"http://{host}:{port}/") for url in requests), requests
    finally:
        page.close()


def test_a_content_error_is_shown_as_text_never_as_markup(server):
    project, httpd = server
    countries = project / "content/countries.yaml"
    countries.write_text(countries.read_text(encoding="utf-8").replace(
        "timezone: America/Toronto", "timezone: <script>alert('kb')</script>", 1),
        encoding="utf-8")
    for path in ("/", "/ca/fr/", "/review/fr/"):
        status, body = get(httpd, path)
        assert status == 200 and b"The content has errors" in body, path
        assert b"<script>alert(" not in body, path
        assert b"&lt;script&gt;alert(&#39;kb&#39;)&lt;/script&gt;" in body, path
        assert b"countries.yaml:4: error:" in body, path
