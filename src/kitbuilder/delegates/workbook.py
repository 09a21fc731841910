"""An XLSX registrations file, read with bounded work and memory whatever it holds.

An XLSX is a zip of XML: a few MB on disk can expand to gigabytes (a sheet of millions of
cells, a shared string of a billion characters), and openpyxl reads every shared string
before the first row. So the zip's own directory is checked before any parsing: the number
of members, each member's uncompressed size and their sum (zipfile never inflates a member
past the size its directory declares, so the declared sizes bound the work). Then rows are
read with a fixed width: a row with a value beyond MAX_COLUMNS, or a sheet reaching past
MAX_ROWS, is refused at that row.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import Problems

MAX_COLUMNS = 200  # an events system's export with every custom field stays far below
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # the workbook's XML, all members together
MAX_MEMBERS = 1_000  # a workbook has a few dozen parts
_EOCD = b"PK\x05\x06"


def _members_declared(path: Path) -> int | None:
    """The member count the zip's end record declares, read before zipfile builds its
    directory (a directory of a million members would be read whole); None: not a zip."""
    with path.open("rb") as file:
        file.seek(0, 2)
        size = file.tell()
        tail = min(size, 22 + 65535)
        file.seek(size - tail)
        data = file.read(tail)
    at = data.rfind(_EOCD)
    if at < 0 or len(data) - at < 22:
        return None
    return struct.unpack("<H", data[at + 10:at + 12])[0]


def check_zip(path: Path, problems: Problems) -> bool:
    """Whether the workbook's parts are few and small enough to be read at all."""
    import zipfile

    def refuse(message: str) -> bool:
        problems.error(path, 0, message)
        return False

    members = _members_declared(path)
    if members is None:
        return refuse("is not an .xlsx workbook (no zip directory); save it again as .xlsx "
                      "or export CSV (UTF-8)")
    if members > MAX_MEMBERS or members == 0xFFFF:
        return refuse(f"the workbook has {members:,} parts; a registrations workbook has a "
                      "few dozen: save the sheet again as .xlsx or export CSV (UTF-8)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return refuse(f"cannot read the workbook ({exc.__class__.__name__}); save it again "
                      "as .xlsx or export CSV (UTF-8)")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        largest = max(infos, key=lambda info: info.file_size)
        return refuse(f"the workbook expands to {total / 1024 / 1024:,.0f} MB of data "
                      f"({largest.filename}: {largest.file_size / 1024 / 1024:,.0f} MB); at "
                      f"most {MAX_UNCOMPRESSED // 1024 // 1024} MB is read: keep only the "
                      "registrations sheet, or export CSV (UTF-8) and split it by country")
    return True


def xlsx_rows(path: Path, problems: Problems, max_rows: int
              ) -> list[tuple[int, list[str]]] | None:
    """(row number, cells) of the first sheet's non-empty rows; None when refused."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        problems.error(path, 0, "reading .xlsx needs openpyxl (pip install openpyxl); or save "
                       "the sheet as CSV (UTF-8)")
        return None
    if not check_zip(path, problems):
        return None
    try:
        # read_only streams the rows; a formula stays its text ("=…"), never a computed value.
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file: say so, no traceback
        problems.error(path, 0, f"cannot read the workbook ({exc.__class__.__name__}); save it "
                       "again as .xlsx or export CSV (UTF-8)")
        return None
    try:
        return _rows(path, book.worksheets[0], problems, max_rows)
    except Exception as exc:  # noqa: BLE001 - a sheet's XML broken past its first rows
        problems.error(path, 0, f"cannot read the sheet ({exc.__class__.__name__}); save it "
                       "again as .xlsx or export CSV (UTF-8)")
        return None
    finally:
        book.close()


def _rows(path: Path, sheet, problems: Problems, max_rows: int
          ) -> list[tuple[int, list[str]]] | None:
    rows: list[tuple[int, list[str]]] = []
    # A fixed width: the sheet's own dimension (which may claim 16,384 columns) pads nothing.
    width = MAX_COLUMNS + 1
    for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
        if number > max_rows + 1:
            problems.error(path, number, f"the sheet reaches row {number:,}; a registrations "
                           f"file may hold at most {max_rows:,} people: delete the rows below "
                           "the data, or split the file by country")
            return None
        if not any(value is not None for value in values):
            continue
        if values[-1] is not None:
            problems.error(path, number, f"this row has values beyond column {MAX_COLUMNS}; "
                           "a registrations sheet has one column per field: delete the extra "
                           "columns")
            return None
        cells = ["" if v is None else str(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if any(cell.strip() for cell in cells):
            rows.append((number, cells))
    return rows
