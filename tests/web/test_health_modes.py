"""/healthz in worker mode: degraded, quickly, when Redis does not answer."""

from __future__ import annotations

import socket
import time

import pytest

from config.settings import celery_settings


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_health_is_degraded_not_down_without_redis(make_app, database_url):
    """With Redis gone, do pages still work and /healthz say "degraded" within a few seconds?"""
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    app = make_app(database_url, TASK_MODE="worker", REDIS_URL=dead, CELERY=celery_settings(dead))
    started = time.monotonic()
    reply = app.test_client().get("/healthz")
    assert time.monotonic() - started < 5
    assert reply.status_code == 200
    report = reply.get_json()
    assert report["status"] == "degraded"
    assert report["redis"]["status"] == "down"
    assert app.test_client().get("/").status_code == 200


@pytest.mark.parametrize("mode", ["sometimes", ""])
def test_unknown_task_mode_is_refused_at_start(make_app, database_url, mode):
    """Does a typo in TASK_MODE stop the app with a message naming the setting?"""
    with pytest.raises(RuntimeError, match="TASK_MODE"):
        make_app(database_url, TASK_MODE=mode)
