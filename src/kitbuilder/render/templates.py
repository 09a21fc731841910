"""The Jinja environment for one language: autoescaping, strict, with gettext strings."""

from __future__ import annotations

import re
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from markupsafe import Markup, escape

from ..locale import direction_of, load_translations
from ..place_names import grammatical
from .names import protect_text

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def css_string(value: object) -> Markup:
    """A CSS string literal that cannot break out of its declaration or <style>."""
    text = str(value)
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,-–—·:;/()'_@" or ord(ch) > 127 else f"\\{ord(ch):x} "
        for ch in text
    )
    return Markup(f'"{escaped}"')


def css_counters(message: str) -> Markup:
    """'Page {page} of {pages}' → "Page " counter(page) " of " counter(pages)."""
    parts = []
    for i, piece in enumerate(_PLACEHOLDER.split(str(message))):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, whatever the language: a language's environment
    differs only in its gettext functions, which the compiled code looks up when it runs.
    Jinja checks each template's source checksum, so an edited template compiles afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        if len(self.compiled) > 200:  # a long preview session with many edited templates
            self.compiled.clear()
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def _grammatical_gettext(env: Environment, lang: str) -> None:
    """Each layout string, once filled in, through place_names.grammatical: a country or
    city after a preposition gets its article ("au Costa Rica", "from the United States")
    and French elides ("d’Ottawa"). Only letters and apostrophes change, so the escaped
    markup stays as safe as it was."""
    for name in ("gettext", "ngettext"):
        filled = env.globals[name]

        @pass_context
        def grammatical_gettext(context, *args, _filled=filled, **variables):
            return Markup(grammatical(lang, str(context.call(_filled, *args, **variables))))

        env.globals[name] = grammatical_gettext


def compile_templates(layouts: Path, locales: Path) -> None:
    """Every template compiled into this process's cache, which serves every language."""
    env = environment(layouts, locales, "en")
    for name in env.list_templates(extensions=["j2"]):
        with suppress(Exception):  # a broken template is the kit's error, with its line
            env.get_template(name)


def attribute_text(value) -> str:
    """A value's text for an attribute (a form field's accessible name): the marks a passage
    carries as markup (a translation still pending) left out, their words kept. Markup is not
    escaped by Jinja: inside an attribute its quotes would end the attribute, and the tag."""
    return value.striptags() if isinstance(value, Markup) else str(value)


@lru_cache(maxsize=8)
def environment(layouts: Path, locales: Path, lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(layouts)),
        bytecode_cache=_COMPILED,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Jinja marks translated strings as safe markup; a catalog is edited by translators, so
    # its text is escaped like any content (placeholders are escaped by Jinja as usual).
    translations = load_translations(locales, lang)
    env.install_gettext_callables(
        gettext=lambda message: escape(translations.gettext(message)),
        ngettext=lambda one, many, n: escape(translations.ngettext(one, many, n)),
        newstyle=True,
    )
    _grammatical_gettext(env, lang)
    env.filters["css_string"] = css_string
    env.filters["attribute"] = attribute_text
    env.filters["css_counters"] = css_counters
    env.filters["protect_names"] = protect_text
    env.filters["direction"] = direction_of  # a passage in another language: its own direction
    return env
