"""What only a laid-out PDF can tell: where pages break.

A day of the agenda that a page break divides goes on under a line of its own, "Day 3
(continued)": the layout is read (which rows each page holds), the day's table is cut where
its page ends, and the kit is laid out again. Cutting adds a line, which may move a later
break: a few rounds settle it. The print edition then gets a blank last page when it has an
odd number of them, so that the printed kit ends on a verso.
"""

from __future__ import annotations

from collections.abc import Callable

# Each round re-lays the whole kit; a day rarely needs more than one cut, an agenda of many
# days a few. Beyond this the breaks found so far stand (the layout is still a valid one).
ROUNDS = 4


def no_pagination() -> dict:
    """The context entry of a kit that is not paged (HTML, DOCX) or not yet laid out."""
    return {"day_breaks": {}, "blank_verso": False}


def rows_by_page(document) -> list[dict[int, list[int]]]:
    """For each page, the agenda rows it holds: day number → row indexes within the day."""
    pages = []
    for page in document.pages:
        rows: dict[int, list[int]] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or type(box).__name__ != "TableRowBox":
                continue
            day, row = element.get("data-day"), element.get("data-row")
            if day is not None and row is not None:
                rows.setdefault(int(day), []).append(int(row))
        pages.append(rows)
    return pages


def day_breaks(document) -> dict[int, frozenset[int]]:
    """Day number → the rows that open a later page of that day's agenda."""
    seen: set[int] = set()
    breaks: dict[int, set[int]] = {}
    for rows in rows_by_page(document):
        for day, indexes in rows.items():
            if day in seen:
                breaks.setdefault(day, set()).add(min(indexes))
            seen.add(day)
    return {day: frozenset(cut) for day, cut in breaks.items()}


def lay_out(render: Callable[[dict], object], edition: str):
    """The laid-out document (WeasyPrint's), its days cut where pages break them.

    ``render(pagination)`` lays the kit out with that ``pagination`` context entry."""
    pagination = no_pagination()
    document = render(pagination)
    for _ in range(ROUNDS):
        found = day_breaks(document)
        merged = {day: sorted(set(pagination["day_breaks"].get(day, ())) | set(cut))
                  for day, cut in {**pagination["day_breaks"], **found}.items()}
        if merged == pagination["day_breaks"]:
            break
        pagination = {**pagination, "day_breaks": merged}
        document = render(pagination)
    if edition == "print" and len(document.pages) % 2:
        document = render({**pagination, "blank_verso": True})
    return document
