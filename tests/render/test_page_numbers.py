"""Contents numbers given as text when a worker can guess them: the PDF is byte for byte the
one target-counter() gives, a wrong guess is caught, and a layout that sets the page counter
is never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.render import page_numbers
from kitbuilder.render.context import kit_context, render_language
from kitbuilder.render.kit import KitRender, Paths
from kitbuilder.render.pdf import PdfWriter
from tests.conftest import ROOT

EPOCH = 1636329600


@pytest.fixture(scope="module")
def mexico():
    problems = Problems()
    project = load_project(ROOT / "content", problems)
    country = next(c for c in project.countries if c.code == "MX")
    context = kit_context(project, country, "es", render_language(project, "es"))
    context["build"] = {"date": dt.datetime.fromtimestamp(EPOCH, dt.UTC)}
    return KitRender("MX", "es", project.workshop.source_language, context,
                     Paths(ROOT / "content", ROOT / "layouts", ROOT / "locales"))


@pytest.fixture
def seen(monkeypatch):
    """This test's own memory of laid-out kits, and a record of the guesses made."""
    monkeypatch.setattr(page_numbers, "_SEEN", {})
    given = []
    numbers_css = page_numbers.numbers_css
    monkeypatch.setattr(page_numbers, "numbers_css",
                        lambda ids, numbers: given.append(numbers) or numbers_css(ids, numbers))
    return given


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["screen", "print", "archive"])
def test_guessed_numbers_give_the_same_bytes_and_wrong_ones_are_caught(
        mexico, seen, tmp_path, monkeypatch, edition):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    PdfWriter().write(mexico, tmp_path / "counted.pdf", edition=edition)  # nothing to guess
    assert seen == []
    [(key, numbers)] = page_numbers._SEEN.items()
    assert key[1:] == (edition, "es", "letter") and numbers == (
        (3, 7, 9, 11) if edition == "print" else (2, 6, 7, 9))  # right-hand chapter starts

    PdfWriter().write(mexico, tmp_path / "guessed.pdf", edition=edition)
    assert seen == [numbers]
    assert (tmp_path / "guessed.pdf").read_bytes() == (tmp_path / "counted.pdf").read_bytes()

    wrong = tuple(n + 1 for n in numbers)
    page_numbers._SEEN[key] = wrong
    PdfWriter().write(mexico, tmp_path / "corrected.pdf", edition=edition)
    assert seen == [numbers, wrong]
    assert (tmp_path / "corrected.pdf").read_bytes() == (tmp_path / "counted.pdf").read_bytes()
    assert page_numbers._SEEN[key] == numbers


def test_only_the_shipped_rule_and_an_untouched_page_counter_are_guessed():
    html = ('<a href="#agenda"><span class="toc-title">Agenda</span>'
            '<span class="toc-page" data-href="#agenda"></span></a>')
    rule = ".contents .toc-page::before { content: target-counter(attr(data-href), page); }"
    assert page_numbers.entries(html, rule) == ("agenda",)
    assert page_numbers.entries(html, rule.replace("::before", "::after")) is None
    assert page_numbers.entries(html, rule + "\n@page :first { counter-reset: page 3 }") is None
    assert page_numbers.entries(html + '<p style="counter-increment: page 2">', rule) is None
    odd = html.replace('data-href="#agenda"', 'data-href="#1 x"')
    assert page_numbers.entries(odd, rule) is None  # every entry numbered, or none


def test_a_guess_needs_the_same_chapters_and_edition_and_agreeing_kits(monkeypatch):
    monkeypatch.setattr(page_numbers, "_SEEN", {})
    ids = ("a", "b")
    assert page_numbers.guess(ids, "screen", "en", "letter") is None
    page_numbers.remember(ids, "screen", "en", "letter", (2, 5))
    assert page_numbers.guess(ids, "screen", "es", "a4") == (2, 5)  # no kit differed yet
    assert page_numbers.guess(ids, "print", "en", "letter") is None
    assert page_numbers.guess(("a",), "screen", "en", "letter") is None
    page_numbers.remember(ids, "screen", "es", "letter", (2, 6))
    assert page_numbers.guess(ids, "screen", "es", "a4") is None  # they differ: no guess
    assert page_numbers.guess(ids, "screen", "es", "letter") == (2, 6)
