"""The kits' output formats: one writer class per format, one module each, behind one protocol.

A new format is one module with a class like these and one line in ``WRITERS``; the class is
imported the first time a kit needs it, so a build never loads a library for a format it
does not write.
"""

from __future__ import annotations

from contextlib import suppress
from importlib import import_module
from pathlib import Path
from typing import Protocol

from .kit import KitRender, Paths
from .templates import compile_templates

# format → "module:Class" (relative to kitbuilder.render), in the order the formats are listed.
WRITERS = {
    "pdf": "pdf:PdfWriter",
    "docx": "docx:DocxWriter",
    "html": "html:HtmlWriter",
    "ics": "ics:IcsWriter",
}


class Writer(Protocol):
    name: str  # the format, as on the command line (--format pdf)
    suffix: str  # of the file it writes (".pdf")

    def prepare(self, paths: Paths, editions: tuple[str, ...]) -> None:
        """Once per process, before its first kit: what every kit needs (its libraries
        imported, the PDF's fonts and shared stylesheets loaded)."""

    def write(self, kit: KitRender, path: Path, edition: str = "screen") -> None:
        """One kit's file at ``path``; ``edition``: the PDF's (screen, print, archive)."""

    def finish(self) -> None:
        """Once per process, after its last kit: stop what ``write`` left running."""


_MADE: dict[str, Writer] = {}


def writer(name: str) -> Writer:
    """The writer of format ``name``, made once per process."""
    if name not in _MADE:
        module, cls = WRITERS[name].split(":")
        _MADE[name] = getattr(import_module(f"{__package__}.{module}"), cls)()
    return _MADE[name]


def prepare(names: tuple[str, ...], paths: Paths, editions: tuple[str, ...]) -> None:
    """In a worker as it starts (and in the build's process when the kits render there): the
    writers of these formats made and prepared, while the build's process loads the content.
    Only an optimisation: whatever fails here fails again, with its message, in a kit."""
    with suppress(Exception):
        compile_templates(paths.layouts, paths.locales)
    for name in names:
        with suppress(Exception):
            writer(name).prepare(paths, editions)


def finish() -> None:
    """Every writer made in this process finishes (the end of a build run here)."""
    for made in _MADE.values():
        made.finish()
