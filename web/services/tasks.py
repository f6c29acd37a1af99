"""Enqueue background work by task name: a real worker when Redis answers, else in-process.

web/ never imports workers/: tasks are found by name in the Celery app bound to Flask.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis
from flask import Flask, current_app

log = logging.getLogger(__name__)
_executor_lock = threading.Lock()


def redis_answers(url: str, timeout: float = 1.0) -> bool:
    """Tell whether Redis answers PING within the timeout."""
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def resolve_task_mode(app: Flask) -> str:
    """Decide once at start-up whether tasks go to a worker or run in-process."""
    mode = app.config["TASK_MODE"]
    if mode == "auto":
        mode = "worker" if redis_answers(app.config["REDIS_URL"]) else "inprocess"
    if mode not in {"worker", "inprocess"}:
        raise RuntimeError(f"TASK_MODE must be auto, worker or inprocess, got {mode!r}")
    if mode == "inprocess":
        log.warning(
            "tasks run in-process: no Celery worker (Redis not used at %s)", app.config["REDIS_URL"]
        )
    else:
        log.info("tasks go to Celery workers through %s", app.config["REDIS_URL"])
    app.extensions["task_mode"] = mode
    return mode


def _executor(app: Flask) -> ThreadPoolExecutor:
    with _executor_lock:
        executor = app.extensions.get("inprocess_executor")
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inprocess-task")
            app.extensions["inprocess_executor"] = executor
        return executor


def _run_inprocess(app: Flask, name: str, args: tuple, kwargs: dict) -> None:
    celery_app = app.extensions["celery"]
    celery_app.loader.import_default_modules()
    try:
        celery_app.tasks[name].apply(args=args, kwargs=kwargs, throw=True)
    except Exception:
        log.exception("in-process task %s failed", name)


def enqueue(name: str, *args: Any, **kwargs: Any) -> bool:
    """Send a task by name; return False when it could not be queued (the caller's row waits).

    In-process mode runs the task on a background thread after the request, so a web
    request never waits for it; worker mode fails fast (~2 s) when Redis is unreachable.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions.get("task_mode") == "inprocess":
        _executor(app).submit(_run_inprocess, app, name, args, kwargs)
        return True
    try:
        # No publish retry: on a broker that accepts connections but never answers, each
        # retry costs another socket timeout (measured: 8 s with the retry policy, 2 s without).
        app.extensions["celery"].send_task(name, args=args, kwargs=kwargs, retry=False)
    except Exception as exc:  # kombu raises several kinds; the outbox row simply waits
        log.warning("could not queue task %s: %s", name, exc.__class__.__name__)
        return False
    return True


def wait_for_inprocess_tasks(app: Flask) -> None:
    """Block until queued in-process tasks have run (used by the CLI and tests)."""
    executor = app.extensions.get("inprocess_executor")
    if executor is not None:
        executor.submit(lambda: None).result()
