from __future__ import annotations

import fcntl
import os
import pickle
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from kitbuilder.pipeline import build
from kitbuilder.report import Reporter
from kitbuilder.settings import Settings

# Property tests: the full 500 examples under CI, a quick sample while developing
# (HYPOTHESIS_PROFILE=ci runs the full set locally).
hypothesis_settings.register_profile("ci", max_examples=500, derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=50, derandomize=True, deadline=None)
hypothesis_settings.load_profile(os.environ.get(
    "HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))

# The test run already keeps every core busy (pytest-xdist): builds render in their own
# process unless a test asks for workers (--jobs 2, Settings(jobs=2)), which the pool's and
# the signals' tests do. Subprocesses inherit it.
os.environ.setdefault("KITBUILDER_JOBS", "1")

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = Path(__file__).resolve().parent / "projects"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def project_copy(tmp_path):
    """Copy a fixture project (or the shipped one) to a temporary folder to edit freely."""

    def make(name: str = "shipped") -> Path:
        target = tmp_path / name
        if name == "shipped":
            target.mkdir()
            for folder in ("content", "layouts", "locales"):
                shutil.copytree(ROOT / folder, target / folder)
        else:
            shutil.copytree(PROJECTS / name, target)
        return target

    return make


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory, worker_id):
    """The shipped workshop built once for the whole run: (output dir, reporter). Under
    pytest-xdist the workers share one build: the first to get here makes it, under a lock."""
    if worker_id == "master":  # no xdist: one process
        output = tmp_path_factory.mktemp("shipped-output")
        return output, build_shipped(output)
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker
    with open(shared / "shipped-output.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        output, events = shared / "shipped-output", shared / "shipped-output.events"
        if not events.exists():
            reporter = build_shipped(output)
            events.write_bytes(pickle.dumps(reporter))
        return output, pickle.loads(events.read_bytes())


def build_shipped(output: Path) -> Reporter:
    reporter = Reporter()
    # On workers, as a user's build: the other test processes wait for this one.
    build(Settings(content=ROOT / "content", output=output, layouts=ROOT / "layouts",
                   locales=ROOT / "locales", jobs=os.cpu_count() or 1), reporter)
    return reporter


def pdf_text(path: Path) -> str:
    """Text of a PDF via poppler, with soft hyphens and line-break hyphens undone."""
    from tests.tools import require

    require("pdftotext")
    text = subprocess.run(["pdftotext", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    # WeasyPrint's automatic hyphenation leaves U+2010 at line ends; join those words again.
    text = re.sub("\u2010\\s*\n", "", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text)
