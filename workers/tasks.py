"""Celery tasks: thin wrappers that take ids and call web services."""

from __future__ import annotations

import logging

from celery import shared_task

from web.services import delivery, digests, notifications, retention, scheduling

log = logging.getLogger(__name__)


@shared_task(
    name=notifications.DELIVER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the service counts attempts and marks the row failed
)
def deliver_notification(self, notification_id: int) -> str:
    """Deliver one outbox notification; try again later (backoff + jitter) when SMTP fails."""
    try:
        return delivery.deliver(notification_id)
    except delivery.DeliveryFailed as failed:
        if failed.retry_in is None:
            return "failed"
        if self.request.is_eager:
            return "will retry"  # in-process mode: no delayed tasks; the requeue job does it
        raise self.retry(countdown=failed.retry_in, exc=failed) from failed


@shared_task(name=notifications.REQUEUE_TASK, acks_late=True, reject_on_worker_lost=True)
def requeue_pending_notifications() -> int:
    """Queue again notifications left waiting (after a broker, SMTP or worker outage)."""
    return notifications.requeue_stale()


@shared_task(name="notifications.weekly_digest", acks_late=True)
def weekly_digest() -> int:
    """Write the coordinators' weekly digests."""
    return digests.send_weekly_digests()


@shared_task(name="notifications.meeting_reminders", acks_late=True)
def meeting_reminders() -> int:
    """Remind tutors who have logged no meeting for a while."""
    return digests.send_meeting_reminders()


@shared_task(name="retention.erase_expired", acks_late=True)
def erase_expired() -> dict:
    """Erase records past the retention period."""
    report = retention.erase_expired()
    return {"beneficiaries": report.beneficiaries, "tutors": report.tutors}


@shared_task(name="scheduling.nightly_dry_runs", acks_late=True)
def nightly_dry_runs() -> int:
    """Queue a dry run for each territory with waiting beneficiaries (once a night)."""
    return scheduling.start_nightly_dry_runs()
