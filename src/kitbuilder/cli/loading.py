"""The content, loaded for a command that needs the whole project (status, translations)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..content.loader import load_project
from ..errors import Problems
from .terminal import print_problems


def load_project_or_exit(content: Path):

    problems = Problems()
    project = load_project(content, problems)
    if project is None or problems.errors:
        print_problems(problems.errors)
        click.secho("The content cannot be loaded; fix the errors above (kitbuilder check).",
                    fg="red", err=True)
        sys.exit(1)
    return project
