"""Celery beat schedule: periodic jobs, referenced by task name (times are Europe/Rome)."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab


def beat_schedule(config: Any) -> dict:
    """Return the periodic jobs; the requeue interval comes from the settings."""
    return {
        "requeue-pending-notifications": {
            "task": "notifications.requeue_pending",
            "schedule": float(config["NOTIFICATION_REQUEUE_EVERY_SECONDS"]),
        },
        "nightly-dry-runs": {
            "task": "scheduling.nightly_dry_runs",
            "schedule": crontab(hour=2, minute=30),
        },
        "weekly-coordinator-digest": {
            "task": "notifications.weekly_digest",
            "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        },
        "meeting-reminders": {
            "task": "notifications.meeting_reminders",
            "schedule": crontab(hour=9, minute=0),
        },
        "data-retention": {
            "task": "retention.erase_expired",
            "schedule": crontab(hour=3, minute=30),
        },
    }
