"""Calendar writer: one RFC 5545 VEVENT per agenda slot, in the country's own time zone.

The file is byte-reproducible: UIDs are derived from the workshop, the slot and the
country, and DTSTAMP is the build epoch (``context["build"]["date"]``), never "now".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .kit import KitRender

PRODID = "-//kitbuilder//workshop kit calendar//EN"


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


class IcsWriter:
    name = "ics"
    suffix = ".ics"

    def write(self, kit: KitRender, path: Path) -> None:
        path.write_bytes(self.calendar_bytes(kit))

    def calendar_bytes(self, kit: KitRender) -> bytes:
        from icalendar import Calendar, Event

        from ..locale import load_translations

        gettext = load_translations(kit.paths.locales, kit.lang).gettext
        workshop = kit.context["workshop"]
        stamp = kit.context["build"]["date"].astimezone(dt.UTC)
        venue = workshop.get("venue")
        place = ", ".join(filter(None, [venue["name"], venue["address"], venue["city"]])) \
            if venue else ""
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"{workshop['conference_short']} · {workshop['title']}")
        for number, slot in enumerate(kit.context["agenda"]["slots"], start=1):
            event = Event()
            # The same slot is the same event in every language and country: one UID for it,
            # so a delegate who imports two kits' calendars gets no duplicates.
            event.add("uid", f"{workshop['id']}-slot{number:02d}@kitbuilder")
            event.add("dtstamp", stamp)
            event.add("sequence", workshop.get("revision", 0))
            event.add("dtstart", slot["starts"])
            event.add("dtend", slot["ends"])
            event.add("summary", slot["title"])
            description = describe_slot(slot, gettext)
            link = slot["join"]
            if link:
                description = f"{description}\n\n{link}" if description else link
                event.add("url", link)
            if place or link:
                event.add("location", place or link)
            if description:
                event.add("description", description)
            event.add("categories", [workshop["conference_short"]])
            calendar.add_component(event)
        day = kit.context["agenda"]["slots"][0]["starts"].date()
        # Only the transitions around the workshop: small, and still correct there.
        calendar.add_missing_timezones(first_date=day - dt.timedelta(days=366),
                                       last_date=day + dt.timedelta(days=366))
        return calendar.to_ical()
