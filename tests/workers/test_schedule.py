"""The beat schedule and the task registry agree (no worker needed)."""

from __future__ import annotations

from celery.schedules import crontab

from tests.conftest import make_config
from web import create_app
from workers.schedule import beat_schedule


def test_beat_schedule_names_only_registered_tasks():
    """Does every periodic job name a task the worker really has?"""
    app = create_app(make_config("sqlite://"))
    celery_app = app.extensions["celery"]
    celery_app.loader.import_default_modules()
    schedule = beat_schedule(app.config)
    missing = {entry["task"] for entry in schedule.values()} - set(celery_app.tasks)
    assert not missing, f"beat would send unknown tasks: {sorted(missing)}"


def test_every_job_of_the_issue_is_scheduled():
    """Are the requeue, dry-run, digest, reminder and retention jobs all on the schedule?"""
    app = create_app(make_config("sqlite://", NOTIFICATION_REQUEUE_EVERY_SECONDS=45))
    schedule = beat_schedule(app.config)
    tasks = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert tasks["notifications.requeue_pending"] == 45.0
    for name in (
        "scheduling.nightly_dry_runs",
        "notifications.weekly_digest",
        "notifications.meeting_reminders",
        "retention.erase_expired",
    ):
        assert isinstance(tasks[name], crontab)
