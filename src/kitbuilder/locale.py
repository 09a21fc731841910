"""Everything language- and place-dependent, from CLDR (through Babel) and tzdata."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_time, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po


@lru_cache
def cldr_locale(tag: str) -> Locale:
    return Locale.parse(tag)


def country_name(code: str, locale: Locale) -> str:
    return locale.territories.get(code, code)


# ---------------------------------------------------------------- codes CLDR and tzdata know

# Territory codes CLDR names that are no country: unknown region, unions and groupings,
# pseudo-locales, and the codes ISO 3166 only reserves (Ascension, Clipperton, Sark, Diego
# Garcia, Ceuta and Melilla, the Canary Islands, Tristan da Cunha: part of another country).
NOT_COUNTRIES = frozenset({"ZZ", "EU", "UN", "EZ", "QO", "XA", "XB",
                           "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})


def is_locale(tag: str) -> bool:
    """A language or locale CLDR has data for ('es', 'es_419', 'en_001')."""
    try:
        Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def is_language_code(code: str) -> bool:
    """An ISO 639 code as typed on the command line: two or three lower-case letters."""
    try:
        return bool(re.fullmatch(r"[a-z]{2,3}", code)) and Locale.parse(code) is not None
    except (UnknownLocaleError, ValueError):
        return False


def is_territory(code: str) -> bool:
    """A territory code CLDR names, exactly as written ('MX')."""
    return code in cldr_locale("en").territories


def is_country_code(code: str) -> bool:
    """An ISO 3166-1 alpha-2 country code in any case ('gt', 'GT'), not a region or union."""
    upper = code.upper()
    return (bool(re.fullmatch(r"[A-Z]{2}", upper)) and is_territory(upper)
            and upper not in NOT_COUNTRIES)


def is_zone(name: str) -> bool:
    """An IANA time zone tzdata knows ('America/Guatemala')."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# ---------------------------------------------------------------- a country's facts


# The capital's zone where CLDR lists several zones for a country (CLDR does not say which
# zone is the capital's); single-zone countries need no entry.
CAPITAL_ZONES = {
    "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "CA": "America/Toronto", "CD": "Africa/Kinshasa", "CL": "America/Santiago",
    "CN": "Asia/Shanghai", "CY": "Asia/Nicosia", "DE": "Europe/Berlin",
    "EC": "America/Guayaquil", "ES": "Europe/Madrid", "FM": "Pacific/Pohnpei",
    "GL": "America/Nuuk", "ID": "Asia/Jakarta", "KI": "Pacific/Tarawa", "KZ": "Asia/Almaty",
    "MN": "Asia/Ulaanbaatar", "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland", "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby", "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "UA": "Europe/Kyiv",
    "US": "America/New_York", "UZ": "Asia/Tashkent", "UM": "Pacific/Honolulu",
}


def capital_zone(code: str) -> str:
    zones = get_global("territory_zones").get(code, [])
    return CAPITAL_ZONES.get(code) or (zones[0] if zones else "UTC")


def zone_country(zone: str) -> str | None:
    """The country CLDR places an IANA zone in ('America/Bogota' → 'CO'); None for a zone of
    no country ('UTC') or one CLDR does not list."""
    found = get_global("zone_territories").get(zone)
    return found if found and found != "001" else None


def official_languages(code: str, languages: tuple[str, ...],
                       statuses: tuple[str, ...] | None = None) -> list[str]:
    """Those of ``languages`` that CLDR lists as official in the country (with one of
    ``statuses``, e.g. "official", "official_regional", when given), in their order."""
    spoken = get_global("territory_languages").get(code, {})
    found = [(lang, (spoken.get(lang) or {}).get("official_status")) for lang in languages]
    return [lang for lang, status in found if status and (statuses is None or status in statuses)]


# CLDR supplementalData.xml <paperSize>: A4 everywhere except these territories.
CLDR_LETTER_TERRITORIES = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)


def cldr_paper(country_code: str) -> str:
    return "letter" if country_code in CLDR_LETTER_TERRITORIES else "a4"


