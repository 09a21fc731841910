"""Property: the Markdown renderer returns sanitised HTML for any input, fast: no active tag,
no event handler, no link other than http(s), mailto or a fragment."""

from __future__ import annotations

import os

from hypothesis import given

from kitbuilder.render.markdown import render_markdown
from tests.hostile.markdown_strategies import markdown, unsafe_markup

# CPU seconds for rendering one generated body (this process and the pandoc it waits for):
# a bound on the work done, which other processes on a busy machine do not move.
PER_EXAMPLE = 3.0


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@given(body=markdown)
def test_any_markdown_renders_to_sanitised_html(body):
    started = _cpu_seconds()
    rendered = render_markdown(body, "en", None)
    html = str(rendered.body) + str(rendered.bibliography)
    assert unsafe_markup(html) == [], html
    assert _cpu_seconds() - started < PER_EXAMPLE
