import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kitbuilder.cli import COMMANDS as REGISTERED
from kitbuilder.cli import load_command, main


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("args", [[], ["build"], ["check"]])
def test_help_everywhere(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_check_shipped_content_passes_with_warnings(runner, root):
    result = runner.invoke(main, ["check", "--content", str(root / "content")])
    assert result.exit_code == 0, result.output
    assert "overlaps" in result.output and "Content is valid (6 warning(s))" in result.output
    # the seed's "(ILO, 2021)" has no reference (content/corrections.md): warned, in both
    assert result.output.count("reads as a citation but is plain text") == 2


def test_check_broken_content_exits_1_without_traceback(runner, root):
    result = runner.invoke(main, ["check", "--content", "tests/projects/broken/content"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(lines) == 10
    assert all(line.startswith("tests/projects/broken/content/") for line in lines)
    assert "10 error(s)" in result.output


def test_build_broken_content_fails_and_writes_nothing(runner, tmp_path):
    output = tmp_path / "out"
    result = runner.invoke(main, ["build", "--content", "tests/projects/broken/content",
                                  "--output", str(output)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not output.exists() or not any(output.iterdir())


def test_unknown_country_is_a_usage_error(runner, root, tmp_path):
    result = runner.invoke(main, ["build", "--content", str(root / "content"), "--country", "FR",
                                  "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "'FR' is not a participating country" in result.output


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(main, ["build", "--format", "odt"])
    assert result.exit_code == 2


def test_build_py_is_the_build_command(root):
    result = subprocess.run([sys.executable, str(root / "build.py"), "--help"],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0
    assert "--country CODE" in result.stdout and "--format" in result.stdout


@pytest.mark.slow
def test_build_one_country_html_with_progress_and_summary(runner, root, tmp_path):
    result = runner.invoke(main, ["build", "--content", "tests/projects/minimal/content",
                                  "--output", str(tmp_path), "--country", "do",
                                  "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "[1/1] html do/es/mini-2021-do-es.html" in result.output
    assert "Built 1 files: 1 kits for 1 countries" in result.output
    assert (tmp_path / "do" / "es" / "mini-2021-do-es.html").is_file()
    assert not (tmp_path / "ca").exists()


# --- command-line conventions ---------------------------------------------------------------

COMMANDS = ["build", "check", "clean", "delegates", "mail", "new", "proof", "status",
            "translations"]


@pytest.mark.parametrize("width", [80, 50])
def test_command_list_is_never_truncated(runner, width):
    result = runner.invoke(main, ["--help"], terminal_width=width)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert not [line for line in lines[1:] if line.rstrip().endswith("...")], result.output
    listed = lines[lines.index("Commands:") + 1:]
    names = [line.split()[0] for line in listed if line.startswith("  ") and
             not line.startswith("   ")][:len(REGISTERED)]
    assert names == sorted(REGISTERED) and set(COMMANDS) <= set(names)


@pytest.mark.parametrize("name", sorted(REGISTERED))
def test_the_listed_help_is_the_commands_own(runner, name):
    command = load_command(name)
    assert command.name == name
    assert REGISTERED[name][1] == command.get_short_help_str(limit=200)
    result = runner.invoke(main, ["--help"], terminal_width=200)
    assert f"{name}  " in result.output and REGISTERED[name][1] in result.output


@pytest.mark.parametrize("args", [["build"], ["check"], ["clean"], ["mail"], ["proof"], ["status"],
                                  ["translations", "confirm"], ["delegates", "check"],
                                  ["delegates", "build"]])
def test_every_command_has_an_example_and_takes_project(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"kitbuilder {' '.join(args)}" in result.output
    assert "--project DIR" in result.output


def test_quiet_check_prints_only_the_final_line(runner, root):
    result = runner.invoke(main, ["check", "-q", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Content is valid (6 warning(s))."]


def test_verbose_check_shows_the_folders_and_the_time(runner, root):
    result = runner.invoke(main, ["check", "-v", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert f"layouts:  {root / 'layouts'}\n" in result.output  # the project's own
    assert f"content:  {root / 'content'}\n" in result.output
    assert "Checked in " in result.output


def test_quiet_and_verbose_together_is_a_usage_error(runner, root):
    result = runner.invoke(main, ["check", "-q", "-v", "--project", str(root)])
    assert result.exit_code == 2


def test_strict_check_fails_on_warnings(runner, root):
    result = runner.invoke(main, ["check", "--strict", "-q", "--project", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len([line for line in lines if ": warning: " in line]) == 6  # shown even with -q
    assert lines[-1].startswith("6 warning(s), treated as errors because of --strict")


def test_strict_build_fails_on_warnings_and_writes_nothing(runner, root, tmp_path):
    output = tmp_path / "out"
    result = runner.invoke(main, ["build", "--strict", "--project", str(root),
                                  "--output", str(output), "--format", "html"])
    assert result.exit_code == 1
    assert "overlaps" in result.output and "because of --strict" in result.output
    assert not output.exists() or not any(output.iterdir())


def test_usage_error_comes_before_any_content_warning(runner, root, tmp_path):
    """The shipped content has warnings; a bad --country is what the user must see first."""
    for strict in ([], ["--strict"]):
        result = runner.invoke(main, ["build", "--project", str(root), "--country", "FR",
                                      "--output", str(tmp_path), *strict])
        assert result.exit_code == 2
        assert result.output.splitlines()[0].startswith("--country: error: 'FR'")
        assert ": warning: " not in result.output


def test_commands_that_read_content_take_project(runner, project_copy, tmp_path,
                                                 monkeypatch):
    project = project_copy("minimal")
    monkeypatch.chdir(tmp_path)
    status = runner.invoke(main, ["status", "--project", str(project)])
    assert status.exit_code == 0, status.output
    assert status.output.splitlines()[0].split()[:2] == ["language", "document"]
    proof = runner.invoke(main, ["proof", "--project", str(project)])
    assert proof.exit_code == 1
    # Inside the working folder, so shown relative to it, as every other path of the run.
    assert "minimal/output/manifest.json: error: no build found" in proof.output.splitlines()[0]
    assert str(tmp_path) not in proof.output
    confirm = runner.invoke(main, ["translations", "confirm", "--project", str(project),
                                   str(project / "content/es/workshop.yaml")])
    assert confirm.exit_code == 0, confirm.output
    assert (project / "content/es/translation-state.yaml").is_file()


@pytest.mark.slow
def test_quiet_build_prints_only_the_final_line(runner, project_copy):
    project = project_copy("minimal")
    args = ["build", "-q", "--project", str(project), "--country", "DO", "--format", "html"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert len(first.output.splitlines()) == 1
    assert first.output.startswith("Built 1 files: 1 kits for 1 countries")
    # The Spanish agenda missing, one paragraph not translated (the rest is confirmed).
    assert "2 warning(s)" in first.output
    again = runner.invoke(main, args)
    assert again.output.startswith("No kit changed: all 1 files reused")
    assert len(again.output.splitlines()) == 1


@pytest.mark.slow
def test_verbose_build_shows_folders_and_timings(runner, project_copy):
    project = project_copy("minimal")
    result = runner.invoke(main, ["build", "-v", "--project", str(project), "--country", "DO",
                                  "--format", "html", "--format", "ics"])
    assert result.exit_code == 0, result.output
    assert f"output:   {project / 'output'}\n" in result.output
    assert "(shipped)" in result.output
    assert "Content loaded and checked in " in result.output
    assert "Render time per format (summed over workers): html " in result.output
    assert result.output.splitlines()[-1].startswith("Built 2 files")


@pytest.mark.slow
def test_warnings_while_writing_are_shown_and_fatal_under_strict(runner, root, tmp_path):
    """A package over its size budget is only known after the kits are written."""
    import shutil

    project = tmp_path / "example"
    shutil.copytree(root / "examples" / "hybrid-workshop", project)  # checks without warnings
    args = ["build", "--project", str(project), "--country", "CA", "--format", "ics",
            "--package-budget", "0.0001"]
    plain = runner.invoke(main, args)
    assert plain.exit_code == 0, plain.output
    late = [line for line in plain.output.splitlines() if ": warning: " in line]
    assert len(late) == 1 and "-ca-kit.zip: warning:" in late[0]
    strict = runner.invoke(main, [*args, "--force", "--strict", "-q"])
    assert strict.exit_code == 1, strict.output
    assert strict.output.splitlines()[0] == late[0]
    assert strict.output.splitlines()[-1].startswith("1 warning(s) while writing, treated as "
                                                     "errors because of --strict")


def test_kitbuilder_jobs_sets_the_default_and_a_bad_value_is_a_usage_error(runner, monkeypatch,
                                                                           tmp_path):
    from kitbuilder.settings import Settings

    monkeypatch.setenv("KITBUILDER_JOBS", "3")
    assert Settings().jobs == 3
    assert Settings(jobs=1).jobs == 1
    monkeypatch.delenv("KITBUILDER_JOBS")
    assert Settings().jobs == (os.cpu_count() or 1)
    for command in (["build"], ["delegates", "build"]):
        result = runner.invoke(main, [*command, "--project", str(tmp_path)],
                               env={"KITBUILDER_JOBS": "0"})
        assert result.exit_code == 2, result.output
        assert "Invalid value for '--jobs'" in result.output
        assert not (tmp_path / "output").exists()
