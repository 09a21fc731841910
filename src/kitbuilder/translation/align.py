"""Which translation block translates which source block, and in what state it is.

Markdown block ids are positional (``s1.2``), so after a paragraph is inserted, deleted or
moved, equal ids no longer mean "translation of". What ``kitbuilder translations confirm``
records per document (translation/state.py) is used instead: for each translation block the
hash of the source text it was confirmed against (``blocks``) and of its own text then
(``texts``), both texts themselves (``source_texts``, ``translations``) and the source's
blocks in order then (``sequence``). A translation is paired with a source block:

1. by content: its text is the one confirmed, and the source text it was confirmed against
   is in the source now (wherever it moved); or its text is a source text itself (a copy).
   These pairs are the anchors;
2. between two anchors that keep their order on both sides (a gap), a translation whose
   confirmed source text was edited follows the source block most like that text (same
   language, same kind of block), or the block that took its place in the source order;
3. what is left in a gap is paired by structure only where structure cannot mislead: the
   same number of blocks of the same kinds (headings of the same level, paragraphs, list
   items, tables…), section by section, run by run.

A source block left over is **missing**; a translation block left over is **unpaired**: kept,
shown in kits flagged for review, and named with both files' lines by ``check``, never left
out. Nothing pairs by block number alone, so adding, removing or reordering paragraphs, items
or sections on either side never pairs a translation with another paragraph's source.

States of a paired block (``judge``):
- translated   its text is the one confirmed, against the source text there is now
- stale        its text is the one confirmed, against a source text that has changed since
- unconfirmed  no confirmed record for this text: freshly written, or changed since (a
               confirmed translation corrected or added to, against the same source text,
               stays translated)
- untranslated still a copy of the source text (now or as it was), not confirmed as rightly
               the same (a name), or a placeholder left to write ("TODO: …"): kits show
               the current source, marked pending

YAML values are addressed by key path, which does not shift: they are paired by id, like the
front-matter ``title``. Kits show a translation only when it is ``translated`` (or, flagged,
when it is unpaired); for every other source block they show the current source text marked
"Translation pending" (SHOWN, translation/fallback.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby

from ..placeholders import is_unwritten
from .blocks import Block

PAIRED = ("translated", "stale", "unconfirmed", "untranslated")
STATES = ("translated", "stale", "unconfirmed", "untranslated", "missing", "unpaired")
# What a translator is told, in four words (docs/translators.md): what the state asks of them.
CATEGORY = {"translated": "translated", "stale": "stale", "unconfirmed": "needs review",
            "unpaired": "needs review", "untranslated": "pending", "missing": "pending"}
SHOWN = ("translated",)  # paired states whose translation a kit shows
NOT_SHOWN = ("stale", "unconfirmed", "untranslated", "missing")  # kits show the source, marked
_MARKER = re.compile(r"^\s*(?:#{1,6}|[-*+]|\d{1,9}[.)]|>)\s+")
_NUMBERS = re.compile(r"\d+")
CORRECTION = 0.9  # how much of a confirmed translation a correction keeps
LIKE = 0.5  # how like its confirmed source text an edited source block must be to follow it


@dataclass(frozen=True)
class Record:
    """What the state file says about one translation block."""

    source: str  # the hash of the source text it was confirmed against
    exact: bool  # its text is the one confirmed (or the file records no texts: older)
    was: str | None = None  # that source text, when recorded
    mine: str | None = None  # the translation text confirmed then, when recorded


@dataclass(frozen=True)
class Row:
    """One line of an alignment, in document order."""

    source: Block | None  # None for an unpaired translation block
    own: Block | None  # None for a missing block
    state: str  # one of STATES
    record: Record | None = None  # what the state file says about ``own``

    @property
    def recorded(self) -> str | None:
        """The source hash recorded for ``own``."""
        return self.record.source if self.record is not None else None

    @property
    def category(self) -> str:
        return CATEGORY[self.state]


@dataclass(frozen=True)
class Entry:
    """A document's entry in the state file, as the alignment reads it."""

    sources: dict  # own block id → source hash
    texts: dict | None  # own block id → own text hash; None: an older file, without them
    source_texts: dict
    translations: dict  # own block id → the translation text confirmed
    sequence: list[str] | None  # the source's body hashes in order at the last confirm
    same: frozenset[str] | None  # source hashes confirmed as rightly the same; None: older
    # An older file, without ``same_as_source`` nor texts: YAML values it recorded were
    # confirmed one by one as the same, Markdown blocks never were.
    older_same: bool = False
    markdown: bool = False

    @classmethod
    def of(cls, entry: dict, markdown: bool = False) -> Entry:
        def mapping(key: str) -> dict | None:
            value = entry.get(key)
            return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) \
                else None

        sequence, same = entry.get("sequence"), entry.get("same_as_source")
        return cls(mapping("blocks") or {}, mapping("texts"), mapping("source_texts") or {},
                   mapping("translations") or {},
                   [str(h) for h in sequence] if isinstance(sequence, list) else None,
                   frozenset(str(h) for h in same) if isinstance(same, list) else None,
                   not markdown and mapping("texts") is None, markdown)


