"""Proof sheets: every page of a kit's PDF as a thumbnail on one PNG, for review at a glance.

``pdftoppm`` (poppler) rasterises the pages; Pillow lays them out in a grid with the
page numbers underneath. Nothing here prints: the CLI reports what was written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from .errors import KitError, Problem
from .output import MANIFEST

COLUMNS = 6
DPI = 30
GAP = 12
LABEL = 16
BACKGROUND = (96, 104, 114)


@dataclass(frozen=True)
class ProofSheet:
    source: Path  # the kit's PDF
    sheet: Path  # the PNG written
    pages: int


def kit_pdfs(output: Path, countries: tuple[str, ...] = (), languages: tuple[str, ...] = ()
             ) -> list[Path]:
    """The kit PDFs a build left in ``output`` (from its manifest), filtered."""
    try:
        files = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise KitError([Problem(str(output / MANIFEST), 0, "error",
                                f"no build found ({exc.__class__.__name__}); run "
                                "`kitbuilder build` first")]) from None
    wanted_countries = {c.upper() for c in countries}
    pdfs = []
    for entry in files:
        if entry.get("format") != "pdf":
            continue
        if wanted_countries and entry.get("country", "").upper() not in wanted_countries:
            continue
        if languages and entry.get("language") not in languages:
            continue
        if (output / entry["path"]).is_file():
            pdfs.append(output / entry["path"])
    return sorted(pdfs)


def make_sheet(pdf: Path, target: Path, columns: int = COLUMNS, dpi: int = DPI) -> ProofSheet:
    """Rasterise every page of ``pdf`` and write them as one contact sheet to ``target``."""
    if not shutil.which("pdftoppm"):
        raise KitError("pdftoppm is not installed; run `make` (scripts/setup-system.sh "
                       "installs poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="kitbuilder-proof-") as scratch:
        result = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf),
                                 str(Path(scratch) / "page")], capture_output=True, text=True)
        if result.returncode != 0:
            raise KitError([Problem(str(pdf), 0, "error", "pdftoppm could not read the PDF: "
                                    + result.stderr.strip())])
        pages = [Image.open(p).convert("RGB") for p in sorted(Path(scratch).glob("page-*.png"),
                                                              key=_page_number)]
    if not pages:
        raise KitError([Problem(str(pdf), 0, "error", "the PDF has no pages")])
    cell_w = max(p.width for p in pages)
    cell_h = max(p.height for p in pages)
    columns = min(columns, len(pages))
    rows = -(-len(pages) // columns)
    sheet = Image.new("RGB", (GAP + columns * (cell_w + GAP),
                              GAP + rows * (cell_h + LABEL + GAP)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for index, page in enumerate(pages):
        row, column = divmod(index, columns)
        x = GAP + column * (cell_w + GAP)
        y = GAP + row * (cell_h + LABEL + GAP)
        sheet.paste(page, (x, y))
        draw.text((x, y + cell_h + 2), str(index + 1), fill=(255, 255, 255))
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(target, optimize=True)
    return ProofSheet(pdf, target, len(pages))


def _page_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def proof(output: Path, countries: tuple[str, ...] = (), languages: tuple[str, ...] = ()
          ) -> list[ProofSheet]:
    """One sheet per kit PDF under ``output/proof/``, named after the PDF."""
    pdfs = kit_pdfs(output, countries, languages)
    if not pdfs:
        raise KitError([Problem(str(output / MANIFEST), 0, "error",
                                "no kit PDF matches; build the kits (with --format pdf) first")])
    folder = output / "proof"
    return [make_sheet(pdf, folder / (pdf.stem + ".png")) for pdf in pdfs]
