"""Opening content files, which are untrusted: one place decides what may be read.

Every text a kit is made of goes through ``read_text``: it refuses links that lead out of the
project (the outside file is never opened), files over ``MAX_TEXT_BYTES`` (before reading
them), and bytes that are not UTF-8 (with the line of the first bad byte). A UTF-8 byte order
mark, which Windows editors write, is dropped.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Problems

# Far above any real content file (the shipped concept note is 6 kB), far below what could
# exhaust memory or make a render take minutes. Documented in README ("Editing content").
MAX_TEXT_BYTES = 5 * 1024 * 1024
BOM = "\ufeff"


def link_outside(path: Path, root: Path) -> Path | None:
    """The link along ``path`` (a file or folder below ``root``) that resolves outside
    ``root``, or None when everything it goes through stays inside."""
    path, root = Path(path), Path(root)
    inside = root.resolve()
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None if path.resolve().is_relative_to(inside) else path
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink() and not current.resolve().is_relative_to(inside):
            return current
    # No link leaves, yet ".." may: the path itself is then what leads outside.
    return None if ".." not in parts or path.resolve().is_relative_to(inside) else path


def refuse_link(link: Path, problems: Problems) -> None:
    if not link.is_symlink():
        problems.error(link, 0, "leads outside the project (through '..'); content is read only "
                       "from inside the project folder")
        return
    problems.error(link, 0, f"is a link to {os.readlink(link)}, outside the project; content is "
                   "read only from inside the project folder: copy the file (or folder) in "
                   "instead")


def too_big(path: Path, size: int, problems: Problems) -> None:
    problems.error(path, 0, f"is {size / 1024 / 1024:.1f} MB; content files may be at most "
                   f"{MAX_TEXT_BYTES // 1024 // 1024} MB: split it, or link large material "
                   "instead of pasting it")


def decode(path: Path, data: bytes, problems: Problems, first_line: int = 1) -> str | None:
    """UTF-8 text without a leading byte order mark; None (reported, with the line of the
    first bad byte) when it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + first_line
        problems.error(path, line, f"not UTF-8 text: byte 0x{data[exc.start]:02X} on this line "
                       f"({exc.reason}); save the file as UTF-8")
        return None
    return text.removeprefix(BOM)


def read_bytes(path: Path, problems: Problems, root: Path | None = None,
               limit: int = MAX_TEXT_BYTES) -> bytes | None:
    """The file's bytes, or None after recording why it may not or cannot be read."""
    path = Path(path)
    if root is not None:
        link = link_outside(path, Path(root))
        if link is not None:
            refuse_link(link, problems)
            return None
    try:
        size = path.stat().st_size
        if size > limit:
            too_big(path, size, problems)
            return None
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        problems.error(path, 0, f"cannot read the file ({exc.strerror or exc})")
        return None
    if len(data) > limit:  # it grew after the size check
        too_big(path, len(data), problems)
        return None
    return data


def read_text(path: Path, problems: Problems, root: Path | None = None) -> str | None:
    """A content file's text; None when refused or unreadable (the reason is recorded).

    ``root`` is the folder the file must stay inside, links included; None reads files the
    user named on the command line (recipients.yaml), which may be anywhere.
    """
    data = read_bytes(path, problems, root)
    return None if data is None else decode(Path(path), data, problems)
