"""Country and venue names inside sentences: articles, prepositions and elision.

"remotely from the United States", "au Canada", "aux États-Unis", "à Haïti", "de l’Équateur",
"del Reino Unido", "à l’Hôtel …": the rules per language and the words they need are in
place_names.yaml (shipped with the package); a project's own forms
(content/<lang>/countries.yaml) win over them. A language without rules here gets None, and
its sentences are written around the bare name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from . import locale as loc

FORMS = ("in", "of", "from")
APOSTROPHE = "’"
_VOWELS = frozenset("AEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")  # an h is not elided in country names


@lru_cache(maxsize=1)
def _data() -> dict:
    path = Path(__file__).with_name("place_names.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """Every code kitbuilder takes as a country (locale.is_country_code)."""
    return tuple(sorted(code for code in loc.cldr_locale("en").territories
                        if loc.is_country_code(code)))


def languages() -> tuple[str, ...]:
    """The languages whose country names are put into sentences by rule."""
    return tuple(lang for lang in _data() if lang != "venues")


def _base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()


def _starts_with_vowel(name: str) -> bool:
    return name[:1].upper() in _VOWELS


def _class_of(rules: Mapping, code: str, classes: tuple[str, ...]) -> str | None:
    return next((cls for cls in classes if code in rules.get(cls, ())), None)


def _english(rules: Mapping, code: str, name: str) -> dict[str, str]:
    form = f"the {name}" if code in rules["the"] else name
    return dict.fromkeys(FORMS, form)


def _spanish(rules: Mapping, code: str, name: str) -> dict[str, str]:
    article = _class_of(rules, code, ("el", "la", "los", "las"))
    named = f"{article} {name}" if article else name
    of = f"del {name}" if article == "el" else f"de {named}"
    return {"in": of, "of": of, "from": named}


def _french(rules: Mapping, code: str, name: str) -> dict[str, str]:
    kind = _class_of(rules, code, ("pl", "bare", "m", "f")) or "bare"
    vowel = _starts_with_vowel(name)
    if kind == "pl":
        return {"in": f"aux {name}", "of": f"des {name}", "from": f"les {name}"}
    if kind == "bare":
        return {"in": f"à {name}", "of": f"d{APOSTROPHE}{name}" if vowel else f"de {name}",
                "from": name}
    if vowel:
        named = f"l{APOSTROPHE}{name}"
        forms = {"in": f"en {name}", "of": f"de {named}", "from": named}
    elif kind == "m":
        forms = {"in": f"au {name}", "of": f"du {name}", "from": f"le {name}"}
    else:
        forms = {"in": f"en {name}", "of": f"de la {name}", "from": f"la {name}"}
    if code in rules.get("with_a", ()):
        forms["in"] = f"à {forms['from']}"
    return forms


_RULES = {"en": _english, "es": _spanish, "fr": _french}


def country_forms(code: str, lang: str, name: str,
                  own: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """{"in", "of", "from"} for the country ``code`` called ``name`` in ``lang`` (see
    place_names.yaml for what each form holds in each language); ``own``: the project's
    forms for it, which win. A form neither has is None."""
    base = _base(lang)
    rules = _data().get(base) if base in _RULES else None
    shipped: dict[str, str] = {}
    if rules is not None:
        shipped = dict(rules.get("forms", {}).get(code) or _RULES[base](rules, code, name))
    return {form: (own or {}).get(form) or shipped.get(form) for form in FORMS}


def project_country_forms(project, code: str, lang: str, name: str) -> dict[str, str | None]:
    """country_forms with the project's own forms (content/<lang>/countries.yaml)."""
    own = project.languages[lang].country_words if lang in project.languages else None
    return country_forms(code, lang, name, own.in_sentence.get(code) if own else None)


def join_elided(before: str, name: str) -> str:
    """``before`` and ``name`` with one space, none after an apostrophe ("à l’" + "Hôtel")."""
    before = before.rstrip()
    if before.endswith(("’", "'")):
        return before + name.lstrip()
    return f"{before} {name.lstrip()}" if before else name.lstrip()


# Words that already end in an article: nothing is added after them ("at the", "en el", "au").
_ARTICLES = {"fr": {"le", "la", "les", "au", "aux", "du", "des"},
             "es": {"el", "la", "los", "las", "al", "del"},
             "pt": {"o", "a", "os", "as", "no", "na", "do", "da", "ao"}}
_CONTRACTED = {("fr", "à", "le"): "au", ("fr", "de", "le"): "du", ("es", "a", "el"): "al",
               ("es", "de", "el"): "del", ("pt", "em", "o"): "no", ("pt", "em", "a"): "na",
               ("pt", "de", "o"): "do", ("pt", "de", "a"): "da", ("pt", "a", "o"): "ao"}


