"""Transactional outbox: write a notification with the change; deliver it after commit.

Delivery itself lives in web.services.delivery; this module writes, finds and requeues rows.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, event, func, or_, select, update
from sqlalchemy.orm import Session

from web.extensions import db
from web.models import Notification, NotificationOptOut
from web.models.common import utcnow
from web.services import audit
from web.services.contacts import contact_for
from web.services.errors import ServiceError
from web.services.tasks import enqueue

log = logging.getLogger(__name__)
DELIVER_TASK = "notifications.deliver"
REQUEUE_TASK = "notifications.requeue_pending"
PENDING_KEY = "notifications_to_enqueue"


def notify(
    *,
    key: str,
    to: str,
    template: str,
    locale: str = "it",
    context: dict[str, Any] | None = None,
    user_id: int | None = None,
    essential: bool = True,
    territory_id: int | None = None,
    coordinator_id: int | None = None,
) -> Notification:
    """Add an email to the outbox in the caller's transaction; it is queued once committed.

    The key makes the email unique: notifying twice with the same key writes one row.
    Non-essential emails (reminders, digests) to someone who opted out are kept, cancelled.
    The email names the contact of its territory as the person to reach, and replies go
    to them; when the territory names nobody, the coordinator who made the decision the
    email tells of (`coordinator_id`), and only then the deployment's contact.
    """
    existing = db.session.scalar(select(Notification).where(Notification.idempotency_key == key))
    if existing is not None:
        return existing
    notification = Notification(
        idempotency_key=key,
        recipient_email=to,
        recipient_user_id=user_id,
        template=template,
        locale=locale,
        context={
            **(context or {}),
            "contact": contact_for(territory_id, coordinator_id).as_context(),
        },
        essential=essential,
    )
    if not essential and user_id is not None and has_opted_out(user_id):
        notification.status = "cancelled"
        notification.cancel_reason = "opted_out"
    db.session.add(notification)
    db.session.flush()
    if notification.status == "pending":
        db.session.info.setdefault(PENDING_KEY, []).append(notification.id)
    return notification


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    # A failed enqueue (Redis down) leaves the row pending: the beat job queues it later.
    ids = session.info.pop(PENDING_KEY, [])
    for notification_id in ids:
        enqueue(DELIVER_TASK, notification_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def has_opted_out(user_id: int) -> bool:
    """Tell whether this person refused non-essential emails."""
    return db.session.get(NotificationOptOut, user_id) is not None


def requeue_stale() -> int:
    """Queue again rows due for too long or whose sender died; return how many were queued.

    Each row is pushed forward by the stale period so an outage queues it once, not on
    every beat tick; a duplicate queue entry is harmless (delivery claims the row).
    """
    config = current_app.config
    now = utcnow()
    stale_before = now - timedelta(seconds=config["NOTIFICATION_STALE_SECONDS"])
    lease_before = now - timedelta(seconds=config["NOTIFICATION_LEASE_SECONDS"])
    stale = or_(
        (Notification.status == "pending") & (Notification.next_attempt_at < stale_before),
        (Notification.status == "sending") & (Notification.claimed_at < lease_before),
    )
    ids = list(db.session.scalars(select(Notification.id).where(stale).limit(1000)))
    if not ids:
        return 0
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.status == "pending")
        .values(next_attempt_at=now)
    )
    db.session.commit()
    queued = sum(enqueue(DELIVER_TASK, notification_id) for notification_id in ids)
    if queued:
        log.info("requeued %d stale notifications", queued)
    return queued


@dataclass(frozen=True)
class NotificationFilter:
    """What the admin list shows: status, template and recipient (substring)."""

    status: str = ""
    template: str = ""
    recipient: str = ""


def notifications_query(criteria: NotificationFilter) -> Select:
    """Build the admin list's query, newest first."""
    query = select(Notification).order_by(Notification.id.desc())
    if criteria.status:
        query = query.where(Notification.status == criteria.status)
    if criteria.template:
        query = query.where(Notification.template == criteria.template)
    if criteria.recipient:
        pattern = f"%{criteria.recipient.lower()}%"
        query = query.where(func.lower(Notification.recipient_email).like(pattern))
    return query


def status_counts() -> dict[str, int]:
    """Count notifications by status (for the admin overview)."""
    rows = db.session.execute(
        select(Notification.status, func.count()).group_by(Notification.status)
    )
    return {row[0]: row[1] for row in rows}


def template_names() -> list[str]:
    """List the templates used by at least one notification."""
    return list(db.session.scalars(select(Notification.template).distinct().order_by("template")))


def retry(notification_id: int) -> Notification:
    """Give a failed notification a fresh set of attempts and queue it (admin action)."""
    notification = db.get_or_404(Notification, notification_id)
    if notification.status != "failed":
        raise ServiceError(_("Only a failed email can be sent again."))
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification.id, Notification.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), claimed_at=None)
    )
    audit.record("notification.retry", "notification", notification.id)
    db.session.info.setdefault(PENDING_KEY, []).append(notification.id)
    db.session.commit()
    return notification


def send_test_email(to: str, locale: str = "it") -> Notification:
    """Queue a test email (admins check the mail set-up with it)."""
    notification = notify(
        key=f"test-message:{secrets.token_urlsafe(12)}",
        to=to,
        template="test_message",
        locale=locale,
    )
    audit.record("notification.test", "notification", notification.id)
    db.session.commit()
    return notification


@contextmanager
def kept_unsent(reason: str) -> Iterator[None]:
    """Write emails as usual, but store them cancelled for a reason: never queued nor sent.

    For history written after the fact (the demo data): the rows stay readable in the outbox.
    """
    session = db.session()

    def cancel(session_: Session) -> None:
        ids = session_.info.pop(PENDING_KEY, [])
        if ids:
            session_.execute(
                update(Notification)
                .where(Notification.id.in_(ids))
                .values(status="cancelled", cancel_reason=reason)
            )

    event.listen(session, "before_commit", cancel)
    try:
        yield
    finally:
        event.remove(session, "before_commit", cancel)
