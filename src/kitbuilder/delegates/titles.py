"""A registration's title, as written in any language of registration, as one canonical title.

"Sra.", "Mme", "Ms" and "Mrs" are one title (``ms``, female); "S.E." and "H.E." one
(``excellency``). The letter's language then writes it as its translators' messages say
(content/<lang>/delegates.yaml: ``honorific`` and ``salutation`` select on ``title`` and
``gender``). A title may carry several words ("H.E. Ms", "S.E. la Ministra"): the highest
rank names the title and any word with a gender gives it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Canonical titles, highest rank first (the one a combination is addressed by).
TITLES = ("excellency", "minister", "ambassador", "prof", "dr", "ms", "mr")
GENDERS = ("female", "male", "other")

_F, _M, _N = "female", "male", "other"
# Each word as registrations write it (case and accents ignored, dots optional) → title, gender.
_WORDS: dict[str, tuple[str, str]] = {}


def _add(title: str, gender: str, *words: str) -> None:
    for word in words:
        _WORDS[_fold(word)] = (title, gender)


def _fold(word: str) -> str:
    bare = unicodedata.normalize("NFKD", word.casefold())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return re.sub(r"[.\s]+", "", bare.replace("ª", "a").replace("º", "o"))


_add("mr", _M, "Mr", "Mister", "Sr", "Señor", "Senor", "Don", "D", "M", "Monsieur", "Sr.",
     "Senhor", "Dom")
_add("ms", _F, "Ms", "Mrs", "Miss", "Madam", "Sra", "Srta", "Señora", "Señorita", "Doña", "Dª",
     "Mme", "Mlle", "Madame", "Mademoiselle", "Senhora", "Dona")
_add("dr", _N, "Dr", "Doctor", "Docteur", "Doutor", "PhD")
_add("dr", _F, "Dra", "Doctora", "Dre", "Doutora")
_add("prof", _N, "Prof", "Professor", "Professeur", "Profesor", "Professeure")
_add("prof", _F, "Profa", "Profesora", "Professora")
_add("excellency", _N, "HE", "SE", "H.E.", "S.E.", "Excellency", "Excelencia", "Excellence",
     "Excelência")
_add("excellency", _M, "Excmo", "Exmo", "Excelentísimo", "Excelentissimo")
_add("excellency", _F, "Excma", "Exma", "Excelentísima", "Excelentissima")
_add("minister", _N, "Minister", "Ministre", "Hon", "Honourable", "Honorable")
_add("minister", _M, "Ministro")
_add("minister", _F, "Ministra")
_add("ambassador", _N, "Ambassador", "Ambassadeur")
_add("ambassador", _M, "Embajador", "Embaixador")
_add("ambassador", _F, "Embajadora", "Embaixadora", "Ambassadrice")
# Words that only join the others: "S.E. la Ministra", "H.E. the Minister", "Su Excelencia".
_FILLERS = {_fold(w) for w in ("the", "la", "el", "le", "a", "o", "su", "sua", "son", "his",
                               "her", "y", "and", "et", "e", "&", "/")}


@dataclass(frozen=True)
class Title:
    title: str  # one of TITLES, or "" when the registration gives none
    gender: str  # one of GENDERS

    @property
    def values(self) -> dict[str, str]:
        # ICU select keys: "none" picks the translators' `other` branch (a neutral form).
        return {"title": self.title or "none", "gender": self.gender}


NO_TITLE = Title("", _N)


def canonical(registered: str) -> Title | None:
    """The canonical title of what a registration wrote; None when a word is not a title
    kitbuilder knows (the registration check says so)."""
    words = [w for w in re.split(r"[\s,]+", registered.strip()) if w]
    if not words:
        return NO_TITLE
    found: list[tuple[str, str]] = []
    for word in words:
        key = _fold(word)
        if key in _FILLERS:
            continue
        if key not in _WORDS:
            return None
        found.append(_WORDS[key])
    if not found:
        return None
    title = min((t for t, _ in found), key=TITLES.index)
    genders = {g for _, g in found if g != _N}
    return Title(title, genders.pop() if len(genders) == 1 else _N)


def known_titles() -> str:
    return "Mr, Ms, Mrs, Dr, Prof, H.E., Minister, Ambassador (or Sr., Sra., Dra., Mme, M., S.E. …)"
