"""One long-lived pandoc per process, turning kits' HTML into DOCX (html_to_docx.lua).

Starting pandoc costs about as much as the conversion itself (its runtime reserves a large
heap), so a worker keeps one running for all the kits it renders. It ends by itself when its
input closes, and a worker's dies with the worker however that ends (Linux).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
from contextlib import suppress
from pathlib import Path

from ..engine.pool import die_with_parent

SCRIPT = Path(__file__).with_name("html_to_docx.lua")


class PandocFailed(RuntimeError):
    pass


def pandoc_path() -> str:
    """The pandoc that the pypandoc-binary wheel carries (PYPANDOC_PANDOC names another).

    Asking pypandoc instead runs ``pandoc --version`` on eight candidate paths and keeps the
    newest: a pandoc installed on the machine could then change the kits' bytes, and the
    probing cost ~0.08 s at the start of every build, in the path to the first kit.
    """
    override = os.environ.get("PYPANDOC_PANDOC")
    if override:
        return override
    from importlib.util import find_spec

    spec = find_spec("pypandoc")
    bundled = Path(spec.origin).parent / "files" / "pandoc" if spec and spec.origin else None
    if bundled is not None and bundled.is_file():
        return str(bundled)
    import pypandoc  # a pypandoc without its binary: whichever pandoc it finds

    return pypandoc.get_pandoc_path()


class PandocProcess:
    def __init__(self) -> None:
        self.pid = os.getpid()
        # A worker has one thread, so preexec_fn is safe there; the build's own process
        # stops its pandoc itself.
        in_worker = multiprocessing.parent_process() is not None
        self.process = subprocess.Popen(
            [pandoc_path(), "lua", str(SCRIPT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", preexec_fn=die_with_parent if in_worker else None)

    def convert(self, html: str, out: Path, reference: Path, meta: dict[str, str]) -> None:
        request = {"html": html, "out": str(out), "reference": str(reference), "meta": meta}
        self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise BrokenPipeError(f"pandoc stopped (exit status {self.process.wait()})")
        if answer.strip() != "ok":
            raise PandocFailed(answer.removeprefix("error ").strip())

    def close(self, kill: bool = False) -> None:
        """Close its input (it ends by itself) and reap it; ``kill``: do not wait for it."""
        if kill:
            self.process.kill()
        with suppress(OSError):  # a broken pipe: it has already gone
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


_CURRENT: PandocProcess | None = None


def convert_html_to_docx(html: str, out: Path, reference: Path, meta: dict[str, str]) -> None:
    """Convert through this process's pandoc, started on first use. After any failure,
    a time limit included, that pandoc is stopped: the next kit gets a fresh one."""
    global _CURRENT
    if _CURRENT is None or _CURRENT.pid != os.getpid():  # a forked child starts its own
        _CURRENT = PandocProcess()
        if multiprocessing.parent_process() is not None:
            # A worker process ends through multiprocessing, which runs its finalizers
            # (not atexit): reap pandoc there, so no process is left behind.
            from multiprocessing.util import Finalize

            Finalize(None, stop_pandoc, exitpriority=10)
    try:
        _CURRENT.convert(html, out, reference, meta)
    except PandocFailed:
        raise  # pandoc answered: it is still fine for the next kit
    except BaseException:  # a time limit or a broken pipe: its state is unknown
        stop_pandoc(kill=True)
        raise


def stop_pandoc(kill: bool = False) -> None:
    """Stop this process's pandoc, if one runs (the end of a build, or of a worker)."""
    global _CURRENT
    current, _CURRENT = _CURRENT, None
    if current is not None and current.pid == os.getpid():
        current.close(kill)
