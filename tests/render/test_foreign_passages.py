"""Passages in another language than the kit's carry it: the titles of a references file's
works whose `language` (CSL's field) differs, in the HTML (`lang`) and in the PDF's
structure tree (/Lang, read with pikepdf)."""

from __future__ import annotations

import json
import re

import pytest

from kitbuilder.render.markdown import render_markdown

WORKS = [
    {"id": "ilo", "type": "report", "author": [{"literal": "ILO"}],
     "issued": {"date-parts": [[2017]]}, "language": "en",
     "title": "The social and solidarity economy and the future of work"},
    {"id": "oim", "type": "report", "author": [{"literal": "OIM"}],
     "issued": {"date-parts": [[2020]]}, "language": "es-MX",
     "title": "Manual para el emprendimiento migrante"},
    {"id": "unknown", "type": "report", "author": [{"literal": "UN"}],
     "issued": {"date-parts": [[2019]]}, "title": "A work of no stated language"},
]


@pytest.fixture
def references(tmp_path):
    path = tmp_path / "references.json"
    path.write_text(json.dumps(WORKS), encoding="utf-8")
    return path


def spans(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<span lang="([^"]+)">(.*?)</span>', html)


def test_a_title_in_another_language_carries_it(references):
    spanish = str(render_markdown("Texto [@ilo; @oim; @unknown].", "es", references).bibliography)
    assert spans(spanish) == [("en", "The social and solidarity economy and the future of work")]
    english = str(render_markdown("Text [@ilo; @oim; @unknown].", "en", references).bibliography)
    # The kit's own language is not marked again, a region counts as the language's.
    assert spans(english) == [("es-MX", "Manual para el emprendimiento migrante")]
    assert "A work of no stated language" in english


@pytest.mark.slow
def test_the_spanish_kit_reads_its_english_titles_in_english(shipped_build):
    import pikepdf

    output, _ = shipped_build
    html = next((output / "mx" / "es").glob("*.html")).read_text(encoding="utf-8")
    titles = [text for lang, text in spans(html) if lang == "en"]
    assert "The Social and Solidarity Economy and the Future of Work" in titles
    english = next((output / "us" / "en").glob("*.html")).read_text(encoding="utf-8")
    assert not [lang for lang, _ in spans(english) if lang == "en"]
    for code, lang, foreign in (("mx", "es", "en"), ("us", "en", "es")):
        path = output / code / lang / f"rcm-wglm-2021-ws1-{code}-{lang}.pdf"
        with pikepdf.open(path) as pdf:
            tagged = [str(obj.Lang) for obj in pdf.objects
                      if isinstance(obj, pikepdf.Dictionary)
                      and obj.get("/Type") == "/StructElem" and "/Lang" in obj]
            assert str(pdf.Root.Lang) == lang
        # The Spanish kit: its English titles; the English kit: the Spanish-only manual, kept
        # under its own title (issue 23). Nothing in a third language.
        assert tagged.count(foreign) >= (3 if foreign == "en" else 1), tagged
        assert set(tagged) <= {"en", "es"}, tagged
