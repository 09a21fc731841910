"""Issue 22: registrations exported from an events system (Indico) read through the mapping
in content/registrations.yaml; a header the mapping names but the file lacks is an error at
the mapping's line and at the file's header."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.delegates.check import check_delegates
from kitbuilder.project import ProjectPaths

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "registrations"


@pytest.fixture
def indico_project(project_copy) -> Path:
    project = project_copy()
    shutil.copy(EXAMPLES / "indico.yaml", project / "content" / "registrations.yaml")
    return project


def test_the_indico_example_reads_every_kind_through_the_shipped_mapping(indico_project):
    checked = check_delegates(ProjectPaths.find(indico_project),
                              EXAMPLES / "indico-export.example.csv")
    assert not checked.problems.errors, [str(p) for p in checked.problems.errors]
    people = {p.email: p for p in checked.registrations.delegates}
    ana = people["ana.garcia@example.org"]
    assert (ana.given_name, ana.family_name, ana.title) == ("Ana María", "García López", "Ms")
    assert (ana.country, ana.language, ana.kind) == ("MX", "es", "delegation")
    assert (ana.attendance, ana.participation) == ("attended", "in-person")
    assert ana.organisation == "Secretaría del Trabajo y Previsión Social"
    jose = people["jose.nunez@example.org"]
    assert (jose.country, jose.attendance, jose.participation) == ("CR", "registered",
                                                                   "remote")
    fatou = people["fatou.diallo@example.org"]
    # Senegal takes no part: an international organisation's staff may come from anywhere.
    assert (fatou.kind, fatou.country, fatou.language) == ("organisation", "SN", "en")
    kinds = {p.email.split("@")[0]: p.kind for p in people.values()}
    assert kinds["lucia.herrera"] == "resource-person" and kinds["hiroshi.tanaka"] == "observer"
    assert kinds["ines.alvarado"] == "secretariat"


def test_a_missing_mapped_column_names_the_mapping_line_and_the_files_headers(
        indico_project, tmp_path):
    export = tmp_path / "indico.csv"
    lines = (EXAMPLES / "indico-export.example.csv").read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join([lines[0].replace("Email Address", "E-mail"), *lines[1:]])
                      + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["delegates", "check", str(export),
                                       "--project", str(indico_project)])
    assert result.exit_code == 1
    mapping = indico_project / "content" / "registrations.yaml"
    line = next(number for number, text in enumerate(
        mapping.read_text(encoding="utf-8").splitlines(), start=1) if "email:" in text)
    errors = sorted((row for row in result.output.splitlines() if ": error: " in row),
                    key=lambda row: "indico.csv:" in row.split(": error: ")[0])
    assert errors[0].endswith(
        f"registrations.yaml:{line}: error: email: the registrations file indico.csv has no "
        "column 'Email Address'; its headers are 'ID', 'Title', 'First Name', 'Last Name', "
        "'E-mail', 'Affiliation', 'Position', 'Country', 'Registration date', 'Registration "
        "state', 'Checked in', 'Participant type', 'Attendance mode'")
    assert errors[1].endswith("indico.csv:1: error: the header has no 'Email Address' "
                              "column; name the columns as in registrations.example.csv, or "
                              "map your headers in content/registrations.yaml (columns: "
                              "email: Your header)")
    assert len(errors) == 2 and "Traceback" not in result.output


def test_values_read_unquoted_yes_and_no_as_the_words(project_copy, tmp_path):
    project = project_copy()
    (project / "content" / "registrations.yaml").write_text(
        "columns:\n  attendance: Checked in\nvalues:\n  attendance:\n    Yes: attended\n"
        "    No: registered\n", encoding="utf-8")
    export = tmp_path / "r.csv"
    export.write_text("given_name,family_name,country,email,Checked in\n"
                      "Ana,García,MX,a@example.org,Yes\nTom,Smith,CA,t@example.org,no\n",
                      encoding="utf-8")
    checked = check_delegates(ProjectPaths.find(project), export)
    assert not checked.problems.errors, [str(p) for p in checked.problems.errors]
    assert [p.attendance for p in checked.registrations.delegates] == ["attended",
                                                                       "registered"]


def test_a_bad_values_entry_is_an_error_at_its_line(project_copy, tmp_path):
    project = project_copy()
    (project / "content" / "registrations.yaml").write_text(
        "values:\n  attendance: attended\n  surname:\n    a: b\n", encoding="utf-8")
    export = tmp_path / "r.csv"
    export.write_text("given_name,family_name,country,email\nAna,García,MX,a@example.org\n",
                      encoding="utf-8")
    found = [str(p) for p in check_delegates(ProjectPaths.find(project), export).problems.errors]
    assert found == [
        f"{project}/content/registrations.yaml:2: error: values: attendance must map your "
        "values to ours, e.g. 'Yes': attended",
        f"{project}/content/registrations.yaml:3: error: values: 'surname' is not a column; "
        "the columns are given_name, family_name, title, organisation, position, country, "
        "language, email, attendance, participation, form_of_address, given_name_latin, "
        "family_name_latin, kind"]
