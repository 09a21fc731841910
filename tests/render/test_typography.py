"""Each language's conventions (issue 23): quotation marks from CLDR's delimiters, percent signs
by CLDR's percent pattern, one kind of dash for asides, language names in the language's own
casing, the same quotation marks in the kit and in the letters."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.numbers import format_percent

from kitbuilder import locale as loc
from kitbuilder.render.typography import typeset, typography
from tests.tools import require_module

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"


@pytest.mark.parametrize("lang", sorted(p.parent.name for p in LOCALES.glob("*/typography.yaml")))
def test_quotation_marks_are_cldrs(lang):
    icu = require_module("icu")
    data = yaml.safe_load((LOCALES / lang / "typography.yaml").read_text(encoding="utf-8"))
    kinds = icu.ULocaleDataDelimiterType
    cldr = icu.LocaleData(lang)
    expected = [cldr.getDelimiter(getattr(kinds, kind)) for kind in (
        "QUOTATION_START", "QUOTATION_END", "ALT_QUOTATION_START", "ALT_QUOTATION_END")]
    assert data["quotes"] == expected


@pytest.mark.parametrize("tag", ["es", "es_419", "fr", "en_001"])
def test_percent_follows_the_locales_pattern(tag):
    style = typography(LOCALES, tag.split("_")[0], tag)
    cldr = format_percent(0.5, locale=tag)  # "50 %" (es, fr) or "50%" (es_419, en)
    text = str(typeset("<p>El 50% y el 20 % de <a href='x'>100%</a></p>", style))
    sign = cldr.removeprefix("50")
    assert f"El 50{sign} y el 20{sign} de" in text
    assert "href='x'" in text and f">100{sign}<" in text


def test_spanish_sets_cldrs_quotes_and_closed_asides():
    style = typography(LOCALES, "es", "es_419")
    text = str(typeset("<p>el «Manual» y el “Informe”, –UNTFSE, en inglés– y <em>x</em></p>",
                       style))
    assert text == "<p>el “Manual” y el “Informe”, —UNTFSE, en inglés— y <em>x</em></p>"


def test_french_quotes_have_their_thin_spaces():
    style = typography(LOCALES, "fr", "fr")
    assert str(typeset("<p>le “Manuel” – et le reste</p>", style)) == \
        "<p>le «\u202fManuel\u202f» – et le reste</p>"


def test_language_names_keep_the_languages_casing():
    assert loc.language_name("en", Locale.parse("es_419")) == "inglés"
    assert loc.language_name("en", Locale.parse("fr")) == "anglais"
    assert loc.language_name("es", Locale.parse("en_001")) == "Spanish"


def test_letters_quote_as_the_kit_does():
    quotes = yaml.safe_load((LOCALES / "es" / "typography.yaml").read_text(encoding="utf-8"))
    opening, closing = quotes["quotes"][:2]
    for path in [ROOT / "content" / "es" / "delegates.yaml",
                 ROOT / "src" / "kitbuilder" / "scaffold" / "delegates-es.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert f"{opening}{{workshop}}{closing}" in text, path
        assert "«" not in text and "»" not in text, path
