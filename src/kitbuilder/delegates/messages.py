"""Translators' texts for the delegates' documents as ICU MessageFormat messages.

A salutation depends on the delegate's title and gender, a paragraph on the meeting's format
and the delegate's participation: translators write those choices with ICU's ``select`` (and
``plural``), which translation tools (Weblate, Crowdin, Phrase, Lokalise …) know, instead of
a syntax of kitbuilder's own. pyicumessageformat parses a message; ``format_message`` walks the
parsed tree (text, ``{name}``, ``select``, ``plural`` with ``#``). A message whose result is
empty leaves its paragraph out.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from pyicumessageformat import Parser

_PARSER = Parser({"allow_tags": False, "strict": False})


class MessageError(ValueError):
    """A message that is not valid ICU MessageFormat, or names an unknown variable."""


@lru_cache(maxsize=4096)
def parse(message: str) -> tuple:
    try:
        return tuple(_PARSER.parse(message))
    except SyntaxError as exc:
        raise MessageError(f"not a valid ICU message ({exc}); write choices as "
                           "{title, select, ms {…} mr {…} other {…}}, a literal brace as "
                           "'{'") from None


def variables(message: str) -> set[str]:
    """Every variable the message uses, in any branch."""
    return {name for name, _ in _arguments(parse(message))}


def _arguments(nodes):
    """(name, type) of every argument, in any branch; type None for a plain {name}."""
    for node in nodes:
        if isinstance(node, dict) and not node.get("hash"):
            yield node["name"], node.get("type")
            for branch in (node.get("options") or {}).values():
                yield from _arguments(branch)


PERSONAL = ("name", "title", "gender", "given_name", "family_name", "full_name", "honorific")


def check(message: str, allowed: tuple[str, ...]) -> list[str]:
    """What is wrong with a translator's message (empty: nothing)."""
    try:
        found = list(_arguments(parse(message)))
    except MessageError as exc:
        return [str(exc)]
    problems = []
    for name, kind in dict.fromkeys(found):
        if name not in allowed and name in PERSONAL:
            problems.append(f"{{{name}}} may appear only in the letter's salutation and "
                            "honorific; this text is the same for every delegate")
        elif name not in allowed:
            problems.append(f"unknown placeholder {{{name}}}; use "
                            + ", ".join("{" + a + "}" for a in allowed))
        elif kind not in (None, "select", "plural", "selectordinal"):
            problems.append(f"{{{name}, {kind}}}: only select and plural choose a text "
                            f"here; write {{{name}}}")
    return problems


def format_message(message: str, values: dict[str, object], locale: Locale) -> str:
    """The message for these values (a missing variable reads as empty; select picks
    ``other`` when no branch matches)."""
    return _render(parse(message), values, locale, None).strip()


def _render(nodes, values: dict, locale: Locale, number) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node.get("hash"):
            out.append(str(number))
        elif node.get("type") == "select":
            out.append(_render(_branch(node, str(values.get(node["name"], ""))), values,
                               locale, number))
        elif node.get("type") in ("plural", "selectordinal"):
            count = int(values.get(node["name"], 0) or 0)
            options = node["options"]
            exact = f"={count}"
            key = exact if exact in options else locale.plural_form(count - node.get("offset",
                                                                                     0))
            chosen = options.get(key, options["other"])
            out.append(_render(chosen, values, locale, count))
        else:
            out.append(str(values.get(node["name"], "")))
    return "".join(out)


def _branch(node: dict, value: str):
    options = node["options"]
    return options.get(value, options["other"])
