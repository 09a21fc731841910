"""Markdown built to attack the kits: each is rendered to exactly this sanitised HTML. And a
property: any Markdown assembled from hostile fragments renders to sanitised HTML (no active
tag, no event handler, no link other than http(s), mailto or a fragment), fast."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings

from kitbuilder.render.markdown import break_long_words, render_markdown
from tests.hostile.strategies import markdown, unsafe_markup

# CPU seconds of this process for rendering one generated body: a bound on the work done,
# which other processes on a busy machine do not move.
PER_EXAMPLE = 3.0

CASES = {
    "script tag": ('<script>alert("x")</script> Plain', "\n<p>Plain</p>\n"),
    "event handlers": ('<span onclick="alert(1)" onmouseover="x()">hi</span> '
                       '<a href="#" onfocus="x()">l</a>',
                       '<p><span>hi</span> <a href="#">l</a></p>\n'),
    "javascript: and data: links": (
        "[click](javascript:alert(1)) and <a href=\"JaVaScRiPt:alert(2)\">raw</a> and "
        "[d](data:text/html;base64,PHNjcmlwdD4=)",
        "<p><a>click</a> and <a>raw</a> and <a>d</a></p>\n"),
    "file:// and loopback images": (
        '![x](file:///etc/passwd) ![y](http://127.0.0.1:9/x.png) '
        '<img src="http://127.0.0.1:9/y.png">',
        "<p>  </p>\n"),
    "raw html block": ("```{=html}\n<script>alert(1)</script>\n```\n\n`<b>x</b>`{=html}",
                       "<p><code>{=html} &lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n"
                       "<p><code>&lt;b&gt;x&lt;/b&gt;</code>{=html}</p>\n"),
    "raw openxml block": ("```{=openxml}\n<w:p><w:t>INJECTED</w:t></w:p>\n```",
                          "<p><code>{=openxml} &lt;w:p&gt;&lt;w:t&gt;INJECTED&lt;/w:t&gt;"
                          "&lt;/w:p&gt;</code></p>\n"),
    "raw latex block": ("```{=latex}\n\\input{/etc/passwd}\n```",
                        "<p><code>{=latex} \\input{/etc/passwd}</code></p>\n"),
    "jinja (SSTI)": ("{{ 7*7 }} {% for x in range(3) %}{{x}}{% endfor %}",
                     "<p>{{ 7*7 }} {% for x in range(3) %}{{x}}{% endfor %}</p>\n"),
    "style and css urls": ('<style>body{display:none}</style>'
                           '<div style="background:url(http://127.0.0.1:9/)">s</div>',
                           "\n<div>\ns\n</div>\n"),
    "frames and objects": ('<iframe src="https://example.org"></iframe><object data="x">'
                           "</object>", "\n\n\n\n"),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_markdown_renders_to_exactly(name):
    source, expected = CASES[name]
    assert str(render_markdown(source, "en", None).body) == expected


def test_a_long_word_gets_a_break_opportunity_every_40_characters():
    assert str(render_markdown("w" * 100, "en", None).body) == (
        '<p><span class="long-word">' + "w" * 40 + "<wbr>" + "w" * 40 + "<wbr>" + "w" * 20
        + "</span></p>\n")


def test_breaking_long_words_never_touches_tags_or_splits_an_entity():
    html = f'<a href="https://example.org/{"p" * 80}">{"x" * 39}&amp;{"y" * 30}</a>'
    assert break_long_words(html) == (
        f'<a href="https://example.org/{"p" * 80}"><span class="long-word">{"x" * 39}&amp;'
        f'<wbr>{"y" * 30}</span></a>')


def test_breaking_a_20000_character_word_is_fast():
    started = time.process_time()  # CPU time: the work done, whatever else the machine runs
    html = break_long_words("<p>" + "z" * 20_000 + "</p>")
    assert time.process_time() - started < 0.5
    assert html.count("<wbr>") == 499


# Hypothesis's health checks time data generation: on a busy machine they would fail a run
# that is only slow, as the content property's settings say too.
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=markdown)
def test_any_markdown_renders_to_sanitised_html(body):
    started = time.process_time()
    rendered = render_markdown(body, "en", None)
    html = str(rendered.body) + str(rendered.bibliography)
    assert unsafe_markup(html) == [], html
    assert time.process_time() - started < PER_EXAMPLE
