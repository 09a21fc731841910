"""Broken and hostile exports are refused by name; the project is the only folder written;
re-running an import updates what changed and keeps what a person edited."""

from __future__ import annotations

import base64
import json
import os

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.importers.plone import ExportError, Options, UsageError, import_plone

from . import plone_export

ZONE = "America/Bogota"


def write(folder, elements) -> object:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Plone.json"
    path.write_text(json.dumps(elements, indent=4), encoding="ascii")
    return path


def run_cli(*args):
    return CliRunner().invoke(main, ["import", "plone", *map(str, args)])


def test_truncated_json_is_an_error_naming_the_file_and_item(tmp_path):
    good = plone_export.write_single(tmp_path / "export")
    good.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    done = run_cli(good, "--timezone", ZONE, "--project", tmp_path / "p")
    assert done.exit_code == 1
    assert "Traceback" not in done.output
    assert f"{good}:#" in done.output and ": error: not valid JSON" in done.output
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("elements, message", [
    ({"items": []}, "should hold a JSON list of items"),
    ([{"@id": "http://x/Plone/a", "@type": "Document", "id": "a"}], "has no valid 'UID'"),
    ([{"@id": "http://x/Plone/a", "@type": "Document", "UID": "../../etc", "id": "a"}],
     "has no valid 'UID'"),
    (["just a string"], "is not an item"),
])
def test_malformed_items_are_errors(tmp_path, elements, message):
    path = write(tmp_path / "e", elements)
    done = run_cli(path, "--project", tmp_path / "p")
    assert done.exit_code == 1, done.output
    assert message in done.output and "Traceback" not in done.output
    assert not (tmp_path / "p").exists()


def test_hostile_nesting_is_refused_quickly(tmp_path):
    path = tmp_path / "Plone.json"
    path.write_bytes(b'[{"UID": "a", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}]")
    with pytest.raises(ExportError, match="nested more than 64 levels"):
        import_plone(Options(export=path, project=tmp_path / "p"))


def test_an_item_over_the_size_limit_is_refused_before_it_is_read_whole(tmp_path):
    items = plone_export.items()
    items[2]["image"]["data"] = base64.b64encode(b"\x89PNG" + b"\0" * 200_000).decode()
    path = write(tmp_path / "e", items)
    with pytest.raises(ExportError, match="larger than 64 KB") as caught:
        import_plone(Options(export=path, timezone=ZONE, project=tmp_path / "p",
                             max_item_bytes=64 * 1024))
    assert str(caught.value.issue).startswith(str(path))


def test_files_never_leave_the_project(tmp_path):
    items = plone_export.items(blobs="blob_path")
    pdf = next(i for i in items if i["@type"] == "File")
    pdf["file"]["blob_path"] = "../../../../etc/passwd"
    image = next(i for i in items if i["@type"] == "Image")
    image["image"]["filename"] = "../../../escaped.png"
    path = write(tmp_path / "e", items)
    plone_export.side_files(tmp_path / "e")
    (tmp_path / "e" / "blobstorage").mkdir()
    result = import_plone(Options(export=path, timezone=ZONE, project=tmp_path / "p"))
    assert (tmp_path / "p/content/assets/escaped.png").is_file()
    assert not (tmp_path / "escaped.png").exists()
    assert not (tmp_path / "p/content/assets/provisional-agenda.pdf").exists()
    assert any("blob path that is not one" in i.message for i in result.issues.warnings)
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"e", "p"}


def test_a_folder_not_written_by_an_import_is_refused(tmp_path):
    export = plone_export.write_single(tmp_path / "export")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="did not write"):
        import_plone(Options(export=export, timezone=ZONE, project=tmp_path / "p"))
    assert sorted(os.listdir(tmp_path / "p")) == ["notes.txt"]


def test_reimport_updates_changes_and_keeps_edits(tmp_path):
    export = plone_export.write_single(tmp_path / "e1")
    project = tmp_path / "p"
    options = Options(export=export, timezone=ZONE, project=project)
    first = import_plone(options)
    assert "content/en/concept-note.md" in first.changes.new
    again = import_plone(options)
    assert not again.changes.new and not again.changes.updated
    assert "content/en/concept-note.md" in again.changes.unchanged

    edited = project / "content/en/logistics.md"
    edited.write_text(edited.read_text("utf-8") + "\nOur own paragraph.\n", encoding="utf-8")
    items = plone_export.items()
    note = next(i for i in items if i.get("id") == "concept-note")
    note["title"] = "Concept note (revised)"
    logistics = next(i for i in items if i.get("id") == "logistics")
    logistics["title"] = "Logistics (revised)"
    newer = write(tmp_path / "e2", items)
    plone_export.side_files(tmp_path / "e2")
    third = import_plone(Options(export=newer, timezone=ZONE, project=project))
    assert "content/en/concept-note.md" in third.changes.updated
    assert "Concept note (revised)" in (project / "content/en/concept-note.md").read_text()
    assert third.changes.kept == ["content/en/logistics.md"]
    assert "Our own paragraph." in edited.read_text("utf-8")
    assert any("kept      content/en/logistics.md" in line for line in third.lines())

    forced = import_plone(Options(export=newer, timezone=ZONE, project=project, force=True))
    assert forced.changes.overwritten == ["content/en/logistics.md"]
    assert "Our own paragraph." not in edited.read_text("utf-8")


