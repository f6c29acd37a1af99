"""A matching run sent through Redis is executed by a real worker process, with progress."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories, worker_process
from tests.services import require_redis
from tests.web.matching_helpers import login
from web.extensions import db
from web.models import MatchRun

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


def test_run_matching_through_a_real_worker(
    make_app, postgres_url, worker_config_overrides, tmp_path
):
    """Does "Run matching" reach a separate worker that finishes the run with KPIs and phases?"""
    redis_url = require_redis()
    app = make_app(postgres_url, **worker_config_overrides)
    queue = app.config["CELERY"]["task_default_queue"]
    env = worker_process.worker_env(postgres_url, redis_url, queue)
    with app.app_context():
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma], locale="en")
        for name in ("Giulia Rossi", "Marco Bianchi", "Sara Greco"):
            factories.tutor(parma, display_name=name)
        for index in range(5):
            factories.beneficiary(parma, first_name=f"Amina{index}")
        client = app.test_client()
        log = tmp_path / "worker.log"
        with worker_process.celery_worker(app, env, log=log):
            login(client, coordinator)
            reply = client.post(f"/runs/territory/{parma.id}")
            assert reply.status_code == 302
            run_id = int(reply.headers["Location"].rsplit("/", 1)[1])

            def finished() -> str | None:
                db.session.rollback()
                status = db.session.scalar(select(MatchRun.status).where(MatchRun.id == run_id))
                return status if status in ("done", "failed") else None

            assert (
                worker_process.wait_until(finished, timeout=60, what="the run to finish") == "done"
            )
        run = db.session.get(MatchRun, run_id)
        assert run.progress == 1.0 and run.error is None
        assert run.stats["phases"] == ["loading", "candidates", "scoring", "assignment", "saving"]
        assert run.stats["kpis"]["would_match"] == 5 and run.stats["kpis"]["beneficiaries"] == 5
        assert run.started_at is not None and run.finished_at >= run.started_at
        assert client.get(f"/runs/{run_id}/progress").json["finished"] is True
        assert "matching.run" in log.read_text()
