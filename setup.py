"""Packaging hook: a built kitbuilder (a wheel, `pip install .`) carries its shipped layouts/
and locales/ inside the package, as kitbuilder/shipped/, so a project without its own finds
them where there is no source tree. The repository's top-level folders stay the only copy that
anyone edits; an editable install (`pip install -e .`, the Makefile's) reads them in place.
Everything else is declared in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("layouts", "locales")


class BuildWithShippedFolders(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            self.copy_tree(str(Path(__file__).parent / name),
                           str(Path(self.build_lib) / "kitbuilder" / "shipped" / name))


setup(cmdclass={"build_py": BuildWithShippedFolders})
