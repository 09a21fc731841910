"""A Markdown link to another document of the kit (`[x](logistics.md)`) is a link to its
chapter in the kit's HTML; other links are left as they are."""

from __future__ import annotations

from kitbuilder.render.context import chapter_links
from kitbuilder.render.markdown import render_markdown


def test_links_to_kit_documents_go_to_their_chapters():
    body = ("See [the note](logistics.md), [its venue](logistics.md#venue), "
            "[a file](../assets/map.pdf), [elsewhere](other.md) and [a heading](#aims).")
    rendered = chapter_links(render_markdown(body, "en", None, "concept-note-"),
                             ["concept-note.md", "logistics.md"])
    html = str(rendered.body)
    assert 'href="#logistics"' in html
    assert 'href="#logistics-venue"' in html
    assert 'href="../assets/map.pdf"' in html
    assert 'href="other.md"' in html  # not a document of the kit: left alone
    assert 'href="#concept-note-aims"' in html  # a heading of the same document, as before
