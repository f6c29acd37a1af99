"""Report the state of the database, Redis and the workers for /healthz."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import text

from web.extensions import db
from web.services.tasks import redis_answers


def database_state() -> dict[str, Any]:
    """Check the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return {"status": "ok", "dialect": db.engine.dialect.name}
    except Exception as exc:  # any driver error means the database is down
        db.session.rollback()
        return {"status": "down", "error": exc.__class__.__name__}


def worker_state(mode: str) -> dict[str, Any]:
    """Count the Celery workers consuming this installation's queue (only in worker mode)."""
    if mode == "inprocess":
        return {"status": "ok", "mode": "inprocess", "detail": "tasks run inside the web process"}
    celery = current_app.extensions["celery"]
    queue = celery.conf.task_default_queue
    try:
        # Workers of other checkouts may share the broker: only those on our queue count.
        replies = celery.control.inspect(timeout=1.0).active_queues() or {}
    except Exception as exc:  # broker unreachable
        return {"status": "down", "mode": "worker", "queue": queue, "error": exc.__class__.__name__}
    workers = sum(
        any(consumed.get("name") == queue for consumed in queues or [])
        for queues in replies.values()
    )
    return {
        "status": "ok" if workers else "down",
        "mode": "worker",
        "queue": queue,
        "workers": workers,
    }


def health() -> tuple[dict[str, Any], bool]:
    """Return the health report and whether the service can do its job."""
    mode = current_app.extensions.get("task_mode", "inprocess")
    database = database_state()
    if mode == "worker":
        broker = {"status": "ok" if redis_answers(current_app.config["REDIS_URL"]) else "down"}
        worker = (
            worker_state(mode) if broker["status"] == "ok" else {"status": "down", "mode": "worker"}
        )
    else:
        broker = {"status": "unused", "detail": "no Redis: tasks run in-process"}
        worker = worker_state(mode)
    if database["status"] != "ok":
        status = "down"
    elif worker["status"] != "ok":
        status = "degraded"  # pages work; emails and runs wait in the outbox
    else:
        status = "ok"
    return {
        "status": status,
        "database": database,
        "redis": broker,
        "worker": worker,
    }, status != "down"
