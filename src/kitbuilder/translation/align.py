"""Which translation block translates which source block.

Markdown block ids are positional (``s1.2``), so after a paragraph is inserted in or deleted
from the source, equal ids no longer mean "translation of". The alignment uses what
``kitbuilder translations confirm`` records per document: for each translation block the hash
of the source text it translates (``blocks``) and of its own text (``texts``, so records
follow blocks the translator moves), and the source's block hashes in order (``sequence``).
The recorded source order is compared with the current one (difflib.SequenceMatcher):

- equal                          → translated
- a source block, no counterpart → missing (kits show the source text, marked, in its place)
- a one-to-one replacement       → stale (the source text changed since)
- a recorded translation block whose source text is gone → obsolete (left out of the kits)
- translation blocks with no record are paired by id, as before (unconfirmed)
- a paired block whose text is still the source text, not confirmed as such against the
  current source → untranslated (a translator who starts from a copy of the source file):
  kits show it marked "Translation pending", like a missing one. A text that is rightly the
  same in both languages (a name, an acronym) is confirmed one block at a time
  (``translations confirm FILE:LINE``) and is then translated.

Where several source blocks became a different number of others, nobody can tell which
translates which: those source blocks are missing and the old translations obsolete, so a kit
never shows the translation of another paragraph. State files written before ``texts`` and
``sequence`` existed use the recorded blocks' order instead, and ids inside such a stretch.

YAML blocks are addressed by key path, which does not shift: they are paired by id, like the
front-matter ``title`` of a Markdown document.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .blocks import Block

PAIRED = ("translated", "stale", "unconfirmed", "untranslated")
NOT_SHOWN = ("missing", "untranslated")  # kits show the source text, marked, in their place


@dataclass(frozen=True)
class Row:
    """One line of an alignment, in document order."""

    source: Block | None  # None for a translation block with no source block
    own: Block | None  # None for a missing block
    state: str  # translated, stale, unconfirmed, untranslated, missing, obsolete or extra
    recorded: str | None = None  # source hash recorded for ``own``


def recorded_hashes(own: list[Block], sources: dict, texts: dict) -> list[str | None]:
    """For each translation block, the recorded hash of the source text it translates.

    ``sources``: block id → source hash; ``texts``: block id → hash of the translation text
    when it was confirmed (written since alignment exists; older state files lack it). A block
    is found by its own text first, so a translator inserting or deleting a paragraph in the
    translation does not shift the records; else by its id (the text was edited since).
    """
    by_text: dict[str, list[str]] = {}
    for block_id, text_hash in texts.items():
        if block_id in sources:
            by_text.setdefault(str(text_hash), []).append(block_id)
    current = {b.hash for b in own}
    found: list[str | None] = []
    for block in own:
        ids = by_text.get(block.hash)
        if ids:
            found.append(str(sources[block.id if block.id in ids else ids[0]]))
        elif block.id in sources and (block.id not in texts
                                      or str(texts[block.id]) not in current):
            found.append(str(sources[block.id]))
        else:
            found.append(None)
    return found


def _pair(source: Block, own: Block, recorded: str | None,
          same: frozenset[str] = frozenset()) -> Row:
    if own.text == source.text and (recorded != source.hash or own.id not in same):
        state = "untranslated"
    elif recorded is None:
        state = "unconfirmed"
    elif recorded == source.hash:
        state = "translated"
    else:
        state = "stale"
    return Row(source, own, state, recorded)


def _unpaired(own: Block, recorded: str | None) -> Row:
    return Row(None, own, "obsolete" if recorded is not None else "extra", recorded)


def align_by_id(source: list[Block], own: list[Block],
                recorded: list[str | None], same: frozenset[str] = frozenset()) -> list[Row]:
    mine = {b.id: (b, r) for b, r in zip(own, recorded, strict=True)}
    rows = []
    for block in source:
        if block.id in mine:
            rows.append(_pair(block, *mine.pop(block.id), same))
        else:
            rows.append(Row(block, None, "missing"))
    return rows + [_unpaired(b, r) for b, r in mine.values()]


def _source_moves(old: list[str], new: list[Block], by_id_hint: dict[int, str] | None
                  ) -> dict[int, tuple[int, bool]]:
    """Old source position → (current source position, text changed)."""
    moves: dict[int, tuple[int, bool]] = {}
    matcher = SequenceMatcher(None, old, [b.hash for b in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            moves.update((i1 + k, (j1 + k, False)) for k in range(i2 - i1))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            moves.update((i1 + k, (j1 + k, True)) for k in range(i2 - i1))
        elif tag == "replace" and by_id_hint is not None:
            # No record of the old source order (an older state file): the translation block
            # recorded at old position i keeps the source block with its id, as before.
            ids = {b.id: j for j, b in enumerate(new[j1:j2], j1)}
            taken = set()
            for i in range(i1, i2):
                j = ids.get(by_id_hint.get(i, ""))
                if j is not None and j not in taken:
                    taken.add(j)
                    moves[i] = (j, True)
        # Otherwise several source blocks became a different number of others: which one
        # a translation translates cannot be told; they are missing, the old ones obsolete.
    return moves


def align_sequence(source: list[Block], own: list[Block], recorded: list[str | None],
                   old: list[str] | None, same: frozenset[str] = frozenset()) -> list[Row]:
    """Rows for the body of a Markdown document (see the module docstring).

    ``old``: the source hashes, in order, when the translation was last confirmed (includes
    blocks that were missing then); None for older state files, whose order is then taken
    from the translation's recorded blocks.
    """
    hint: dict[int, str] | None = None
    if old is None:
        old = [r for r in recorded if r is not None]
        hint = {}
    # Each recorded translation block → its position in the old source, in order.
    at: dict[int, int] = {}  # own index → old index
    used: set[int] = set()
    start = 0
    for i, rec in enumerate(recorded):
        if rec is None:
            continue
        k = next((k for k in range(start, len(old)) if old[k] == rec and k not in used), None)
        if k is None:
            k = next((k for k in range(len(old)) if old[k] == rec and k not in used), None)
        if k is not None:
            at[i], start = k, k + 1
            used.add(k)
            if hint is not None:
                hint[k] = own[i].id
    moves = _source_moves(old, source, hint)
    pairs: dict[int, int] = {}  # source index → own index
    for i, k in at.items():
        if k in moves and moves[k][0] not in pairs:
            pairs[moves[k][0]] = i
    # Blocks with no record: paired by id, as before records existed.
    ids = {b.id: j for j, b in enumerate(source)}
    for i, rec in enumerate(recorded):
        j = ids.get(own[i].id)
        if rec is None and j is not None and j not in pairs:
            pairs[j] = i
    placed = {i: j for j, i in pairs.items()}
    keyed: list[tuple[tuple, Row]] = []
    for j, block in enumerate(source):
        i = pairs.get(j)
        row = (Row(block, None, "missing") if i is None
               else _pair(block, own[i], recorded[i], same))
        keyed.append(((j, 0, 0), row))
    after = -1  # unpaired translation blocks stay after the block that precedes them
    for i, block in enumerate(own):
        if i in placed:
            after = placed[i]
        else:
            keyed.append(((after, 1, i), _unpaired(block, recorded[i])))
    return [row for _, row in sorted(keyed, key=lambda item: item[0])]


def align(source: list[Block], own: list[Block], sources: dict, texts: dict,
          markdown: bool, sequence: list[str] | None = None,
          same: frozenset[str] | None = None) -> list[Row]:
    """Rows in document order: every source block once, every translation block once.

    ``same``: hashes of texts confirmed, one block at a time, as staying the same in the
    translation (a name); other blocks still in the source text are untranslated. None for
    a state file written before it existed: a Markdown block confirmed with its present text
    counts, and any YAML value (a name) confirmed then, as those files do not record texts."""
    recorded = recorded_hashes(own, sources, texts)
    if same is None:
        same = frozenset(b.id for b in own if (str(texts[b.id]) == b.hash if b.id in texts
                                                else not markdown))
    else:
        same = frozenset(b.id for b in own if b.hash in same)
    if not markdown:
        return align_by_id(source, own, recorded, same)
    title = [(b, r) for b, r in zip(own, recorded, strict=True) if b.id == "title"]
    body = [(b, r) for b, r in zip(own, recorded, strict=True) if b.id != "title"]
    rows = align_by_id([b for b in source if b.id == "title"], [b for b, _ in title],
                       [r for _, r in title], same)
    return rows + align_sequence([b for b in source if b.id != "title"],
                                 [b for b, _ in body], [r for _, r in body], sequence, same)
