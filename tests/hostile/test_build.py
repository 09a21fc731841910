"""One real build of a small project full of hostile prose: it finishes fast, prints every
character of the long words, fetches nothing and evaluates no template code."""

from __future__ import annotations

import random
import re
import socket
import subprocess
import threading
import zipfile

import pytest

from tests.hostile.conftest import run_cli
from tests.tools import require

pytestmark = pytest.mark.slow

_letters = random.Random(12)
HUGE_WORD = "HUGE" + "".join(_letters.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(20_000))
CELL_WORD = "CELL" + "".join(_letters.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(396))
PROSE_WORD = "PROSE" + "q" * 395
RENDER_LIMIT = 30  # CPU seconds for the whole build; it was more than 180 before the fix


class Listener:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    import shutil

    from tests.conftest import PROJECTS

    root = tmp_path_factory.mktemp("hostile-build")
    shutil.copytree(PROJECTS / "minimal", root / "project")
    content = root / "project" / "content"
    listener = Listener()
    note = content / "en/concept-note.md"
    note.write_text(note.read_text(encoding="utf-8") + (
        f"\n\nA pasted hash: {HUGE_WORD} and after it.\n\n"
        f"Run-together text {PROSE_WORD} ends here.\n\n"
        "| key | value |\n|---|---|\n"
        f"| k | {CELL_WORD} |\n\n"
        f"![tracker](http://127.0.0.1:{listener.port}/pixel.png) "
        f'<img src="http://127.0.0.1:{listener.port}/img.png"> '
        "![local](file:///etc/hostname) "
        f'<a href="http://127.0.0.1:{listener.port}/link">a link is text, not a fetch</a>\n\n'
        "Template text {{ 7*7 }} and {% if true %}JINJA{% endif %} stays as written.\n"),
        encoding="utf-8")
    workshop = content / "en/workshop.yaml"
    workshop.write_text(workshop.read_text(encoding="utf-8").replace(
        "subtitle: Concept Note and Agenda", 'subtitle: "Concept {{ 7*7 }} Note"'),
        encoding="utf-8")
    output = root / "output"
    try:
        run = run_cli("build", "--content", str(content), "--output", str(output),
                      "--country", "CA", "--format", "pdf", "--format", "html",
                      "--format", "docx", "-j", "1", timeout=180)
    finally:
        listener.close()
    return run, output / "ca" / "en", listener


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# The running footer and header that pdftotext puts where a page ends, inside a long word.
PAGE_FURNITURE = re.compile(r"TEST/2021/1Page\d+of\d+"
                            r"(RegionalConferenceonMigrationCanada·English)?")


def pdf_words(pdf) -> str:
    require("pdftotext")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return PAGE_FURNITURE.sub("", flat(text))


def test_the_build_finishes_fast(hostile_build):
    run, _, _ = hostile_build
    assert run.code == 0, run.output
    assert "Traceback" not in run.output
    assert run.cpu_seconds < RENDER_LIMIT, run.output


def test_check_warns_about_the_long_words_at_their_lines(hostile_build):
    run, _, _ = hostile_build
    warned = re.findall(r"concept-note\.md:(\d+): warning: a word of (\d+) characters",
                        run.output)
    assert [int(n) for _, n in warned] == [len(HUGE_WORD), len(PROSE_WORD), len(CELL_WORD)]


def test_every_character_of_the_long_words_is_in_the_pdf(hostile_build):
    _, kit, _ = hostile_build
    text = pdf_words(kit / "mini-2021-ca-en.pdf")
    assert f"Apastedhash:{HUGE_WORD}andafterit." in text
    assert f"Run-togethertext{PROSE_WORD}endshere." in text
    assert f"keyvaluek{CELL_WORD}" in text


def test_nothing_was_fetched_and_no_image_was_embedded(hostile_build):
    _, kit, listener = hostile_build
    assert listener.hits == 0
    html = (kit / "mini-2021-ca-en.html").read_text(encoding="utf-8")
    assert "<img" not in html.split("</header>", 1)[-1].replace('class="emblem"', "")
    assert "127.0.0.1" in html  # the link stays a link (text), it is never followed
    assert "file:///etc/hostname" not in html


def test_template_text_is_printed_not_evaluated(hostile_build):
    _, kit, _ = hostile_build
    html = (kit / "mini-2021-ca-en.html").read_text(encoding="utf-8")
    assert "Template text {{ 7*7 }} and {% if true %}JINJA{% endif %} stays as written." in html
    assert "Concept {{ 7*7 }} Note" in html
    assert "Concept 49 Note" not in html
    with zipfile.ZipFile(kit / "mini-2021-ca-en.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert "{{ 7*7 }}" in document and "Template text 49" not in document

