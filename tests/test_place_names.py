"""Country and venue names inside sentences, for every country kitbuilder knows, in every
language it ships sentences for (place_names.py, place_names.yaml)."""

from __future__ import annotations

import re

import pytest
import yaml
from babel import Locale

from kitbuilder import place_names
from kitbuilder.place_names import at_venue, country_codes, country_forms, grammatical

CODES = country_codes()
FR_VOWEL = "AEIOUÀÂÉÈÊÎÏÔÛÜŒ"


def forms(lang: str) -> dict[str, tuple[str, dict]]:
    names = Locale.parse(lang).territories
    return {code: (names[code], country_forms(code, lang, names[code])) for code in CODES}


def test_every_cldr_country_is_known_and_groupings_are_not():
    assert len(CODES) > 240
    assert {"US", "HT", "CR", "XK", "SS", "BQ"} <= set(CODES)
    assert not {"EU", "UN", "ZZ", "EZ", "QO", "XA"} & set(CODES)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_every_country_has_every_form(lang):
    for code, (name, found) in forms(lang).items():
        assert set(found) == {"in", "of", "from"}, code
        assert all(found.values()), (code, found)
        # The name itself is in every form (with an article or preposition around it), or
        # the form is one of the few written out in place_names.yaml.
        written_out = code in place_names._data()[lang].get("forms", {})
        assert written_out or all(name in form for form in found.values()), (code, found)


def test_english_names_the_countries_that_take_the():
    found = forms("en")
    assert found["US"][1]["from"] == "the United States"
    for code in ("GB", "NL", "PH", "BS", "GM", "DO", "CF", "AE", "MV", "SC", "KM"):
        assert found[code][1]["from"].startswith("the "), code
    for code, (name, each) in found.items():
        # Plural names and names made of "republic", "kingdom" … take "the"; none twice.
        if re.search(r"\b(Islands|Republic|States|Kingdom|Emirates|Territories|Netherlands)$",
                     name):
            assert each["from"] == f"the {name}", code
        assert "the the" not in each["from"].lower(), code
        if not each["from"].startswith("the "):
            assert each["from"] == name, code
    for code in ("FR", "CA", "MX", "HT", "CR", "SV", "CZ"):
        assert not found[code][1]["from"].startswith("the "), code


def test_spanish_gives_the_article_and_contracts_de_el():
    found = forms("es")
    assert found["US"][1] == {"in": "de los Estados Unidos", "of": "de los Estados Unidos",
                              "from": "los Estados Unidos"}
    assert found["GB"][1]["of"] == "del Reino Unido"
    assert found["DO"][1]["from"] == "la República Dominicana"
    assert found["NL"][1]["from"] == "los Países Bajos"
    assert found["SV"][1]["of"] == "de El Salvador"  # the article is part of the name
    for code, (name, each) in found.items():
        assert "de el " not in each["of"], code
        if re.match(r"(Islas|República|Estados|Países|Emiratos|Territorios|Reino) ", name):
            assert re.match(r"(el|la|los|las) ", each["from"]), code


def test_french_prepositions_articles_and_elision():
    found = forms("fr")
    expected = {"CA": ("au Canada", "du Canada", "le Canada"),
                "US": ("aux États-Unis", "des États-Unis", "les États-Unis"),
                "HT": ("à Haïti", "d’Haïti", "Haïti"),
                "FR": ("en France", "de la France", "la France"),
                "CR": ("au Costa Rica", "du Costa Rica", "le Costa Rica"),
                "EC": ("en Équateur", "de l’Équateur", "l’Équateur"),
                "HN": ("au Honduras", "du Honduras", "le Honduras"),
                "CU": ("à Cuba", "de Cuba", "Cuba"),
                "BB": ("à la Barbade", "de la Barbade", "la Barbade")}
    for code, (in_, of, from_) in expected.items():
        assert found[code][1] == {"in": in_, "of": of, "from": from_}, code
    for code, (name, each) in found.items():
        text = " | ".join(each.values())
        assert not re.search(r"\b(à|de) (le|les)\b", text), code
        assert "’ " not in text and "' " not in text, code
        assert not re.search(r"\bde [" + FR_VOWEL + "]", text), code  # d’, never "de É…"
        assert not re.search(r"\b(le|la) [" + FR_VOWEL + "]", text), code
        assert re.match(r"(au|aux|en|à|dans) ", each["in"]), code
        if name.startswith(("Îles ", "États-", "Émirats ")):
            assert each["in"].startswith("aux "), code


