"""The `kitbuilder` command's entry point: quiet about Ctrl-C from its first instant.

Importing the command line takes about 0.1 s; a Ctrl-C (or a closed terminal, or `kill`) in
that time would otherwise print a KeyboardInterrupt traceback from deep inside an import.
While it imports, a stop signal just ends it with the shell's code for that signal (130, 143,
129): nothing has been done yet. Then the usual handlers are back: Click turns Ctrl-C into
"Aborted!", and a build installs its own (lifecycle.session).
"""

from __future__ import annotations

import signal
import sys


def _stop(signum: int, _frame) -> None:
    sys.exit(128 + signum)


def main() -> None:
    usual = {sig: signal.signal(sig, _stop)
             for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    from .cli import main as command_line

    for sig, handler in usual.items():
        signal.signal(sig, handler)
    command_line()