def records(own: list[Block], entry: Entry) -> list[Record | None]:
    """For each translation block, its record: found by its own text first (so records follow
    blocks a translator moves), else by its id when the text recorded there is gone (edited:
    not exact), else none."""
    if entry.texts is None:
        # An older state file: records by id only. Markdown ids are positions in a section,
        # so a section's records are taken as they are only while the translation has the
        # very blocks there it had then (else they are hints, like an edited text's).
        def section(block_id: str) -> str:
            return block_id.split(".")[0]

        now: dict[str, set[str]] = {}
        then: dict[str, set[str]] = {}
        for block in own:
            now.setdefault(section(block.id), set()).add(block.id)
        for block_id in entry.sources:
            then.setdefault(section(block_id), set()).add(block_id)
        return [Record(entry.sources[b.id], not entry.markdown or b.id == "title"
                       or now[section(b.id)] == then.get(section(b.id)),
                       entry.source_texts.get(b.id))
                if b.id in entry.sources else None for b in own]
    by_text: dict[str, list[str]] = {}
    for block_id, text_hash in entry.texts.items():
        if block_id in entry.sources:
            by_text.setdefault(text_hash, []).append(block_id)
    current = {h for b in own for h in b.hashes}
    found: list[Record | None] = []
    for block in own:
        ids = next((by_text[h] for h in block.hashes if h in by_text), None)
        if ids:
            rid = block.id if block.id in ids else ids[0]
            found.append(Record(entry.sources[rid], True, entry.source_texts.get(rid),
                                entry.translations.get(rid)))
        elif block.id in entry.sources and entry.texts.get(block.id) not in current:
            found.append(Record(entry.sources[block.id], False,
                                entry.source_texts.get(block.id),
                                entry.translations.get(block.id)))
        else:
            found.append(None)
    return found


def judge(source: Block, own: Block, record: Record | None, entry: Entry,
          copies: frozenset[str]) -> Row:
    """The state of a translation block paired with a source block (module docstring).
    ``copies``: hashes of source texts a copy of which is untranslated (the source now and as
    it was at the last confirm)."""
    recorded = record.source if record is not None else None
    if is_unwritten(own.raw):
        # A placeholder the scaffold wrote ("TODO: …") translates nothing, whatever a state
        # file says: kits show the source there, and `check` names the placeholder.
        return Row(source, own, "untranslated", record)
    if entry.same is not None:
        confirmed_same = any(h in entry.same for h in own.hashes)
    elif entry.texts is None:
        confirmed_same = entry.older_same and record is not None
    else:
        confirmed_same = record is not None and record.exact and recorded == own.hash
    if own.text == source.text:
        if source.neutral or (confirmed_same and recorded in source.hashes):
            return Row(source, own, "translated", record)
        return Row(source, own, "untranslated", record)
    if any(h in copies for h in own.hashes) and not own.neutral and not confirmed_same:
        return Row(source, own, "untranslated", record)  # a copy of an earlier source text
    if record is not None and not record.exact and recorded in source.hashes \
            and record.mine is not None and alike(record.mine, own.raw):
        # The translator corrected or added to their own confirmed text; the source is as
        # it was.
        return Row(source, own, "translated", record)
    if record is None or not record.exact:
        # No record, or the text changed since it was confirmed (into another text, or
        # against a source that changed too): only its translator can say whether it
        # translates this source (a block's id is positional, so the record found by id
        # may be another paragraph's).
        return Row(source, own, "unconfirmed", record)
    if recorded in source.hashes:
        return Row(source, own, "translated", record)
    return Row(source, own, "stale", record)


def align_by_id(source: list[Block], own: list[Block], found: list[Record | None],
                entry: Entry, copies: frozenset[str]) -> list[Row]:
    mine = {b.id: (b, r) for b, r in zip(own, found, strict=True)}
    rows = []
    for block in source:
        if block.id in mine:
            theirs, record = mine.pop(block.id)
            rows.append(judge(block, theirs, record, entry, copies))
        else:
            rows.append(Row(block, None, "missing"))
    return rows + [Row(None, b, "unpaired", r) for b, r in mine.values()]


