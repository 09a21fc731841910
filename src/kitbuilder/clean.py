"""`kitbuilder clean`: remove what kitbuilder wrote into an output folder, and nothing else.

What kitbuilder wrote is known, never guessed from file names alone: the kits and zips listed
in the state file (``.kitbuilder-state.json``) and the manifest, the manifest and the state
themselves, the proof sheets (``proof/*.png``, `kitbuilder proof`), the dry-run messages
(``mail/outbox/*.eml``, `kitbuilder mail`) and a killed build's ``.staging-*`` folders.

Records are never removed (``RECORDS``): the register that verifies certificates, the letters'
issue record (each letter's reference and date of issue) and the mail ledger. Rebuilding must
give the same codes, references and dates, and nobody may be mailed twice; a clean that
forgot them would make the next build issue new ones. Any other file stays and is listed.

A folder with neither a state file nor a manifest does not look like kitbuilder's output:
it is refused unless ``force``, so a mistyped ``--output ~`` wipes nothing. One that holds
nothing kitbuilder would remove (the folder a clean has just emptied, or one holding only
what clean keeps) is simply clean: there is nothing to refuse.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .engine.artifact import inside, prune_empty, remove_files
from .errors import KitError, Problem, display_path
from .incremental import STATE, State
from .lifecycle import LOCK, exclusive
from .output import MANIFEST, read_manifest

MAIL_OUTBOX = "mail/outbox"
PROOF = "proof"
# Every record clean keeps, relative to the output folder (the one list: docs and the CLI
# name these). The ledger lives beside the recipients file by default, here when asked.
RECORDS = ("delegates/certificates.csv", "delegates/letters-issued.csv", "mail-ledger.jsonl",
           "mail/ledger.jsonl")


@dataclass
class Cleaned:
    removed: list[str] = field(default_factory=list)  # relative to the output folder
    kept: list[str] = field(default_factory=list)  # files kitbuilder did not write
    records: list[str] = field(default_factory=list)  # RECORDS found, always kept


def looks_like_output(output: Path) -> bool:
    return (output / STATE).is_file() or (output / MANIFEST).is_file() or \
        (output / "delegates" / ".state.json").is_file()


def written_by_kitbuilder(output: Path) -> list[str]:
    """Every file in ``output`` that kitbuilder wrote, relative; the state and manifest last,
    so an interrupted clean can be run again."""
    state = State.read(output)
    listed = [*state.artifacts, *(entry["path"] for entry in state.packages.values())]
    listed += [entry.get("path", "") for entry in read_manifest(output)
               if isinstance(entry, dict)]
    listed += [p.relative_to(output).as_posix() for p in (output / PROOF).glob("*.png")]
    listed += [p.relative_to(output).as_posix() for p in (output / MAIL_OUTBOX).glob("*.eml")]
    listed += delegates_files(output)
    return [*dict.fromkeys(p for p in listed if isinstance(p, str) and p
                           and p not in RECORDS), MANIFEST, STATE]


def delegates_files(output: Path) -> list[str]:
    """`kitbuilder delegates build`'s files (personal data): those its state lists and the
    state itself, last (the records stay, ``RECORDS``)."""
    state = output / "delegates" / ".state.json"
    try:
        files = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        files = {}
    if isinstance(files, dict) and isinstance(files.get("artifacts"), dict):
        files = files["artifacts"]  # engine/state.py's shape; before it, path → key
    listed = [name for name in files if isinstance(name, str)] if isinstance(files, dict) \
        else []
    # .stamp.json: an older kitbuilder's, now part of the state
    return [*listed, "delegates/.stamp.json", "delegates/.state.json"]


def clean(output: Path, force: bool = False, lock_wait: float = 10.0) -> Cleaned:
    output = Path(output).resolve()
    if not output.is_dir():
        return Cleaned()
    if not force and not looks_like_output(output) and not anything_to_remove(output):
        return _kept(Cleaned(), output)  # nothing to clean, e.g. cleaned already
    if not force and not looks_like_output(output):
        raise KitError([Problem("--output", 0, "error", (
            f"{display_path(output)} does not look like kitbuilder's output (it has no "
            f"{MANIFEST} and no {STATE}); nothing was removed. Check the folder, or pass "
            "--force to remove only the files kitbuilder names (proof sheets, dry-run mail, "
            "staging folders)"))])
    with exclusive(output, lock_wait):  # never while a build writes here
        result = Cleaned(removed=remove_files(output, written_by_kitbuilder(output)))
        for folder in output.glob(".staging-*"):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
                result.removed.append(folder.name + "/")
        for name in (MAIL_OUTBOX, PROOF, "mail"):
            folder = inside(output, name)
            if folder is not None and folder.is_dir():
                prune_empty(output, folder)
    return _kept(result, output)


def _kept(result: Cleaned, output: Path) -> Cleaned:
    found = kept_files(output)
    result.records = [p for p in found if p in RECORDS]
    result.kept = [p for p in found if p not in RECORDS]
    return result


def kept_files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*")
                  if not p.is_dir() and p.name != LOCK)


def anything_to_remove(output: Path) -> bool:
    """Whether ``clean`` would remove anything here: a file it names, or a staging folder."""
    named = (inside(output, relative) for relative in written_by_kitbuilder(output))
    return any(path is not None and (path.is_file() or path.is_symlink()) for path in named) \
        or any(output.glob(".staging-*"))
