"""Which fonts a kit is set in, and which characters they can draw.

Three kinds of font:
- the main faces, ``layouts/fonts/*.ttf``: every style of them must have a character, because
  any text may be set in any style (bold, serif …);
- the fallback faces, ``layouts/fonts/fallback/*.ttf`` (one script each: Arabic …): a character
  one of them has is drawn in that face whatever the style asks;
- the system faces, too large to keep in the repository (CJK: tens of MB), from the operating
  system's packages that scripts/setup-system.sh installs, found by their path; the stylesheets
  name their families and fontconfig finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
FALLBACK_FOLDER = "fallback"


@dataclass(frozen=True)
class SystemFont:
    path: Path
    package: str       # the Debian package that installs it
    languages: tuple[str, ...]  # the kits' languages written in it


_CJK = Path("/usr/share/fonts/opentype/noto")
# Noto Sans CJK only: the stylesheets set Chinese headings in its bold, not in a serif face.
SYSTEM_FONTS = tuple(
    SystemFont(_CJK / f"NotoSansCJK-{weight}.ttc", "fonts-noto-cjk", ("zh", "ja", "ko"))
    for weight in ("Regular", "Bold"))


def main_fonts(layouts: Path) -> list[Path]:
    folder = layouts / "fonts"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def fallback_fonts(layouts: Path) -> list[Path]:
    folder = layouts / "fonts" / FALLBACK_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def system_fonts_for(languages) -> list[SystemFont]:
    """The system fonts that kits in ``languages`` need."""
    wanted = {lang.split("-")[0].lower() for lang in languages}
    return [font for font in SYSTEM_FONTS if wanted & set(font.languages)]


def missing_system_fonts(languages) -> list[SystemFont]:
    return [font for font in system_fonts_for(languages) if not font.path.is_file()]


@lru_cache(maxsize=64)
def _cmap(path: str, mtime_ns: int, size: int) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith(".ttc"):
        # The faces of a collection share their glyphs (the CJK regions): the first says it.
        collection = TTCollection(path, lazy=True)
        try:
            return frozenset(collection.fonts[0].getBestCmap() or {})
        finally:
            collection.close()
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def cmap(font: Path) -> frozenset[int]:
    stat = font.stat()
    return _cmap(str(font), stat.st_mtime_ns, stat.st_size)


class Coverage:
    """The code points a kit can draw. The system faces' maps (CJK: tens of MB to read) are
    read only when a character is in no shipped face, so a project in Latin, Cyrillic or
    Arabic never pays for them."""

    def __init__(self, shipped: frozenset[int], extra: frozenset[int] = frozenset()) -> None:
        self._shipped = shipped | extra if extra else shipped
        self._system: frozenset[int] | None = None

    def __contains__(self, code: object) -> bool:
        if code in self._shipped:
            return True
        if self._system is None:
            self._system = _union(tuple(_identity(font.path) for font in SYSTEM_FONTS
                                        if font.path.is_file()))
        return code in self._system

    def __or__(self, codes: frozenset[int]) -> Coverage:
        widened = Coverage(self._shipped, codes)
        widened._system = self._system
        return widened


def coverage(layouts: Path) -> Coverage:
    """Code points a kit can draw: in every main face, or in a fallback or an installed system
    face (the stylesheets name them after the main faces). No main face: nothing."""
    mains = tuple(_identity(font) for font in main_fonts(layouts))
    extra = tuple(_identity(font) for font in fallback_fonts(layouts))
    return Coverage(_coverage(mains, extra))


def _identity(font: Path) -> tuple[str, int, int]:
    stat = font.stat()
    return str(font), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _coverage(mains: tuple, extra: tuple) -> frozenset[int]:
    # Cached: a process that checks again (the preview server, the tests) asks for the same
    # fonts each time.
    if not mains:
        return frozenset()
    return frozenset.intersection(*(_cmap(*m) for m in mains)).union(
        *(_cmap(*e) for e in extra))


@lru_cache(maxsize=4)
def _union(fonts: tuple) -> frozenset[int]:
    # With a CJK face, tens of thousands of code points: made once per process.
    return frozenset().union(*(_cmap(*font) for font in fonts))


def system_font_for(char: str) -> SystemFont | None:
    """The system font (installed or not) that would draw ``char``: for the advice to install it."""
    if _is_cjk(ord(char)):
        return SYSTEM_FONTS[0]
    return None


def _is_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in _CJK_RANGES)


_CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F),
               (0x3130, 0x318F), (0x31A0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
               (0x20000, 0x2FA1F))


@lru_cache(maxsize=1)
def cjk_code_points() -> frozenset[int]:
    return frozenset(code for low, high in _CJK_RANGES for code in range(low, high + 1))