def test_reimport_never_writes_through_a_link(tmp_path):
    export = plone_export.write_single(tmp_path / "e")
    project = tmp_path / "p"
    import_plone(Options(export=export, timezone=ZONE, project=project))
    outside = tmp_path / "outside.md"
    outside.write_text("not yours")
    target = project / "content/en/logistics.md"
    target.unlink()
    target.symlink_to(outside)
    result = import_plone(Options(export=export, timezone=ZONE, project=project, force=True))
    assert outside.read_text() == "not yours"
    assert "content/en/logistics.md" in result.changes.kept


def test_unwritable_characters_are_left_out_not_a_traceback(tmp_path):
    items = plone_export.items()
    note = next(i for i in items if i.get("id") == "logistics")
    note["title"] = "Logistics\x00 \x1bnote"
    note["@id"] += "%00"
    note["text"]["data"] = "<p>Nul\x00 and\x0b escape.</p>"
    path = write(tmp_path / "e", items)
    plone_export.side_files(tmp_path / "e")
    import_plone(Options(export=path, timezone=ZONE, project=tmp_path / "p"))
    text = (tmp_path / "p/content/en/logistics.md").read_text("utf-8")
    assert 'title: "Logistics note"' in text
    assert "Nul and escape." in text
    # Half a surrogate pair alone is no text: what the JSON parser cannot decode is refused.
    note["title"] = "Logistics \udfffnote"
    path = write(tmp_path / "e3", items)
    plone_export.side_files(tmp_path / "e3")
    done = run_cli(path, "--timezone", ZONE, "--project", tmp_path / "p3")
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "error: not valid JSON" in done.output


def test_active_content_never_reaches_the_markdown():
    from kitbuilder.importers.plone.html import clean_html

    html = clean_html('<p><a href="javascript:alert(1)">x</a><img src="a.png" onerror="go()">'
                      '<iframe src="https://example.org"></iframe><style>p {}</style>'
                      '<span style="color:red" onclick="go()">ok</span></p>',
                      lambda url, text, image: url)
    for active in ("javascript", "onerror", "iframe", "style", "onclick", "go()"):
        assert active not in html
    assert "ok" in html and ">x<" in html


def test_a_stopped_import_leaves_a_folder_an_import_can_use(tmp_path):
    export = plone_export.write_single(tmp_path / "e")
    (tmp_path / "p" / ".plone-import-staging" / "files").mkdir(parents=True)
    import_plone(Options(export=export, timezone=ZONE, project=tmp_path / "p"))
    assert (tmp_path / "p/content/kit.yaml").is_file()
    assert not (tmp_path / "p" / ".plone-import-staging").exists()


def test_an_unknown_country_is_refused_before_anything_is_written(tmp_path):
    export = plone_export.write_single(tmp_path / "e")
    done = run_cli(export, "--timezone", ZONE, "--country", "XQ", "--project", tmp_path / "p")
    assert done.exit_code == 2 and "--country: error: unknown country 'XQ'" in done.output
    assert not (tmp_path / "p").exists()


def test_parents_that_loop_are_read_once(tmp_path):
    items = plone_export.items()
    en = f"{plone_export.HOST}/Plone/en/rcm-2022-workshop"
    items += [{"@id": f"{en}/a", "@type": "Folder", "UID": "a" * 32, "id": "a",
               "review_state": "published", "parent": {"@id": f"{en}/b"}},
              {"@id": f"{en}/b", "@type": "Folder", "UID": "b" * 32, "id": "b",
               "review_state": "published", "parent": {"@id": f"{en}/a"}},
              {"@id": f"{en}/b/inner", "@type": "Document", "UID": "c" * 32, "id": "inner",
               "review_state": "published", "title": "Inner", "parent": {"@id": f"{en}/b"}}]
    path = write(tmp_path / "e", items)
    plone_export.side_files(tmp_path / "e")
    result = import_plone(Options(export=path, timezone=ZONE, project=tmp_path / "p",
                                  path="/Plone/en/rcm-2022-workshop/a"))
    assert result.languages["en"].documents == ["inner.md"]
