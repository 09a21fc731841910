"""The command line: the Click group `main` and its commands, one module per command group.

The only part of kitbuilder that prints (terminal.py draws the build's events). A command
imports its machinery when it runs, so `kitbuilder --help` loads none of it."""

from __future__ import annotations

import click

from .. import __version__
from .build import build, check
from .clean import clean, proof
from .delegates import delegates
from .importing import import_group
from .mail import mail
from .new import new
from .serve import serve
from .status import status
from .translations import translations


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Run `kitbuilder COMMAND --help` for a command's options and examples."
                    "\n\nA project is a folder with content/ and, optionally, its own layouts/ "
                    "and locales/ (kitbuilder's are used where it has none).")
@click.version_option(__version__, prog_name="kitbuilder")
def main() -> None:
    """Build workshop kits (PDF, DOCX, HTML) for every participating country."""


for _command in (new, build, check, serve, clean, proof, status, translations, mail, delegates,
                 import_group):
    main.add_command(_command)
