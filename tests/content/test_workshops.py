"""The content model for any workshop: days, kinds of slot, venue, join links, the kit's
documents — every new field checked with a path:line message."""

from __future__ import annotations

from pathlib import Path

from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings
from tests.conftest import ROOT


def problems_of(content: Path) -> list[str]:
    _, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                          locales=ROOT / "locales"))
    return [str(p) for p in problems.items]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def two_days(content: Path) -> None:
    edit(content / "workshop.yaml", "date: 2021-11-08", "days: [2021-11-08, 2021-11-09]")


def test_slot_without_a_day_in_a_multi_day_workshop_is_an_error(project_copy):
    content = project_copy("minimal") / "content"
    two_days(content)
    found = problems_of(content)
    assert any(m.endswith("en/agenda.yaml:3: error: slot 'Welcome' has no 'day' and the workshop "
                          "has 2 days; add 'day:' with its number (1 = 2021-11-08, 2 = 2021-11-09)")
               for m in found), found


def test_slot_on_a_day_outside_the_workshop_is_an_error(project_copy):
    content = project_copy("minimal") / "content"
    two_days(content)
    agenda = content / "en" / "agenda.yaml"
    edit(agenda, '  - start: "09:00"', '  - day: 1\n    start: "09:00"')
    edit(agenda, '  - start: "09:15"', '  - day: 2021-11-12\n    start: "09:15"')
    found = problems_of(content)
    assert any(m.endswith("en/agenda.yaml:12: error: slot 'Closing' is on day 2021-11-12, which "
                          "is not a day of the workshop (1 = 2021-11-08, 2 = 2021-11-09); fix "
                          "'day' or the workshop's days") for m in found), found
    edit(agenda, "day: 2021-11-12", "day: 3")
    assert any("en/agenda.yaml:12: error: slot 'Closing' is on day 3" in m
               for m in problems_of(content))


def test_day_two_slots_are_not_an_overlap_with_day_one(project_copy):
    content = project_copy("minimal") / "content"
    two_days(content)
    agenda = content / "en" / "agenda.yaml"
    edit(agenda, '  - start: "09:00"', '  - day: 1\n    start: "09:00"')
    edit(agenda, '  - start: "09:15"\n    end: "10:00"', '  - day: 2\n    start: "09:00"\n'
         '    end: "10:00"')
    assert not [m for m in problems_of(content) if "error" in m or "overlaps" in m]


def test_parallel_slots_need_a_track_and_are_not_warned(project_copy):
    content = project_copy("minimal") / "content"
    agenda = content / "en" / "agenda.yaml"
    edit(agenda, '  - start: "09:15"\n    end: "10:00"\n    title: Closing',
         '  - start: "09:15"\n    end: "10:00"\n    kind: parallel\n    track: A\n'
         '    title: Closing\n  - start: "09:15"\n    end: "10:00"\n    kind: parallel\n'
         '    title: Other room')
    found = problems_of(content)
    assert any(m.endswith("en/agenda.yaml:16: error: parallel session 'Other room' needs a "
                          "'track' or a 'room' to tell it from the sessions beside it")
               for m in found), found
    edit(agenda, "    title: Other room", "    room: B\n    title: Other room")
    assert not [m for m in problems_of(content) if "overlaps" in m or "error" in m]
    # The same room twice at once is a clash, parallel or not.
    edit(agenda, "    room: B\n", "    track: A\n")
    assert any("overlaps 'Closing' (09:15–10:00) in the same track or room 'A'" in m
               for m in problems_of(content))


def test_a_break_has_no_presenters(project_copy):
    content = project_copy("minimal") / "content"
    edit(content / "en" / "agenda.yaml", "    title: Welcome",
         "    kind: break\n    title: Welcome")
    found = problems_of(content)
    assert any(m.endswith("en/agenda.yaml:3: error: break 'Welcome' has presenters or a chair; "
                          "a break has neither (use kind: session)") for m in found), found


def test_in_person_needs_a_venue_with_a_real_zone(project_copy):
    content = project_copy("minimal") / "content"
    edit(content / "workshop.yaml", "format: virtual", "format: in-person")
    found = problems_of(content)
    assert any(m.endswith("workshop.yaml:1: error: an in-person workshop needs a 'venue' (name, "
                          "city, timezone); add one") for m in found), found
    edit(content / "workshop.yaml", "format: in-person", "format: in-person\nvenue:\n  name: Hall"
         "\n  city: Atlantis\n  timezone: Atlantic/Atlantis")
    found = problems_of(content)
    assert any(m.endswith("workshop.yaml:8: error: timezone: unknown time zone "
                          "'Atlantic/Atlantis'; use an IANA name like 'America/Mexico_City'")
               for m in found), found


def test_join_links_must_be_https(project_copy):
    content = project_copy("minimal") / "content"
    edit(content / "workshop.yaml", "format: virtual",
         "format: virtual\nmeeting_link: \"javascript:alert(1)\"")
    found = problems_of(content)
    assert any(m.endswith("workshop.yaml:5: error: meeting_link: 'javascript:alert(1)' is not an "
                          "https:// link; join links must start with https://, like "
                          "'https://example.org/j/123'") for m in found), found


