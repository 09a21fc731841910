"""Built kits of the bilingual fixture: Canada in English and French, French partly pending."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bilingual_build(tmp_path_factory):
    output = tmp_path_factory.mktemp("bilingual-output")
    reporter = Reporter()
    result = build(Settings(content=ROOT / "tests/projects/bilingual/content", output=output,
                            layouts=ROOT / "layouts", locales=ROOT / "locales", jobs=1),
                   reporter)
    return output, result, reporter


def kit_file(output: Path, lang: str, suffix: str) -> Path:
    found = sorted(output.glob(f"ca/{lang}/*-ca-{lang}*{suffix}"))
    assert found, f"no {suffix} for CA/{lang} in {output}"
    return found[0]


@pytest.mark.slow
def test_canada_gets_one_kit_per_language(bilingual_build):
    output, result, _ = bilingual_build
    assert {(a.country.code, a.lang) for a in result.artifacts} == {("CA", "en"), ("CA", "fr")}
    for lang in ("en", "fr"):
        for suffix in (".pdf", ".docx", ".html"):
            assert kit_file(output, lang, suffix).stat().st_size > 0


@pytest.mark.slow
def test_french_pdf_marks_each_fallback_passage(bilingual_build):
    output, _, _ = bilingual_build
    text = pdf_text(kit_file(output, "fr", ".pdf"))
    assert "Traduction provisoire" in text  # the cover notice
    assert "Paragraphe Bravo" in text  # translated paragraphs stay French
    # The missing paragraph is shown in English, marked in French, in its place.
    assert "[Traduction en attente] Charlie paragraph about gender gaps" in text
    order = [text.index(s) for s in ("Paragraphe Bravo", "Charlie paragraph", "Objectifs")]
    assert order == sorted(order)
    # The missing agenda field, inline; the missing document, with the section notice.
    assert "Working Group on Labour Migration [Traduction en attente]" in text
    assert "cette section figure dans la langue originale" in text
    assert "Translation pending" not in text
    assert "lundi 8 novembre 2021" in text  # CLDR date in French
    english = pdf_text(kit_file(output, "en", ".pdf"))
    assert "Charlie paragraph" in english
    assert "pending" not in english.lower() and "Provisional translation" not in english


@pytest.mark.slow
def test_french_docx_and_html_mark_fallback_too(bilingual_build):
    from docx import Document

    output, _, _ = bilingual_build
    doc = Document(str(kit_file(output, "fr", ".docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    assert any("Traduction en attente" in p and "Charlie paragraph" in p for p in paragraphs)
    html = kit_file(output, "fr", ".html").read_text(encoding="utf-8")
    assert html.count('class="pending-mark"') >= 2
    assert '<span class="pending" lang="en">Working Group on Labour Migration</span>' in html


@pytest.mark.slow
def test_build_summary_lists_fallbacks(bilingual_build):
    _, result, reporter = bilingual_build
    warned = [str(w["problem"]) for w in reporter.of_kind("warning")]
    assert any("block s1.3 is not translated" in w for w in warned)
    assert any("block slots.1.directs is not translated" in w for w in warned)
    assert len(result.warnings) == len(warned)


@pytest.mark.slow
def test_document_control_in_cover_and_metadata(bilingual_build):
    import pikepdf
    from docx import Document

    output, _, _ = bilingual_build
    text = pdf_text(kit_file(output, "fr", ".pdf"))
    assert "TEST/2021/WS.9/INF.2" in text and "Révision 2" in text
    # The source language, named in French as French writes it: "Original : anglais".
    assert "ORIGINAL" in text and "anglais" in text
    html = kit_file(output, "fr", ".html").read_text(encoding="utf-8")
    assert "<dt>Original</dt><dd>anglais</dd>" in html
    with pikepdf.open(kit_file(output, "fr", ".pdf")) as pdf:
        assert str(pdf.Root.Lang) == "fr"
        assert str(pdf.docinfo["/Title"]).startswith("Économie solidaire pour les personnes")
        subject = str(pdf.docinfo["/Subject"])
        assert "TEST/2021/WS.9/INF.2" in subject and "Révision 2" in subject
        assert "Original : anglais" in subject or "Original: anglais" in subject
    props = Document(str(kit_file(output, "fr", ".docx"))).core_properties
    assert props.language == "fr"
    assert props.identifier == "TEST/2021/WS.9/INF.2"
    assert props.title.startswith("Économie solidaire")
