"""Which YAML values are text a translator translates, as the content model says.

A field marked ``json_schema_extra=NOT_TRANSLATED`` in content/model.py (names of people and
organisations, rooms, links, codes) and every field that is not text (times, numbers, dates,
fixed choices such as an agenda slot's ``kind``) is no translation block; neither is a value
that is only an e-mail address or a link. Paths are field names from the file's top, list
positions left out: ``("slots", "presenters", "name")``.
"""

from __future__ import annotations

import re
import types
import typing
from functools import cache

from pydantic import BaseModel

from ..content.model import NOT_TRANSLATED, Agenda, Participants, WorkshopText

MODELS = {"workshop.yaml": WorkshopText, "agenda.yaml": Agenda,
          "participants.yaml": Participants}
_ADDRESS = re.compile(r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?|mailto):\S+)$")


def _inner(annotation) -> list:
    """The types a field's values can have, with Optional, list and Annotated taken off."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple):
        return [t for arg in typing.get_args(annotation) if arg is not type(None)
                for t in _inner(arg)]
    return [annotation]


def _text_fields(model: type[BaseModel], where: tuple) -> set[tuple]:
    found: set[tuple] = set()
    for name, info in model.model_fields.items():
        if info.exclude or info.json_schema_extra == NOT_TRANSLATED:
            continue
        for kind in _inner(info.annotation):
            if kind is str:
                found.add((*where, name))
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                found |= _text_fields(kind, (*where, name))
    return found


@cache
def translated_fields(filename: str) -> frozenset[tuple] | None:
    """The field paths of ``filename`` that hold translatable text; None for a file with no
    model here (every text value counts)."""
    model = MODELS.get(filename)
    return None if model is None else frozenset(_text_fields(model, ()))


def is_translated(filename: str, fields: tuple, value: str) -> bool:
    """Whether the YAML value at field path ``fields`` is text a translator translates."""
    if _ADDRESS.match(value.strip()):
        return False
    known = translated_fields(filename)
    return known is None or fields in known


def untranslated_fields() -> dict[str, list[str]]:
    """file → the text fields it has that are not translated (for docs and messages)."""
    out: dict[str, list[str]] = {}
    for filename, model in MODELS.items():
        out[filename] = sorted(".".join(path) for path in _marked(model, ()))
    return out


def _marked(model: type[BaseModel], where: tuple) -> set[tuple]:
    found: set[tuple] = set()
    for name, info in model.model_fields.items():
        if info.json_schema_extra == NOT_TRANSLATED:
            found.add((*where, name))
            continue
        for kind in _inner(info.annotation):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                found |= _marked(kind, (*where, name))
    return found
