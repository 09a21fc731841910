"""`kitbuilder import plone` on exports shaped like collective.exportimport's (plone_export.py):
what lands in the project, read back with YAML, the kit's own loader, and Pillow."""

from __future__ import annotations

import builtins
import io
import json
import pathlib
import re

import pytest
import yaml
from click.testing import CliRunner

from kitbuilder.cli import main
from kitbuilder.importers.plone import ExportError, Options, UsageError, import_plone
from kitbuilder.importers.plone.reading import items, locate

from . import plone_export

ZONE = "America/Bogota"


def front_matter(path: pathlib.Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


@pytest.fixture
def imported(tmp_path, monkeypatch):
    """A single-file export imported into a new project; every file the import opened."""
    export = plone_export.write_single(tmp_path / "export")
    opened: list[str] = []
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_path_open(self, *args, **kwargs):
        opened.append(str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(pathlib.Path, "open", spy_path_open)
    result = import_plone(Options(export=export, timezone=ZONE, project=tmp_path / "project",
                                  countries=("CO", "US")))
    monkeypatch.undo()
    return result, tmp_path / "project", opened


def test_pages_become_documents_in_folder_order_with_translations(imported):
    result, project, _ = imported
    kit = yaml.safe_load((project / "content/kit.yaml").read_text(encoding="utf-8"))
    # The default page first, then the folder's order (export_ordering.json), then the agenda.
    assert kit["documents"] == ["concept-note.md", "logistics.md", "registration-open.md",
                                "agenda"]
    meta, _ = front_matter(project / "content/en/concept-note.md")
    assert meta["title"] == "Concept note"
    es_meta, es_body = front_matter(project / "content/es/concept-note.md")
    assert es_meta["title"] == "Nota conceptual"  # the translation, under the same file name
    assert "El taller reúne a las delegaciones." in es_body
    assert "[nota logística](logistics.md)" in es_body  # a renamed page, via its redirect
    assert (project / "content/es/logistics.md").is_file()
    workshop = yaml.safe_load((project / "content/es/workshop.yaml").read_text("utf-8"))
    assert workshop["title"] == "Taller regional CRM 2022 — Bogotá"  # \u escapes read
    assert result.languages["en"].documents == ["concept-note.md", "logistics.md",
                                                "registration-open.md"]
    # A News Item: its lead image first, then its text; untranslated, which the report says.
    _, news = front_matter(project / "content/en/registration-open.md")
    assert news.startswith("![](../assets/registration.png)\n\nRegister by **1 March**.")
    assert not (project / "content/es/registration-open.md").exists()
    assert any("registration-open.md: 'Registration is open' has no 'es' translation" in line
               for line in result.languages["es"].needs_person)


def test_word_paste_is_cleaned_and_sanitised(imported):
    _, project, _ = imported
    _, body = front_matter(project / "content/en/concept-note.md")
    assert re.search(r"^- Share experiences of labour migration$", body, re.M)
    assert re.search(r"^- Agree on next steps$", body, re.M)
    assert "## Objectives" in body
    for junk in ("Mso", "o:p", "mso-", "&nbsp;", "\u00a0", "·", "supportLists", "script",
                 "alert", "onclick", "lang=", "<"):
        assert junk not in body, junk
    assert "Café con leche" in body  # non-ASCII from \u escapes; the emoji no font has: gone
    assert "\U0001F389" not in body
    assert not re.search(r"\n\n\s*\n\n", body)  # no empty paragraphs left
    assert re.search(r"Day\s+Theme", body) and re.search(r"1\s+Context", body)  # the table
    # Word's footnote: a Markdown footnote, referenced where it was.
    assert "Remittances grew[^1] in 2021." in body
    assert re.search(r"^\[\^1\]: Example Bank, \*Remittances report\*, 2022\.$", body, re.M)


def test_links_point_to_documents_and_files(imported):
    result, project, _ = imported
    _, body = front_matter(project / "content/en/concept-note.md")
    assert "[logistics note](logistics.md)" in body  # resolveuid with an anchor
    assert "(../assets/provisional-agenda.pdf)" in body  # @@download/file/…
    assert "![Venue map](../assets/venue-map.png)" in body  # @@images/image/larger
    assert "[the RCM site](https://www.example.org/rcm)" in body  # external: kept
    # The deleted page's link: its text stays, the link goes, and it is reported.
    assert "a page deleted long ago and" in body
    broken = [str(i) for i in result.issues.warnings if "deleted long ago" in i.message]
    assert broken and broken[0].startswith(
        f"{project.parent / 'export' / 'Plone.json'}:concept-note: warning: link ")
    _, logistics = front_matter(project / "content/en/logistics.md")
    assert "[concept note](concept-note.md)" in logistics  # absolute URL with /view
    assert "[the workshop](concept-note.md)" in logistics  # the folder: its default page
    # The page's own <h1> sits below the chapter's title: its headings move down a level.
    assert re.findall(r"^#+ .*$", logistics, re.M) == ["## Practical information",
                                                        "### Venue"]
    from PIL import Image

    with Image.open(project / "content/assets/venue-map.png") as image:
        assert image.size == (2, 1)
    assert (project / "content/assets/provisional-agenda.pdf").read_bytes() == plone_export.PDF


def test_private_unsupported_and_unexported_are_reported_never_written(imported):
    result, project, opened = imported
    skipped = "\n".join(result.languages["en"].skipped)
    assert "Internal notes (draft)" in skipped and "private" in skipped
    assert "RCM website" in skipped and "Link:" in skipped
    assert "All news" in skipped and "Collection: a saved search" in skipped
    assert not any("Ana Example" in p.read_text("utf-8", "replace")
                   for p in project.rglob("*.md"))
    assert any("broken-file" in path for path, _ in result.unexported)
    assert not any(name.endswith("export_members.json") for name in opened)
    assert any(name.endswith("export_translations.json") for name in opened)


def test_the_project_passes_check(imported):
    _, project, _ = imported
    done = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert done.exit_code == 0, done.output
    assert "error" not in done.output.replace("0 error", "")


def test_per_item_export_is_read_in_numeric_order_with_blob_paths(tmp_path):
    folder = plone_export.write_per_item(tmp_path / "export", blobs="blob_path")
    export = locate(folder)
    read = [raw.data.get("@id") for raw in items(export) if "UID" in raw.data]
    expected = [item["@id"] for item in plone_export.items() if "UID" in item]
    assert len(expected) > 10  # 10.json must come after 9.json, not after 1.json
    assert read == expected
    # Given the folder around it (as downloaded), the numbered folder is found inside.
    result = import_plone(Options(export=folder.parent, timezone=ZONE, project=tmp_path / "p"))
    assert (tmp_path / "p/content/assets/provisional-agenda.pdf").read_bytes() \
        == plone_export.PDF
    assert any("broken-file" in path for path, _ in result.unexported)  # errors.json


def test_events_become_the_agenda_in_the_given_zone(imported):
    _, project, _ = imported
    agenda = yaml.safe_load((project / "content/en/agenda.yaml").read_text("utf-8"))
    slots = [(s["day"], s["start"], s["end"], s["title"]) for s in agenda["slots"]]
    assert slots == [(1, "08:45", "10:15", "Opening session"),  # 13:45–15:15 UTC
                     (2, "16:30", "17:00", "Closing"),
                     (2, "18:00", "20:00", "Evening reception")]  # 23:00–01:00 UTC
    workshop = yaml.safe_load((project / "content/workshop.yaml").read_text("utf-8"))
    assert [d["date"].isoformat() for d in workshop["days"]] == ["2022-03-14", "2022-03-15"]
    assert workshop["timezone"] == ZONE
    es = yaml.safe_load((project / "content/es/agenda.yaml").read_text("utf-8"))
    assert es["slots"][0]["title"] == "Sesión de apertura"
    assert es["slots"][0]["room"] == "Sala A"
    assert "# Welcome by the hosts." in (project / "content/en/agenda.yaml").read_text("utf-8")


def test_events_need_a_time_zone(tmp_path):
    export = plone_export.write_single(tmp_path / "export")
    with pytest.raises(UsageError, match="--timezone"):
        import_plone(Options(export=export, project=tmp_path / "p"))
    assert not (tmp_path / "p").exists()
    done = CliRunner().invoke(main, ["import", "plone", str(export), "--project",
                                     str(tmp_path / "p")])
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert "--timezone: error:" in done.output


def test_cli_imports_and_reports_per_language(tmp_path):
    export = plone_export.write_single(tmp_path / "export")
    done = CliRunner().invoke(main, ["import", "plone", str(export), "--timezone", ZONE,
                                     "--project", str(tmp_path / "p"),
                                     "--path", "/Plone/en/rcm-2022-workshop"])
    assert done.exit_code == 0, done.output
    assert "en: 3 document(s), 3 agenda slot(s), 3 file(s)" in done.output
    assert re.search(r"es: 2 document\(s\)", done.output)
    assert "skipped   Internal notes (draft)" in done.output
    assert "Plone.json:concept-note: warning: link 'page deleted long ago'" in done.output


def test_private_items_with_include_private(tmp_path):
    export = plone_export.write_single(tmp_path / "export")
    result = import_plone(Options(export=export, timezone=ZONE, project=tmp_path / "p",
                                  include_private=True))
    assert "internal-notes.md" in result.languages["en"].documents


def test_export_error_is_named(tmp_path):
    with pytest.raises(ExportError):
        import_plone(Options(export=tmp_path / "nothing.json"))


def test_without_the_sibling_exports(tmp_path):
    """Only the content export: the workshop must be named, the export's order is the kit's,
    and nothing is paired across languages."""
    export = plone_export.write_single(tmp_path / "export")
    for name in ("export_translations.json", "export_defaultpages.json",
                 "export_ordering.json", "export_redirects.json"):
        (tmp_path / "export" / name).unlink()
    with pytest.raises(UsageError, match="2 folders that could be the workshop") as caught:
        import_plone(Options(export=export, timezone=ZONE, project=tmp_path / "p"))
    assert "/Plone/es/taller-rcm-2022" in str(caught.value)
    result = import_plone(Options(export=export, timezone=ZONE, project=tmp_path / "p",
                                  path=f"{plone_export.HOST}/Plone/en/rcm-2022-workshop"))
    assert list(result.languages) == ["en"]
    kit = yaml.safe_load((tmp_path / "p/content/kit.yaml").read_text(encoding="utf-8"))
    assert kit["documents"] == ["concept-note.md", "logistics.md", "registration-open.md",
                                "agenda"]  # path order (no default page, no ordering)


def test_word_numbered_lists_become_ordered_lists(tmp_path):
    from kitbuilder.importers.plone.html import clean_html
    from kitbuilder.importers.plone.markdown import to_markdown

    pasted = ''.join(
        f'<p class="MsoListParagraphCxSp{kind}" style="mso-list:l1 level1 lfo2">'
        f'<!--[if !supportLists]--><span>{n}.<span>&nbsp;&nbsp;</span></span><!--[endif]-->'
        f'{text}<o:p></o:p></p>'
        for n, (kind, text) in enumerate([("First", "Register"), ("Last", "Travel")], 1))
    html = clean_html(pasted, lambda url, text, image: url)
    [(_, markdown, _)] = list(to_markdown([("page", html)]))
    assert re.findall(r"^\d\. +(\w+)$", markdown, re.M) == ["Register", "Travel"]


def test_mojibake_is_flagged_not_changed(tmp_path):
    items = plone_export.items()
    note = next(i for i in items if i.get("id") == "logistics")
    note["text"]["data"] = "<p>Reuni\u00c3\u00b3n en Bogot\u00c3\u00a1.</p>"
    folder = tmp_path / "e"
    folder.mkdir()
    (folder / "Plone.json").write_text(json.dumps(items), encoding="ascii")
    plone_export.side_files(folder)
    result = import_plone(Options(export=folder / "Plone.json", timezone=ZONE,
                                  project=tmp_path / "p"))
    assert "ReuniÃ³n en BogotÃ¡." in (tmp_path / "p/content/en/logistics.md").read_text("utf-8")
    assert any("logistics.md: 'Ã³' looks like text decoded twice" in line
               for line in result.languages["en"].needs_person)
