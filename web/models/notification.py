"""Transactional outbox: every email is a row written with the change that causes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from web.extensions import db
from web.models.common import in_set, utcnow

# pending -> sending (claimed by one worker, with a lease) -> sent | pending (retry) | failed;
# or cancelled, never to be sent, for one of the CANCEL_REASONS.
NOTIFICATION_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
# Why an email was cancelled: the recipient opted out of non-essential emails, it is demo
# history written after the fact, or the recipient's account was erased.
CANCEL_REASONS = ("opted_out", "demo_history", "recipient_erased")


class Notification(db.Model):
    """An email to send exactly once, identified by its idempotency key."""

    __table_args__ = (
        CheckConstraint(in_set("status", NOTIFICATION_STATUSES), name="status"),
        CheckConstraint(
            in_set("cancel_reason", CANCEL_REASONS, nullable=True), name="cancel_reason"
        ),
        Index("ix_notification_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    template: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(8), default="it")
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    essential: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    cancel_reason: Mapped[str | None] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a worker claimed the row for sending; a claim older than the lease may be retaken.
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class NotificationOptOut(db.Model):
    """A person who asked not to receive non-essential emails (reminders, digests)."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduledJobClaim(db.Model):
    """One run of a periodic job for one period (e.g. a territory's night): taken only once."""

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