def test_kit_listing_a_missing_document_and_an_unlisted_file(project_copy):
    content = project_copy("minimal") / "content"
    (content / "kit.yaml").write_text(
        "documents:\n  - concept-note.md\n  - logistics-note.md\n  - agenda\n  - programme\n",
        encoding="utf-8")
    (content / "en" / "background.md").write_text("---\ntitle: Background\n---\nText.\n",
                                                  encoding="utf-8")
    found = problems_of(content)
    assert any(m.endswith("kit.yaml:5: error: 'programme' is not a document; use a Markdown file "
                          "name like 'logistics-note.md' or one of agenda, participants, "
                          "references") for m in found), found
    assert any(m.endswith("en/logistics-note.md: error: missing in the source language 'en'; "
                          "every document of the kit must exist in its source language")
               for m in found), found
    assert any(m.endswith("en/background.md: warning: not listed in content/kit.yaml, so no kit "
                          "shows it; add it to 'documents' or delete it") for m in found), found


def test_shipped_kit_is_the_classic_one():
    from kitbuilder.content.loader import load_project
    from kitbuilder.errors import Problems

    project = load_project(ROOT / "content", Problems())
    # The references right after the note that cites them; the form's landscape page last.
    assert [d.id for d in project.kit] == ["concept-note", "references", "agenda", "participants"]


def form_return_of(content: Path, lang: str) -> str:
    """The delegation form's 'where and by when' paragraph, as the kit's layout renders it."""
    import re

    from kitbuilder.content.loader import load_project
    from kitbuilder.errors import Problems
    from kitbuilder.render.context import kit_context, render_language
    from kitbuilder.render.templates import environment

    project = load_project(content, Problems())
    context = kit_context(project, project.countries[0], lang,
                          render_language(project, lang, ROOT / "locales"))
    html = environment(ROOT / "layouts", ROOT / "locales", lang).get_template(
        "partials/participants.html.j2").render(**context, target="print")
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="form-return">(.*?)</p>', html).group(1))


def test_the_form_is_due_before_the_workshop_unless_content_sets_a_date(project_copy):
    """No invented deadline: without form_deadline the form asks for it before the first
    day; with one, every language prints that date in its own words."""
    content = project_copy("minimal") / "content"
    assert form_return_of(content, "en").endswith(
        "Deadline: before the workshop (Monday, November 8, 2021).")
    assert form_return_of(content, "es").endswith(
        "Plazo: antes del taller (lunes, 8 de noviembre de 2021).")
    edit(content / "workshop.yaml", "format: virtual", "format: virtual\nform_deadline: 2021-11-01")
    assert form_return_of(content, "en").endswith("Deadline: Monday, November 1, 2021.")
    assert form_return_of(content, "es").endswith("Plazo: lunes, 1 de noviembre de 2021.")
    edit(content / "workshop.yaml", "form_deadline: 2021-11-01", "form_deadline: 2021-11-09")
    found = problems_of(content)
    assert any(m.endswith("workshop.yaml:1: error: form_deadline 2021-11-09 is not before the "
                          "workshop's first day (2021-11-08); give an earlier date, or remove it "
                          "to say 'before the workshop'") for m in found), found


def test_a_plain_text_citation_is_warned_about(project_copy):
    """'(ILO, 2021)' typed as text has no reference behind it: check says so (the shipped
    concept note keeps the seed's, recorded in content/corrections.md)."""
    content = project_copy("minimal") / "content"
    note = content / "en" / "concept-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nJobs fell (ILO, 2021), and more "
                    "(UNTFSE, 2020; ILO, 2017, p. 1). Founded (October 2019) [@ilo2014].\n",
                    encoding="utf-8")
    found = [m for m in problems_of(content) if "reads as a citation" in m]
    assert [m.split(": warning: ")[1].split(" reads")[0] for m in found] == [
        "'(ILO, 2021)'", "'(UNTFSE, 2020; ILO, 2017, p. 1)'"], found
    assert all(m.startswith(str(note)) for m in found)


def test_slot_ids_are_short_names_unique_and_not_translated(project_copy):
    content = project_copy("minimal") / "content"
    agenda = content / "en" / "agenda.yaml"
    edit(agenda, '  - start: "09:00"', '  - id: opening\n    start: "09:00"')
    edit(agenda, '  - start: "09:15"', '  - id: opening\n    start: "09:15"')
    found = problems_of(content)
    assert any(m.endswith("en/agenda.yaml:12: error: slot 'Closing' has the id 'opening' of "
                          "slot 'Welcome' (line 3); each slot's id names one event in the "
                          "calendars: give it another") for m in found), found
    edit(agenda, "id: opening\n    start: \"09:15\"", "id: closing\n    start: \"09:15\"")
    assert not [m for m in problems_of(content) if "error" in m]
    spanish = content / "es" / "agenda.yaml"
    spanish.write_text(agenda.read_text(encoding="utf-8").replace("id: closing", "id: cierre"),
                       encoding="utf-8")
    found = problems_of(content)
    assert any(m.endswith("es/agenda.yaml:12: error: slot 'Closing' has the id 'cierre' but the "
                          "source's is 'closing'; the id is not translated: copy the source's "
                          "or leave it out") for m in found), found
    spanish.unlink()
    edit(agenda, "id: closing", "id: día de cierre")
    assert any("en/agenda.yaml:" in m and "slot id 'día de cierre' is not a short name" in m
               for m in problems_of(content)), problems_of(content)
