"""Calendars that update: the built .ics files read back with icalendar after the agenda is
edited the ways a secretariat edits it (a slot inserted, moved by a day, removed, retitled;
the whole workshop moved)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.conftest import ROOT

AGENDA = """\
title: Agenda
slots:
  - {day: 1, start: "09:00", end: "09:30", title: Welcome, room: Sala A}
  - {day: 1, start: "09:30", end: "10:30", title: Panel on markets, room: Sala B}
  - {day: 1, start: "10:30", end: "10:45", title: Coffee break, kind: break}
  - {day: 2, start: "09:00", end: "10:30", title: Visit, id: visit, room: Cooperative hall}
  - {day: 2, start: "10:30", end: "10:45", title: Coffee break, kind: break}
"""
VENUE = """format: hybrid
venue:
  name: Hotel Real
  address: Av. Reforma 1
  city: Mexico City
  timezone: America/Mexico_City
meeting_link: https://meet.example.org/ws"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def two_day_project(project_copy, fmt: str = VENUE) -> Path:
    content = project_copy("minimal") / "content"
    edit(content / "workshop.yaml", "date: 2021-11-08", "days: [2021-11-08, 2021-11-09]")
    edit(content / "workshop.yaml", "format: virtual", fmt)
    (content / "en" / "agenda.yaml").write_text(AGENDA, encoding="utf-8")
    return content


