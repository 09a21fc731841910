"""Kits' sentences with a country or city in them are grammatical (issue 20, case 8): read in
the HTML kits of a new hybrid project whose venue's zone CLDR names after a country."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main

pytestmark = pytest.mark.slow


def text_of(path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
                    .replace("&#39;", "'").split())


def test_country_and_city_names_take_their_articles(tmp_path):
    runner = CliRunner()
    project = tmp_path / "x"
    made = runner.invoke(main, [
        "new", str(project), "--language", "en", "--language", "es", "--language", "fr",
        "--country", "US", "--country", "HT", "--country", "CR", "--country", "GB",
        "--country", "CA:en,fr", "--format", "hybrid", "--timezone", "America/Costa_Rica"])
    assert made.exit_code == 0, made.output
    built = runner.invoke(main, ["build", "--project", str(project), "--format", "html"])
    assert built.exit_code == 0, built.output
    kit = {(path.parent.parent.name, path.parent.name): text_of(path)
           for path in (project / "output").glob("*/*/*.html")}
    assert "For those joining remotely from the United States," in kit["us", "en"]
    assert "one of several time zones in the United States." in kit["us", "en"]
    assert "Delegation form of the United States" in kit["us", "en"]
    assert "For those joining remotely from the United Kingdom," in kit["gb", "en"]
    # The venue's zone is named "Costa Rica" by CLDR: a country, with its article in French.
    assert "celles du lieu de la réunion, au Costa Rica :" in kit["ht", "fr"]
    assert "Pour qui participe à distance depuis Haïti," in kit["ht", "fr"]
    assert "Formulaire de la délégation d’Haïti" in kit["ht", "fr"]
    assert "en vigueur au Canada." in kit["ca", "fr"]
    assert "Formulario de la delegación de Costa Rica" in kit["cr", "es"]
    for text in kit.values():
        assert "remotely from United" not in text
        assert not re.search(r"\bà (Costa Rica|Canada|États-Unis)", text)
        assert "’ " not in text.replace("’ (", "")  # elision: no space after the apostrophe
