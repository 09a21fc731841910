"""Files that are not what they seem: wrong encoding, a BOM, too big, links out of the
project. Each is refused (or accepted) exactly, and nothing outside the project is opened."""

from __future__ import annotations

import os

from kitbuilder.content.files import MAX_TEXT_BYTES
from tests.hostile.conftest import errors_of, loaded, run_cli

OUTSIDE_TEXT = "OUTSIDE-SECRET-4711"


def test_non_utf8_references_json_names_the_line_of_the_first_bad_byte(minimal):
    (minimal / "references.json").write_bytes(b'[\n  {"id": "a",\n   "title": "caf\xe9"}\n]\n')
    assert errors_of(minimal) == [
        f"{minimal}/references.json:3: error: not UTF-8 text: byte 0xE9 on this line "
        "(invalid continuation byte); save the file as UTF-8"]


def test_non_utf8_yaml_and_markdown_name_their_lines(minimal):
    agenda = (minimal / "en/agenda.yaml").read_bytes()
    (minimal / "en/agenda.yaml").write_bytes(agenda.replace(b"Closing", b"Cl\xf6sing"))
    (minimal / "en/concept-note.md").write_bytes(b"---\ntitle: Note\n---\n\nOne\n\nT\xe9o\n")
    closing_line = agenda[: agenda.index(b"Closing")].count(b"\n") + 1
    assert errors_of(minimal) == [
        f"{minimal}/en/agenda.yaml:{closing_line}: error: not UTF-8 text: byte 0xF6 on this "
        "line (invalid start byte); save the file as UTF-8",
        f"{minimal}/en/concept-note.md:7: error: not UTF-8 text: byte 0xE9 on this line "
        "(invalid continuation byte); save the file as UTF-8",
    ]


def test_utf8_bom_is_accepted_in_markdown_yaml_and_json(minimal):
    for name in ("en/concept-note.md", "workshop.yaml", "en/agenda.yaml", "references.json"):
        path = minimal / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    project, problems = loaded(minimal)
    assert [p for p in problems if ": error: " in p] == []
    assert project.languages["en"].markdown["concept-note.md"].title == "Concept note"
    assert project.workshop.id == "mini-2021"
    assert [r["id"] for r in project.references] == ["ilo2014"]


def test_windows_line_ends_keep_the_front_matter(minimal):
    path = minimal / "en/concept-note.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    project, problems = loaded(minimal)
    assert [p for p in problems if ": error: " in p] == []
    assert project.languages["en"].markdown["concept-note.md"].title == "Concept note"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(minimal):
    path = minimal / "en/concept-note.md"
    with path.open("r+b") as handle:  # sparse: nothing to read if the loader tried
        handle.truncate(MAX_TEXT_BYTES + 1)
    assert errors_of(minimal) == [
        f"{minimal}/en/concept-note.md: error: is 5.0 MB; content files may be at most 5 MB: "
        "split it, or link large material instead of pasting it"]


def _outside_file(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text(f"---\ntitle: {OUTSIDE_TEXT}\n---\n{OUTSIDE_TEXT}\n", encoding="utf-8")
    return secret


def test_a_content_file_linking_out_of_the_project_is_refused(minimal, tmp_path):
    secret = _outside_file(tmp_path)
    (minimal / "en/concept-note.md").unlink()
    (minimal / "en/concept-note.md").symlink_to(secret)
    (minimal / "countries.yaml").unlink()
    (minimal / "countries.yaml").symlink_to("/etc/passwd")
    project, problems = loaded(minimal)
    assert [p for p in problems if ": error: " in p] == [
        f"{minimal}/countries.yaml: error: is a link to /etc/passwd, outside the project; "
        "content is read only from inside the project folder: copy the file (or folder) in "
        "instead",
        f"{minimal}/en/concept-note.md: error: is a link to {secret}, outside the project; "
        "content is read only from inside the project folder: copy the file (or folder) in "
        "instead",
    ]
    assert not any(OUTSIDE_TEXT in p or "root:" in p for p in problems)


def test_a_language_folder_linking_out_of_the_project_is_refused(minimal, tmp_path):
    outside = tmp_path / "elsewhere-es"
    (minimal / "es").rename(outside)
    (minimal / "es").symlink_to(outside, target_is_directory=True)
    assert errors_of(minimal) == [
        f"{minimal}/es: error: is a link to {outside}, outside the project; content is read "
        "only from inside the project folder: copy the file (or folder) in instead"]


def test_a_link_inside_the_project_is_fine(minimal):
    (minimal / "en/shared.md").write_bytes((minimal / "en/concept-note.md").read_bytes())
    (minimal / "en/concept-note.md").unlink()
    (minimal / "en/concept-note.md").symlink_to("shared.md")
    project, problems = loaded(minimal)
    assert [p for p in problems if ": error: " in p] == []
    assert project.languages["en"].markdown["concept-note.md"].title == "Concept note"


def test_check_and_build_never_open_the_outside_file(minimal, tmp_path):
    """The link points at a FIFO: opening it for reading would block until the timeout."""
    fifo = tmp_path / "trap.md"
    os.mkfifo(fifo)
    (minimal / "en/concept-note.md").unlink()
    (minimal / "en/concept-note.md").symlink_to(fifo)
    message = (f"{minimal}/en/concept-note.md: error: is a link to {fifo}, outside the "
               "project; content is read only from inside the project folder: copy the file "
               "(or folder) in instead")
    for command in (["check"], ["build", "--output", str(tmp_path / "out")], ["status"]):
        run = run_cli(*command, "--content", str(minimal), timeout=60)
        assert run.code == 1, (command, run.output)
        assert "Traceback" not in run.output
        assert message in run.output, (command, run.output)


def test_a_path_with_dot_dot_never_leaves_the_project(minimal, tmp_path):
    from kitbuilder.content.files import read_text
    from kitbuilder.errors import Problems

    _outside_file(tmp_path)
    problems = Problems()
    sneaky = minimal / "en" / ".." / ".." / ".." / "elsewhere" / "secret.md"
    assert read_text(sneaky, problems, root=minimal) is None
    assert [str(p) for p in problems.items] == [
        f"{sneaky}: error: leads outside the project (through '..'); content is read only "
        "from inside the project folder"]


def test_kit_yaml_cannot_name_a_document_outside_its_folder(minimal):
    (minimal / "kit.yaml").write_text("documents:\n  - ../../secret.md\n  - agenda\n",
                                      encoding="utf-8")
    assert errors_of(minimal) == [
        f"{minimal}/kit.yaml:2: error: '../../secret.md' cannot name a Markdown document; use "
        "lower-case letters, digits and dashes, ending in .md (like 'logistics-note.md')"]
