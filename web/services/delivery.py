"""Deliver one outbox notification over SMTP: claim the row, send, mark it sent.

The guarantee (docs/notifications.md): every notification is sent at least once, always
with the same Message-ID (derived from its idempotency key), and a second send can only
happen when a worker dies after the SMTP server accepted the message but before the row
was marked sent. A row is claimed by one worker at a time, with a lease.
"""

from __future__ import annotations

import hashlib
import logging
import random
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

from flask import current_app
from sqlalchemy import or_, update

from web.extensions import db
from web.models import Notification
from web.models.common import utcnow
from web.services.email_render import render_notification
from web.services.notifications import has_opted_out

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """An attempt failed; `retry_in` says when to try again (None: the row is now failed)."""

    def __init__(self, error: str, retry_in: float | None) -> None:
        super().__init__(error)
        self.retry_in = retry_in


def message_id_for(idempotency_key: str) -> str:
    """Derive a stable Message-ID from the idempotency key, so a resend is recognisable."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain or 'tutormatch.local'}>"


def build_message(notification: Notification) -> EmailMessage:
    """Build the email (plain text + HTML alternative) of a notification."""
    rendered = render_notification(notification)
    message = EmailMessage()
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    message["From"] = formataddr((name, address))
    message["To"] = notification.recipient_email
    if rendered.reply_to:
        message["Reply-To"] = rendered.reply_to  # the person named in the email, not noreply
    message["Subject"] = rendered.subject
    message["Message-ID"] = notification.message_id or message_id_for(notification.idempotency_key)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    # After the parts exist: making the message multipart moves Content-* headers into them.
    message["Content-Language"] = rendered.language
    return message


def backoff_seconds(attempts: int) -> float:
    """Wait before the next attempt: exponential in the attempts made, capped, with jitter."""
    config = current_app.config
    ceiling = min(
        config["NOTIFICATION_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0),
        config["NOTIFICATION_RETRY_MAX_SECONDS"],
    )
    return random.uniform(ceiling / 2, ceiling)  # "equal jitter": never zero, never in step


def claim(notification_id: int) -> Notification | None:
    """Take the row for this worker: pending and due, or sending with an expired lease.

    On PostgreSQL the SELECT ... FOR UPDATE serialises concurrent claimers; on SQLite, which
    ignores FOR UPDATE, the conditional UPDATE is the guard (it matches for one claimer only).
    """
    now = utcnow()
    row = db.session.get(Notification, notification_id, with_for_update=True)
    if row is None:
        db.session.rollback()
        return None
    lease_before = now - timedelta(seconds=current_app.config["NOTIFICATION_LEASE_SECONDS"])
    claimable = or_(
        (Notification.status == "pending") & (Notification.next_attempt_at <= now),
        (Notification.status == "sending") & (Notification.claimed_at < lease_before),
    )
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, claimable)
        .values(
            status="sending",
            claimed_at=now,
            attempts=Notification.attempts + 1,
            message_id=row.message_id or message_id_for(row.idempotency_key),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    db.session.refresh(row)
    return row


def send(message: EmailMessage) -> None:
    """Hand the message to the SMTP server set by MAIL_*."""
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["SMTP_TIMEOUT_SECONDS"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def is_transient(error: Exception) -> bool:
    """Tell whether trying again later may help (network trouble, 4xx), unlike a 5xx."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError | smtplib.SMTPException)


def _finish(notification_id: int, **values) -> None:
    db.session.rollback()
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "sending")
        .values(claimed_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver(notification_id: int) -> str:
    """Send one notification at most once per claim; return what happened.

    Raise DeliveryFailed when the attempt failed, after recording it on the row.
    """
    notification = claim(notification_id)
    if notification is None:
        current = db.session.get(Notification, notification_id)
        return "missing" if current is None else f"skipped ({current.status})"
    user_id = notification.recipient_user_id
    if not notification.essential and user_id is not None and has_opted_out(user_id):
        _finish(notification_id, status="cancelled", cancel_reason="opted_out")
        return "cancelled"
    try:
        message = build_message(notification)
    except Exception as exc:  # a missing or broken template: retrying will not help
        log.exception("notification %s could not be built", notification_id)
        raise _record_failure(notification, exc, transient=False) from exc
    try:
        if current_app.config["MAIL_SERVER"]:
            send(message)
        # Without SMTP the row itself is the mailbox (shown on the dev mailbox page).
    except Exception as exc:
        raise _record_failure(notification, exc, transient=is_transient(exc)) from exc
    _finish(notification_id, status="sent", sent_at=utcnow(), last_error=None)
    log.info("notification %s sent (%s)", notification_id, notification.template)
    return "sent"


def _record_failure(
    notification: Notification, error: Exception, *, transient: bool
) -> DeliveryFailed:
    attempts = notification.attempts
    text = f"{error.__class__.__name__}: {error}"[:2000]
    if not transient or attempts >= current_app.config["NOTIFICATION_MAX_ATTEMPTS"]:
        _finish(notification.id, status="failed", last_error=text)
        log.warning("notification %s failed for good after %d attempts", notification.id, attempts)
        return DeliveryFailed(text, None)
    wait = backoff_seconds(attempts)
    _finish(
        notification.id,
        status="pending",
        last_error=text,
        next_attempt_at=utcnow() + timedelta(seconds=wait),
    )
    log.info("notification %s attempt %d failed; next in %.1f s", notification.id, attempts, wait)
    return DeliveryFailed(text, wait)
