"""Events → the agenda: days and slots in the site's time zone.

Plone exports event times in UTC and does not export the site's zone (it is a registry value),
so the zone is given with --timezone. Whole-day events cover their days from the start of the
first to the end of the last (Plone stores the end as 23:59:59 local); an open-ended event
ends with its day; a timed event over several days is one slot per day; a naive time (old
data) is already local.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .selection import Group

END_OF_DAY = dt.time(23, 59)
MAX_DAYS = 62  # an event longer than this is not a meeting's session


@dataclass
class Slot:
    date: dt.date
    start: dt.time
    end: dt.time
    group: Group
    open_end: bool = False
    room: str = ""
    kind: str = "session"


@dataclass
class Agenda:
    days: list[dt.date] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for a person to look at


def local(value: str | None, zone: ZoneInfo) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:  # naive values are the site's wall-clock time (exportimport #164)
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _minute(moment: dt.datetime) -> dt.time:
    return moment.time().replace(second=0, microsecond=0)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


_RULE_PART = re.compile(r"^(FREQ|INTERVAL|COUNT|UNTIL)=([A-Z0-9]{1,20})$")


def _repeats(event, start: dt.datetime, end: dt.datetime | None, zone: ZoneInfo,
             agenda: Agenda) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The occurrences of a daily or weekly repeat with a count or an end date (at the same
    wall-clock time each day); any other rule keeps the first occurrence and is reported."""
    lines = [line.strip() for line in event.recurrence.splitlines() if line.strip()]
    parts = lines[0].removeprefix("RRULE:").split(";") if len(lines) == 1 else []
    rule = dict(m.groups() for m in map(_RULE_PART.match, parts) if m)
    if len(rule) != len(parts) or rule.get("FREQ") not in ("DAILY", "WEEKLY") \
            or ("COUNT" in rule) == ("UNTIL" in rule):
        agenda.notes.append(f"event '{event.title}' repeats ({event.recurrence[:80]}); only "
                            "its first occurrence is in the agenda: add the others by hand")
        return [(start, end)]
    step = dt.timedelta(days=int(rule.get("INTERVAL", "1") or 1)
                        * (7 if rule["FREQ"] == "WEEKLY" else 1))
    until = rule.get("UNTIL", "")[:8]
    last = dt.date(int(until[:4]), int(until[4:6]), int(until[6:8])) \
        if until.isdigit() and len(until) == 8 else dt.date.max
    count = min(int(rule.get("COUNT", MAX_DAYS)), MAX_DAYS)
    found = []
    for n in range(count):
        moment = (start.replace(tzinfo=None) + n * step).replace(tzinfo=zone)
        if moment.date() > last:
            break
        found.append((moment, moment + (end - start) if end is not None else None))
    agenda.notes.append(f"event '{event.title}' repeats ({event.recurrence[:80]}): "
                        f"{len(found)} occurrences in the agenda: check them")
    return found


def _event_slots(group: Group, zone: ZoneInfo, agenda: Agenda, whole: dict) -> list[Slot]:
    event = group.source
    start, end = local(event.start, zone), local(event.end, zone)
    if start is None:
        agenda.notes.append(f"event '{event.title}' has no start that can be read "
                            f"({event.start!r}); it is not in the agenda")
        return []
    if event.has_text:
        agenda.notes.append(f"event '{event.title}' has a text of its own; agendas print no "
                            "texts: move what matters into a document by hand")
    occurrences = _repeats(event, start, end, zone, agenda) if event.recurrence \
        else [(start, end)]
    slots: list[Slot] = []
    for start, end in occurrences:
        slots += _occurrence_slots(group, start, end, agenda, whole)
    return slots


def _occurrence_slots(group: Group, start: dt.datetime, end: dt.datetime | None,
                      agenda: Agenda, whole: dict) -> list[Slot]:
    event = group.source
    if event.whole_day:
        last = end.date() if end is not None and end >= start else start.date()
        for day in _days(start.date(), last)[:MAX_DAYS]:
            whole.setdefault(day, []).append(group)
        return []
    if event.open_end or end is None:
        return [Slot(start.date(), _minute(start), END_OF_DAY, group, open_end=True,
                     room=event.location)]
    if end <= start:
        agenda.notes.append(f"event '{event.title}' ends before it starts; it is not in the "
                            "agenda")
        return []
    days = _days(start.date(), end.date())
    if len(days) > MAX_DAYS:
        agenda.notes.append(f"event '{event.title}' lasts {len(days)} days; it is not in the "
                            "agenda")
        return []
    if len(days) > 1:
        agenda.notes.append(f"event '{event.title}' runs over {len(days)} days "
                            f"({days[0]} to {days[-1]}); it is one slot per day: check them")
    slots = []
    for day in days:
        first = _minute(start) if day == days[0] else dt.time(0, 0)
        last = _minute(end) if day == days[-1] else END_OF_DAY
        if last > first:
            slots.append(Slot(day, first, last, group, room=event.location))
    return slots


def _close_open_ends(slots: list[Slot], agenda: Agenda) -> None:
    for slot in slots:
        if not slot.open_end:
            continue
        later = [s.start for s in slots if s.date == slot.date and s.start > slot.start]
        if later:
            slot.end = min(later)
        agenda.notes.append(f"event '{slot.group.source.title}' has no end (open end); it ends "
                            f"at {slot.end:%H:%M} in the agenda: check it")


def _mark_parallel(slots: list[Slot]) -> None:
    """Events at the same time in different rooms are parallel sessions, as the kit says."""
    for slot in slots:
        twins = [s for s in slots if s is not slot and s.date == slot.date
                 and s.start == slot.start and s.end == slot.end]
        if twins and slot.room and all(t.room and t.room != slot.room for t in twins):
            slot.kind = "parallel"


def make_agenda(groups: list[Group], zone: ZoneInfo) -> Agenda:
    agenda = Agenda()
    whole: dict[dt.date, list[Group]] = {}
    slots: list[Slot] = []
    for group in groups:
        slots += _event_slots(group, zone, agenda, whole)
    timed_days = {slot.date for slot in slots}
    for day, day_groups in sorted(whole.items()):
        if day in timed_days:
            continue  # the day's sessions are the agenda; the whole-day event names the days
        for group in day_groups:
            slots.append(Slot(day, dt.time(0, 0), END_OF_DAY, group,
                              room=group.source.location))
            agenda.notes.append(f"whole-day event '{group.source.title}' on {day} has no "
                                "times; the agenda shows it from 00:00 to 23:59: set its times")
    slots.sort(key=lambda s: (s.date, s.start, s.end, s.group.source.index))
    _close_open_ends(slots, agenda)
    _mark_parallel(slots)
    agenda.slots = slots
    agenda.days = sorted({s.date for s in slots} | set(whole))
    return agenda
