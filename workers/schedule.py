"""Celery beat schedule: periodic jobs, referenced by task name."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "requeue-pending-notifications": {
        "task": "notifications.requeue_pending",
        "schedule": 60.0,
    },
    "nightly-dry-runs": {
        "task": "matching.nightly_dry_runs",
        "schedule": crontab(hour=2, minute=30),
    },
}
