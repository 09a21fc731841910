"""Issue 4: incremental, reproducible and atomic builds, checked on real outputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kitbuilder import incremental
from kitbuilder.errors import KitError
from kitbuilder.incremental import STATE, fast_check
from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).resolve().parent / "projects" / "minimal"
HEAVY = ("weasyprint", "docx", "pypandoc", "pydantic", "babel")


def make_project(tmp_path: Path, content: Path = MINIMAL / "content") -> Path:
    """A project folder of its own: content plus copies of the shipped layouts and locales."""
    project = tmp_path / "project"
    shutil.copytree(content, project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    shutil.copytree(ROOT / "locales", project / "locales")
    return project


def settings_for(project: Path, output: Path | None = None, **extra) -> Settings:
    return Settings(content=project / "content", output=output or project / "output",
                    layouts=project / "layouts", locales=project / "locales", **extra)


def run(settings: Settings) -> Reporter:
    reporter = Reporter()
    build(settings, reporter)
    return reporter


def statuses(reporter: Reporter) -> dict[str, str]:
    return {e["path"]: e["status"] for e in reporter.of_kind("artifact")}


def hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, except the incremental state (it holds mtimes)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != STATE}


@pytest.mark.slow
def test_noop_rebuild_reuses_everything_without_heavy_imports(tmp_path):
    project = make_project(tmp_path)
    first = run(settings_for(project))
    assert set(statuses(first).values()) == {"rebuilt"}
    before = hashes(project / "output")

    # A fresh process, like `kitbuilder build`: nothing rendered, nothing heavy imported.
    script = (
        "import sys, json\n"
        "from kitbuilder.pipeline import build\nfrom kitbuilder.settings import Settings\n"
        "from kitbuilder.report import Reporter\nfrom pathlib import Path\n"
        f"p = Path({str(project)!r})\n"
        "r = Reporter()\n"
        "res = build(Settings(content=p / 'content', output=p / 'output', "
        "layouts=p / 'layouts', locales=p / 'locales'), r)\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps({'heavy': heavy, 'rebuilt': res.rebuilt, 'reused': res.reused,"
        " 'status': sorted({e['status'] for e in r.of_kind('artifact')})}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    result = json.loads(done.stdout)
    assert result["heavy"] == []
    assert result["rebuilt"] == [] and sorted(result["reused"]) == sorted(statuses(first))
    assert result["status"] == ["reused"]
    assert hashes(project / "output") == before

    forced = run(settings_for(project, force=True))
    assert set(statuses(forced).values()) == {"rebuilt"}
    assert hashes(project / "output") == before  # and the same bytes again


@pytest.mark.slow
def test_editing_a_spanish_paragraph_rebuilds_only_the_spanish_kits(tmp_path):
    project = make_project(tmp_path)
    run(settings_for(project))
    output = project / "output"
    before = hashes(output)

    note = project / "content" / "es" / "concept-note.md"
    text = note.read_text(encoding="utf-8")  # its last line is a paragraph
    note.write_text(text.rstrip("\n") + " Párrafo revisado.\n", encoding="utf-8")
    reporter = run(settings_for(project))

    status = statuses(reporter)
    rebuilt = {path for path, how in status.items() if how == "rebuilt"}
    assert rebuilt and all(path.startswith("do/es/") for path in rebuilt)
    assert {p for p in status if p.startswith("do/es/")} == rebuilt  # every Spanish file
    assert all(how == "reused" for path, how in status.items() if path.startswith("ca/"))
    after = hashes(output)
    assert all(after[p] == before[p] for p in before if p.startswith("ca/"))
    assert after["do/es/mini-2021-do-es.html"] != before["do/es/mini-2021-do-es.html"]
    assert "Párrafo revisado." in (output / "do/es/mini-2021-do-es.html").read_text("utf-8")
    manifest = json.loads((output / "manifest.json").read_text())
    for entry in manifest["files"]:
        assert entry["sha256"] == after[entry["path"]]


@pytest.mark.slow
def test_a_deleted_or_tampered_output_is_rebuilt(tmp_path):
    project = make_project(tmp_path)
    settings = settings_for(project, formats=("html",))
    run(settings)
    output = project / "output"
    good = hashes(output)
    (output / "ca/en/mini-2021-ca-en.html").write_text("tampered", encoding="utf-8")
    (output / "do/es/mini-2021-do-es.html").unlink()
    reporter = run(settings)
    assert set(statuses(reporter).values()) == {"rebuilt"}
    assert hashes(output) == good


@pytest.mark.slow
def test_two_builds_are_byte_identical(shipped_build, tmp_path):
    """Same content → the same PDF, DOCX, HTML and manifest bytes, built in another folder."""
    first, _ = shipped_build
    second = tmp_path / "again"
    build(Settings(content=ROOT / "content", output=second, layouts=ROOT / "layouts",
                   locales=ROOT / "locales"), Reporter())
    a, b = hashes(first), hashes(second)
    assert {p.rsplit(".", 1)[-1] for p in a} >= {"pdf", "docx", "html", "json"}
    assert a.keys() == b.keys()
    different = [p for p in a if a[p] != b[p]]
    assert different == []


@pytest.mark.slow
def test_a_template_failing_mid_build_leaves_the_previous_kits_untouched(tmp_path):
    project = make_project(tmp_path)
    run(settings_for(project, jobs=2))
    output = project / "output"
    before = hashes(output)
    state_before = (output / STATE).read_bytes()

    # Break only the DOCX template, at render time: PDFs and HTML are written (to staging)
    # before the DOCX fails. Change the content too, so every file is due for a rebuild.
    template = project / "layouts" / "docx.html.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, "{{ no_such_variable.anything }}\n")
    template.write_text("".join(lines), encoding="utf-8")
    facts = project / "content" / "workshop.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    with pytest.raises(KitError) as failure:
        build(settings_for(project, jobs=2), Reporter())
    messages = [str(p) for p in failure.value.problems]
    assert any("docx.html.j2:4: error:" in m for m in messages), messages

    assert hashes(output) == before  # every kit file and the manifest, byte for byte
    assert (output / STATE).read_bytes() == state_before
    leftovers = [p.name for p in output.rglob("*") if p.name.startswith(".staging-")
                 or p.name.endswith(".tmp")]
    assert leftovers == []

    template.write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")  # fixed
    reporter = run(settings_for(project, jobs=2))
    assert set(statuses(reporter).values()) == {"rebuilt"}  # workshop.yaml changed: all


@pytest.fixture
def pinned_code(monkeypatch):
    """kitbuilder's own sources count as unchanged (a file saved under src/ while the test
    runs would otherwise, rightly, rebuild everything)."""
    monkeypatch.setattr(incremental, "code_digest", lambda: "pinned")


def rebuilt(reporter: Reporter) -> set[str]:
    return {path for path, how in statuses(reporter).items() if how == "rebuilt"}


def listed(output: Path) -> set[str]:
    return {e["path"] for e in json.loads((output / "manifest.json").read_text())["files"]}


@pytest.mark.slow
def test_package_budget_rebuilds_nothing_and_print_adds_only_print_pdfs(tmp_path, pinned_code):
    project = make_project(tmp_path)
    output = project / "output"
    run(settings_for(project, formats=("pdf", "html")))
    before = hashes(output)

    budget = run(settings_for(project, formats=("pdf", "html"), package_budget=5_000_000))
    assert rebuilt(budget) == set() and set(statuses(budget).values()) == {"reused"}
    assert hashes(output) == before

    both = run(settings_for(project, formats=("pdf", "html"), editions=("screen", "print")))
    prints = {"ca/en/mini-2021-ca-en-print.pdf", "do/es/mini-2021-do-es-print.pdf"}
    assert rebuilt(both) == prints
    after = hashes(output)
    assert all(after[p] == before[p] for p in before if p.endswith((".pdf", ".html")))
    assert prints <= listed(output)
    assert fast_check(settings_for(project, formats=("pdf", "html"),
                                   editions=("screen", "print")))[0]  # next time: a no-op


@pytest.mark.slow
def test_a_deleted_or_edited_manifest_or_zip_is_restored(tmp_path, pinned_code):
    project = make_project(tmp_path)
    output = project / "output"
    settings = settings_for(project, formats=("html",))
    run(settings)
    good = hashes(output)
    assert fast_check(settings)[0]

    (output / "manifest.json").unlink()
    assert not fast_check(settings)[0]
    reporter = run(settings)
    assert rebuilt(reporter) == set() and reporter.of_kind("package") == []
    assert hashes(output) == good

    ca_zip = output / "ca/mini-2021-ca-kit.zip"
    ca_stat = ca_zip.stat()
    (output / "do/mini-2021-do-kit.zip").unlink()
    assert not fast_check(settings)[0]
    reporter = run(settings)
    assert [p["path"] for p in reporter.of_kind("package")] == ["do/mini-2021-do-kit.zip"]
    assert hashes(output) == good
    assert ca_zip.stat().st_mtime_ns == ca_stat.st_mtime_ns  # only the affected country

    (output / "do/mini-2021-do-kit.zip").write_bytes(b"edited")
    (output / "manifest.json").write_text("{}", encoding="utf-8")
    reporter = run(settings)
    assert [p["path"] for p in reporter.of_kind("package")] == ["do/mini-2021-do-kit.zip"]
    assert hashes(output) == good
    assert fast_check(settings)[0]


@pytest.mark.slow
def test_the_manifest_lists_only_what_the_current_project_makes(tmp_path, pinned_code):
    project = make_project(tmp_path)
    output = project / "output"
    run(settings_for(project, formats=("html",)))
    do_files = {"do/es/mini-2021-do-es.html", "do/mini-2021-do-kit.zip"}
    assert do_files <= listed(output)

    # A build limited to one country still lists the other country's current files.
    run(settings_for(project, formats=("html",), countries=("CA",), force=True))
    assert do_files <= listed(output)

    countries = project / "content" / "countries.yaml"  # DO no longer participates
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text[:text.index("  - code: DO")], encoding="utf-8")
    run(settings_for(project, formats=("html",)))
    manifest = json.loads((output / "manifest.json").read_text())
    assert {e["country"] for e in manifest["files"]} == {"CA"}
    assert listed(output) == {"ca/en/mini-2021-ca-en.html", "ca/mini-2021-ca-kit.zip"}
    for entry in manifest["files"]:
        assert entry["sha256"] == hashes(output)[entry["path"]]

    # Files made from older content are not listed either, though still on disk.
    note = project / "content" / "en" / "concept-note.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    run(settings_for(project, formats=("pdf",)))
    assert "ca/en/mini-2021-ca-en.html" not in listed(output)
    assert "ca/en/mini-2021-ca-en.pdf" in listed(output)


@pytest.mark.slow
def test_files_no_kit_reads_rebuild_no_kit(tmp_path, pinned_code):
    """The delegates' texts and layouts and the mail's message belong to other commands:
    editing them (or adding them) leaves every kit reused, while a kit's own file still
    rebuilds its kits."""
    project = make_project(tmp_path)
    settings = settings_for(project, formats=("html",))
    run(settings)
    for lang in ("en", "es"):
        (project / "content" / lang / "delegates.yaml").write_text("letter: {}\n", "utf-8")
        (project / "content" / lang / "mail.yaml").write_text("subject: x\n", "utf-8")
    letter = project / "layouts" / "delegates" / "letter.html.j2"
    letter.write_text(letter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    reporter = run(settings)
    assert statuses(reporter) and set(statuses(reporter).values()) == {"reused"}

    agenda = project / "content" / "en" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert rebuilt(run(settings))  # the fix excludes only what no kit reads
