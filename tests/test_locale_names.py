"""Capitals and alphabetical order by language (locale.upper, locale.collation_key)."""

from __future__ import annotations

from kitbuilder import locale as loc


def test_greek_capitals_lose_their_accents_in_any_document_language():
    assert loc.upper("Παπαδοπούλου", "en") == "ΠΑΠΑΔΟΠΟΥΛΟΥ"
    assert loc.upper("Παπαδοπούλου", "el") == "ΠΑΠΑΔΟΠΟΥΛΟΥ"
    assert loc.upper("Ἀθηνᾶ Ελένη", "fr") == "ΑΘΗΝΑ ΕΛΕΝΗ"


def test_turkish_and_azeri_keep_the_dot_on_i():
    assert loc.upper("istanbul", "tr") == "İSTANBUL"
    assert loc.upper("Yılmaz", "tr") == "YILMAZ"
    assert loc.upper("istanbul", "en") == "ISTANBUL"
    assert loc.upper("Əliyev İlham", "az") == "ƏLİYEV İLHAM"


def test_default_capitals_follow_unicode():
    assert loc.upper("Straße", "de") == "STRASSE"
    assert loc.upper("", "de") == ""


def test_a_names_language_comes_from_its_country():
    assert loc.name_language("TR", "en") == "tr"
    assert loc.name_language("GR", "en") == "el"
    assert loc.name_language("ZZ", "es") == "es"


def order(names: list[str], lang: str) -> list[str]:
    return sorted(names, key=lambda name: loc.collation_key(name, lang))


def test_each_language_sorts_by_its_own_alphabet():
    names = ["Öberg", "Zorn", "Andersson", "Ängström", "Oberst"]
    assert order(names, "sv") == ["Andersson", "Oberst", "Zorn", "Ängström", "Öberg"]
    assert order(names, "de") == ["Andersson", "Ängström", "Öberg", "Oberst", "Zorn"]
    assert order(["Ñandú", "Nuza", "Oliva"], "es") == ["Nuza", "Ñandú", "Oliva"]
    assert order(["Ñandú", "Nuza", "Oliva"], "en") == ["Ñandú", "Nuza", "Oliva"]
    # Chinese in pinyin order: Li, Wang, Zhang.
    assert order(["张", "王", "李"], "zh") == ["李", "王", "张"]
    assert order(["Čapek", "Cech", "Dvořák"], "cs") == ["Cech", "Čapek", "Dvořák"]
