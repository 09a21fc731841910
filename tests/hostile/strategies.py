"""Generated content for the property tests (Hypothesis): a content file of the minimal
project changed to any YAML value, text or bytes (``mutations``), Markdown assembled from
hostile fragments (``markdown``), and what a kit must never carry (``unsafe_markup``)."""

from __future__ import annotations

from html.parser import HTMLParser

import yaml
from hypothesis import strategies as st

from tests.conftest import PROJECTS

YAML_FILES = ("workshop.yaml", "countries.yaml", "en/workshop.yaml", "en/agenda.yaml",
              "en/participants.yaml", "es/workshop.yaml")
TRICKY = ("2021-02-30", "2021-13-01", "09:15", "9:15", "25:00", "~", "null", "yes", "no",
          "0x1F", "0o17", "1e400", "-.inf", ".nan", "&a", "*a", "<<", "!!python/object",
          "{{ 7*7 }}", "{% raw %}", "<script>alert(1)</script>", "../../etc/passwd",
          "javascript:alert(1)", "https://example.org/j/1", "\ufeff", "\u2028", "en", "es",
          "America/Mexico_City", "Mars/Olympus", "CA", "ZZ", "a4", "letter", "x" * 70)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(),
                    st.text(max_size=40), st.sampled_from(TRICKY))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                      max_leaves=12)


@st.composite
def mutations(draw):
    """(file, new bytes) for one content file."""
    kind = draw(st.sampled_from(("value", "value", "slot", "text", "bytes")))
    name = draw(st.sampled_from(YAML_FILES))
    original = (PROJECTS / "minimal/content" / name).read_text(encoding="utf-8")
    if kind == "text":
        return name, draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    if kind == "bytes":
        return name, draw(st.binary(max_size=200))
    data = yaml.safe_load(original)
    if kind == "slot" and name == "en/agenda.yaml":
        target = data["slots"][draw(st.integers(0, len(data["slots"]) - 1))]
    else:
        target = data
    key = draw(st.sampled_from(sorted(target)) | st.text(max_size=10))
    target[key] = draw(values)
    return name, yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


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
