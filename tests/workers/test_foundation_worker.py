"""A task sent through Redis reaches a real worker process, which changes the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import worker_process
from tests.services import require_redis
from web.extensions import db
from web.models import Notification
from web.services.notifications import notify

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


def test_a_task_through_redis_is_run_by_a_real_worker(
    make_app, postgres_url, worker_config_overrides, tmp_path
):
    """Does an email queued by the web app get delivered by a separate worker process?"""
    redis_url = require_redis()
    app = make_app(postgres_url, **worker_config_overrides)
    queue = app.config["CELERY"]["task_default_queue"]
    env = worker_process.worker_env(postgres_url, redis_url, queue)
    with app.app_context(), worker_process.celery_worker(app, env, log=tmp_path / "worker.log"):
        notification = notify(
            key="foundation-test", to="someone@example.org", template="test_message"
        )
        db.session.commit()  # the outbox row is committed, then the task goes to Redis
        notification_id = notification.id

        def delivered() -> bool:
            db.session.rollback()
            return (
                db.session.scalar(
                    select(Notification.status).where(Notification.id == notification_id)
                )
                == "sent"
            )

        worker_process.wait_until(
            delivered, timeout=60, what="the worker to deliver the notification"
        )
    assert "notifications.deliver" in (tmp_path / "worker.log").read_text()


def test_healthz_counts_only_the_workers_of_this_installations_queue(
    make_app, postgres_url, worker_config_overrides, tmp_path
):
    """With another checkout's worker on the same Redis, does /healthz count only ours?"""
    redis_url = require_redis()
    app = make_app(postgres_url, **worker_config_overrides)
    queue = app.config["CELERY"]["task_default_queue"]
    others = worker_process.worker_env(postgres_url, redis_url, f"{queue}-other-checkout")
    with worker_process.celery_worker(app, others, log=tmp_path / "other.log"):
        report = app.test_client().get("/healthz").get_json()
        assert report["worker"] == {
            "status": "down",
            "mode": "worker",
            "queue": queue,
            "workers": 0,
        }
        assert report["status"] == "degraded"
        ours = worker_process.worker_env(postgres_url, redis_url, queue)
        with worker_process.celery_worker(app, ours, log=tmp_path / "worker.log"):
            report = app.test_client().get("/healthz").get_json()
    assert report["worker"] == {"status": "ok", "mode": "worker", "queue": queue, "workers": 1}
    assert report["status"] == "ok"