def catalog_language(lang: str) -> tuple[str, str]:
    """A PO catalog header's language name (in English) and its Plural-Forms; a language CLDR
    does not know keeps its code, with English plurals."""
    try:
        return Locale.parse(lang).english_name or lang, get_plural(lang).plural_forms
    except (UnknownLocaleError, ValueError):
        return lang, "nplurals=2; plural=(n != 1);"


# ---------------------------------------------------------------- names, dates and times


def text_direction(locale: Locale) -> str:
    """'rtl' for a language CLDR writes right to left (Arabic, Hebrew, Persian …), else 'ltr'."""
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def script_of(lang: str) -> str:
    """The script a language is most likely written in (CLDR's likely subtags): 'Cyrl' for
    ru, 'Arab' for ar, 'Hans' for zh; 'Latn' for a code CLDR does not know."""
    tag = str(get_global("likely_subtags").get(lang.replace("-", "_").split("_")[0], ""))
    parts = tag.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


# Scripts whose sentences run on without spaces and take full-width punctuation.
_FULL_WIDTH_SCRIPTS = frozenset({"Hans", "Hant", "Jpan"})


def punctuation(lang: str) -> dict[str, str]:
    """The separators the layouts put between their parts: comma, colon (each with the space
    after it, if any) and the gap between two sentences: '，' '：' and none in Chinese,
    '، ' in Arabic."""
    script = script_of(lang)
    if script in _FULL_WIDTH_SCRIPTS:
        return {"comma": "，", "colon": "：", "gap": ""}
    return {"comma": "، " if script == "Arab" else ", ", "colon": ": ", "gap": " "}


def direction_of(lang: str) -> str:
    """The direction a language code is written in; 'ltr' for a code CLDR does not know."""
    try:
        return text_direction(cldr_locale(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "ltr"


def language_name(lang: str, locale: Locale) -> str:
    """The language's name as CLDR writes it in ``locale``, with that language's casing:
    "inglés" in Spanish ("Original: inglés"), "English" in English."""
    return locale.languages.get(lang, lang)


# The zero of CLDR's decimal numbering systems that locales take by default (numberingSystems:
# ten consecutive code points); Babel formats dates with Latin digits whatever the locale.
_ZERO = {"arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "mymr": 0x1040,
         "tibt": 0xF20, "olck": 0x1C50, "mtei": 0xABF0, "adlm": 0x1E950}


def native_digits(text: str, locale: Locale) -> str:
    """``text``'s digits in the locale's default numbering system (ar_EG: '٢٠٢٧'; ar, as
    CLDR has it, and most locales: unchanged)."""
    zero = _ZERO.get(locale.default_numbering_system)
    if zero is None:
        return text
    return text.translate({ord("0") + n: zero + n for n in range(10)})


def long_date(day: dt.date, locale: Locale) -> str:
    """'lunes, 8 de noviembre de 2021' / 'Monday, 8 November 2021'."""
    return native_digits(format_date(day, format="full", locale=locale), locale)


def date_span(days: list[dt.date], locale: Locale) -> str:
    """One day in full ('lunes, 8 de noviembre de 2021'); several as CLDR's interval
    ('9–11 de marzo de 2027', '30 March – 1 April 2027')."""
    if len(days) == 1:
        return long_date(days[0], locale)
    first, last = days[0], days[-1]
    formats = locale.interval_formats
    # Many locales have no wide-month interval; their abbreviated one, widened, reads right
    # (not in Chinese or Japanese, whose wide month is a word: '五月' for '5月').
    script = locale.script or script_of(locale.language)
    widen = "MMMM" if script not in _FULL_WIDTH_SCRIPTS else "MMM"
    chosen = formats.get("yMMMMd") or {
        key: [re.sub(r"(?<!M)MMM(?!M)", widen, part) for part in parts]
        for key, parts in (formats.get("yMMMd") or {}).items()}
    differ = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    if differ not in chosen:
        return native_digits(f"{format_date(first, 'long', locale=locale)} – "
                             f"{format_date(last, 'long', locale=locale)}", locale)
    head, tail = chosen[differ]
    return native_digits(format_date(first, head, locale=locale)
                         + format_date(last, tail, locale=locale), locale)


def clock(moment: dt.datetime, locale: Locale) -> str:
    # 24-hour clock everywhere: the agenda compares times across countries.
    return native_digits(format_time(moment, "HH:mm", locale=locale), locale)


def at(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone))


def in_zone(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone))


