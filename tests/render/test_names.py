"""Names stay whole in the PDF: the hyphenation dictionaries skip capitalised words."""

import pyphen
import pytest

from kitbuilder.render.names import UnbrokenCapitals, keep_names_whole


@pytest.fixture
def fresh_dictionaries():
    """pyphen's own dictionaries for the test (an earlier build in this process may have
    wrapped them), and the earlier state back after it."""
    saved = dict(pyphen.hdcache)
    pyphen.hdcache.clear()
    yield
    pyphen.hdcache.clear()
    pyphen.hdcache.update(saved)


def test_capitalised_words_offer_no_break_and_others_keep_theirs(fresh_dictionaries):
    assert pyphen.Pyphen(lang="es", cache=False).positions("Refugiados")  # pyphen alone breaks it
    keep_names_whole({"es", "en-US", "xx-unknown"})
    spanish, american = pyphen.Pyphen(lang="es"), pyphen.Pyphen(lang="en_US")
    assert spanish.positions("Refugiados") == []
    assert spanish.positions("Organización") == []
    assert spanish.positions("refugiados") != []
    assert american.positions("Organization") == []
    assert american.positions("organization") != []
    assert list(spanish.iterate("Migraciones")) == []


def test_wrapping_twice_wraps_once(fresh_dictionaries):
    keep_names_whole({"es"})
    keep_names_whole({"es-MX", "es"})
    wrapped = pyphen.hdcache[pyphen.LANGUAGES["es"]]
    assert isinstance(wrapped, UnbrokenCapitals)
    assert not isinstance(wrapped.dictionary, UnbrokenCapitals)
