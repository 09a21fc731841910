"""Calendar writer: one RFC 5545 VEVENT per agenda slot, in the zone the kit's agenda uses.

Calendar programs recognise an update by the event's UID and SEQUENCE, so both are chosen for
re-sent files (docs/delivery.md, "Calendars that update"):

- UID: the workshop, the country and the slot's identity (``slot_keys``): its ``id:`` when the
  agenda gives one, else its source-language title. Never its position: inserting, removing
  or moving a slot leaves the other slots' UIDs alone.
- SEQUENCE: read back from the calendar kitbuilder last wrote to the same output file; it rises
  by one for each event whose time, title, place, description or link changed since, and is 0
  for an event that file did not have. A slot removed since then stays in the file, cancelled.
- DTSTAMP is the build epoch (``context["build"]["date"]``), never "now": the same content and
  the same previous file give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from ..locale import load_translations
from .kit import KitRender

PRODID = "-//kitbuilder//workshop kit calendar//EN"
CANCELLED = "CANCELLED"
_WORD = re.compile(r"\w+")


def slot_keys(facts, slots) -> list[str]:
    """Each slot's identity, in YAML order: ``id-<its id>`` when the agenda names it, else a
    hash of its source-language title (case, spacing and punctuation ignored, so fixing a typo
    of that kind keeps it). Slots sharing a title ("Coffee break") are numbered in the order
    they take place; such slots are interchangeable, so a renumbering after a move still leaves
    each calendar with the right events once their new times are sent."""
    def when(pair):
        index, slot = pair
        day = facts.date_of(slot)
        return (day or dt.date.min, slot.start, slot.end, slot.track or slot.room or "", index)

    keys: list[str] = [""] * len(slots)
    seen: dict[str, int] = {}
    for index, slot in sorted(enumerate(slots), key=when):
        if slot.id is not None:
            keys[index] = f"id-{slot.id}"
            continue
        words = " ".join(_WORD.findall(slot.title.casefold()))
        key = "t" + hashlib.sha256(words.encode()).hexdigest()[:12]
        seen[key] = seen.get(key, 0) + 1
        keys[index] = key if seen[key] == 1 else f"{key}-{seen[key]}"
    return keys


def presenter_line(presenter: dict) -> str:
    """'Name, role (affiliation)' with whatever parts the agenda gives."""
    head = ", ".join(part for part in (presenter.get("name"), presenter.get("role")) if part)
    affiliation = presenter.get("affiliation")
    if head and affiliation:
        return f"{head} ({affiliation})"
    return head or affiliation or ""


def describe_slot(slot: dict, gettext) -> str:
    lines = [presenter_line(p) for p in slot["presenters"]]
    lines = [line for line in lines if line]
    parts = []
    where = " · ".join(filter(None, [slot["track"], slot["room"]]))
    if where:
        parts.append(where)
    if lines:
        parts.append(gettext("Presenters") + ":\n" + "\n".join(f"- {line}" for line in lines))
    if slot["directs"]:
        parts.append(f"{gettext('Directs')}: {slot['directs']}")
    return "\n\n".join(parts)


def slot_location(slot: dict, workshop: dict) -> str:
    """Where the slot takes place: its room at the venue (in person and hybrid; those who join
    remotely have the link in URL and the description), or the join link of a virtual slot,
    else its (virtual) room."""
    if workshop["mode"] == "virtual" or not workshop.get("venue"):
        return slot["join"] or slot["room"]
    venue = workshop["venue"]
    return ", ".join(filter(None, [slot["room"], venue.get("name"), venue.get("address"),
                                   venue.get("city")]))


def slot_uid(workshop: dict, country: str, slot: dict) -> str:
    # Per country: SEQUENCE is counted per file, and one country's files can be rebuilt and
    # re-sent without another's; a shared UID would let an older file of one country mask a
    # newer one of another. A country's languages share it: the same event, once, for a
    # reader who imports both.
    return f"{workshop['id']}-{country.lower()}-{slot['key']}@kitbuilder"


def fingerprint(event) -> tuple:
    """What a reader of the event sees; a change in it is a new revision (SEQUENCE + 1)."""
    def instant(name):
        value = event.decoded(name) if name in event else None
        return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value

    return (instant("dtstart"), instant("dtend"),
            *(str(event.get(name, "")) for name in ("summary", "location", "description",
                                                    "url", "status")))


def previous_events(data: bytes | None) -> dict[str, tuple[int, tuple, object]]:
    """UID → (SEQUENCE, fingerprint, event) of the calendar kitbuilder last wrote here; empty
    when there is none or it cannot be read (its events then start again at 0)."""
    from icalendar import Calendar

    if not data:
        return {}
    try:
        events = Calendar.from_ical(data).walk("VEVENT")
        return {str(e["uid"]): (int(e.get("sequence", 0)), fingerprint(e), e)
                for e in events if "uid" in e}
    except Exception:  # noqa: BLE001 - an unreadable previous file counts as none
        return {}


def cancelled_event(old, sequence: int, stamp: dt.datetime):
    """A slot the agenda no longer has, kept so that calendars that imported it drop it."""
    from icalendar import Event

    event = Event()
    event.add("uid", str(old["uid"]))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    for name in ("dtstart", "dtend"):
        if name in old:
            event.add(name, old.decoded(name))
    for name in ("summary", "location", "description", "url"):
        if name in old:
            event.add(name, str(old[name]))
    event.add("status", CANCELLED)
    return event


class IcsWriter:
    name = "ics"
    suffix = ".ics"

    def prepare(self, paths, editions: tuple[str, ...]) -> None:
        import icalendar  # noqa: F401

    def finish(self) -> None:
        pass

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        path.write_bytes(self.calendar_bytes(kit, previous_calendar(kit, path.name)))

    def calendar_bytes(self, kit: KitRender, previous: bytes | None = None) -> bytes:
        from icalendar import Calendar

        gettext = load_translations(kit.paths.locales, kit.lang).gettext
        workshop = kit.context["workshop"]
        stamp = kit.context["build"]["date"].astimezone(dt.UTC)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{workshop['conference_short']} · {workshop['title']}")
        before = previous_events(previous)
        for slot in kit.context["agenda"]["slots"]:
            event = slot_event(slot, workshop, kit.country, gettext, stamp)
            sequence, print_, _ = before.pop(str(event["uid"]), (0, None, None))
            changed = print_ is not None and print_ != fingerprint(event)
            event.add("sequence", sequence + changed)
            calendar.add_component(event)
        for sequence, print_, old in before.values():
            already = print_[-1] == CANCELLED
            calendar.add_component(cancelled_event(old, sequence + (not already), stamp))
        day = kit.context["agenda"]["slots"][0]["starts"].date()
        # Only the transitions around the workshop: small, and still correct there.
        calendar.add_missing_timezones(first_date=day - dt.timedelta(days=366),
                                       last_date=day + dt.timedelta(days=366))
        return calendar.to_ical()


def slot_event(slot: dict, workshop: dict, country: str, gettext, stamp: dt.datetime):
    """The slot's event without its SEQUENCE (which depends on the previous file)."""
    from icalendar import Event

    event = Event()
    event.add("uid", slot_uid(workshop, country, slot))
    event.add("dtstamp", stamp)
    event.add("dtstart", slot["starts"])
    event.add("dtend", slot["ends"])
    event.add("summary", slot["title"])
    description = describe_slot(slot, gettext)
    link = slot["join"]
    if link:
        description = f"{description}\n\n{link}" if description else link
        event.add("url", link)
    location = slot_location(slot, workshop)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("categories", [workshop["conference_short"]])
    return event


def previous_calendar(kit: KitRender, name: str) -> bytes | None:
    """The file this kit's calendar replaces: ``<output>/<cc>/<lang>/<name>`` (plan.file_name),
    as the last build committed it."""
    if kit.paths.output is None:
        return None
    try:
        return (kit.paths.output / kit.country.lower() / kit.lang / name).read_bytes()
    except OSError:
        return None
