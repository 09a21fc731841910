"""Words too long for a line: the layouts break them anywhere (overflow-wrap), but a pasted
hash or run-together text is usually a mistake the editor wants to hear about."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problems
from ..placeholders import is_unwritten, left_to_fill

LONGEST_WORD = 60  # characters; a table cell or an A4 line in the kit's body font holds ~90
# Chinese, Japanese and Korean text has no spaces: a line may break before any of their
# characters (and their full-width punctuation), so they end a "word".
NOT_IN_A_WORD = ("\\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                 "\U00020000-\U0002fa1f")
_WORD = re.compile(f"[^{NOT_IN_A_WORD}]{{{LONGEST_WORD + 1},}}")
_URL = re.compile(r"(?i)(\w+://|www\.|mailto:|\]\()")
_RULE = re.compile(r"[-|:=*_~#`+.]+")  # table separators, horizontal rules, fences
# "(ILO, 2021)", "(OIT, 2017, p. 1)", "(UNTFSE, 2020; ILO, 2017)": an author, a comma, a year.
# "(October 2019)" has no comma and is a date, not a citation.
_PLAIN_CITATION = re.compile(
    r"\((?:[A-Z][\w.&'-]*(?: [\w.&'-]+){0,6}, (?:1[89]|20)\d\d[a-z]?(?:, pp?\. ?[\d–-]+)?"
    r"(?:; )?)+\)")


def warn_about_text(path: Path, text: str, first_line: int, problems: Problems,
                    comment: str | None = None) -> None:
    """Read once, with the file: a warning per line that still holds a TODO placeholder, and
    per line with a word of more than LONGEST_WORD characters which is neither a link nor a
    Markdown rule. Comments (``comment`` to the end of the line) are skipped."""
    for number, line in enumerate(text.splitlines(), start=first_line):
        if comment:
            line = line.split(comment, 1)[0]
        if is_unwritten(line):
            problems.warning(path, number, left_to_fill(line.strip()))
        for match in _WORD.finditer(line):
            word = match.group(0)
            if _URL.search(word) or _RULE.fullmatch(word):
                continue
            problems.warning(path, number, f"a word of {len(word)} characters without a space "
                             f"(\"{word[:20]}…\") is broken wherever the line ends; add spaces "
                             "or hyphens where it may break, or make it a link")
            break


def warn_about_plain_citations(path: Path, text: str, problems: Problems) -> None:
    """An author-date citation typed as plain text ("(ILO, 2021)") has no reference behind
    it: the bibliography does not list it and no kit's language re-words it. Warned, per
    line, so the editor cites an entry ([@id]) or writes the source out."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _PLAIN_CITATION.finditer(line):
            problems.warning(path, number, f"{match.group(0)!r} reads as a citation but is plain "
                             "text: no reference stands behind it and the references do not "
                             "list it; cite an entry of references.json ([@id]), adding the "
                             "work if it is missing, or name the source in the sentence")
