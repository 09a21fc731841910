"""Markdown blocks from markdown-it-py's tokens, and which YAML values are blocks
(translation/blocks.py, translation/fields.py)."""

from __future__ import annotations

from pathlib import Path

from kitbuilder.translation.blocks import body_blocks, document_blocks
from kitbuilder.translation.fields import untranslated_fields

BODY = """\
## Context

A paragraph
over two lines.

| Country | Seats |
|---------|------:|
| Canada  | 2     |

> A quotation,
> on two lines.

```yaml
seats: 2
```

    indented code

- First item
  continued.
- Second item
  - nested under it

1. One.
2. Two.

---

<div class="box">raw</div>

[ilo]: https://www.ilo.org
"""


def blocks(body: str = BODY):
    return [(b.id, b.kind, b.line, b.last) for b in body_blocks(body, 10)]


def test_each_kind_is_one_block_with_its_line_range():
    assert blocks() == [
        ("s1", "h2", 10, 10),
        ("s1.1", "paragraph", 12, 13),
        ("s1.2", "table", 15, 17),
        ("s1.3", "quote", 19, 20),
        ("s1.4", "code", 22, 24),
        ("s1.5", "code", 26, 26),
        ("s1.6", "item", 28, 29),
        ("s1.7", "item", 30, 31),  # the nested list stays in its item
        ("s1.8", "item", 33, 33),
        ("s1.9", "item", 34, 34),
        ("s1.10", "html", 38, 38),  # the thematic break and the link definition are no block
    ]


def test_a_block_raw_text_is_its_lines_as_written():
    found = {b.id: b for b in body_blocks(BODY, 10)}
    assert found["s1.2"].raw == "| Country | Seats |\n|---------|------:|\n| Canada  | 2     |"
    assert found["s1.4"].raw == "```yaml\nseats: 2\n```"
    assert found["s1.7"].raw == "- Second item\n  - nested under it"
    assert found["s1.1"].text == "A paragraph over two lines."


def test_fenced_code_and_tables_are_not_cut_at_blank_lines_or_markers():
    body = "```\n# not a heading\n\n- not an item\n```\n\n| a |\n|---|\n| - b |\n"
    assert blocks(body) == [("s0.1", "code", 10, 14), ("s0.2", "table", 16, 18)]


def test_a_quote_with_a_list_inside_is_one_block():
    body = "> Said:\n>\n> - one\n> - two\n\nAfter.\n"
    assert blocks(body) == [("s0.1", "quote", 10, 13), ("s0.2", "paragraph", 15, 15)]


def test_a_loose_list_item_does_not_take_the_blank_line_after_it():
    body = "- one\n\n- two\n\nAfter.\n"
    assert blocks(body) == [("s0.1", "item", 10, 10), ("s0.2", "item", 12, 12),
                            ("s0.3", "paragraph", 14, 14)]


def test_code_and_numbers_are_neutral_text():
    found = {b.id: b for b in body_blocks(BODY, 10)}
    assert found["s1.4"].neutral and found["s1.10"].neutral
    assert not found["s1.1"].neutral and not found["s1.2"].neutral
    assert body_blocks("2026\n")[0].neutral


def test_names_rooms_links_and_codes_are_no_blocks(tmp_path):
    agenda = tmp_path / "en" / "agenda.yaml"
    agenda.parent.mkdir()
    agenda.write_text(
        "title: Agenda\n"
        "slots:\n"
        "  - start: \"09:00\"\n"
        "    end: \"10:00\"\n"
        "    kind: parallel\n"
        "    title: Opening\n"
        "    room: Sala Bolívar\n"
        "    join_link: https://meet.example.org/a\n"
        "    presenters:\n"
        "      - name: Ana Pérez\n"
        "        role: Minister of Labour\n"
        "        affiliation: Ministry of Labour, Example\n"
        "    directs: contact@example.org\n", encoding="utf-8")
    found = [(b.id, b.line) for b in document_blocks(agenda)]
    assert found == [("title", 1), ("slots.0.title", 6), ("slots.0.presenters.0.role", 11)]


def test_the_model_declares_the_fields_not_translated():
    assert untranslated_fields() == {
        "workshop.yaml": ["organisers"],
        "agenda.yaml": ["slots.join_link", "slots.presenters.affiliation",
                        "slots.presenters.name", "slots.room"],
        "participants.yaml": ["delegation.id", "regional.id"]}


def test_shipped_documents_keep_their_blocks(tmp_path):
    root = Path(__file__).resolve().parents[2]
    note = document_blocks(root / "content/en/concept-note.md")
    assert note[0].id == "title" and all(b.line <= b.last for b in note)
    assert {b.kind for b in note} <= {"title", "h2", "h3", "paragraph", "item", "quote",
                                      "table"}
