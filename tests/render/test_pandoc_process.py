"""The long-lived pandoc that turns kits' HTML into DOCX (render/pandoc_process.py)."""

from __future__ import annotations

import os
import zipfile

import pytest

from kitbuilder.render import pandoc_process
from kitbuilder.render.pandoc_process import PandocFailed, convert_html_to_docx, stop_pandoc

from ..hostile.processes import alive, descendants

HTML = "<html><body><h1>Agenda</h1><p>Hello <strong>delegates</strong>.</p></body></html>"


@pytest.fixture
def reference(root):
    return root / "layouts" / "docx" / "reference.docx"


@pytest.fixture(autouse=True)
def no_pandoc_after():
    before = descendants(os.getpid())  # the test process's own (a browser kept for the run)
    yield
    stop_pandoc()
    assert not descendants(os.getpid()) - before, "a pandoc outlived the test"


def document_xml(path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_one_pandoc_converts_every_kit_in_turn(tmp_path, reference):
    pids = set()
    for n in range(3):
        out = tmp_path / f"kit-{n}.docx"
        convert_html_to_docx(HTML.replace("Hello", f"Hello {n}"), out, reference,
                             {"title": f"Workshop {n}", "lang": "es"})
        pids.add(pandoc_process._CURRENT.process.pid)
        assert f"Hello {n}" in document_xml(out)
        assert f"Workshop {n}" in document_xml(out)  # the title block, from the metadata
    assert len(pids) == 1
    stop_pandoc()
    assert not alive(pids.pop())


def test_a_pandoc_error_is_reported_and_the_next_kit_still_converts(tmp_path, reference):
    with pytest.raises(PandocFailed, match="missing.docx"):
        convert_html_to_docx(HTML, tmp_path / "a.docx", tmp_path / "missing.docx", {})
    convert_html_to_docx(HTML, tmp_path / "b.docx", reference, {})
    assert "delegates" in document_xml(tmp_path / "b.docx")


def test_an_image_outside_the_html_is_never_read(tmp_path, reference):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not for the kit" * 10)
    html = (f'<p>Logo: <img src="{secret}" alt="the logo"> '
            f'<img src="{secret.as_uri()}" alt="again"></p>')
    out = tmp_path / "kit.docx"
    convert_html_to_docx(html, out, reference, {})
    with zipfile.ZipFile(out) as docx:
        assert not [name for name in docx.namelist() if name.startswith("word/media/")]
    assert "the logo" in document_xml(out)  # the description stands in for it


def test_a_stopped_pandoc_is_replaced(tmp_path, reference, monkeypatch):
    # A killed `pandoc lua` leaves an empty pandoc-hist* file in its temp folder (as it does
    # in a build's private one, which the build removes): here, the test's own.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    convert_html_to_docx(HTML, tmp_path / "a.docx", reference, {})
    first = pandoc_process._CURRENT.process
    first.kill()
    first.wait()
    with pytest.raises(BrokenPipeError):
        convert_html_to_docx(HTML, tmp_path / "b.docx", reference, {})
    convert_html_to_docx(HTML, tmp_path / "c.docx", reference, {})
    assert pandoc_process._CURRENT.process.pid != first.pid
