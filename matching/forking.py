"""Work for the second core: a function run in a forked child while the caller goes on.

A fork shares the parent's arrays copy-on-write, so nothing is pickled on the way in;
only the result travels back, through a pipe. Daemonic processes (such as task workers)
may not have children, forking a process with other threads running can deadlock the
child (a lock held by another thread stays held), and a machine with one core gains
nothing: callers ask `second_core()` first and run the work themselves otherwise.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

Result = TypeVar("Result")


def second_core() -> bool:
    """Whether this process may fork a child and a second core is free for it."""
    if multiprocessing.current_process().daemon:
        return False  # daemonic processes (e.g. task workers) may not have children
    if threading.active_count() > 1:
        return False  # e.g. a web server's thread running tasks in-process
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _run(function: Callable[..., Any], args: tuple[Any, ...], connection: Connection) -> None:
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException as error:  # handed to the parent, which raises it
        outcome = (False, error)
    connection.send(outcome)
    connection.close()


class Forked(Generic[Result]):
    """`function(*args)` running in a forked child; `result()` waits for its value."""

    def __init__(self, function: Callable[..., Result], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(function, args, sender), daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> Result:
        """Wait for the child and return what the function returned (or raise its error)."""
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            raise RuntimeError("the forked worker died without an answer") from None
        finally:
            self._receiver.close()
            self._process.join()
        if not ok:
            raise value
        return value
