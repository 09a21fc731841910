"""Broken gettext catalogs: syntax, encoding and placeholders are path:line errors."""

from __future__ import annotations

import shutil

import pytest

from kitbuilder.errors import Problems
from kitbuilder.translation.catalogs import check_catalogs
from tests.conftest import ROOT


@pytest.fixture
def locales(tmp_path):
    target = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", target)
    return target


def po(locales):
    return locales / "es/LC_MESSAGES/messages.po"


def edit(locales, old: str, new: str) -> int:
    """Replace ``old`` once in the Spanish catalog; the line ``new`` starts on."""
    text = po(locales).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    po(locales).write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def errors(locales) -> list[str]:
    problems = Problems()
    check_catalogs(ROOT / "layouts", locales, ["en", "es"], problems)
    return [str(p) for p in problems.errors]


def test_unterminated_string(locales):
    line = edit(locales, 'msgstr "Revisión %(n)s"', 'msgstr "Revisión %(n)s')
    assert errors(locales) == [
        f'{po(locales)}:{line}: error: unterminated string: end it with a closing " (write a '
        'quote inside the text as \\")']


def test_stray_line(locales):
    line = edit(locales, 'msgid "Revision %(n)s"', 'Revision\nmsgid "Revision %(n)s"')
    assert errors(locales) == [
        f"{po(locales)}:{line}: error: not a catalog line: expected msgid, msgstr or a quoted "
        "string; remove the line or put '#' in front of it"]


def test_latin1_catalog(locales):
    text = po(locales).read_text(encoding="utf-8")
    po(locales).write_bytes(text.encode("latin-1", errors="replace"))
    first = next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())
    bad = next(c for c in text.splitlines()[first - 1] if not c.isascii())
    assert errors(locales) == [
        f"{po(locales)}:{first}: error: not UTF-8 text: byte 0x{ord(bad):02X} on this line "
        "(invalid continuation byte); save the file as UTF-8"]


def test_dropped_and_renamed_brace_placeholders(locales):
    line = edit(locales, 'msgid "Page {page} of {pages}"\nmsgstr "Página {page} de {pages}"',
                'msgid "Page {page} of {pages}"\nmsgstr "Página {x} de {pages}"')
    assert errors(locales) == [
        f'{po(locales)}:{line}: error: "Página {{x}} de {{pages}}" does not keep the '
        'placeholders of "Page {page} of {pages}" (it lacks {page}; {x} is not in the '
        "original); copy each placeholder exactly as the original writes it"]


def test_dropped_percent_placeholder(locales):
    line = edit(locales, 'msgid "Revision %(n)s"\nmsgstr "Revisión %(n)s"',
                'msgid "Revision %(n)s"\nmsgstr "Revisión"')
    assert errors(locales) == [
        f'{po(locales)}:{line}: error: "Revisión" does not keep the placeholders of '
        '"Revision %(n)s" (it lacks %(n)s); copy each placeholder exactly as the original '
        "writes it"]


def test_added_positional_placeholder(locales):
    line = edit(locales, 'msgid "Revision %(n)s"\nmsgstr "Revisión %(n)s"',
                'msgid "Revision %(n)s"\nmsgstr "Revisión %(n)s de %s"')
    assert errors(locales) == [
        f'{po(locales)}:{line}: error: "Revisión %(n)s de %s" does not keep the placeholders '
        'of "Revision %(n)s" (%s is not in the original); copy each placeholder exactly as the '
        "original writes it"]


def test_the_shipped_catalogs_are_clean():
    assert errors(ROOT / "locales") == []
