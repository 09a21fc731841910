"""The text of the files an import writes: documents, agenda, kit, and the workshop's days and
title laid over what `kitbuilder new` writes."""

from __future__ import annotations

import datetime as dt
import re

from ...scaffold.project import q
from ...scaffold.texts import texts
from .events import Agenda
from .items import Entry

HEADER = "# Written by `kitbuilder import plone`; an import again replaces this file unless " \
         "you edited it.\n"


def document(entry: Entry, body: str, lead_image: str | None) -> str:
    """A Markdown document: front matter (title, where it came from), then the page."""
    lead = ""
    if entry.description:
        lead += f"{_escape_paragraph(entry.description)}\n\n"
    if lead_image:
        lead += f"![]({lead_image})\n\n"
    return (f"---\ntitle: {q(entry.title or entry.id)}\n"
            f"plone_uid: {q(entry.uid)}\nplone_path: {q(entry.path)}\n---\n"
            f"{lead}{body.strip()}\n")


def _escape_paragraph(text: str) -> str:
    """Plain text as one Markdown paragraph that says exactly that text."""
    escaped = re.sub(r"([\\`*_{}\[\]<>#+!|@~^$])", r"\\\1", text)
    return re.sub(r"^(\s*)([-=]|\d+[.)])", r"\1\\\2", escaped)


def kit_yaml(filenames: list[str], agenda: bool) -> str:
    lines = [HEADER.rstrip("\n"), "# The kit's chapters, in the Plone folder's order (its "
             "default page first).", "documents:"]
    lines += [f"  - {name}" for name in filenames]
    if agenda:
        lines.append("  - agenda")
    return "\n".join(lines) + "\n"


def agenda_yaml(lang: str, source_lang: str, agenda: Agenda, zone: str) -> str:
    lines = [HEADER.rstrip("\n"), f"# From the Plone events; times in {zone}. An event's "
             "description is kept as a comment above its slot.",
             f"title: {q(texts(lang)['agenda'])}", "slots:"]
    numbers = {day: number for number, day in enumerate(agenda.days, start=1)}
    for slot in agenda.slots:
        event = slot.group.by_lang.get(lang) or slot.group.source
        if event.description:
            lines.append(f"  # {event.description}")
        lines += [f"  - day: {numbers[slot.date]}", f'    start: "{slot.start:%H:%M}"',
                  f'    end: "{slot.end:%H:%M}"']
        if slot.kind != "session":
            lines.append(f"    kind: {slot.kind}")
        lines.append(f"    title: {q(event.title or slot.group.source.title)}")
        room = event.location or slot.room
        if room:
            lines.append(f"    room: {q(room)}")
    return "\n".join(lines) + "\n"


def with_days(workshop_yaml: str, days: list[dt.date]) -> str:
    """The scaffold's workshop.yaml with the events' days (and the first as the issue date)."""
    listed = "\n".join(f"  - date: {day.isoformat()}" for day in days)
    text = re.sub(r"(?m)^days:.*\n(?:  - date: .*\n)+",
                  lambda _: f"days:                             # from the Plone events\n"
                            f"{listed}\n", workshop_yaml)
    return re.sub(r"(?m)^(  issued: ).*$", lambda m: m.group(1) + days[0].isoformat(), text)


def with_title(language_yaml: str, title: str) -> str:
    return re.sub(r"(?m)^title: .*$", lambda _: f"title: {q(title)}", language_yaml, count=1)
