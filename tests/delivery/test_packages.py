"""Per-country zip packages: contents, index language, manifest entry, reproducible bytes."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

import pytest

from kitbuilder.content.loader import load_project
from kitbuilder.delivery.packages import write_packages, zip_time
from kitbuilder.errors import Problems
from kitbuilder.incremental import source_date_epoch
from kitbuilder.pipeline import build
from kitbuilder.plan import package_name, plan
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "content", Problems())


def settings(output, **more):
    return Settings(content=ROOT / "content", output=output, layouts=ROOT / "layouts",
                    locales=ROOT / "locales", **more)


def test_one_package_per_country_with_every_kit_file_and_an_index(shipped_build, project):
    output, reporter = shipped_build
    manifest = {e["path"]: e for e in json.loads((output / "manifest.json").read_text())["files"]}
    events = {e["path"]: e for e in reporter.of_kind("package")}
    epoch = source_date_epoch(project)
    for country in project.countries:
        relative = package_name(project, country)
        data = (output / relative).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
            stem = f"{project.workshop.id}-{country.code.lower()}"
            expected = ["README.txt"] + sorted(
                f"{stem}-{lang}.{fmt}" for lang in country.languages
                for fmt in ("docx", "html", "ics", "pdf"))
            assert names == expected  # sorted, nothing else
            for name in names[1:]:
                lang = name.rsplit("-", 1)[1].split(".")[0]
                on_disk = output / country.code.lower() / lang / name
                assert archive.read(name) == on_disk.read_bytes()
            index = archive.read("README.txt").decode("utf-8")
            # one fixed time for every entry: the build's date, never the clock
            assert {i.date_time for i in archive.infolist()} == {zip_time(epoch)}
        word = "Este paquete contiene" if country.languages == ["es"] else "This package contains"
        assert word in index
        assert all(name in index for name in names[1:])
        entry = manifest[relative]
        assert entry["format"] == "zip" and entry["country"] == country.code
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert events[relative]["size"] == len(data)
    assert not [w for w in reporter.of_kind("warning") if "budget" in str(w["problem"])]


def test_package_bytes_are_reproducible_across_builds(shipped_build, tmp_path, project):
    output, _ = shipped_build
    again = tmp_path / "again"
    build(settings(again, countries=("DO",), jobs=1), Reporter())
    country = next(c for c in project.countries if c.code == "DO")
    relative = package_name(project, country)
    assert (again / relative).read_bytes() == (output / relative).read_bytes()


def test_size_above_the_budget_is_a_warning(shipped_build, tmp_path, project):
    output, _ = shipped_build
    copy = tmp_path / "out"
    shutil.copytree(output, copy)
    reporter = Reporter()
    chosen = settings(copy, countries=("MX", "US"), package_budget=50_000)
    written = write_packages(copy, project, plan(project, chosen), chosen, reporter)
    assert sorted(a.country.code for a in written) == ["MX", "US"]
    warnings = [str(w["problem"]) for w in reporter.of_kind("warning")]
    assert len(warnings) == 2 and all("above the 0.1 MB budget" in w for w in warnings)
    assert warnings[0].startswith("mx/") and ": warning: package is" in warnings[0]


def test_a_build_of_one_format_zips_it_with_the_kept_files(tmp_path, project, monkeypatch):
    """A build of the PDF alone zips the new PDF with the DOCX, HTML and calendar already in
    the output: the same bytes as a zip made from the output afterwards."""
    from kitbuilder.delivery import packages

    output = tmp_path / "out"
    build(settings(output, countries=("DO",), jobs=1), Reporter())
    made = []
    original = packages.build_package

    def spy(*args, **kwargs):
        made.append(args[1].code)
        return original(*args, **kwargs)

    monkeypatch.setattr(packages, "build_package", spy)
    build(settings(output, countries=("DO",), formats=("pdf",), force=True, jobs=1), Reporter())
    assert made == ["DO"]
    country = next(c for c in project.countries if c.code == "DO")
    after, names = original(project, country, output, source_date_epoch(project),
                            ROOT / "locales")
    assert (output / package_name(project, country)).read_bytes() == after
    assert len(names) == 5  # README and the four kit files
