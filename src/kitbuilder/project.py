"""Where a project's files are: a project is a folder with ``content/`` and, optionally, its own
``layouts/`` and ``locales/`` (the ones shipped with kitbuilder are used where it has none).

Nothing here looks at the working folder except to resolve what the user typed: the project is
``--project DIR`` (the CLI passes the working folder when it is not given), and the shipped
layouts and locales are found from the installed package, so ``kitbuilder build`` gives the same
kits wherever it is run from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import kitbuilder

from .errors import KitError, Problem


def shipped_dir(name: str) -> Path:
    """kitbuilder's own ``layouts/`` or ``locales/``, found from the package, never the cwd.

    The repository's top-level folders are the only copy anyone edits (the repository root is
    itself the shipped project). A built kitbuilder (a wheel, ``pip install .``) carries a copy
    inside the package, ``kitbuilder/shipped/``, made by setup.py at build time: no symlink, and
    nothing to keep in step by hand. A source checkout or an editable install (``pip install
    -e .``, the Makefile's) has no such copy and reads the folders beside ``src/``, two levels
    above this package. Where neither is found this fails and says what to do, rather than fall
    back on whatever ``layouts/`` the working folder happens to hold.
    """
    package = Path(kitbuilder.__file__).resolve().parent
    candidates = (package / "shipped" / name, package.parent.parent / name)
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise KitError([Problem(name, 0, "error",
                            f"this project has no {name}/ folder and kitbuilder's shipped one "
                            f"was not found (looked in {candidates[0]} and {candidates[1]}); "
                            "copy layouts/ and locales/ from the kitbuilder repository into the "
                            "project, or reinstall kitbuilder (`pip install .` or "
                            "`pip install -e .` from a checkout)")])


# A project's layouts/ is a full set of layouts only when it has the kit's template; a
# layouts/ holding just brand/ (what `kitbuilder new` writes) re-brands the shipped layouts.
COMPLETE = {"layouts": "kit.html.j2"}


def own_or_shipped(name: str, *candidates: Path) -> tuple[Path, bool]:
    """The first candidate folder that exists (and, for layouts, is complete), else the shipped
    one; and whether it is shipped."""
    for folder in candidates:
        if folder.is_dir() and (name not in COMPLETE or (folder / COMPLETE[name]).is_file()):
            return folder.resolve(), False
    return shipped_dir(name), True


def brand_dir(layouts: Path, *candidates: Path) -> Path:
    """The emblem's folder: a project's own ``layouts/brand/``, else the layouts' own."""
    for folder in candidates:
        if (folder / "brand" / "emblem.svg").is_file():
            return folder.resolve() / "brand"
    return layouts / "brand"


@dataclass(frozen=True)
class ProjectPaths:
    """The folders one command works on, resolved once (absolute paths)."""

    root: Path
    content: Path
    output: Path
    layouts: Path
    locales: Path
    shipped_layouts: bool = False
    shipped_locales: bool = False
    brand: Path | None = None

    @classmethod
    def find(cls, project: Path, content: Path | None = None,
             output: Path | None = None) -> ProjectPaths:
        """``project``: the project folder; ``content``/``output``: overrides (relative to the
        working folder, as typed). Raises KitError when there is no content to work on."""
        root = Path(project).resolve()
        if not root.is_dir():
            raise KitError([Problem("--project", 0, "error",
                                    f"{project} is not a folder; give the folder that holds "
                                    "the project's content/")])
        content_dir = Path(content).resolve() if content is not None else root / "content"
        if not content_dir.is_dir():
            where = ("--content", f"{content} is not a folder") if content is not None else (
                "--project", f"{project} has no content/ folder: run kitbuilder in a project "
                "folder, or pass --project DIR (or --content DIR)")
            raise KitError([Problem(where[0], 0, "error", where[1])])
        # A --content elsewhere brings the layouts/locales that sit beside it (a copied project
        # built from outside it); otherwise the project's own; otherwise kitbuilder's.
        layouts, shipped_layouts = own_or_shipped(
            "layouts", content_dir.parent / "layouts", root / "layouts")
        locales, shipped_locales = own_or_shipped(
            "locales", content_dir.parent / "locales", root / "locales")
        output_dir = Path(output).resolve() if output is not None else root / "output"
        brand = brand_dir(layouts, content_dir.parent / "layouts", root / "layouts")
        return cls(root, content_dir, output_dir, layouts, locales, shipped_layouts,
                   shipped_locales, brand)

    def describe(self) -> list[tuple[str, str]]:
        """(name, where) for each folder, for a verbose run."""
        return [("project", str(self.root)), ("content", str(self.content)),
                ("layouts", f"{self.layouts}{' (shipped)' if self.shipped_layouts else ''}"),
                ("locales", f"{self.locales}{' (shipped)' if self.shipped_locales else ''}"),
                ("output", str(self.output))]
