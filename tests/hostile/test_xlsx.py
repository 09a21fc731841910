"""Issue 22: an XLSX registrations file of a few MB whose sheets expand to gigabytes, or whose
rows are thousands of cells wide, is refused with `FILE: error: …` in bounded CPU time and
memory (resource limits on a child process, never a clock)."""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.conftest import ROOT

CPU_SECONDS = 20  # a refusal costs well under one; parsing a bomb would cost minutes
MEMORY = 1024**3  # bytes of address space: a bomb expanded would need several times this
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"

_READ = r"""
import json, sys
from pathlib import Path
from kitbuilder.delegates.registrations import read_rows
from kitbuilder.errors import Problems
problems = Problems()
rows = read_rows(Path(sys.argv[1]), problems)
print(json.dumps({"rows": None if rows is None else len(rows),
                  "errors": [str(p) for p in problems.errors]}))
"""


def _limits() -> None:  # in the child, between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def read_bounded(path: Path) -> tuple[dict, float]:
    """read_rows in a child under the limits: (its result, the CPU seconds it used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", _READ, str(path)], capture_output=True,
                          text=True, preexec_fn=_limits, check=False,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert done.returncode == 0, f"the child was killed or failed: {done.stderr[-2000:]}"
    return json.loads(done.stdout), cpu


def workbook(tmp_path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "registrations.xlsx"
    book.save(path)
    return path


HEADER = ["given_name", "family_name", "country", "email"]


def replace_part(path: Path, name: str, chunks) -> None:
    """The workbook with part ``name`` written from ``chunks`` (streamed, never held)."""
    source = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as old, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for info in old.infolist():
            if info.filename == name:
                with new.open(name, "w", force_zip64=True) as part:
                    for chunk in chunks:
                        part.write(chunk)
            else:
                new.writestr(info, old.read(info))
        if name not in old.namelist():
            with new.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)


def wide_rows(count: int, cells: int):
    """A sheet of ``count`` rows, each ``cells`` cells wide, in 1 MB pieces."""
    yield (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
           b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
           b"<sheetData>")
    row = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * cells + b"</row>"
    per_chunk = max(1, 1024 * 1024 // len(row))
    for first in range(0, count, per_chunk):
        yield row * min(per_chunk, count - first)
    yield b"</sheetData></worksheet>"


@pytest.mark.slow
def test_a_sheet_that_expands_to_a_gigabyte_is_refused_before_parsing(tmp_path):
    path = workbook(tmp_path, [HEADER])
    replace_part(path, SHEET, wide_rows(1_000_000, 30))  # ~1.1 GB of XML
    assert path.stat().st_size < 20 * 1024 * 1024  # a few MB on disk
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).file_size > 1024**3
    result, cpu = read_bounded(path)
    assert result["rows"] is None
    [error] = result["errors"]
    assert error.startswith(f"{path}: error: the workbook expands to ")
    assert "at most 100 MB is read" in error and SHEET in error
    assert cpu < 5


@pytest.mark.slow
def test_a_huge_shared_string_is_refused_before_parsing(tmp_path):
    path = workbook(tmp_path, [HEADER, ["Ana", "García", "MX", "ana@example.org"]])

    def strings():
        yield (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
        for _ in range(400):
            yield b"A" * (1024 * 1024)
        yield b"</t></si></sst>"

    replace_part(path, STRINGS, strings())
    result, cpu = read_bounded(path)
    assert result["rows"] is None
    [error] = result["errors"]
    assert "the workbook expands to" in error and STRINGS in error
    assert cpu < 5


def test_a_row_thousands_of_cells_wide_is_refused_at_its_row(tmp_path):
    path = workbook(tmp_path, [HEADER])
    replace_part(path, SHEET, wide_rows(400, 5_000))  # under the size limit, 2 M cells
    result, cpu = read_bounded(path)
    assert result["rows"] is None
    assert result["errors"] == [f"{path}:1: error: this row has values beyond column 200; a "
                                "registrations sheet has one column per field: delete the "
                                "extra columns"]
    assert cpu < 10


def test_a_sheet_reaching_past_the_row_limit_is_refused(tmp_path):
    path = workbook(tmp_path, [HEADER])

    def far_row():
        yield (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
               b'<row r="1"><c r="A1" t="inlineStr"><is><t>given_name</t></is></c></row>'
               b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
               b"</sheetData></worksheet>")

    replace_part(path, SHEET, far_row())
    result, cpu = read_bounded(path)
    assert result["rows"] is None
    [error] = result["errors"]
    assert error.startswith(f"{path}:100002: error: the sheet reaches row 100,002")
    assert cpu < 10


def test_a_workbook_of_thousands_of_parts_is_refused_before_its_directory_is_read(tmp_path):
    path = tmp_path / "registrations.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(5_000):
            archive.writestr(f"part{index}.xml", b"")
    result, _ = read_bounded(path)
    assert result["errors"] == [f"{path}: error: the workbook has 5,000 parts; a "
                                "registrations workbook has a few dozen: save the sheet again "
                                "as .xlsx or export CSV (UTF-8)"]


def test_a_dimension_claiming_the_whole_sheet_pads_nothing(tmp_path):
    """A sheet whose <dimension> says A1:XFD1048576 but holds three rows reads as three."""
    path = workbook(tmp_path, [HEADER])

    def sheet():
        yield (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
               b"<sheetData>")
        for number, cells in enumerate([HEADER, ["Ana", "García", "MX", "a@example.org"],
                                        ["Tom", "Smith", "CA", "t@example.org"]], start=1):
            yield f'<row r="{number}">'.encode() + b"".join(
                f'<c t="inlineStr"><is><t>{c}</t></is></c>'.encode() for c in cells) + b"</row>"
        yield b"</sheetData></worksheet>"

    replace_part(path, SHEET, sheet())
    result, cpu = read_bounded(path)
    assert result == {"rows": 3, "errors": []}
    assert cpu < 10


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "registrations.xlsx"
    path.write_bytes(zlib.compress(b"given_name,family_name\n"))
    result, _ = read_bounded(path)
    assert result["errors"] == [f"{path}: error: is not an .xlsx workbook (no zip directory); "
                                "save it again as .xlsx or export CSV (UTF-8)"]