def _anchors(source: list[Block], own: list[Block],
             found: list[Record | None]) -> dict[int, int]:
    """own index → source index, for translations whose confirmed source text is there, and
    for copies of a source text."""
    at: dict[str, list[int]] = {}
    for j, block in enumerate(source):
        for h in block.hashes:
            at.setdefault(h, []).append(j)
    pairs: dict[int, int] = {}

    def take(hashes) -> int | None:
        used = set(pairs.values())
        return next((j for h in hashes for j in at.get(h, ()) if j not in used), None)

    for i, record in enumerate(found):
        if record is not None and record.exact:
            j = take((record.source,))
            if j is not None:
                pairs[i] = j
    # A block that is the source text itself (a copy, a name) is paired with that text.
    for i, block in enumerate(own):
        j = None if i in pairs else take(block.hashes)
        if j is not None:
            pairs[i] = j
    return pairs


def _chain(pairs: dict[int, int]) -> list[tuple[int, int]]:
    """The longest run of pairs in the same order on both sides (the rest moved)."""
    items = sorted(pairs.items())
    best: list[list[tuple[int, int]]] = []
    for item in items:
        longest = max((run for run in best if run[-1][1] < item[1]), key=len, default=[])
        best.append([*longest, item])
    return max(best, key=len, default=[])


@dataclass(frozen=True)
class Gap:
    """What resolving the stretches between anchors needs (see the module docstring)."""

    source: list[Block]
    own: list[Block]
    found: list[Record | None]
    old: list[str] | None  # the source order at the last confirm (None: an older file)

    def resolve(self, js: list[int], is_: list[int]) -> dict[int, int]:
        """own index → source index where nothing can mislead: equal kinds one for one, else
        section by section (as many headings of the same levels on both sides), else the
        edited source texts followed (``edited``), then run by run (as many paragraphs in a
        run of paragraphs…)."""
        if not js or not is_:
            return {}
        kinds_s = [self.source[j].kind for j in js]
        kinds_o = [self.own[i].kind for i in is_]
        if kinds_s == kinds_o:
            return dict(zip(is_, js, strict=True))
        heads_s = [k for k, kind in enumerate(kinds_s) if kind.startswith("h")]
        heads_o = [k for k, kind in enumerate(kinds_o) if kind.startswith("h")]
        if heads_s and [kinds_s[k] for k in heads_s] == [kinds_o[k] for k in heads_o]:
            pairs = {is_[ko]: js[ks] for ks, ko in zip(heads_s, heads_o, strict=True)}
            cuts_s, cuts_o = [-1, *heads_s, len(js)], [-1, *heads_o, len(is_)]
            for n in range(len(cuts_s) - 1):
                pairs.update(self.resolve(js[cuts_s[n] + 1:cuts_s[n + 1]],
                                          is_[cuts_o[n] + 1:cuts_o[n + 1]]))
            return pairs
        pairs = self.edited(js, is_)
        rest_s = [j for j in js if j not in pairs.values()]
        rest_o = [i for i in is_ if i not in pairs]
        if [self.source[j].kind for j in rest_s] == [self.own[i].kind for i in rest_o]:
            return pairs | dict(zip(rest_o, rest_s, strict=True))
        return pairs | self.runs(rest_s, rest_o)

    def runs(self, js: list[int], is_: list[int]) -> dict[int, int]:
        """Runs of one kind matched in order; a run is paired only when both sides have as
        many blocks in it."""
        def grouped(indices, blocks):
            return [(kind, [i for _, i in group]) for kind, group
                    in groupby(((blocks[i].kind, i) for i in indices), key=lambda x: x[0])]

        runs_s, runs_o = grouped(js, self.source), grouped(is_, self.own)
        pairs: dict[int, int] = {}
        matcher = SequenceMatcher(None, [k for k, _ in runs_s], [k for k, _ in runs_o],
                                  autojunk=False)
        for tag, a1, a2, b1, _ in matcher.get_opcodes():
            if tag != "equal":
                continue
            for (_, run_s), (_, run_o) in zip(runs_s[a1:a2], runs_o[b1:], strict=False):
                if len(run_s) == len(run_o):
                    pairs.update(zip(run_o, run_s, strict=True))
        return pairs

    def was(self, i: int) -> str | None:
        """The source text a translation block was made from, as far as is known for sure:
        recorded with its present text, or its own text when it is a copy of an earlier
        source text (a file started from a copy)."""
        record = self.found[i]
        if record is not None and record.exact and record.was is not None:
            return record.was
        return self.own[i].raw if set(self.old or ()).intersection(self.own[i].hashes) \
            else None

    def edited(self, js: list[int], is_: list[int]) -> dict[int, int]:
        """Translations whose source text was edited since: the source block most like that
        text (same kind), else the one in its place in the old source order when that
        stretch kept its number of blocks."""
        pairs: dict[int, int] = {}
        scored = []
        for i in is_:
            was = self.was(i)
            for j in js if was is not None else ():
                if self.source[j].kind == self.own[i].kind:
                    ratio = SequenceMatcher(None, _words(was), _words(self.source[j].raw),
                                            autojunk=False).ratio()
                    if ratio > LIKE:
                        scored.append((-ratio, i, j))
        for _, i, j in sorted(scored):
            if i not in pairs and j not in pairs.values():
                pairs[i] = j
        return pairs | self.in_old_place([j for j in js if j not in pairs.values()],
                                         [i for i in is_ if i not in pairs])

    def in_old_place(self, js: list[int], is_: list[int]) -> dict[int, int]:
        exact = [i for i in is_ if self.found[i] is not None and self.found[i].exact]
        if self.old is None:  # an older state file: a block keeps the source block of its id
            ids = {self.source[j].id: j for j in js}
            return {i: ids[self.own[i].id] for i in exact if self.own[i].id in ids
                    and self.source[ids[self.own[i].id]].kind == self.own[i].kind}
        places = [self.old.index(self.found[i].source) for i in exact
                  if self.found[i].source in self.old]
        if not exact or not len(places) == len(exact) == len(js) or places != sorted(places):
            return {}
        return {i: j for i, j in zip(exact, js, strict=True)
                if self.own[i].kind == self.source[j].kind}


