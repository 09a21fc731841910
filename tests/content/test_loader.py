from pathlib import Path

from kitbuilder.content.loader import load_project
from kitbuilder.errors import Problems
from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings

PROJECTS = Path(__file__).resolve().parent.parent / "projects"
BROKEN = PROJECTS / "broken" / "content"


def messages(content: Path) -> list[str]:
    _, problems = load_and_check(Settings(content=content))
    return [str(p) for p in problems.items]


def test_shipped_content_loads_without_errors(root):
    problems = Problems()
    project = load_project(root / "content", problems)
    assert problems.errors == []
    assert project is not None
    assert [c.code for c in project.countries] == [
        "BZ", "CA", "CR", "DO", "SV", "GT", "HN", "MX", "NI", "PA", "US"]
    assert set(project.languages) == {"en", "es"}
    agenda = project.languages["en"].agenda
    assert len(agenda.slots) == 7
    assert project.workshop.timezone == "America/Mexico_City"


def test_broken_project_reports_every_problem_with_its_line():
    found = messages(BROKEN)
    prefix = "tests/projects/broken/content/"
    expected = [
        "countries.yaml:6: error: code: unknown country code 'XX'",
        "countries.yaml:11: error: unknown language 'zz'",
        "countries.yaml:12: error: timezone: unknown time zone 'Mars/Olympus_Mons'",
        "countries.yaml:14: error: GT: language 'fr' is not one of the workshop's languages",
        "countries.yaml:18: error: country MX is listed twice (first on line 2)",
        "en/agenda.yaml:6: error: slot 'Backwards' ends (09:30) before it starts (10:00)",
        'en/agenda.yaml:9: error: start: write times in quotes, like "09:15"',
        "en/concept-note.md:8: error: citation '@nosuch2020' has no entry in references.json",
        # The line to fix: where the quote opens, not where the file ends.
        "en/participants.yaml:2: error: invalid YAML: a quoted value starts here and is never "
        "closed (found unexpected end of stream on line 5); add its closing quote",
        "en/workshop.yaml:1: error: missing key 'title'; add it",
    ]
    for message in expected:
        assert any(line.startswith(prefix + message) for line in found), (message, found)
    assert len(found) == len(expected), found


def test_extra_key_and_bad_value_are_reported(tmp_path, project_copy):
    project = project_copy("minimal")
    workshop = project / "content" / "en" / "workshop.yaml"
    workshop.write_text(workshop.read_text() + "colour: blue\n", encoding="utf-8")
    participants = project / "content" / "en" / "participants.yaml"
    participants.write_text(participants.read_text().replace("count: 2", "count: -2"),
                            encoding="utf-8")
    found = messages(project / "content")
    assert any(m.endswith("en/workshop.yaml:8: error: unknown key 'colour'; remove it or "
                          "check its spelling") for m in found), found
    assert any("en/participants.yaml:5: error: count: Input should be greater than 0" in m
               for m in found), found


def test_not_utf8_and_missing_files(tmp_path):
    content = tmp_path / "content"
    (content / "en").mkdir(parents=True)
    (content / "workshop.yaml").write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    found = messages(content)
    assert any("workshop.yaml:2: error: not UTF-8 text: byte 0xE9 on this line" in m
               for m in found), found
    assert any("countries.yaml: error: missing file" in m for m in found), found


def test_missing_content_folder(tmp_path):
    found = messages(tmp_path / "nowhere")
    assert len(found) == 1 and "content folder not found" in found[0]


def test_empty_files_folders_and_unsafe_values_are_errors(project_copy):
    project = project_copy("shipped")
    content = project / "content"
    workshop = content / "workshop.yaml"
    workshop.write_text(workshop.read_text(encoding="utf-8")
                        .replace("id: rcm-wglm-2021-ws1", 'id: "../../escaped"')
                        .replace("es: es_419", "es: zz_QQ"), encoding="utf-8")
    (content / "en" / "agenda.yaml").write_text("# nothing yet\n", encoding="utf-8")
    (content / "es" / "participants.yaml").unlink()
    (content / "es" / "participants.yaml").mkdir()
    found = messages(content)
    expected = [
        "content/workshop.yaml:2: error: id: '../../escaped' cannot name files",
        "content/workshop.yaml:11: error: es: unknown CLDR locale 'zz_QQ'",
        "content/en/agenda.yaml:1: error: the file is empty (or only comments)",
        "content/es/participants.yaml: error: is a folder, not a file",
    ]
    for message in expected:
        assert any(message in line for line in found), (message, found)


def test_empty_countries_file_is_an_error_not_a_silent_pass(project_copy):
    project = project_copy("minimal")
    (project / "content" / "countries.yaml").write_text("", encoding="utf-8")
    found = messages(project / "content")
    assert any("countries.yaml:1: error: the file is empty" in m for m in found), found


def test_document_sources_must_name_a_document(project_copy):
    project = project_copy("minimal")
    workshop = project / "content" / "workshop.yaml"
    workshop.write_text(workshop.read_text() + "document_sources:\n  concept-notes.md: es\n",
                        encoding="utf-8")
    found = messages(project / "content")
    assert any("workshop.yaml:12: error: 'concept-notes.md' is not a document" in m
               for m in found), found


def test_a_missing_closing_quote_is_reported_on_its_own_line(project_copy):
    content = project_copy("minimal") / "content"
    agenda = content / "en" / "agenda.yaml"
    lines = agenda.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[7] == "        role: Head of the UPMRIP-SEGOB\n"
    lines[7] = '        role: "Head of the UPMRIP-SEGOB\n'  # line 8; the next quote is on 11
    agenda.write_text("".join(lines), encoding="utf-8")
    found = messages(content)
    assert any(m.endswith("en/agenda.yaml:8: error: invalid YAML: a quoted value starts here "
                          "and runs on to line 11 (did not find expected key there); a closing "
                          "quote is probably missing on this line") for m in found), found
