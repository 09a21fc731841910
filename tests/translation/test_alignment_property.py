"""Property: whatever paragraphs, list items and sections are added, removed, moved or edited on
either side after a confirm, the alignment (translation/align.py) never calls a translation
"translated" against another block's source, never loses a block, and when the translator
mirrored every change one confirm makes the whole document translated."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kitbuilder.translation.align import PAIRED, align
from kitbuilder.translation.blocks import body_blocks
from kitbuilder.translation.status import DocumentStatus, _entry

# A block: (kind, number, revision); a document: [(section number, [blocks])]. Each number
# has words of its own, as different paragraphs do. A kind ending in "~" is a translation its
# translator corrected since (a few characters more).
VOCABULARY = (
    "migration", "labour", "skills", "ministry", "workers", "employers", "rights", "social",
    "dialogue", "training", "decent", "work", "youth", "women", "rural", "informal", "economy",
    "wages", "safety", "health", "pensions", "contracts", "recruitment", "fees", "remittances",
    "integration", "return", "cities", "borders", "visas", "data", "survey", "census",
    "agreement", "protocol", "network", "platform")
WORDS = {"en": ("## Section {n}", "Paragraph {n} rev {r} is about {w}.",
                "- Item {n} rev {r} on {w}."),
         "es": ("## Sección {n}", "Párrafo {n} rev {r} trata de {w}.",
                "- Elemento {n} rev {r} sobre {w}.")}
KEY = re.compile(r"(Section|Sección|Paragraph|Párrafo|Item|Elemento) (\d+)(?: rev (\d+))?")
KIND = {"Section": "h", "Sección": "h", "Paragraph": "p", "Párrafo": "p", "Item": "li",
        "Elemento": "li"}


def words(n: int) -> str:
    return " ".join(VOCABULARY[(n * 7 + 3 * k * k + n // 7) % len(VOCABULARY)]
                    for k in range(8))


def render(doc, lang: str) -> str:
    heading, paragraph, item = WORDS[lang]
    parts = []
    for number, blocks in doc:
        parts.append(heading.format(n=number))
        for kind, n, r in blocks:
            text = (paragraph if kind.startswith("p") else item).format(n=n, r=r, w=words(n))
            parts.append(text[:-1] + ", corrected." if kind.endswith("~") else text)
    return "\n\n".join(parts) + "\n"


def key(text: str) -> tuple:
    """What a block says, in either language: (kind, number, revision)."""
    found = KEY.search(text)
    return KIND[found.group(1)], int(found.group(2)), found.group(3)


def apply(doc, op):
    doc = [(n, list(blocks)) for n, blocks in doc]
    name, a, b, c, fresh, kind = op
    if not doc and name != "add_section":
        return doc
    section = doc[a % len(doc)][1] if doc else []
    if name == "insert":
        section.insert(b % (len(section) + 1), (kind, fresh, 0))
    elif name == "delete" and section:
        section.pop(b % len(section))
    elif name == "edit" and section:
        k, n, r = section[b % len(section)]
        section[b % len(section)] = (k, n, r + 1)
    elif name == "correct" and section:  # the translator's own correction
        k, n, r = section[b % len(section)]
        section[b % len(section)] = (k.rstrip("~") + "~", n, r)
    elif name == "move" and section:
        block = section.pop(b % len(section))
        target = doc[c % len(doc)][1]
        target.insert(c % (len(target) + 1), block)
    elif name == "add_section":
        doc.insert(a % (len(doc) + 1), (fresh, [("p", fresh, 0)]))
    elif name == "drop_section":
        doc.pop(a % len(doc))
    elif name == "swap_sections":
        i, j = a % len(doc), c % len(doc)
        doc[i], doc[j] = doc[j], doc[i]
    return doc


OPS = st.tuples(st.sampled_from(["insert", "delete", "edit", "move", "add_section",
                                 "drop_section", "swap_sections"]),
                st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 3),
                st.sampled_from(["p", "li"]))
DOCS = st.lists(st.lists(st.tuples(st.sampled_from(["p", "li"]), st.integers(0, 999),
                                   st.just(0)), max_size=4), min_size=1, max_size=3)


def numbered(sections):
    """Every block and section a number of its own."""
    count, doc = 0, []
    for number, blocks in enumerate(sections):
        mine = []
        for kind, _, r in blocks:
            count += 1
            mine.append((kind, count, r))
        doc.append((1000 + number, mine))
    return doc


def confirmed(source, own, previous: dict) -> dict:
    """A whole-file confirm by a careful translator: of the paired blocks, those that do
    translate their source (what a person checks before confirming)."""
    rows = align(source, own, previous, markdown=True)
    status = DocumentStatus("es", "x.md", "en", "", "", True, True, rows=rows)
    entry, _, _ = _entry(status, previous, lambda row: row.own is not None and
                         row.source is not None and row.state in PAIRED
                         and row.state != "untranslated"
                         and key(row.own.text) == key(row.source.text))
    return entry


def translators(op):
    """An operation of the translator's own: an edit of theirs corrects their text."""
    return ("correct", *op[1:]) if op[0] == "edit" else op


