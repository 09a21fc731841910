"""A project is a folder: content/, and its own layouts/ and locales/ or kitbuilder's shipped ones,
found the same way whatever the working folder is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kitbuilder
from kitbuilder.cli import main
from kitbuilder.errors import KitError
from kitbuilder.project import ProjectPaths, shipped_dir
from kitbuilder.settings import Settings
from tests.conftest import PROJECTS, ROOT


@pytest.fixture
def bare_project(tmp_path) -> Path:
    """The minimal fixture's content alone, outside the repository: no layouts/, no locales/."""
    project = tmp_path / "workshop"
    shutil.copytree(PROJECTS / "minimal" / "content", project / "content")
    assert not str(project.resolve()).startswith(str(ROOT))
    return project


@pytest.fixture
def elsewhere(tmp_path, monkeypatch) -> Path:
    """A working folder that is not the project and holds a decoy layouts/ that must not be used."""
    folder = tmp_path / "elsewhere"
    (folder / "layouts").mkdir(parents=True)
    (folder / "locales").mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_a_project_without_layouts_uses_the_shipped_ones(bare_project, elsewhere):
    paths = ProjectPaths.find(bare_project)
    assert paths.content == bare_project.resolve() / "content"
    assert paths.output == bare_project.resolve() / "output"
    assert paths.layouts == ROOT / "layouts" and paths.shipped_layouts
    assert paths.locales == ROOT / "locales" and paths.shipped_locales


def test_a_project_with_its_own_layouts_and_locales_uses_them(bare_project, elsewhere):
    shutil.copytree(ROOT / "layouts", bare_project / "layouts")
    shutil.copytree(ROOT / "locales", bare_project / "locales")
    paths = ProjectPaths.find(bare_project)
    assert paths.layouts == bare_project.resolve() / "layouts" and not paths.shipped_layouts
    assert paths.locales == bare_project.resolve() / "locales" and not paths.shipped_locales


def test_content_and_output_overrides_are_relative_to_the_working_folder(bare_project,
                                                                          elsewhere):
    paths = ProjectPaths.find(bare_project, content=Path("../workshop/content"),
                              output=Path("kits"))
    assert paths.content == bare_project.resolve() / "content"
    assert paths.output == elsewhere.resolve() / "kits"


def test_settings_never_take_layouts_from_the_working_folder(bare_project, elsewhere):
    settings = Settings(content=bare_project / "content")
    assert settings.layouts_dir() == ROOT / "layouts"
    assert settings.locales_dir() == ROOT / "locales"


@pytest.mark.parametrize("where, option", [("missing", "--project"), ("empty", "--project")])
def test_a_folder_without_content_is_a_usage_error(tmp_path, where, option):
    if where == "empty":
        (tmp_path / where).mkdir()
    with pytest.raises(KitError) as caught:
        ProjectPaths.find(tmp_path / where)
    assert caught.value.problems[0].path == option


def test_missing_shipped_layouts_fail_with_a_clear_error(monkeypatch, tmp_path):
    """A non-editable install has no source tree beside the package: say so, never guess."""
    fake = tmp_path / "site-packages" / "kitbuilder" / "__init__.py"
    fake.parent.mkdir(parents=True)
    fake.touch()
    monkeypatch.setattr(kitbuilder, "__file__", str(fake))
    with pytest.raises(KitError) as caught:
        shipped_dir("layouts")
    message = str(caught.value)
    assert "layouts: error:" in message and "pip install -e" in message


def test_cli_check_in_a_bare_project_and_from_elsewhere(bare_project, elsewhere, monkeypatch):
    runner = CliRunner()
    from_elsewhere = runner.invoke(main, ["check", "--project", str(bare_project)])
    assert from_elsewhere.exit_code == 0, from_elsewhere.output
    assert "Content is valid" in from_elsewhere.output
    assert "no fonts" not in from_elsewhere.output

    monkeypatch.chdir(bare_project)
    inside = runner.invoke(main, ["check"])
    assert inside.exit_code == 0, inside.output
    # The same problems, with paths as seen from the project folder.
    assert inside.output.splitlines()[-1] == from_elsewhere.output.splitlines()[-1]
    assert len(inside.output.splitlines()) == len(from_elsewhere.output.splitlines())
    assert all(line.startswith("content/") for line in inside.output.splitlines()[:-1])


