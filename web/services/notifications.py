"""Transactional outbox: write a notification with the change; deliver it after commit."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from web.extensions import db
from web.models import Notification
from web.models.common import utcnow
from web.services.tasks import enqueue

log = logging.getLogger(__name__)
DELIVER_TASK = "notifications.deliver"
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
) -> Notification:
    """Add an email to the outbox in the caller's transaction; it is queued once committed."""
    existing = db.session.scalar(select(Notification).where(Notification.idempotency_key == key))
    if existing is not None:
        return existing
    notification = Notification(
        idempotency_key=key,
        recipient_email=to,
        recipient_user_id=user_id,
        template=template,
        locale=locale,
        context=context or {},
        essential=essential,
    )
    db.session.add(notification)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(notification.id)
    return notification


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    ids = session.info.pop(PENDING_KEY, [])
    for notification_id in ids:
        enqueue(DELIVER_TASK, notification_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def message_id_for(notification: Notification) -> str:
    """Derive a stable Message-ID from the idempotency key, so a resend is recognisable."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain or 'tutormatch.local'}>"


def build_message(notification: Notification) -> EmailMessage:
    """Render the notification's subject, plain text and HTML in its locale."""
    with force_locale(notification.locale):
        context = dict(notification.context)
        subject = render_template(f"email/{notification.template}.subject.txt", **context).strip()
        text = render_template(f"email/{notification.template}.txt", **context)
        html = render_template(f"email/{notification.template}.html", **context)
    message = EmailMessage()
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    message["From"] = formataddr((name, address))
    message["To"] = notification.recipient_email
    message["Subject"] = subject
    message["Message-ID"] = notification.message_id or message_id_for(notification)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def deliver(notification_id: int) -> str:
    """Send one notification at most once; return what happened."""
    notification = db.session.get(Notification, notification_id, with_for_update=True)
    if notification is None:
        return "missing"
    if notification.status != "pending":
        db.session.rollback()
        return notification.status
    notification.attempts += 1
    notification.message_id = notification.message_id or message_id_for(notification)
    message = build_message(notification)
    if current_app.config["MAIL_SERVER"]:
        config = current_app.config
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    # Without SMTP the row itself is the mailbox (shown on the dev mailbox page).
    notification.status = "sent"
    notification.sent_at = utcnow()
    db.session.commit()
    log.info("notification %s sent (%s)", notification.id, notification.template)
    return "sent"


def mark_failed(notification_id: int, error: str) -> None:
    """Record a failed attempt's error without touching a row another worker has sent."""
    db.session.rollback()
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "pending")
        .values(last_error=error[:2000])
    )
    db.session.commit()
