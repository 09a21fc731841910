import subprocess
import sys

import pytest
from click.testing import CliRunner

from kitbuilder.cli import main


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
    assert "overlaps" in result.output and "Content is valid (4 warning(s))" in result.output


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