def fresh_numbers(ops, start: int):
    """Each insertion a number never used before."""
    return [(name, a, b, c, start + k, kind) for k, (name, a, b, c, _, kind) in enumerate(ops)]


@given(DOCS, st.lists(OPS, max_size=6), st.lists(st.booleans(), max_size=6),
       st.lists(OPS, max_size=3))
def test_no_wrong_pair_no_lost_block(sections, ops, mirrored, own_ops):
    en0 = numbered(sections)
    entry = confirmed(body_blocks(render(en0, "en")), body_blocks(render(en0, "es")), {})
    ops = fresh_numbers(ops, 5000)
    en1, es1 = en0, en0
    for k, op in enumerate(ops):
        en1 = apply(en1, op)
        if k < len(mirrored) and mirrored[k]:
            es1 = apply(es1, op)
    for op in fresh_numbers(own_ops, 7000):
        es1 = apply(es1, translators(op))
    source, own = body_blocks(render(en1, "en")), body_blocks(render(es1, "es"))
    rows = align(source, own, entry, markdown=True)
    assert sorted(r.source.line for r in rows if r.source) == [b.line for b in source]
    assert sorted(r.own.line for r in rows if r.own) == [b.line for b in own]
    wrong = [(r.source.text, r.own.text) for r in rows
             if r.state == "translated" and key(r.source.text) != key(r.own.text)]
    assert wrong == []


@given(DOCS, st.lists(OPS, max_size=6))
def test_mirrored_changes_pair_everything_and_one_confirm_completes(sections, ops):
    en0 = numbered(sections)
    entry = confirmed(body_blocks(render(en0, "en")), body_blocks(render(en0, "es")), {})
    en1 = en0
    for op in fresh_numbers(ops, 5000):
        en1 = apply(en1, op)
    source, own = body_blocks(render(en1, "en")), body_blocks(render(en1, "es"))
    rows = align(source, own, entry, markdown=True)
    assert [r.state for r in rows if r.state in ("missing", "unpaired")] == []
    assert all(key(r.source.text) == key(r.own.text) for r in rows)
    after = confirmed(source, own, entry)
    assert {r.state for r in align(source, own, after, markdown=True)} <= {"translated"}


def copy_of_source(es, en, at: int):
    """The es document with one block replaced by its English text (a copy left behind)."""
    flat = [(s, b) for s, (_, blocks) in enumerate(es) for b in range(len(blocks))]
    if not flat:
        return es
    s, b = flat[at % len(flat)]
    es = [(n, list(blocks)) for n, blocks in es]
    kind, n, r = es[s][1][b]
    es[s][1][b] = ("copy-" + kind, n, r)
    return es


def render_mixed(doc) -> str:
    """es with copies: a ``copy-`` block is written in English."""
    parts = []
    for number, blocks in doc:
        parts.append(WORDS["es"][0].format(n=number))
        for kind, n, r in blocks:
            lang = "en" if kind.startswith("copy-") else "es"
            plain = kind.removeprefix("copy-").rstrip("~")
            text = WORDS[lang][1 if plain == "p" else 2].format(n=n, r=r, w=words(n))
            parts.append(text[:-1] + ", corrected." if kind.endswith("~") else text)
    return "\n\n".join(parts) + "\n"


ROUND = st.tuples(st.lists(OPS, max_size=3), st.lists(st.booleans(), max_size=3),
                  st.lists(OPS, max_size=2), st.integers(0, 20), st.booleans(), st.booleans())


@given(DOCS, st.lists(ROUND, min_size=1, max_size=4))
def test_rounds_of_changes_and_confirms(sections, rounds):
    en = es = numbered(sections)
    entry = confirmed(body_blocks(render(en, "en")), body_blocks(render_mixed(es)), {})
    fresh = 5000
    for ops, mirrored, own_ops, at, copy, confirm in rounds:
        for k, op in enumerate(fresh_numbers(ops, fresh)):
            en = apply(en, op)
            if k < len(mirrored) and mirrored[k]:
                es = apply(es, op)
        for op in fresh_numbers(own_ops, fresh + 500):
            es = apply(es, translators(op))
        fresh += 1000
        if copy:
            es = copy_of_source(es, en, at)
        source, own = body_blocks(render(en, "en")), body_blocks(render_mixed(es))
        rows = align(source, own, entry, markdown=True)
        assert sorted(r.source.line for r in rows if r.source) == [b.line for b in source]
        assert sorted(r.own.line for r in rows if r.own) == [b.line for b in own]
        assert [(r.source.text, r.own.text) for r in rows if r.state == "translated"
                and (key(r.source.text) != key(r.own.text) or r.own.text == r.source.text)] \
            == []
        if confirm:
            entry = confirmed(source, own, entry)
    # The translator catches up with every change: one confirm, and all is translated.
    source, own = body_blocks(render(en, "en")), body_blocks(render(en, "es"))
    entry = confirmed(source, own, entry)
    assert {r.state for r in align(source, own, entry, markdown=True)} <= {"translated"}
