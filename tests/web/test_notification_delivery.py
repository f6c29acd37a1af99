"""Outbox delivery in-process: claims, stable Message-IDs, backoff, failure and admin retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests import factories
from tests.smtp_sink import free_port
from web.extensions import db
from web.models import Notification
from web.models.common import utcnow
from web.services import delivery
from web.services.notifications import notify, requeue_stale
from web.services.tasks import wait_for_inprocess_tasks


def write(key: str = "hello", **fields) -> Notification:
    """Write and commit one notification (it is then delivered in-process)."""
    notification = notify(
        key=key, to="someone@example.org", template=fields.pop("template", "test_message"), **fields
    )
    db.session.commit()
    return notification


def row(notification_id: int) -> Notification:
    """Read a notification as committed."""
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


def test_same_key_twice_writes_one_row_and_sends_once(app, smtp_sink):
    """Does notifying twice with one key, then delivering again, send a single email?"""
    first = write("match:1:approved")
    second = write("match:1:approved")
    wait_for_inprocess_tasks(app)
    assert first.id == second.id
    assert delivery.deliver(first.id) == "skipped (sent)"
    sent = row(first.id)
    assert sent.status == "sent" and sent.attempts == 1 and sent.sent_at is not None
    assert smtp_sink.message_ids() == [delivery.message_id_for("match:1:approved")]
    assert sent.message_id == delivery.message_id_for("match:1:approved")


def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(app, monkeypatch):
    """Can two workers hold the same row? And is a dead worker's row taken over later?"""
    monkeypatch.setattr("web.services.notifications.enqueue", lambda *args: True)
    notification = write("claim")
    assert delivery.claim(notification.id) is not None
    assert delivery.claim(notification.id) is None  # someone holds it
    expired = utcnow() - timedelta(seconds=app.config["NOTIFICATION_LEASE_SECONDS"] + 1)
    db.session.execute(
        update(Notification).where(Notification.id == notification.id).values(claimed_at=expired)
    )
    db.session.commit()
    retaken = delivery.claim(notification.id)
    assert retaken is not None and retaken.attempts == 2
    assert retaken.message_id == delivery.message_id_for("claim")  # same id on the resend


def test_smtp_down_backs_off_then_fails_and_an_admin_retries(app, client):
    """Does a refused connection lead to spaced attempts, then `failed`, then a retry works?"""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), NOTIFICATION_MAX_ATTEMPTS=3)
    notification = write("refused")
    wait_for_inprocess_tasks(app)
    waits = []
    for _ in range(2):
        current = row(notification.id)
        assert current.status == "pending" and "ConnectionRefused" in current.last_error
        waits.append((current.next_attempt_at - utcnow()).total_seconds())
        db.session.execute(
            update(Notification)
            .where(Notification.id == notification.id)
            .values(next_attempt_at=utcnow())
        )
        db.session.commit()
        with pytest.raises(delivery.DeliveryFailed):
            delivery.deliver(notification.id)
    base = app.config["NOTIFICATION_RETRY_BASE_SECONDS"]
    assert base / 2 - 1 <= waits[0] <= base and base - 1 <= waits[1] <= 2 * base
    failed = row(notification.id)
    assert failed.status == "failed" and failed.attempts == 3

    admin = factories.user("admin")
    client.post("/login", data={"email": admin.email, "password": factories.PASSWORD})
    listing = client.get("/admin/notifications?status=failed")
    assert f"/admin/notifications/{notification.id}" in listing.text
    page = client.get(f"/admin/notifications/{notification.id}")
    assert "ConnectionRefused" in page.text and "/retry" in page.text
    app.config.update(MAIL_SERVER="")  # the mail server is fixed
    client.post(f"/admin/notifications/{notification.id}/retry")
    wait_for_inprocess_tasks(app)
    assert row(notification.id).status == "sent"
    again = client.post(f"/admin/notifications/{notification.id}/retry", follow_redirects=True)
    assert again.status_code == 200 and "Solo un&#39;email non riuscita" in again.text


def test_a_broken_template_fails_at_once_and_the_page_still_shows(app, client):
    """Does an email whose template is missing fail without retries, and not break the page?"""
    notification = write("broken", template="no_such_email")
    wait_for_inprocess_tasks(app)
    failed = row(notification.id)
    assert failed.status == "failed" and "TemplateNotFound" in failed.last_error
    admin = factories.user("admin")
    client.post("/login", data={"email": admin.email, "password": factories.PASSWORD})
    assert client.get(f"/admin/notifications/{notification.id}").status_code == 200


def test_requeue_picks_up_rows_left_waiting(app, monkeypatch):
    """Does the beat job queue again a row whose enqueue was lost, and a dead worker's row?"""
    queued = []
    monkeypatch.setattr(
        "web.services.notifications.enqueue", lambda name, i: queued.append(i) or True
    )
    waiting = write("lost-enqueue")
    stuck = write("dead-worker")
    fresh = write("fresh")
    long_ago = utcnow() - timedelta(hours=1)
    db.session.execute(
        update(Notification).where(Notification.id == waiting.id).values(next_attempt_at=long_ago)
    )
    db.session.execute(
        update(Notification)
        .where(Notification.id == stuck.id)
        .values(status="sending", claimed_at=long_ago)
    )
    db.session.commit()
    queued.clear()  # forget the enqueues after commit: they were "lost"
    requeue_stale()
    assert sorted(queued) == sorted([waiting.id, stuck.id])
    assert fresh.id not in queued
