"""lifecycle.py: the lock, the private temp folder and the stop signals, in one process."""

from __future__ import annotations

import os
import signal
import tempfile
import time

import pytest

from kitbuilder.errors import KitError
from kitbuilder.lifecycle import (
    LOCK,
    Interrupted,
    exclusive,
    private_temp,
    stop_on_signals,
    uninterrupted,
)


def test_private_temp_is_used_and_removed_even_after_an_error(monkeypatch):
    monkeypatch.delenv("TMPDIR", raising=False)
    before = tempfile.gettempdir()
    with pytest.raises(RuntimeError), private_temp() as folder:
        assert tempfile.gettempdir() == str(folder) == os.environ["TMPDIR"]
        tempfile.mkdtemp(prefix="weasyprint-")  # as WeasyPrint's font configuration does
        raise RuntimeError
    assert not folder.exists()
    assert tempfile.gettempdir() == before and "TMPDIR" not in os.environ


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130),
                                           (signal.SIGHUP, 129)])
def test_a_stop_signal_becomes_interrupted_and_the_handlers_are_restored(sig, code):
    before = signal.getsignal(sig)
    with pytest.raises(Interrupted) as stopped, stop_on_signals():
        os.kill(os.getpid(), sig)
        time.sleep(5)  # interrupted at once
    assert stopped.value.exit_code == code and stopped.value.name == sig.name
    assert signal.getsignal(sig) == before


def test_a_signal_waits_for_the_files_to_be_in_place():
    done = []
    with pytest.raises(Interrupted), stop_on_signals():
        with uninterrupted():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            done.append("manifest and state written")
        done.append("never reached")
    assert done == ["manifest and state written"]


def test_the_lock_names_its_holder_and_is_gone_afterwards(tmp_path):
    output = tmp_path / "output"
    with exclusive(output, wait=0):
        assert (output / LOCK).read_text() == f"{os.getpid()}\n"
        waited = []
        with pytest.raises(KitError) as busy, exclusive(output, wait=0.3,
                                                        on_wait=waited.append):
            pass
        assert waited == [os.getpid()]  # it waited for the holder before refusing
    assert f"another kitbuilder (pid {os.getpid()}) is writing to" in busy.value.problems[0].message
    assert not (output / LOCK).exists()
    assert not output.exists(), "a folder made only for the lock is removed with it"


def test_the_lock_in_a_folder_that_is_a_file_is_a_clean_error(tmp_path):
    (tmp_path / "output").write_text("a file\n")
    with pytest.raises(KitError) as failure, exclusive(tmp_path / "output", wait=0):
        pass
    assert "a file is in the way" in failure.value.problems[0].message
