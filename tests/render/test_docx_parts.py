"""pandoc reads a kit's DOCX HTML part by part, and a part it has read before (a chapter the
kits of a language share) from memory: the DOCX is the one the whole HTML gives."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.render.context import kit_context, render_language
from kitbuilder.render.kit import KitRender, Paths
from kitbuilder.render.pandoc_process import convert_html_to_docx, stop_pandoc
from tests.conftest import ROOT

MARK = "<!--kitbuilder:part-->"


def docx_html(project, code: str, lang: str, rendered) -> str:
    country = next(c for c in project.countries if c.code == code)
    context = kit_context(project, country, lang, rendered)
    context["build"] = {"date": dt.datetime(2021, 11, 8, tzinfo=dt.UTC)}
    kit = KitRender(code, lang, project.workshop.source_language, context,
                    Paths(ROOT / "content", ROOT / "layouts", ROOT / "locales"))
    return kit.html("docx", "", template="docx.html.j2")


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.slow
def test_a_kit_read_in_parts_and_from_memory_is_the_kit_read_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1636329600")
    project = load_project(ROOT / "content", Problems())
    rendered = render_language(project, "es")
    mexico, guatemala = (docx_html(project, code, "es", rendered) for code in ("MX", "GT"))
    assert mexico.count(MARK) == len(project.kit) and mexico != guatemala
    reference = ROOT / "layouts" / "docx" / "reference.docx"
    meta = {"title": "T", "lang": "es"}
    stop_pandoc()  # a pandoc of its own, that has read nothing yet
    try:
        for name, html in (("mx", mexico), ("gt", guatemala)):  # Guatemala: shared parts known
            convert_html_to_docx(html, tmp_path / f"{name}-parts.docx", reference, meta)
            convert_html_to_docx(html.replace(MARK, ""), tmp_path / f"{name}-whole.docx",
                                 reference, meta)
    finally:
        stop_pandoc()
    for name in ("mx", "gt"):
        parts, whole = members(tmp_path / f"{name}-parts.docx"), members(tmp_path /
                                                                         f"{name}-whole.docx")
        assert parts == whole
    assert members(tmp_path / "mx-parts.docx") != members(tmp_path / "gt-parts.docx")
