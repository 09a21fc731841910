"""Generated Markdown built from hostile fragments, and what a kit must never carry: shared by
the property tests of content loading (test_property.py) and of the Markdown renderer
(test_property_markdown.py)."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import strategies as st

MARKDOWN_BITS = ("# ", "## ", "**", "*", "_", "`", "```", "```{=html}\n", "```{=openxml}\n",
                 "```{=latex}\n", "\n", "\n\n", "[", "]", "(", ")", "](", "javascript:",
                 "file:///etc/passwd", "http://127.0.0.1:9/x.png", "![i](", "[@ilo2014]",
                 "[@missing]", "<script>", "</script>", "<img src=x onerror=alert(1)>",
                 '<a href="javascript:x()">', "<style>", "<!--", "-->", "&amp;", "&#0;",
                 "{{ 7*7 }}", "{%", "|a|b|\n|-|-|\n|c|d|\n", "---\n", "\\", "> ", "- ", "1. ",
                 ":::", "$$", "^", "~", "@", "x" * 70, "\u00ad", "\u200b", "\ufeff")
ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "#")


class _Markup(HTMLParser):
    """Every tag and attribute of an HTML fragment (text, escaped, is not markup)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def unsafe_markup(html: str) -> list:
    """Active tags, event handlers, links that run code or read files: never in a kit."""
    found = []
    for tag, attrs in _Markup(html).tags:
        if tag in ("script", "style", "img", "iframe", "object", "embed", "link", "meta"):
            found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "style"):
                found.append(f"{tag} {name}")
            if name == "href" and ":" in (value or "").split("/")[0] and \
                    not (value or "").lower().startswith(ALLOWED_SCHEMES):
                found.append(f"{tag} href={value}")
    return found


markdown = st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=20)),
                    max_size=30).map("".join)
