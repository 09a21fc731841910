"""What locale.py takes from CLDR for kits in every script: direction, script, the layouts'
separators, digits of the locale's numbering system, Chinese date intervals."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from kitbuilder import locale as loc

MAY_18 = dt.date(2027, 5, 18)


@pytest.mark.parametrize("lang, direction, script", [
    ("ar", "rtl", "Arab"), ("he", "rtl", "Hebr"), ("fa", "rtl", "Arab"), ("zh", "ltr", "Hans"),
    ("ru", "ltr", "Cyrl"), ("en", "ltr", "Latn"), ("xx", "ltr", "Latn")])
def test_direction_and_script_come_from_cldr(lang, direction, script):
    assert loc.direction_of(lang) == direction
    assert loc.script_of(lang) == script


def test_separators_follow_the_script():
    assert loc.punctuation("zh") == {"comma": "，", "colon": "：", "gap": ""}
    assert loc.punctuation("ar")["comma"] == "، "
    assert loc.punctuation("ru") == loc.punctuation("en") == {"comma": ", ", "colon": ": ",
                                                              "gap": " "}


def test_dates_and_times_take_the_locales_default_digits():
    """CLDR: 'ar' counts in Latin digits, 'ar_EG' in Arabic-Indic ones, 'fa' in Persian ones;
    Babel writes Latin digits for all three."""
    arabic = loc.cldr_locale("ar")
    assert "18" in loc.long_date(MAY_18, arabic) and "2027" in loc.long_date(MAY_18, arabic)
    for tag, zero in (("ar_EG", "\u0660"), ("fa", "\u06f0")):
        locale = loc.cldr_locale(tag)
        date = loc.long_date(MAY_18, locale)
        digits = [c for c in date if c.isdigit()]
        assert [unicodedata.digit(c) for c in digits] == [1, 8, 2, 0, 2, 7]
        assert all(ord(c) - ord(zero) in range(10) for c in digits), date
        clock = loc.clock(dt.datetime(2027, 5, 18, 9, 30), locale)
        assert [unicodedata.digit(c) for c in clock if c.isdigit()] == [0, 9, 3, 0]
        assert not any("0" <= c <= "9" for c in loc.date_span([MAY_18, MAY_18.replace(day=19)],
                                                                locale))
    assert loc.long_date(MAY_18, loc.cldr_locale("en")) == "Tuesday, May 18, 2027"


def test_chinese_intervals_keep_the_numbered_month():
    chinese = loc.cldr_locale("zh")
    span = loc.date_span([MAY_18, MAY_18.replace(day=19)], chinese)
    assert "5月18日" in span and "五月" not in span
    assert "June" in loc.date_span([dt.date(2027, 5, 30), dt.date(2027, 6, 2)],
                                   loc.cldr_locale("en"))
