"""Join links go into kits and calendar files: only one-line https:// URLs."""

from __future__ import annotations

import pytest

from tests.hostile.conftest import errors_of, loaded, run_cli


def with_link(minimal, value: str) -> None:
    path = minimal / "workshop.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"meeting_link: {value}\n",
                    encoding="utf-8")


@pytest.mark.parametrize(("value", "message"), [
    ('"https://example.org/j/1\\nBEGIN:VEVENT"',
     "meeting_link: a link cannot hold spaces, line breaks or control characters; write it "
     "on one line"),
    ("javascript:alert(1)",
     "meeting_link: 'javascript:alert(1)' is not an https:// link; join links must start "
     "with https://, like 'https://example.org/j/123'"),
    ("file:///etc/passwd",
     "meeting_link: 'file:///etc/passwd' is not an https:// link; join links must start with "
     "https://, like 'https://example.org/j/123'"),
    ("http://example.org/j/1",
     "meeting_link: 'http://example.org/j/1' is not an https:// link; join links must start "
     "with https://, like 'https://example.org/j/123'"),
])
def test_a_join_link_that_is_not_one_https_url_is_an_error_at_its_line(minimal, value,
                                                                         message):
    with_link(minimal, value)
    assert errors_of(minimal) == [f"{minimal}/workshop.yaml:11: error: {message}"]


def test_an_https_join_link_is_kept(minimal):
    with_link(minimal, "https://example.org/j/123?pwd=abc")
    project, problems = loaded(minimal)
    assert [p for p in problems if ": error: " in p] == []
    assert project.workshop.meeting_link == "https://example.org/j/123?pwd=abc"


def test_check_reports_a_javascript_link_and_exits_1(minimal):
    with_link(minimal, "javascript:alert(1)")
    run = run_cli("check", "--content", str(minimal))
    assert run.code == 1
    assert "Traceback" not in run.output
    assert (f"{minimal}/workshop.yaml:11: error: meeting_link: 'javascript:alert(1)' is not an "
            "https:// link") in run.output


def test_a_days_join_link_is_checked_the_same_way(minimal):
    path = minimal / "workshop.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "date: 2021-11-08\n",
        "days:\n  - date: 2021-11-08\n    join_link: javascript:alert(1)\n"), encoding="utf-8")
    assert errors_of(minimal) == [
        f"{minimal}/workshop.yaml:4: error: join_link: 'javascript:alert(1)' is not an https:// "
        "link; join links must start with https://, like 'https://example.org/j/123'"]