def test_cli_without_a_project_says_how_to_give_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "--project: error:" in result.output and "has no content/ folder" in result.output


def test_mail_looks_for_recipients_in_the_project_not_the_working_folder(bare_project,
                                                                          elsewhere):
    (elsewhere / "recipients.yaml").write_text("decoy: true\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["mail", "--project", str(bare_project)])
    assert result.exit_code == 1
    assert f"{bare_project.resolve() / 'recipients.yaml'}: error: recipients file not found" \
        in result.output


@pytest.mark.slow
def test_cli_builds_a_bare_project_inside_it_and_from_elsewhere(bare_project, elsewhere,
                                                                 monkeypatch):
    runner = CliRunner()
    kit = Path("do/es/mini-2021-do-es.html")
    result = runner.invoke(main, ["build", "--project", str(bare_project), "--country", "DO",
                                  "--format", "html", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert (bare_project / "output" / kit).is_file()
    assert (bare_project / "output" / kit.with_suffix(".pdf")).read_bytes()[:5] == b"%PDF-"
    assert not (elsewhere / "output").exists()

    monkeypatch.chdir(bare_project)
    shutil.rmtree(bare_project / "output")
    inside = runner.invoke(main, ["build", "--country", "DO", "--format", "html"])
    assert inside.exit_code == 0, inside.output
    html = (bare_project / "output" / kit).read_text(encoding="utf-8")
    assert "--brand: #0f4c81" in html  # the shipped style


@pytest.mark.slow
def test_a_project_with_its_own_layouts_is_built_with_them(bare_project, elsewhere):
    shutil.copytree(ROOT / "layouts", bare_project / "layouts")
    css = bare_project / "layouts" / "styles" / "kit.css"
    css.write_text(css.read_text(encoding="utf-8").replace("--brand: #0f4c81",
                                                           "--brand: #7a1f5c"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(bare_project), "-v",
                                       "--country", "DO", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert f"layouts:  {bare_project.resolve() / 'layouts'}\n" in result.output
    assert f"locales:  {ROOT / 'locales'} (shipped)" in result.output
    html = (bare_project / "output" / "do/es/mini-2021-do-es.html").read_text(encoding="utf-8")
    assert "--brand: #7a1f5c" in html and "#0f4c81" not in html


@pytest.mark.slow
def test_a_built_wheel_carries_the_shipped_layouts(bare_project, tmp_path):
    """`pip install .` (not editable): no source tree beside the package, and still a bare
    project checks, with the layouts and locales the wheel carries."""
    import os
    import subprocess
    import sys

    source, wheels, target = tmp_path / "source", tmp_path / "wheels", tmp_path / "site"
    source.mkdir()  # a copy: building leaves build/ and *.egg-info behind
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("src", "layouts", "locales"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # With the environment's setuptools (the test extras), not one pip would download.
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                            "--no-build-isolation", "--no-index", "-w", str(wheels),
                            str(source)], capture_output=True, text=True, timeout=300,
                           cwd=tmp_path)
    if built.returncode != 0:
        message = f"cannot build a wheel here: {built.stderr[-500:]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    wheel = next(wheels.glob("kitbuilder-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    assert (target / "kitbuilder" / "shipped" / "layouts" / "fonts").is_dir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", "import kitbuilder, kitbuilder.project as p; "
                           "print(kitbuilder.__file__); print(p.shipped_dir('layouts'))"],
                          env=env, capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.splitlines() == [str(target / "kitbuilder" / "__init__.py"),
                                        str(target / "kitbuilder" / "shipped" / "layouts")]
    check = subprocess.run([sys.executable, "-m", "kitbuilder.cli", "check", "-v", "--project",
                            str(bare_project)], env=env, capture_output=True, text=True,
                           cwd=tmp_path, timeout=120)
    assert check.returncode == 0, check.stderr
    assert f"layouts:  {target / 'kitbuilder' / 'shipped' / 'layouts'} (shipped)" in check.stderr