def at_venue(lang: str, at: str, name: str, own: str | None = None) -> str:
    """``at`` (the translator's "at the", "à", "en") joined to the venue's ``name``, with the
    article the name's first word takes in French, Spanish and Portuguese ("à l’Hôtel
    Lumière", "au Centre …", "en el Hotel …", "no Hotel …"); ``own``: the project's whole
    phrase, which wins."""
    if own:
        return own
    base, at = _base(lang), at.strip()
    words = _data()["venues"].get(base, {})
    first = name.strip().split(" ", 1)[0]
    article = next((art for art, nouns in words.items() if first in nouns), None)
    last = at.split()[-1].lower() if at else ""
    if article is None or at.endswith(("’", "'")) or last in _ARTICLES.get(base, ()):
        return join_elided(at, name)
    if article == "l":
        return join_elided(f"{at} l{APOSTROPHE}", name)
    contracted = _CONTRACTED.get((base, last, article))
    if contracted:
        return join_elided(" ".join([*at.split()[:-1], contracted]), name)
    return join_elided(f"{at} {article}", name)


# --- Sentences as printed ----------------------------------------------------------------
# A layout string with a place in it ("à %(city)s", "remotely from %(country)s") is put right
# once filled in: a zone's city may be a country's name (CLDR calls America/Costa_Rica's
# place "Costa Rica"), and a catalog may have no in-sentence version of a sentence.
_LETTER = r"[^\W\d_]"
_FR_VOWEL = "AEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆaeiouàâäéèêëîïôöùûüœæ"
_PREPOSITIONS = {"en": ("in", "from", "of", "to", "for"),
                 "es": ("en", "de", "desde", "para", "a"),
                 "fr": ("à", "en", "de", "depuis", "pour")}
_GENERIC = {
    "fr": [(re.compile(r"\bà le (?=" + _LETTER + ")"), "au "),
           (re.compile(r"\bà les (?=" + _LETTER + ")"), "aux "),
           (re.compile(r"\bde le (?=" + _LETTER + ")"), "du "),
           (re.compile(r"\bde les (?=" + _LETTER + ")"), "des "),
           # Lower case only: "De", "La" capitalised are part of a name ("La Asunción").
           (re.compile(r"\b([dl])[ea] (?=[" + _FR_VOWEL + "])"), r"\1’"),
           (re.compile(r"\b([dDlLjJmMnNsStT]|[qQ]u)[’'] +(?=" + _LETTER + ")"), r"\1’")],
    "es": [(re.compile(r"\bde el\b"), "del"), (re.compile(r"\ba el\b"), "al")],
}


@lru_cache(maxsize=8)
def _country_pattern(base: str) -> tuple[re.Pattern, re.Pattern, dict[str, str]] | None:
    """Patterns for "<preposition> <capital letter>" (a quick test most strings fail) and
    "<preposition> <country name>" in ``base``, and each name's code."""
    if base not in _RULES:
        return None
    names = loc.cldr_locale(base).territories
    codes = {names[code]: code for code in country_codes() if code in names}
    alternatives = "|".join(re.escape(name) for name in sorted(codes, key=len, reverse=True))
    prepositions = "|".join(_PREPOSITIONS[base])
    initials = "".join(sorted({re.escape(name[0]) for name in codes}))
    return (re.compile(rf"\b(?:{prepositions}) [{initials}]"),
            re.compile(rf"\b({prepositions}) ({alternatives})(?!{_LETTER})"), codes)


def _in_sentence(base: str, preposition: str, name: str, code: str) -> str:
    forms = country_forms(code, base, name)
    if base == "en":
        return f"{preposition} {forms['from']}"
    if base == "es":
        return forms["of"] if preposition == "de" else (
            f"a{forms['from'][2:]}" if preposition == "a" and forms["from"].startswith("el ")
            else f"{preposition} {forms['from']}")
    if preposition in ("à", "en"):
        return forms["in"]
    return forms["of"] if preposition == "de" else f"{preposition} {forms['from']}"


def grammatical(lang: str, text: str) -> str:
    """``text`` (a filled-in layout string) with each country name after a preposition given
    its article and contraction ("à Costa Rica" → "au Costa Rica", "from United States" →
    "from the United States"), and French elision ("de Ottawa" → "d’Ottawa", "l’ Hôtel" →
    "l’Hôtel"). Languages without rules come back unchanged."""
    base = _base(lang)
    found = _country_pattern(base)
    if found is not None and found[0].search(text):
        _, pattern, codes = found
        text = pattern.sub(lambda m: _in_sentence(base, m[1], m[2], codes[m[2]]), text)
    for rule, replacement in _GENERIC.get(base, ()):
        text = rule.sub(replacement, text)
    return text