def gmt_offset(moment: dt.datetime) -> str:
    """'GMT-6', 'GMT-4', 'GMT+5:30': the form the secretariat's agendas use."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


MINUS = "\u2212"  # a true minus sign: "UTC−5", not a hyphen


def utc_offset(moment: dt.datetime) -> str:
    """'UTC−5', 'UTC+1', 'UTC+5:30', 'UTC': how international meeting documents state a zone."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else MINUS}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(zone: str, locale: Locale) -> str:
    """CLDR's generic metazone name, as delegates know the zone: 'Eastern Time', 'hora
    central'; '' where the locale names no metazone for it (say the city's time instead)."""
    metazone = get_global("meta_zones").get(zone)
    names = locale.meta_zones.get(metazone, {}).get("long", {}) if metazone else {}
    return names.get("generic") or names.get("standard") or ""


def zones_of_country(country_code: str) -> int:
    """How many IANA zones CLDR lists for a territory (the United States: 29; Belize: 1)."""
    return len(get_global("territory_zones").get(country_code, ())) or 1


def zone_city(zone: str, locale: Locale) -> str:
    """CLDR's name for a zone's place, e.g. 'Santo Domingo' or 'Ciudad de México'."""
    return get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True)


@lru_cache(maxsize=16)
def load_translations(locales_dir: Path, lang: str) -> gettext.NullTranslations:
    """Compile ``locales/<lang>/LC_MESSAGES/messages.po`` in memory.

    Compiling at build time keeps the .po file the only thing translators touch;
    no compiled .mo file can go stale in the repository.
    """
    po_path = locales_dir / lang / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def missing_messages(locales_dir: Path, lang: str) -> list[tuple[str, int]]:
    """Catalog entries with no translation: (msgid, line in the .po file)."""
    po_path = locales_dir / lang / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return []
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return [(str(m.id), m.lineno) for m in catalog if m.id and not m.string]


# Capitals and alphabetical order by language, from ICU (PyICU, imported where used: it loads
# ICU's data). Other modules call these, never ICU directly.

@lru_cache(maxsize=64)
def _icu_locale(lang: str):
    import icu

    return icu.Locale(lang.replace("-", "_") if lang else "root")


def name_language(country: str, fallback: str = "") -> str:
    """The language a name from ``country`` is most likely written in (CLDR's likely
    subtags: 'TR' → 'tr'), for its capitals; ``fallback`` when CLDR has none."""
    likely = get_global("likely_subtags").get(f"und_{country.upper()}", "")
    return likely.split("_")[0] or fallback


def upper(text: str, lang: str = "") -> str:
    """``text`` in capitals by ``lang``'s rules: Greek loses its accents ('Παπαδοπούλου' →
    'ΠΑΠΑΔΟΠΟΥΛΟΥ', whatever the document's language), Turkish and Azeri keep the dot on i
    ('istanbul' → 'İSTANBUL'); elsewhere as Unicode's default ('ß' → 'SS')."""
    import icu

    if not text:
        return text
    if lang.split("-")[0].lower() not in ("tr", "az", "lt") and _has_greek(text):
        lang = "el"
    return str(icu.UnicodeString(text).toUpper(_icu_locale(lang)))


def _has_greek(text: str) -> bool:
    return any("\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff" for char in text)


@lru_cache(maxsize=32)
def _collator(lang: str):
    import icu

    collator = icu.Collator.createInstance(_icu_locale(lang))
    # "Van Dijk" and "vanDijk", "O'Brien" and "OBrien" sort together: punctuation and spaces
    # count only where nothing else differs.
    collator.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    return collator


def collation_key(text: str, lang: str = "") -> bytes:
    """A key that sorts ``text`` in ``lang``'s alphabetical order (CLDR's collation, as ICU
    has it: Spanish ñ after n, Swedish å ä ö after z, German ä with a; other scripts in
    Unicode's order): compare keys, never strings."""
    return _collator(lang).getSortKey(text)
