"""The layouts' Jinja environment: autoescaping reaches content and catalog strings alike."""

import shutil

from kitbuilder.render.templates import css_counters, css_string, environment


def test_catalog_strings_are_escaped(tmp_path, root):
    locales = tmp_path / "locales"
    shutil.copytree(root / "locales", locales)
    po = locales / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Contenido"', 'msgstr "Índice <img src=x onerror=alert(1)> & más"'),
        encoding="utf-8")
    env = environment(root / "layouts", locales, "es")
    html = env.from_string('<h2>{{ _("Contents") }}</h2>{{ _("Delegation form: %(country)s", '
                           'country="<b>X</b>") }}').render()
    assert "<img" not in html and "&lt;img src=x" in html and "&amp; más" in html
    assert "&lt;b&gt;X&lt;/b&gt;" in html  # placeholders are escaped too


def test_content_is_autoescaped(root):
    env = environment(root / "layouts", root / "locales", "en")
    assert env.from_string("{{ value }}").render(value="<script>") == "&lt;script&gt;"


def test_css_strings_cannot_break_out():
    assert css_string('a"}</style><script>') == '"a\\22 \\7d \\3c /style\\3e \\3c script\\3e "'
    assert css_counters("Página {page} de {pages}") == \
        '"Página " counter(page) " de " counter(pages)'


def test_the_emblems_description_reads_right_whatever_the_conferences_gender(root):
    """Spanish and French said "de la {conference}": right for a Conferencia, wrong for the
    next secretariat's Proceso or Foro. The description names the conference without an
    article in every language."""
    import re

    article = re.compile(r"\b(la|el|del|le|du|les|des|los|las)\s+$|l'$", re.I)
    for lang in ("ar", "en", "es", "fr", "ru", "zh"):
        env = environment(root / "layouts", root / "locales", lang)
        for name in ("Proceso de Quito", "Conferencia Regional sobre Migración"):
            text = env.from_string("{{ _('Emblem of the %(conference)s workshop', "
                                   "conference=name) }}").render(name=name)
            assert name in text, (lang, text)
            if lang != "en":  # English says "the … workshop", right for any name
                assert not article.search(text[:text.index(name)]), (lang, text)
