"""The calendar file: parsed with icalendar, times checked against each country's own zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.render.context import kit_context, render_language
from kitbuilder.render.ics import IcsWriter
from kitbuilder.render.kit import KitRender, Paths
from tests.conftest import ROOT

EPOCH = 1636329600  # 2021-11-08T00:00:00Z


@pytest.fixture(scope="module")
def project():
    problems = Problems()
    project = load_project(ROOT / "content", problems)
    assert project is not None, problems.errors
    return project


def calendar_for(project, code: str, lang: str) -> icalendar.Calendar:
    country = next(c for c in project.countries if c.code == code)
    context = kit_context(project, country, lang, render_language(project, lang))
    context["build"] = {"date": dt.datetime.fromtimestamp(EPOCH, dt.UTC)}
    kit = KitRender(code, lang, project.workshop.source_language, context,
                    Paths(ROOT / "content", ROOT / "layouts", ROOT / "locales"))
    return icalendar.Calendar.from_ical(IcsWriter().calendar_bytes(kit))


def expected_times(project, zone: str):
    facts = project.workshop
    reference = ZoneInfo(facts.timezone)
    for slot in project.languages[facts.source_language].agenda.slots:
        yield (dt.datetime.combine(facts.date, slot.start, reference).astimezone(ZoneInfo(zone)),
               dt.datetime.combine(facts.date, slot.end, reference).astimezone(ZoneInfo(zone)))


def test_dominican_republic_welcome_is_at_eleven_local_time_in_spanish(project):
    cal = calendar_for(project, "DO", "es")
    events = cal.walk("VEVENT")
    welcome = events[0]
    start = welcome.decoded("dtstart")
    assert start.tzinfo is not None
    assert welcome["DTSTART"].params["TZID"] == "America/Santo_Domingo"
    assert (start.hour, start.minute) == (11, 0)
    assert start.utcoffset() == dt.timedelta(hours=-4)
    assert str(welcome["SUMMARY"]) == project.languages["es"].agenda.slots[0].title
    description = str(welcome["DESCRIPTION"])
    assert "Ponentes" in description and "Dirige" in description
    assert "Rocío González Higuera" in description
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Santo_Domingo"]


@pytest.mark.parametrize("code", ["BZ", "CA", "DO", "MX", "PA", "US"])
def test_every_slot_at_the_countrys_local_time(project, code):
    country = next(c for c in project.countries if c.code == code)
    lang = country.languages[0]
    events = calendar_for(project, code, lang).walk("VEVENT")
    expected = list(expected_times(project, country.timezone))
    slots = project.languages[lang].agenda.slots
    assert len(events) == len(expected) == len(slots)
    for event, (start, end), slot in zip(events, expected, slots, strict=True):
        got_start, got_end = event.decoded("dtstart"), event.decoded("dtend")
        assert got_start == start and got_end == end  # same instant
        assert got_start.replace(tzinfo=None) == start.replace(tzinfo=None)  # same wall clock
        assert event["DTSTART"].params["TZID"] == country.timezone
        assert str(event["SUMMARY"]) == slot.title


def test_english_kit_titles_and_us_offset(project):
    events = calendar_for(project, "US", "en").walk("VEVENT")
    assert str(events[0]["SUMMARY"]) == "Welcome"
    assert "Presenters" in str(events[0]["DESCRIPTION"])
    # 09:00 in Mexico City (GMT-6) is 10:00 in New York (EST, GMT-5) on 8 Nov 2021.
    assert events[0].decoded("dtstart").strftime("%H:%M %z") == "10:00 -0500"


def test_reproducible_and_deterministic_uids(project):
    first = calendar_for(project, "MX", "es").to_ical()
    second = calendar_for(project, "MX", "es").to_ical()
    assert first == second
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.startswith(project.workshop.id) for uid in uids)
    assert all(e.decoded("dtstamp") == dt.datetime.fromtimestamp(EPOCH, dt.UTC)
               for e in events)


def test_meeting_link_becomes_url_and_location(project):
    link = "https://meet.example.org/rcm-ws1"
    with_link = project.model_copy(update={
        "workshop": project.workshop.model_copy(update={"meeting_link": link})})
    events = calendar_for(with_link, "CR", "es").walk("VEVENT")
    assert all(str(e["URL"]) == link and str(e["LOCATION"]) == link for e in events)
    assert all(link in str(e["DESCRIPTION"]) for e in events)
    assert "URL" not in calendar_for(project, "CR", "es").walk("VEVENT")[0]


@pytest.mark.slow
def test_build_writes_a_calendar_per_kit(shipped_build):
    output, _ = shipped_build
    files = sorted(Path(output).glob("*/*/*.ics"))
    assert len(files) == 11
    for path in files:
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert cal.walk("VEVENT") and cal.walk("VTIMEZONE")
