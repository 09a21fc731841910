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

from kitbuilder.pipeline import BuildResult, build
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
EXAMPLE = ROOT / "examples" / "hybrid-workshop"
# One shipped kit per language and paper size (CA en, MX es, DO es), and the US kit.
EDITION_COUNTRIES = ("CA", "DO", "MX", "US")


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


def shared_build(tmp_path_factory, worker_id, name: str, **settings) -> tuple[Path, Reporter,
                                                                           BuildResult]:
    """A build made once for the whole run: (output dir, reporter, result); ``settings`` as
    Settings takes them, the shipped layouts and locales by default. Under pytest-xdist the
    workers share it: the first to get here makes it, under a lock; the others wait for it
    and read what it returned."""
    if worker_id == "master":  # no xdist: one process
        output = tmp_path_factory.mktemp(name)
        return output, *_build_into(output, settings)
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        output, outcome = shared / name, shared / f"{name}.pickle"
        if not outcome.exists():
            outcome.write_bytes(pickle.dumps(_build_into(output, settings)))
        return output, *pickle.loads(outcome.read_bytes())


def _build_into(output: Path, settings: dict) -> tuple[Reporter, BuildResult]:
    reporter = Reporter()
    # As a user's build, on every core: the other test processes may be waiting for it.
    values = {"layouts": ROOT / "layouts", "locales": ROOT / "locales",
              "jobs": os.cpu_count() or 1, **settings}
    return reporter, build(Settings(output=output, **values), reporter)


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory, worker_id):
    """The shipped workshop as `kitbuilder build` makes it: (output dir, reporter)."""
    output, reporter, _ = shared_build(tmp_path_factory, worker_id, "shipped-output",
                                       content=ROOT / "content")
    return output, reporter


@pytest.fixture(scope="session")
def shipped_editions(tmp_path_factory, worker_id) -> Path:
    """The print and archive PDF editions of one shipped kit per language and paper size, and
    of the US kit (the screen editions are the shipped build's)."""
    output, _, _ = shared_build(tmp_path_factory, worker_id, "shipped-editions",
                                content=ROOT / "content", countries=EDITION_COUNTRIES,
                                formats=("pdf",), editions=("print", "archive"))
    return output


@pytest.fixture(scope="session")
def example_build(tmp_path_factory, worker_id) -> tuple[Path, BuildResult]:
    """examples/hybrid-workshop built in every format and every PDF edition."""
    output, _, result = shared_build(tmp_path_factory, worker_id, "example-output",
                                     content=EXAMPLE / "content",
                                     editions=("screen", "print", "archive"))
    return output, result


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser), one per test
    process, as pytest-playwright keeps one per session."""
    from tests.tools import require, require_module

    chromium = require("chromium")
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        yield browser
        browser.close()


def pdf_text(path: Path) -> str:
    """Text of a PDF via poppler, with soft hyphens and line-break hyphens undone."""
    from tests.tools import require

    require("pdftotext")
    text = subprocess.run(["pdftotext", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    # WeasyPrint's automatic hyphenation leaves U+2010 at line ends; join those words again.
    text = re.sub("\u2010\\s*\n", "", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text)
