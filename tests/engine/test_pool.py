"""The build's worker pool (engine/pool.py): each job's answer or failure back in the build's
process, a job past its time limit or whose worker died reported as lost, and no process left
once the pool is closed or stopped."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kitbuilder.engine.pool import Lost, Pool, stay_with_parent
from kitbuilder.lifecycle import stop_on_signals
from tests.hostile.processes import alive, descendants, wait_gone

SHARED: dict[str, object] = {}


def share(value: str) -> None:
    SHARED["value"] = value  # set in each worker by the initializer


def report(item: str) -> tuple:
    return item, os.getpid(), os.getppid(), SHARED.get("value")


def fail(item: str):
    raise ValueError(f"bad {item}")


def die(item: str):
    os._exit(3)


def stuck(item: str):
    """Blocks for ever, deaf to the alarm a time limit sets in this process (as if stuck in
    one C call)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    while True:
        time.sleep(60)


@pytest.fixture
def no_leftovers():
    """Every process the test's pools start has ended when it ends."""
    before = descendants(os.getpid())
    yield
    assert not wait_gone(descendants(os.getpid()) - before), "a pool process outlived it"


def test_workers_start_with_the_initializer_and_answer_every_job(no_leftovers):
    with Pool(2, initializer=share, initargs=("es",)) as pool:
        answers = dict(pool.run(["a", "b", "c", "d", "e"], report))
    assert sorted(answers) == ["a", "b", "c", "d", "e"]
    for item, (echo, pid, parent, value) in answers.items():
        assert echo == item and value == "es"
        assert parent == os.getpid() != pid  # forked from this process
    assert len({pid for _, pid, *_ in answers.values()}) <= 2
    assert "value" not in SHARED  # nothing ran in this process
    assert not any(alive(pid) for _, pid, *_ in answers.values())


def test_with_one_worker_the_jobs_run_here():
    with Pool(1, initializer=share, initargs=("here",)) as pool:
        [(_, (_, pid, _, value))] = list(pool.run(["x"], report))
    SHARED.clear()
    assert pid == os.getpid() and value == "here"


def test_an_exception_in_a_job_is_raised_here_and_the_pool_is_stopped(no_leftovers):
    with pytest.raises(ValueError, match="bad x"), Pool(2) as pool:
        list(pool.run(["x"], fail))


def test_a_worker_that_dies_is_reported_with_its_job(no_leftovers):
    with Pool(2) as pool:
        answers = dict(pool.run(["lost", "kept"], _die_or_report))
    assert isinstance(answers["lost"], Lost) and answers["lost"].reason == "died"
    assert answers["kept"][0] == "kept"  # the others go on


def _die_or_report(item: str):
    return die(item) if item == "lost" else report(item)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_stuck_past_its_limit_is_lost_and_its_worker_killed(no_leftovers, workers):
    """Whatever the machine's load: a job that never ends, a small limit."""
    with Pool(workers, time_limit=0.3) as pool:
        answers = dict(pool.run(["slow"], stuck if workers > 1 else _stuck_in_python))
    assert answers["slow"] == Lost("timeout", 0.3)


def _stuck_in_python(item: str):
    while True:
        time.sleep(60)


def test_a_stop_kills_the_workers_at_once(no_leftovers):
    """An error or a stop signal in the build's process while jobs run (here: the first
    answer ends the block) leaves no worker, even one stuck where no signal handler runs."""
    with pytest.raises(RuntimeError), Pool(2) as pool:
        for _ in pool.run(["quick", "slow"], _quick_or_stuck):
            raise RuntimeError("interrupted")


def _quick_or_stuck(item: str):
    return item if item == "quick" else stuck(item)


def test_workers_ignore_the_terminals_signals(no_leftovers):
    with Pool(2) as pool:
        [(_, (_, pid, *_))] = list(pool.run(["p"], report))
        os.kill(pid, signal.SIGINT)
        os.kill(pid, signal.SIGHUP)
        assert [item for item, _ in pool.run(["q", "r"], report)] != []
        assert alive(pid)
    assert not alive(pid)


def test_a_worker_ends_on_sigterm_at_once():
    """Not with the build's handler, inherited by fork (a terminated pool once waited forever
    for a worker)."""
    import multiprocessing

    def check(pipe):
        stay_with_parent(os.getppid())
        pipe.send(signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)

    with stop_on_signals():  # as in a build: the handler a fork inherits
        here, there = multiprocessing.get_context("fork").Pipe()
        child = multiprocessing.get_context("fork").Process(target=check, args=(there,))
        child.start()
        assert here.recv() is True
        child.join(10)
    assert child.exitcode == 0
