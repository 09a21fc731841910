"""External tools the tests use. Missing tools skip locally, but fail under CI=true."""

from __future__ import annotations

import os
import shutil

import pytest


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    message = f"{tool} is not installed; run `make` (scripts/setup-system.sh installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_module(module: str):
    """A Python test tool (playwright, axe): imported, or skipped locally / failed under CI."""
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        message = f"{module} is not installed; run `make` (pip install -e '.[test]')"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def require_file(path, package: str):
    """A file a Debian package installs (the CJK fonts): there, or skipped locally / failed
    under CI."""
    if path.is_file():
        return path
    message = f"{path} is missing; install {package} (scripts/setup-system.sh)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
