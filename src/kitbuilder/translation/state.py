"""Recorded source hashes: ``content/<lang>/translation-state.yaml``.

For each translated block it records a short hash of the source-language text the
translation was made from. Written only by ``kitbuilder translations confirm``; git keeps it
like any content file (modification times are never used).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from ..content.loader import read_yaml
from ..errors import Problems

STATE_FILE = "translation-state.yaml"
HEADER = (
    "# Written by `kitbuilder translations confirm FILE...`; do not edit by hand.\n"
    "# blocks: for each translated block, a short hash of the source-language text it translates;\n"
    "# when that source text changes, the block is reported as stale by `kitbuilder status`.\n"
    "# texts: a short hash of the translated text itself, so the records follow a block when\n"
    "# paragraphs are inserted or deleted; sequence: the source's blocks, in order, then;\n"
    "# source_texts: the source text each block was confirmed against, to show what changed;\n"
    "# translations: each block's text as confirmed, so a corrected translation stays one;\n"
    "# same_as_source: source texts confirmed one by one as staying the same (a name).\n"
)


def state_path(content: Path, lang: str) -> Path:
    return Path(content) / lang / STATE_FILE


# While confirming many files at once (an import), each language's state is read once and
# written once: confirming file by file rewrote the whole file each time, which made importing
# 150 translated pages take minutes.
_batch: dict[Path, dict[str, dict]] | None = None


@contextmanager
def batched() -> Iterator[None]:
    """Within it, read_state/write_state work on memory; the files are written at its end."""
    global _batch
    if _batch is not None:
        yield
        return
    _batch = {}
    try:
        yield
        for path, state in _batch.items():
            _write(path, state)
    finally:
        _batch = None


def read_state(content: Path, lang: str) -> dict[str, dict]:
    """file name → {"source": lang, "blocks": {block id: source hash}, "texts": {block id:
    hash of the translated text}}; {} when there is none ("texts" may be absent: older files)."""
    path = state_path(content, lang)
    if _batch is not None and path.resolve() in _batch:
        return _batch[path.resolve()]
    if not path.is_file():
        return {}
    # Content folders are untrusted, this file too: the content loader's limits apply.
    data = read_yaml(path, Problems(), root=Path(content))
    if not isinstance(data, dict):
        return {}
    return {str(name): entry for name, entry in data.items()
            if isinstance(entry, dict) and isinstance(entry.get("blocks"), dict)}


def write_state(content: Path, lang: str, state: dict[str, dict]) -> Path:
    path = state_path(content, lang)
    if _batch is not None:
        _batch[path.resolve()] = state
        return path
    _write(path, state)
    return path


def _write(path: Path, state: dict[str, dict]) -> None:
    ordered = {}
    for name, entry in sorted(state.items()):
        ordered[name] = {"source": entry["source"], "blocks": dict(entry["blocks"])}
        if entry.get("texts"):
            ordered[name]["texts"] = dict(entry["texts"])
        if entry.get("source_texts"):
            ordered[name]["source_texts"] = dict(entry["source_texts"])
        if entry.get("translations"):
            ordered[name]["translations"] = dict(entry["translations"])
        if entry.get("same_as_source") is not None:  # [] too: see translation/align.py
            ordered[name]["same_as_source"] = list(entry["same_as_source"])
        if entry.get("sequence"):
            ordered[name]["sequence"] = list(entry["sequence"])
    text = HEADER + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