def alike(was: str, now: str) -> bool:
    """Whether ``now`` keeps the confirmed text ``was``, corrected or added to: nearly all of
    its characters in order and every number it had. Two items of one list ("…of Honduras",
    "…of El Salvador") or two days ("Día 1", "Día 2") never pass for each other."""
    was, now = " ".join(_words(was)), " ".join(_words(now))
    if Counter(_NUMBERS.findall(was)) - Counter(_NUMBERS.findall(now)):
        return False
    matcher = SequenceMatcher(None, was, now, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) >= CORRECTION * len(was)


def _words(text: str) -> list[str]:
    """A block's words without its Markdown marker: what an edit changes."""
    return _MARKER.sub("", text, count=1).split()


def align_body(source: list[Block], own: list[Block], found: list[Record | None],
               entry: Entry, copies: frozenset[str]) -> list[Row]:
    """Rows for the body of a Markdown document (see the module docstring)."""
    pairs = _anchors(source, own, found)
    gap = Gap(source, own, found, entry.sequence)
    chain = [(-1, -1), *_chain(pairs), (len(own), len(source))]
    for (i0, j0), (i1, j1) in zip(chain, chain[1:], strict=False):
        taken = set(pairs.values())
        js = [j for j in range(j0 + 1, j1) if j not in taken]
        is_ = [i for i in range(i0 + 1, i1) if i not in pairs]
        pairs.update(gap.resolve(js, is_))
    placed = {j: i for i, j in pairs.items()}
    keyed: list[tuple[tuple, Row]] = []
    for j, block in enumerate(source):
        i = placed.get(j)
        row = Row(block, None, "missing") if i is None else \
            judge(block, own[i], found[i], entry, copies)
        keyed.append(((j, 0, 0), row))
    after = -1  # an unpaired translation block stays after the block that precedes it
    for i, block in enumerate(own):
        if i in pairs:
            after = pairs[i]
        else:
            keyed.append(((after, 1, i), Row(None, block, "unpaired", found[i])))
    return [row for _, row in sorted(keyed, key=lambda item: item[0])]


def align(source: list[Block], own: list[Block], recorded: dict, markdown: bool) -> list[Row]:
    """Rows in document order: every source block once, every translation block once.
    ``recorded``: the document's entry in the state file ({} when there is none)."""
    entry = Entry.of(recorded, markdown)
    found = records(own, entry)
    copies = frozenset({h for b in source for h in b.hashes} | set(entry.sequence or ()))
    if not markdown:
        return align_by_id(source, own, found, entry, copies)
    title = [(b, r) for b, r in zip(own, found, strict=True) if b.id == "title"]
    body = [(b, r) for b, r in zip(own, found, strict=True) if b.id != "title"]
    rows = align_by_id([b for b in source if b.id == "title"], [b for b, _ in title],
                       [r for _, r in title], entry, copies)
    return rows + align_body([b for b in source if b.id != "title"], [b for b, _ in body],
                             [r for _, r in body], entry, copies)
