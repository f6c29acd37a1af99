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
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar

Result = TypeVar("Result")


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere all cores count
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def second_core() -> bool:
    """Whether this process may fork a child and a second core is free for it."""
    if multiprocessing.current_process().daemon:
        return False  # daemonic processes (e.g. task workers) may not have children
    if threading.active_count() > 1:
        return False  # e.g. a web server's thread running tasks in-process
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return _cores() >= 2


def _run(
    function: Callable[..., Any], args: tuple[Any, ...], sender: Connection, receiver: Connection
) -> None:
    receiver.close()  # the parent's end: if the parent goes away, sending fails, not hangs
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException as error:  # handed to the parent, which raises it
        outcome = (False, error)
    try:
        sender.send(outcome)
    except Exception as unsent:  # an answer that cannot be pickled: describe it instead
        ok, value = outcome
        told = "" if ok else "".join(traceback.format_exception(value))
        sender.send((False, RuntimeError(f"{told}the answer could not be sent: {unsent!r}")))
    finally:
        sender.close()


class Forked(Generic[Result]):
    """`function(*args)` computed in a forked child; `result()` waits for its value.

    Use it as a context manager: leaving the block, by an error too, ends a child whose
    answer is no longer wanted. If the fork itself fails (no memory for a new process,
    too many processes), the function runs here, in `result()`.
    """

    def __init__(self, function: Callable[..., Result], *args: Any) -> None:
        self._function, self._args = function, args
        self._here = False  # the fork failed: compute in result()
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process: Any = context.Process(
            target=_run, args=(function, args, sender, self._receiver), daemon=True
        )
        try:
            self._process.start()
        except OSError:
            self._process, self._here = None, True
            self._receiver.close()
        finally:
            sender.close()

    def result(self) -> Result:
        """Wait for the child and return what the function returned (or raise its error)."""
        if self._here:
            return self._function(*self._args)
        if self._process is None:
            raise RuntimeError("the forked worker was already closed")
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            raise RuntimeError("the forked worker died without an answer") from None
        except Exception as error:  # an answer that cannot be rebuilt here
            raise RuntimeError(f"the forked worker's answer is unreadable: {error!r}") from error
        finally:
            self._receiver.close()
            self._process.join()
            self._process = None
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """End the child if it still runs and release the pipe."""
        if self._process is None:
            return
        self._receiver.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._process = None

    def __enter__(self) -> Forked[Result]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
