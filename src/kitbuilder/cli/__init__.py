"""The command line: the Click group `main` and its commands, one module per command group.

The only part of kitbuilder that prints (terminal.py draws the build's events). COMMANDS
names each command's module as data; a command's module, with the machinery it imports at
its top, is loaded only when that command runs, so `kitbuilder --help` loads none of it."""

from __future__ import annotations

import importlib

import click

from .. import __version__

# name → (module:attribute, the line `kitbuilder --help` shows); listed by name, as Click does.
# tests/cli/test_cli.py checks each line against the command's own short help.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("new:new", "Start a new project that checks clean and builds at once."),
    "build": ("build:build", "Check the content, then write every kit."),
    "check": ("check:check", "Validate the content without building."),
    "serve": ("serve:serve", "Preview every kit in a browser, live as files are saved."),
    "clean": ("clean:clean", "Remove what kitbuilder wrote into the output folder."),
    "proof": ("clean:proof", "Write a PNG contact sheet per kit PDF."),
    "status": ("status:status", "Translation status per language and document."),
    "translations": ("translations:translations", "Translators' tools (see docs/translators.md)."),
    "mail": ("mail:mail", "Mail each recipient their country's kit."),
    "delegates": ("delegates:delegates",
                  "Registrations, letters, badges, list of participants, certificates."),
    "import": ("importing:import_group",
               "Make a project from content exported elsewhere (Plone)."),
}


def load_command(name: str) -> click.Command:
    module, attribute = COMMANDS[name][0].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


class LazyGroup(click.Group):
    """Click's lazily loading group (as in Click's documentation): a command is imported
    when it is invoked, or asked for its own help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return load_command(name) if name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Run `kitbuilder COMMAND --help` for a command's options and examples."
                    "\n\nA project is a folder with content/ and, optionally, its own layouts/ "
                    "and locales/ (kitbuilder's are used where it has none).")
@click.version_option(__version__, prog_name="kitbuilder")
def main() -> None:
    """Build workshop kits (PDF, DOCX, HTML) for every participating country."""
