"""Where a YAML syntax error is, as the person who made it would look for it.

PyYAML reports where the parser gave up, which for a forgotten closing quote is lines later:
the quoted value swallows the following lines up to the next quote. The line that needs the
fix is where that value begins.
"""

from __future__ import annotations

import yaml

QUOTED = "while scanning a quoted scalar"


def runaway_quote(text: str, problem_line: int) -> tuple[int, int] | None:
    """(first, last) 0-based lines of a quoted value that spans lines and ends on the line
    where the parser gave up: a closing quote forgotten on ``first``."""
    lines = text.splitlines()
    # A quoted value that ends where the parser gave up leaves its closing quote on that line;
    # without one there, scanning (slow in pure Python on hostile input) cannot find it.
    if problem_line >= len(lines) or not {'"', "'"} & set(lines[problem_line]):
        return None
    found = None
    try:
        for token in yaml.scan("\n".join(lines[:problem_line + 1]), Loader=yaml.SafeLoader):
            if token.start_mark.line > problem_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and \
                    token.start_mark.line < token.end_mark.line == problem_line:
                found = (token.start_mark.line, token.end_mark.line)
    except yaml.YAMLError:
        pass  # the scan stops at the same error; what it read before is enough
    return found


def locate(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> tuple[int, str]:
    """(line, message) for ``path:line: error: invalid YAML: <message>``."""
    what = exc.problem or str(exc)
    if exc.context == QUOTED and exc.context_mark is not None:  # runs to the end of the file
        end = f" on line {exc.problem_mark.line + first_line}" if exc.problem_mark else ""
        return (exc.context_mark.line + first_line, f"a quoted value starts here and is never "
                f"closed ({exc.problem}{end}); add its closing quote")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return first_line, f"{what}; check indentation and quoting"
    runaway = runaway_quote(text, mark.line)
    if runaway is not None:
        start, end = (line + first_line for line in runaway)
        return start, (f"a quoted value starts here and runs on to line {end} ({what} there); "
                       "a closing quote is probably missing on this line")
    if exc.context and exc.context_mark:
        what += f" ({exc.context} started on line {exc.context_mark.line + first_line})"
    return mark.line + first_line, f"{what}; check indentation and quoting"
