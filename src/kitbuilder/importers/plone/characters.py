"""Characters the kit's fonts cannot draw (an emoji in a page) are taken out of imported text,
each reported: `kitbuilder check` refuses them, and the import must give a project it accepts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ...project import shipped_dir
from ...quality.glyphs import font_files, supported_characters


class Characters:
    def __init__(self, project_root: Path):
        own = project_root / "layouts"
        layouts = own if (own / "fonts").is_dir() else shipped_dir("layouts")
        self.supported = supported_characters(font_files(layouts))

    def clean(self, text: str) -> tuple[str, list[str]]:
        """The text without the characters no font has, and those characters."""
        if not self.supported:
            return text, []
        missing = {c for c in set(text) if ord(c) not in self.supported
                   and unicodedata.category(c) != "Cc"}
        if not missing:
            return text, []
        return "".join(c for c in text if c not in missing), sorted(missing)
