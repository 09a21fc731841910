"""Registrations: reading, checking (every problem with its row, one run), limits, safety."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.delegates import registrations as regs
from kitbuilder.delegates.check import check_delegates
from kitbuilder.project import ProjectPaths

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("given_name,family_name,title,organisation,position,country,language,email,"
          "attendance,participation\n")


def run_check(tmp_path: Path, text: str, name: str = "registrations.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_delegates(ProjectPaths.find(ROOT), path), path


def messages(checked) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in checked.problems.errors]


def test_shipped_example_is_valid_and_keeps_every_letter():
    checked = check_delegates(ProjectPaths.find(ROOT), ROOT / "registrations.example.csv")
    assert not checked.problems.errors
    people = checked.registrations.delegates
    assert len(people) >= 10
    assert all(p.email.endswith("@example.org") for p in people)
    names = {p.full_name for p in people}
    assert "Ольга Кузнецова" in names and "Αικατερίνη Παπαδοπούλου" in names
    assert any(len(p.full_name) > 60 for p in people)  # a very long compound name
    assert any(p.full_name == "Ana María García López" for p in people)


def test_every_problem_reported_with_its_row_in_one_run(tmp_path):
    text = HEADER + (
        "Ana,García,Ms,Org,Pos,XX,es,ana@example.org,attended,in-person\n"          # 2
        "Bob,Smith,Mr,Org,Pos,MX,en,bob@example.org,attended,in-person\n"           # 3
        ",,Mr,Org,Pos,MX,es,nobody@example.org,attended,in-person\n"                # 4
        "Carl,Jones,Mr,Org,Pos,US,en,not-an-email,maybe,in-person\n"                # 5
        "Dana,Lee,Ms,Org,Pos,US,en,ANA@example.org,attended,on-foot\n"              # 6
        "தமிழ்,Wang,Mr,Org,Pos,US,en,wang@example.org,attended,in-person\n"        # 7
        '"Multi\nline",X,Mr,Org,Pos,US,en,ml@example.org,attended,in-person\n'      # 8-9
        "Ok,Person,Ms,Org,Pos,US,en,ok@example.org,attended,remote\n")              # 10
    checked, _ = run_check(tmp_path, text)
    found = messages(checked)
    assert checked.registrations is None
    lines = {line for line, _ in found}
    assert lines == {2, 3, 4, 5, 6, 7, 8}
    text_of = {line: " | ".join(m for n, m in found if n == line) for line in lines}
    assert "country 'XX' is not a participating country" in text_of[2]
    assert "language 'en' is not a language of MX's kits" in text_of[3]
    assert "name is missing" in text_of[4]
    assert "e-mail address is not valid" in text_of[5] and "not-an-email" not in text_of[5]
    assert "attendance 'maybe'" in text_of[5]
    assert "same e-mail address as line 2" in text_of[6] and "ANA@" not in text_of[6]
    assert "participation 'on-foot'" in text_of[6]
    # No shipped face draws Tamil: one error for the cell, naming the font to add and where.
    assert "U+0BA4" in text_of[7] and "fonts" in text_of[7]
    assert "Noto Sans Tamil" in text_of[7] and "layouts/fonts/fallback/" in text_of[7]
    assert len([m for n, m in found if n == 7]) == 1
    assert "line break" in text_of[8]


def test_cli_check_prints_path_line_and_exits_1(tmp_path):
    path = tmp_path / "registrations.csv"
    path.write_text(HEADER + "Ana,García,Ms,Org,Pos,XX,es,ana@example.org,attended,in-person\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["delegates", "check", str(path), "--project", str(ROOT)])
    assert result.exit_code == 1
    assert "registrations.csv:2: error: country 'XX' is not a participating country" in \
        result.output
    assert "Traceback" not in result.output


def test_cli_check_summary_gives_counts_not_names():
    result = CliRunner().invoke(main, ["delegates", "check",
                                       str(ROOT / "registrations.example.csv"),
                                       "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "12 delegate(s) from 10 countries and 5 other participant(s)" in result.output
    assert "García" not in result.output and "@example.org" not in result.output


def test_formula_cells_stay_text_when_read_and_are_defused_when_written(tmp_path):
    text = HEADER + ('=HYPERLINK("http://evil.example")+1,@SUM(A1),Ms,-2+3,+cmd,MX,es,'
                     "f@example.org,attended,in-person\n")
    checked, _ = run_check(tmp_path, text)
    assert not checked.problems.errors, messages(checked)
    person = checked.registrations.delegates[0]
    assert person.given_name == '=HYPERLINK("http://evil.example")+1'
    assert person.organisation == "-2+3"
    for cell in ("=1+1", "+1", "-1", "@x", "\tx"):
        assert regs.safe_cell(cell).startswith("'")
    assert regs.safe_cell("García") == "García"


def test_header_mapping_from_content(tmp_path, project_copy):
    project = project_copy()
    (project / "content" / "registrations.yaml").write_text(
        "columns:\n  given_name: First name\n  family_name: Last name\n  email: E-mail\n"
        "  country: Country\n", encoding="utf-8")
    path = tmp_path / "export.csv"
    path.write_text("First name,Last name,E-mail,Country\nAna,García,a@example.org,MX\n",
                    encoding="utf-8")
    checked = check_delegates(ProjectPaths.find(project), path)
    assert not checked.problems.errors, messages(checked)
    person = checked.registrations.delegates[0]
    assert (person.given_name, person.language, person.attendance) == ("Ana", "es",
                                                                       "registered")


def test_unknown_column_in_mapping_and_missing_header_are_reported(tmp_path, project_copy):
    project = project_copy()
    (project / "content" / "registrations.yaml").write_text(
        "columns:\n  surname: Last name\n", encoding="utf-8")
    path = tmp_path / "export.csv"
    path.write_text("First,Last\nAna,García\n", encoding="utf-8")
    checked = check_delegates(ProjectPaths.find(project), path)
    found = [str(p) for p in checked.problems.errors]
    assert any("registrations.yaml:2: error: 'surname' is not a column" in f for f in found)
    assert any("export.csv:1: error: the header has no" in f for f in found)


def test_too_many_rows_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(regs, "MAX_ROWS", 5)
    rows = "".join(f"A,B,,,,MX,es,p{i}@example.org,,\n" for i in range(10))
    checked, _ = run_check(tmp_path, HEADER + rows)
    assert any("more than 5 rows" in m for _, m in messages(checked))


def test_too_big_file_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(regs, "MAX_BYTES", 100)
    checked, _ = run_check(tmp_path, HEADER + "A,B,,,,MX,es,p@example.org,,\n" * 5)
    assert any("MB" in m for _, m in messages(checked))
    assert checked.registrations is None


def test_missing_file_and_not_utf8(tmp_path):
    checked = check_delegates(ProjectPaths.find(ROOT), tmp_path / "none.csv")
    assert any("no registrations file" in m for _, m in messages(checked))
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(HEADER.encode() + "Ana,Garc\xeda,,,,MX,es,a@example.org,,\n".encode("latin-1"))
    checked = check_delegates(ProjectPaths.find(ROOT), bad)
    assert any(p.line == 2 and "UTF-8" in p.message for p in checked.problems.errors)


def test_generator_writes_valid_2000_rows(tmp_path, root):
    import runpy
    import sys

    out = tmp_path / "r.csv"
    argv = sys.argv
    sys.argv = ["make_registrations.py", str(out), "--rows", "300"]
    try:
        runpy.run_path(str(root / "bench" / "make_registrations.py"), run_name="__main__")
    finally:
        sys.argv = argv
    checked = check_delegates(ProjectPaths.find(root), out)
    assert not checked.problems.errors
    assert len(checked.registrations.delegates) == 300
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert all(r[7].endswith("@example.org") for r in rows[1:])


@pytest.mark.parametrize("name", ["registrations.csv", "registrations.xlsx"])
def test_registrations_files_are_gitignored(root, name):
    import subprocess

    done = subprocess.run(["git", "check-ignore", "-q", name], cwd=root)
    assert done.returncode == 0


def test_xlsx_rows_keep_their_line_and_formulas_stay_text(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["Ana María", "García López", "Ms", "=1+1", "", "MX", "es",
                  "ana@example.org", "attended", "in-person"])
    sheet.append(["Bob", "Smith", "", "", "", "ZZ", "", "bob@example.org", "", ""])
    path = tmp_path / "registrations.xlsx"
    book.save(path)
    checked = check_delegates(ProjectPaths.find(ROOT), path)
    assert [(p.line, "ZZ" in p.message) for p in checked.problems.errors] == [(3, True)]
    sheet.delete_rows(3)
    book.save(path)
    checked = check_delegates(ProjectPaths.find(ROOT), path)
    person = checked.registrations.delegates[0]
    assert person.organisation == "=1+1" and person.full_name == "Ana María García López"


@pytest.mark.parametrize("address, valid", [
    ("ana.garcia@example.org", True), ("a+tag@sub.example.org", True),
    ("josé@example.org", True), ("a..b@example.org", False), ("ana@example", False),
    ("ana@@example.org", False), (".ana@example.org", False), ("ana@-x.example.org", False)])
def test_email_syntax(address, valid):
    assert (regs._EMAIL.match(address) is not None and regs._valid_email(address)) is valid


def test_delegate_texts_placeholders_checked(tmp_path, project_copy):
    from kitbuilder.delegates.texts import load_texts
    from kitbuilder.errors import Problems

    project = project_copy()
    path = project / "content" / "en" / "delegates.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('closing: "Yours sincerely,"', 'closing: "Yours, {name} {nope}"')
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    assert load_texts(project / "content", "en", problems) is None
    found = [p.message for p in problems.errors]
    assert any("{name} may appear only in the letter's salutation" in m for m in found)
    assert any("unknown placeholder {nope}" in m for m in found)
    assert load_texts(ROOT / "content", "es", Problems()) is not None
    # The letter's texts are ICU messages: no format spec or conversion may run, and only
    # select and plural choose a text.
    for written, expected in (("Yours, {dates:>2000000000}", "unknown placeholder"),
                              ("Yours, {dates, number}", "only select and plural"),
                              ("{format, select, virtual {x}}", "not a valid ICU message")):
        path.write_text(text.replace("Yours, {name} {nope}", written), encoding="utf-8")
        problems = Problems()
        assert load_texts(project / "content", "en", problems) is None
        assert [expected in p.message for p in problems.errors] == [True], written


def test_sort_order_follows_the_language():
    from kitbuilder.delegates.design import sort_key

    names = ["Nuñez", "Núñez", "Nunez", "Nuza", "Álvarez", "Alonso", "Ñandú", "Oliva"]
    assert sorted(names, key=lambda n: sort_key(n, "es")) == [
        "Alonso", "Álvarez", "Nunez", "Nuñez", "Núñez", "Nuza", "Ñandú", "Oliva"]
    assert sorted(names, key=lambda n: sort_key(n, "en")) == [
        "Alonso", "Álvarez", "Ñandú", "Nunez", "Nuñez", "Núñez", "Nuza", "Oliva"]


def test_a_cell_longer_than_allowed_is_an_error_on_its_row(tmp_path):
    long = "O" * (regs.MAX_CELL + 1)
    text = HEADER + (f"Ana,García,Ms,{long},Pos,MX,es,ana@example.org,attended,in-person\n")
    checked, _ = run_check(tmp_path, text)
    assert (2, f"organisation is {regs.MAX_CELL + 1} characters long; at most "
               f"{regs.MAX_CELL}") in messages(checked)


def test_names_in_the_fallback_faces_scripts_are_accepted_with_their_latin_letters(tmp_path):
    from kitbuilder.quality import fonts
    from tests.tools import require_file

    require_file(fonts.SYSTEM_FONTS[0].path, "fonts-noto-cjk")
    header = HEADER.rstrip("\n") + ",given_name_latin,family_name_latin\n"
    text = header + (
        "小明,王,Mr,Org,Pos,MX,es,wang@example.org,attended,in-person,Xiaoming,Wang\n"
        "محمد,عبد الله,Mr,Org,Pos,MX,es,m@example.org,attended,in-person,,\n"
        "אבבה,ቢቂላ,Mr,Org,Pos,MX,es,b@example.org,attended,in-person,,\n")
    checked, _ = run_check(tmp_path, text)
    assert messages(checked) == []
    wang = checked.registrations.delegates[0]
    assert (wang.latin_name, wang.file_stem.split("-")[:3]) == ("Xiaoming Wang",
                                                                ["MX", "wang", "xiaoming"])


def test_without_the_cjk_font_a_chinese_name_is_one_error_naming_the_package(tmp_path,
                                                                              monkeypatch):
    from kitbuilder.quality import fonts

    gone = fonts.SystemFont(tmp_path / "NotoSansCJK-Regular.ttc", "fonts-noto-cjk", ("zh",))
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (gone,))
    text = HEADER + "小明,王小,Mr,Org,Pos,MX,es,wang@example.org,attended,in-person\n"
    checked, _ = run_check(tmp_path, text)
    found = messages(checked)
    assert [line for line, _ in found] == [2, 2]  # one for each name cell, not per character
    assert all("fonts-noto-cjk" in message and "U+" in message for _, message in found)
