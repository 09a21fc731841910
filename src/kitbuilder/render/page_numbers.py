"""The contents' page numbers, given to WeasyPrint as text when they can be known in advance.

The contents page numbers each chapter with ``target-counter(attr(data-href), page)``.
WeasyPrint can only fill those in after laying out the pages they point to, so it lays the
contents page out again, twice (about a tenth of a kit's PDF time). Kits of one workshop
mostly number their chapters alike. A process therefore gives the numbers of its last kit of
the same kind (documents, language, paper, edition) as literal text, lays the kit out once,
and checks every number against the page where its chapter's anchor landed. Only when all
are right is that layout used; otherwise the kit is laid out the usual way. Literal numbers
give a PDF byte-identical to target-counter() (tests/render/test_page_numbers.py), so which
way a kit went never shows in its bytes.

It applies only to the shipped contents rule, exactly, and only when nothing in the
stylesheets or the HTML sets the page counter (so page N is the N-th page).
"""

from __future__ import annotations

import re

CONTENTS_RULE = re.compile(
    r"\.contents\s+\.toc-page::before\s*\{\s*content:\s*target-counter\(attr\(data-href\),"
    r"\s*page\)\s*;?\s*\}")
ENTRY = re.compile(r'<span class="toc-page" data-href="#([A-Za-z][\w.:-]*)"></span>')
# counter-reset/-set/-increment naming the page counter, anywhere (CSS, or a style attribute).
PAGE_COUNTER = re.compile(r"counter-(?:reset|set|increment)\s*:[^;}\"']*\bpage\b")

# The numbers of the kits laid out in this process: (ids, edition, lang, paper) → numbers.
_SEEN: dict[tuple, tuple[int, ...]] = {}


def lay_out_numbered(lay_out, as_sheet, html: str, css: str, kind: tuple):
    """``lay_out(extra_sheets)`` once, with the contents numbers given as text when the guess
    for this ``kind`` of kit (edition, language, paper) proves right; otherwise the usual way
    (target-counter), remembering the numbers for the next kit."""
    ids = entries(html, css)
    if ids and (numbers := guess(ids, *kind)):
        document = lay_out([as_sheet(numbers_css(ids, numbers))])
        if laid_out(document, ids) == numbers:
            return document
    document = lay_out([])  # no guess, or a wrong one
    if ids and (numbers := laid_out(document, ids)):
        remember(ids, *kind, numbers)
    return document


def entries(html: str, css: str) -> tuple[str, ...] | None:
    """The ids the contents numbers, or None when the numbers cannot be given as text."""
    ids = tuple(ENTRY.findall(html))
    if (not ids or html.count('class="toc-page"') != len(ids)
            or len(CONTENTS_RULE.findall(css)) != 1
            or PAGE_COUNTER.search(css) or PAGE_COUNTER.search(html)):
        return None
    return ids


def guess(ids: tuple[str, ...], edition: str, lang: str, paper: str) -> tuple[int, ...] | None:
    """The numbers of the last kit of this kind; failing that, the numbers every kit with
    these chapters and edition has had so far, whatever its language or paper (none if they
    differed: a wrong guess costs a second layout)."""
    key = (ids, edition, lang, paper)
    if key in _SEEN:
        return _SEEN[key]
    alike = {numbers for seen, numbers in _SEEN.items() if seen[:2] == key[:2]}
    return alike.pop() if len(alike) == 1 else None


def remember(ids: tuple[str, ...], edition: str, lang: str, paper: str,
             numbers: tuple[int, ...]) -> None:
    if len(_SEEN) > 256:  # a long preview session
        _SEEN.clear()
    _SEEN[(ids, edition, lang, paper)] = numbers


def numbers_css(ids: tuple[str, ...], numbers: tuple[int, ...]) -> str:
    """The contents rule, with each entry's number as text (more specific, so it wins)."""
    return "\n".join(f'.contents .toc-page[data-href="#{anchor}"]::before {{ content: "{n}" }}'
                     for anchor, n in zip(ids, numbers, strict=True))


def laid_out(document, ids: tuple[str, ...]) -> tuple[int, ...] | None:
    """The page number where each id first appears in a laid-out WeasyPrint document."""
    first: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            first.setdefault(anchor, number)
    if any(anchor not in first for anchor in ids):
        return None
    return tuple(first[anchor] for anchor in ids)
