"""Celery tasks: thin wrappers that take ids and call web services."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from sqlalchemy import select

from web.extensions import db
from web.models import Notification
from web.models.common import utcnow
from web.services import notifications

log = logging.getLogger(__name__)


@shared_task(
    name=notifications.DELIVER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
)
def deliver_notification(self, notification_id: int) -> str:
    """Deliver one outbox notification; retry with backoff when SMTP fails."""
    try:
        return notifications.deliver(notification_id)
    except (OSError, notifications.smtplib.SMTPException) as exc:
        notifications.mark_failed(notification_id, f"{exc.__class__.__name__}: {exc}")
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 300)) from exc


@shared_task(name="notifications.requeue_pending")
def requeue_pending_notifications(older_than_seconds: int = 120) -> int:
    """Queue again notifications left pending (after a broker or worker outage)."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    ids = list(
        db.session.scalars(
            select(Notification.id).where(
                Notification.status == "pending", Notification.created_at < cutoff
            )
        )
    )
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)


@shared_task(name="matching.nightly_dry_runs")
def nightly_dry_runs() -> int:
    """Start a dry run for each territory with waiting beneficiaries (added with the engine)."""
    return 0
