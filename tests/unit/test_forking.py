"""The forked worker: its answer, its errors, and that it never outlives the caller."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import numpy as np
import pytest

from matching import forking
from matching.forking import Forked, second_core


def test_the_answer_comes_back() -> None:
    """Does a large result (beyond a pipe's buffer) arrive whole?"""
    with Forked(np.arange, 1_000_000) as worker:
        assert np.array_equal(worker.result(), np.arange(1_000_000))


def test_a_failing_forked_worker_raises_its_error() -> None:
    """Does an error in the forked worker reach the caller instead of hanging it?"""
    worker = Forked(int, "not a number")
    with pytest.raises(ValueError, match="not a number"):
        worker.result()


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def _raise_unpicklable() -> None:
    raise _Unpicklable


def test_an_error_that_cannot_travel_is_still_told() -> None:
    """Is an error that cannot be pickled reported with its traceback text?"""
    with Forked(_raise_unpicklable) as worker, pytest.raises(RuntimeError, match="_Unpicklable"):
        worker.result()


class _KeywordOnly(Exception):
    def __init__(self, *, code: str) -> None:
        super().__init__(code)


def _raise_keyword_only() -> None:
    raise _KeywordOnly(code="E1")


def test_an_error_that_cannot_be_rebuilt_is_still_told() -> None:
    """Is an error that pickles but cannot be rebuilt here reported, not a stray TypeError?"""
    with Forked(_raise_keyword_only) as worker, pytest.raises(RuntimeError, match="unreadable"):
        worker.result()


def _pid_after_sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_leaving_early_ends_the_child() -> None:
    """Does an error in the caller's block end a child whose answer nobody will read?"""
    with pytest.raises(KeyError), Forked(_pid_after_sleep, 60) as worker:
        child = worker._process.pid
        raise KeyError("the caller failed")
    assert not any(p.pid == child for p in multiprocessing.active_children())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_a_failed_fork_computes_here(monkeypatch) -> None:
    """When no process can be forked, is the answer computed in this one?"""

    def refuse(self) -> None:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    with Forked(_pid_after_sleep, 0) as worker:
        assert worker.result() == os.getpid()


def test_no_fork_while_other_threads_run() -> None:
    """Does the engine stay in one process when another thread could hold a lock?"""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not second_core()
    finally:
        release.set()
        other.join()


def test_cores_without_affinity(monkeypatch) -> None:
    """Where the system has no CPU affinity call (macOS), are all cores counted?"""
    monkeypatch.delattr(os, "sched_getaffinity")
    assert forking._cores() == (os.cpu_count() or 1)