def test_the_french_data_gives_each_country_one_gender_or_number():
    rules = yaml.safe_load(place_names.Path(place_names.__file__).with_name(
        "place_names.yaml").read_text(encoding="utf-8"))["fr"]
    for code in CODES:
        classes = [cls for cls in ("m", "f", "pl", "bare") if code in rules[cls]]
        assert len(classes) + (code in rules["forms"]) == 1, (code, classes)
    listed = {code for cls in ("m", "f", "pl", "bare", "with_a") for code in rules[cls]}
    assert listed <= set(CODES)


def test_a_project_form_wins_and_a_language_without_rules_has_none():
    own = {"in": "en Haïti"}
    assert country_forms("HT", "fr", "Haïti", own) == {"in": "en Haïti", "of": "d’Haïti",
                                                       "from": "Haïti"}
    assert country_forms("HT", "de", "Haiti") == {"in": None, "of": None, "from": None}
    assert country_forms("CA", "fr_CA", "Canada")["in"] == "au Canada"


@pytest.mark.parametrize("lang, at, name, expected", [
    ("fr", "à", "Hôtel Lumière", "à l’Hôtel Lumière"),
    ("fr", "à l’", "Hotel Lumière", "à l’Hotel Lumière"),
    ("fr", "à l'", "Hotel Lumière", "à l'Hotel Lumière"),
    ("fr", "à", "Centre de conférences", "au Centre de conférences"),
    ("fr", "à", "Maison de la Chimie", "à la Maison de la Chimie"),
    ("fr", "à", "Sheraton", "à Sheraton"),
    ("fr", "au", "Palais des Nations", "au Palais des Nations"),
    ("es", "en", "Hotel Real", "en el Hotel Real"),
    ("es", "en", "Casa Amarilla", "en la Casa Amarilla"),
    ("es", "en el", "Hotel Real", "en el Hotel Real"),
    ("pt", "em", "Hotel Real", "no Hotel Real"),
    ("en", "at the", "Hotel Real", "at the Hotel Real"),
])
def test_a_venue_after_at(lang, at, name, expected):
    assert at_venue(lang, at, name) == expected
    assert at_venue(lang, at, name, own="chez nous") == "chez nous"


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_every_country_after_a_preposition_in_a_printed_sentence(lang):
    """A catalog's sentence around a bare name, or a zone's city that is a country's name
    ("Costa Rica"), comes out grammatical for every country."""
    for code, (name, each) in forms(lang).items():
        if lang == "en":
            assert grammatical(lang, f"remotely from {name}, the") == \
                f"remotely from {each['from']}, the", code
        elif lang == "es":
            assert grammatical(lang, f"husos horarios de {name}.") == \
                f"husos horarios {each['of']}.", code
            assert grammatical(lang, f"desde {name},") == f"desde {each['from']},", code
        else:
            assert grammatical(lang, f"réunion, à {name} : heure") == \
                f"réunion, {each['in']} : heure", code
            assert grammatical(lang, f"l’heure de {name}.") == f"l’heure {each['of']}.", code
            assert grammatical(lang, f"depuis {name},") == f"depuis {each['from']},", code
    assert grammatical("en", "remotely from United States") == \
        "remotely from the United States"
    assert grammatical("fr", "à Costa Rica") == "au Costa Rica"
    assert grammatical("fr", "celle de Ottawa, à l’ Hotel") == "celle d’Ottawa, à l’Hotel"
    assert grammatical("es", "de el Reino") == "del Reino"
    assert grammatical("fr", "à Mexico") == "à Mexico"  # a city, not le Mexique
    assert grammatical("fr", "heure de La Asunción") == "heure de La Asunción"  # a name's La
