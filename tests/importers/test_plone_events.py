"""Events → agenda: UTC times in the site's zone, whole-day and open-ended events as Plone
shows them, events over several days, repeats; and the imported project built as HTML."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import yaml

from kitbuilder.importers.plone import Options, import_plone
from kitbuilder.importers.plone.events import make_agenda
from kitbuilder.importers.plone.items import Entry
from kitbuilder.importers.plone.selection import Group

from . import plone_export

BOGOTA = ZoneInfo("America/Bogota")


def event(title, start, end, index=0, **extra) -> Group:
    entry = Entry(index=index, source="Plone.json", uid=f"u{index}", type="Event", id=title,
                  path=f"/Plone/en/m/{title}", host="x", parent_uid=None, parent_path="/",
                  title=title, description="", language="en", state="published",
                  folderish=False, has_text=False, start=start, end=end, **extra)
    return Group(entry, {"en": entry})


def times(agenda):
    return [(s.date.isoformat(), f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.group.source.title)
            for s in agenda.slots]


def test_utc_times_are_read_in_the_zone_even_across_utc_midnight():
    agenda = make_agenda([event("late", "2022-03-15T23:00:00+00:00",
                                "2022-03-16T01:00:00+00:00")], BOGOTA)
    assert times(agenda) == [("2022-03-15", "18:00", "20:00", "late")]
    assert agenda.days == [dt.date(2022, 3, 15)]


def test_a_whole_day_event_alone_is_a_slot_on_each_of_its_days():
    # 14–15 March in Bogotá: Plone stores 05:00 UTC on the 14th to 04:59:59 UTC on the 16th.
    agenda = make_agenda([event("days", "2022-03-14T05:00:00+00:00",
                                "2022-03-16T04:59:59+00:00", whole_day=True)], BOGOTA)
    assert times(agenda) == [("2022-03-14", "00:00", "23:59", "days"),
                             ("2022-03-15", "00:00", "23:59", "days")]
    assert any("has no times" in note for note in agenda.notes)


def test_a_whole_day_event_names_days_and_leaves_timed_days_to_their_sessions():
    agenda = make_agenda([
        event("days", "2022-03-14T05:00:00+00:00", "2022-03-17T04:59:59+00:00", 0,
              whole_day=True),
        event("opening", "2022-03-14T13:45:00+00:00", "2022-03-14T15:15:00+00:00", 1)],
        BOGOTA)
    assert times(agenda) == [("2022-03-14", "08:45", "10:15", "opening"),
                             ("2022-03-15", "00:00", "23:59", "days"),
                             ("2022-03-16", "00:00", "23:59", "days")]
    assert agenda.days == [dt.date(2022, 3, d) for d in (14, 15, 16)]


def test_open_end_ends_at_the_next_event_or_the_end_of_its_day():
    agenda = make_agenda([
        event("talk", "2022-03-14T14:00:00+00:00", "2022-03-14T14:00:00+00:00", 0,
              open_end=True),
        event("lunch", "2022-03-14T17:00:00+00:00", "2022-03-14T18:00:00+00:00", 1),
        event("party", "2022-03-14T23:00:00+00:00", None, 2, open_end=True)], BOGOTA)
    assert times(agenda) == [("2022-03-14", "09:00", "12:00", "talk"),
                             ("2022-03-14", "12:00", "13:00", "lunch"),
                             ("2022-03-14", "18:00", "23:59", "party")]
    assert sum("open end" in note for note in agenda.notes) == 2


def test_a_timed_event_over_days_is_a_slot_per_day_and_repeats_are_reported():
    agenda = make_agenda([event("fair", "2022-03-14T14:00:00+00:00",
                                "2022-03-16T20:00:00+00:00", recurrence="RRULE:FREQ=DAILY")],
                         BOGOTA)
    assert times(agenda) == [("2022-03-14", "09:00", "23:59", "fair"),
                             ("2022-03-15", "00:00", "23:59", "fair"),
                             ("2022-03-16", "00:00", "15:00", "fair")]
    assert any("3 days" in note for note in agenda.notes)
    assert any("repeats" in note for note in agenda.notes)


def test_naive_times_are_the_sites_own_and_same_time_rooms_are_parallel():
    agenda = make_agenda([
        event("a", "2022-03-14T14:00:00", "2022-03-14T15:00:00", 0, location="Room A"),
        event("b", "2022-03-14T14:00:00", "2022-03-14T15:00:00", 1, location="Room B")],
        BOGOTA)
    assert times(agenda) == [("2022-03-14", "14:00", "15:00", "a"),
                             ("2022-03-14", "14:00", "15:00", "b")]
    assert [s.kind for s in agenda.slots] == ["parallel", "parallel"]


def test_a_daily_repeat_with_a_count_is_one_slot_a_day_at_the_same_local_time():
    # Across the start of US daylight saving time (13 March 2022): 09:00 stays 09:00.
    agenda = make_agenda([event("coffee", "2022-03-12T14:00:00+00:00",
                                "2022-03-12T14:30:00+00:00",
                                recurrence="RRULE:FREQ=DAILY;COUNT=3")],
                         ZoneInfo("America/New_York"))
    assert times(agenda) == [("2022-03-12", "09:00", "09:30", "coffee"),
                             ("2022-03-13", "09:00", "09:30", "coffee"),
                             ("2022-03-14", "09:00", "09:30", "coffee")]
    weekly = make_agenda([event("review", "2022-03-14T14:00:00+00:00",
                                "2022-03-14T15:00:00+00:00",
                                recurrence="RRULE:FREQ=WEEKLY;UNTIL=20220330T000000Z")], BOGOTA)
    assert [d for d, *_ in times(weekly)] == ["2022-03-14", "2022-03-21", "2022-03-28"]


@pytest.mark.slow
def test_the_imported_project_builds(tmp_path):
    from lxml import html

    export = plone_export.write_single(tmp_path / "export")
    import_plone(Options(export=export, timezone="America/Bogota", project=tmp_path / "p",
                         countries=("US", "CO")))
    done = subprocess.run([sys.executable, "-m", "kitbuilder", "build", "--project",
                           str(tmp_path / "p"), "--format", "html", "-q"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    manifest = yaml.safe_load((tmp_path / "p/output/manifest.json").read_text("utf-8"))
    pages = [tmp_path / "p/output" / f["path"] for f in manifest["files"]
             if f["path"].endswith(".html")]
    english = next(p for p in pages if p.name.endswith("-en.html"))
    tree = html.parse(str(english))
    chapters = [s.get("id") for s in tree.xpath("//section[contains(@class, 'chapter')]")]
    assert chapters[:4] == ["concept-note", "logistics", "registration-open", "agenda"]
    items = [li.text_content().strip() for li in tree.xpath("//section[@id='concept-note']//li")]
    assert "Share experiences of labour migration" in items
    # A link to another page is a link to its chapter; the chapter is there.
    assert tree.xpath("//section[@id='concept-note']//a[@href='#logistics']")
    assert tree.xpath("//section[@id='logistics']")
    note = tree.xpath("string(//section[@id='concept-note']//li[contains(., 'Example Bank')])")
    assert "Remittances report" in note  # the Word footnote, as the kit's footnote
    agenda = " ".join(tree.xpath("//section[@id='agenda']//text()"))
    assert "Opening session" in agenda and "08:45" in agenda
    spanish = next(p for p in pages if p.name.endswith("-es.html"))
    title = html.parse(str(spanish)).xpath("string(//section[@id='concept-note']//h1)")
    assert "Nota conceptual" in title
