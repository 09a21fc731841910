"""The warm pool: workers forked from one prepared process, each job's answer or failure
back in the build's process, and no process left once it is closed or stopped."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kitbuilder.render.pool import Overdue, WarmPool, WorkerDied
from tests.hostile.processes import alive, descendants, wait_gone

WARM: dict[str, object] = {}


def warm_up() -> None:
    WARM["pid"] = os.getpid()  # set in the warm process only; its workers inherit it


def prepare(extra: str) -> None:
    WARM["prepared"] = extra


def report(item: str) -> tuple:
    return item, os.getpid(), os.getppid(), WARM.get("pid"), WARM.get("prepared")


def fail(item: str):
    raise ValueError(f"bad {item}")


def die(item: str):
    os._exit(3)


def stuck(item: str):
    time.sleep(60)


@pytest.fixture
def no_leftovers():
    """Every process the test's pools start has ended when it ends."""
    before = descendants(os.getpid())
    yield
    assert not wait_gone(descendants(os.getpid()) - before), "a pool process outlived it"


def test_workers_start_warm_and_prepared_and_answer_every_job(no_leftovers):
    pool = WarmPool(2, warm_up)
    pool.start(prepare, "es")
    answers = dict(pool.run(["a", "b", "c", "d", "e"], report))
    pool.close()
    assert sorted(answers) == ["a", "b", "c", "d", "e"]
    for item, (echo, pid, parent, warm, prepared) in answers.items():
        assert echo == item and prepared == "es"
        assert parent == warm == pool.warm_pid != pid  # forked from the warm process
    assert len({pid for _, pid, *_ in answers.values()}) <= 2
    assert "pid" not in WARM  # nothing ran in this process
    assert not alive(pool.warm_pid)


def test_an_exception_in_a_job_is_raised_here_and_the_pool_stays_usable(no_leftovers):
    pool = WarmPool(2, warm_up)
    with pytest.raises(ValueError, match="bad x"):
        list(pool.run(["x"], fail))
    assert [item for item, _ in pool.run(["y"], report)] == ["y"]
    pool.close()


def test_a_worker_that_dies_is_reported_with_its_job(no_leftovers):
    pool = WarmPool(2, warm_up)
    with pytest.raises(WorkerDied) as died:
        list(pool.run(["lost"], die))
    pool.stop()
    assert died.value.item == "lost"


def test_a_failing_warm_up_only_costs_its_time():
    def broken() -> None:
        raise RuntimeError("no fonts")

    pool = WarmPool(1, broken)
    assert [item for item, _ in pool.run(["z"], report)] == ["z"]
    pool.close()


def test_the_watchdog_stops_a_job_past_its_limit_with_its_group(no_leftovers):
    pool = WarmPool(2, warm_up)
    started = time.monotonic()
    with pytest.raises(Overdue) as late:
        list(pool.run(["slow"], stuck, time_limit=0.3, grace=0.2))
    assert late.value.item == "slow" and time.monotonic() - started < 10
    assert not alive(pool.warm_pid)  # and its workers are gone (no_leftovers)


def test_a_pool_never_started_is_not_waited_for(no_leftovers):
    def slow_warm_up() -> None:
        time.sleep(30)

    pool = WarmPool(2, slow_warm_up)
    started = time.monotonic()
    pool.close()
    assert time.monotonic() - started < 5


def test_workers_ignore_the_terminals_signals(no_leftovers):
    pool = WarmPool(1, warm_up)
    [(_, (_, pid, *_))] = list(pool.run(["p"], report))
    os.kill(pid, signal.SIGINT)
    os.kill(pid, signal.SIGHUP)
    assert [item for item, _ in pool.run(["q"], report)] == ["q"]
    pool.close()
    assert not alive(pid)


def slow_warm_up() -> None:
    time.sleep(0.5)


def test_light_jobs_run_here_while_the_workers_warm_up(no_leftovers):
    pool = WarmPool(1, slow_warm_up)
    answers = dict(pool.run(["heavy", "light"], report, light=lambda item: item == "light"))
    pool.close()
    assert answers["light"][1] == os.getpid()  # this process had nothing else to do
    assert answers["heavy"][1] not in (os.getpid(), pool.warm_pid)


def test_the_languages_read_in_a_thread_reach_the_workers(no_leftovers):
    pool = WarmPool(2, warm_up)
    pool.start_after(lambda: ("read in a thread",), prepare)
    answers = dict(pool.run(["a", "b"], report))
    pool.close()
    assert {prepared for *_, prepared in answers.values()} == {"read in a thread"}


def stuck_warm_up() -> None:
    time.sleep(60)  # as if stuck in one C call: nothing interrupts it


def test_a_warm_up_that_never_ends_stops_the_pool_in_time(no_leftovers):
    pool = WarmPool(2, stuck_warm_up)
    started = time.monotonic()
    with pytest.raises(Overdue) as late:
        list(pool.run(["first", "second"], report, time_limit=0.3, grace=0.2))
    assert late.value.item == "first" and time.monotonic() - started < 10
    assert not alive(pool.warm_pid)