def built(content: Path, output: Path, force: bool = False) -> dict[str, bytes]:
    """Build the calendars only; country code → the bytes of its .ics file."""
    build(Settings(content=content, output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", formats=("ics",), jobs=1, force=force), Reporter())
    return {path.parts[-3]: path.read_bytes() for path in sorted(output.glob("*/*/*.ics"))}


def events(data: bytes) -> dict[str, icalendar.Event]:
    """Title (and day, for titles that repeat) → the event."""
    found = {}
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        key = (str(event["SUMMARY"]), event.decoded("DTSTART").date())
        assert key not in found, key
        found[key] = event
    return found


def uid_and_sequence(event) -> tuple[str, int]:
    return str(event["UID"]), int(event["SEQUENCE"])


def test_uids_follow_slots_inserted_moved_and_removed(project_copy, tmp_path):
    content = two_day_project(project_copy)
    output = tmp_path / "out"
    first = events(built(content, output)["ca"])
    day1, day2 = dt.date(2021, 11, 8), dt.date(2021, 11, 9)
    assert all(int(e["SEQUENCE"]) == 0 for e in first.values())
    assert len({str(e["UID"]) for e in first.values()}) == len(first) == 5

    agenda = content / "en" / "agenda.yaml"
    edit(agenda, "  - {day: 1, start: \"09:00\"",
         '  - {day: 1, start: "08:30", end: "09:00", title: Registration}\n'
         '  - {day: 1, start: "09:00"')
    edit(agenda, '{day: 1, start: "09:30", end: "10:30", title: Panel',
         '{day: 2, start: "11:00", end: "12:00", title: Panel')
    edit(agenda, "  - {day: 1, start: \"09:00\", end: \"09:30\", title: Welcome, room: Sala A}\n",
         "")
    written = built(content, output)["ca"]
    second = events(written)

    moved = second[("Panel on markets", day2)]
    assert uid_and_sequence(moved) == (str(first[("Panel on markets", day1)]["UID"]), 1)
    for unchanged in (("Coffee break", day1), ("Coffee break", day2), ("Visit", day2)):
        assert uid_and_sequence(second[unchanged]) == uid_and_sequence(first[unchanged])
    inserted = second[("Registration", day1)]
    assert uid_and_sequence(inserted)[1] == 0
    assert str(inserted["UID"]) not in {str(e["UID"]) for e in first.values()}
    # The removed slot stays, cancelled, so that a calendar which imported it drops it.
    removed = second[("Welcome", day1)]
    assert uid_and_sequence(removed) == (str(first[("Welcome", day1)]["UID"]), 1)
    assert str(removed["STATUS"]) == "CANCELLED"
    assert "STATUS" not in moved
    assert len({str(e["UID"]) for e in second.values()}) == len(second) == 6

    # Rebuilt without a change: nothing rises, the bytes are the same.
    again = built(content, output, force=True)["ca"]
    assert again == written


def test_the_whole_workshop_moved_by_a_day_updates_every_event(project_copy, tmp_path):
    content = two_day_project(project_copy)
    output = tmp_path / "out"
    before = built(content, output)
    edit(content / "workshop.yaml", "days: [2021-11-08, 2021-11-09]",
         "days: [2021-11-09, 2021-11-10]")
    after = built(content, output)
    for code in ("ca", "do"):
        old = [uid_and_sequence(e) for e in events(before[code]).values()]
        new = [uid_and_sequence(e) for e in events(after[code]).values()]
        assert [uid for uid, _ in new] == [uid for uid, _ in old]
        assert {seq for _, seq in old} == {0} and {seq for _, seq in new} == {1}
    # Each country's file has its own UIDs; a country's languages would share them.
    assert not ({uid for uid, _ in map(uid_and_sequence, events(after["ca"]).values())}
                & {uid for uid, _ in map(uid_and_sequence, events(after["do"]).values())})
    # Only a change raises SEQUENCE: a build after the move keeps it at 1.
    note = content / "en" / "concept-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more paragraph.\n",
                    encoding="utf-8")
    assert {int(e["SEQUENCE"]) for e in events(built(content, output)["ca"]).values()} == {1}


def test_a_retitled_slot_keeps_its_uid_when_it_has_an_id(project_copy, tmp_path):
    content = two_day_project(project_copy)
    output = tmp_path / "out"
    first = events(built(content, output)["ca"])
    edit(content / "en" / "agenda.yaml", "title: Visit,", "title: Visit to the cooperative,")
    second = events(built(content, output)["ca"])
    visit = second[("Visit to the cooperative", dt.date(2021, 11, 9))]
    assert uid_and_sequence(visit) == (str(first[("Visit", dt.date(2021, 11, 9))]["UID"]), 1)
    assert str(visit["UID"]).endswith("-id-visit@kitbuilder")


def test_location_is_the_slots_room_and_times_are_in_the_venues_zone(project_copy, tmp_path):
    content = two_day_project(project_copy)
    found = events(built(content, tmp_path / "out")["ca"])
    day1 = dt.date(2021, 11, 8)
    assert str(found[("Welcome", day1)]["LOCATION"]) == \
        "Sala A, Hotel Real, Av. Reforma 1, Mexico City"
    assert str(found[("Panel on markets", day1)]["LOCATION"]) == \
        "Sala B, Hotel Real, Av. Reforma 1, Mexico City"
    assert str(found[("Coffee break", day1)]["LOCATION"]) == \
        "Hotel Real, Av. Reforma 1, Mexico City"
    assert str(found[("Welcome", day1)]["URL"]) == "https://meet.example.org/ws"
    # Hybrid: the venue's zone, as the kit's agenda prints it (Canada's kit is in Toronto).
    welcome = found[("Welcome", day1)]
    assert welcome["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert welcome.decoded("DTSTART").strftime("%H:%M") == "09:00"


def test_virtual_location_is_the_join_link_or_room_and_times_the_countrys_zone(
        project_copy, tmp_path):
    content = two_day_project(project_copy, "format: virtual")
    edit(content / "en" / "agenda.yaml", "title: Welcome, room: Sala A",
         "title: Welcome, room: Sala A, join_link: \"https://meet.example.org/welcome\"")
    found = events(built(content, tmp_path / "out")["ca"])
    day1 = dt.date(2021, 11, 8)
    assert str(found[("Welcome", day1)]["LOCATION"]) == "https://meet.example.org/welcome"
    assert str(found[("Panel on markets", day1)]["LOCATION"]) == "Sala B"
    assert "LOCATION" not in found[("Coffee break", day1)]
    welcome = found[("Welcome", day1)]
    assert welcome["DTSTART"].params["TZID"] == "America/Toronto"
    assert welcome.decoded("DTSTART").strftime("%H:%M") == "10:00"
