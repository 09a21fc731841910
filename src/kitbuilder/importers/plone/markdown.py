"""Clean HTML → Markdown with pandoc (the pypandoc-binary wheel's, run with --sandbox).

Starting pandoc costs more than converting a page, so pages are converted in batches: one
pandoc run reads many pages separated by a marker paragraph whose text nobody can guess, and
the Markdown is split at the markers again.
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections.abc import Iterable, Iterator

from ...render.pandoc_process import pandoc_path
from .html import NOTE_MARK

# Pandoc's Markdown, minus what kitbuilder's reader does not want: no raw HTML, no native
# divs/spans or attributes (they would carry Plone's ids and classes), straight quotes kept.
WRITER = ("markdown-raw_html-native_divs-native_spans-fenced_divs-bracketed_spans"
          "-header_attributes-link_attributes-inline_code_attributes-smart-raw_attribute"
          "-fenced_code_attributes")
BATCH_BYTES = 4 * 2**20
BATCH_PAGES = 200
TIMEOUT = 300  # seconds for one batch: a hostile page must not hang the import


class ConversionFailed(RuntimeError):
    pass


def with_footnotes(markdown: str) -> str:
    """The marker words html.py left for Word's footnotes → Markdown footnotes ([^1])."""
    if NOTE_MARK not in markdown:
        return markdown
    parts = re.split(rf"^{NOTE_MARK}def(\d+)y\s*$", markdown, flags=re.M)
    text, notes = parts[0], []
    for position in range(1, len(parts) - 1, 2):
        paragraphs = [p for p in parts[position + 1].strip().split("\n\n") if p.strip()]
        indented = "\n\n".join("    " + p.replace("\n", "\n    ") for p in paragraphs[1:])
        first = paragraphs[0] if paragraphs else ""
        notes.append(f"[^{parts[position]}]: {first}" + (f"\n\n{indented}" if indented else ""))
    text = re.sub(rf"{NOTE_MARK}x(\d+)y", r"[^\1]", text).rstrip()
    return text + ("\n\n" + "\n\n".join(notes) if notes else "") + "\n"


def _run(html: str) -> str:
    try:
        done = subprocess.run(
            [pandoc_path(), "--from=html", f"--to={WRITER}", "--wrap=none", "--sandbox"],
            input=html, capture_output=True, text=True, encoding="utf-8", check=False,
            timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(f"pandoc took longer than {TIMEOUT} s") from None
    if done.returncode != 0:
        raise ConversionFailed(f"pandoc failed ({done.stderr.strip()[:300]})")
    return done.stdout


def _convert_batch(batch: list[tuple[str, str]]) -> dict[str, str]:
    token = "KBSPLIT" + secrets.token_hex(8)
    joined = "".join(f"<p>{token}x{number}</p>\n{html}\n" for number, (_, html)
                     in enumerate(batch))
    markdown = _run(joined)
    pieces = re.split(rf"^{token}x(\d+)\s*$", markdown, flags=re.M)
    found: dict[str, str] = {}
    for position in range(1, len(pieces) - 1, 2):
        number = int(pieces[position])
        if 0 <= number < len(batch):
            found[batch[number][0]] = pieces[position + 1].strip() + "\n"
    if len(found) != len(batch):
        raise ConversionFailed("pandoc lost a page separator")
    return found


def _batches(pages: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    batch: list[tuple[str, str]] = []
    size = 0
    for key, html in pages:
        batch.append((key, html))
        size += len(html)
        if size >= BATCH_BYTES or len(batch) >= BATCH_PAGES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def to_markdown(pages: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str | None, str]]:
    """(key, Markdown or None, why it failed) for each (key, clean HTML) page."""
    for batch in _batches(pages):
        try:
            converted = _convert_batch(batch)
        except ConversionFailed:
            converted = {}
            for key, html in batch:  # find the page pandoc cannot read, convert the others
                try:
                    converted[key] = _convert_batch([(key, html)])[key]
                except ConversionFailed as exc:
                    yield key, None, str(exc)
        for key, _ in batch:
            if key in converted:
                yield key, converted[key], ""
