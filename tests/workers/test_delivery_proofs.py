"""Proofs against the real thing: a Celery worker on Redis, PostgreSQL and an SMTP server.

Each test is bounded (every wait has a deadline) and prints its figures (run with -s).
"""

from __future__ import annotations

import signal
import time

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.worker_process import wait_until
from web.extensions import db
from web.models import Notification
from web.services.email_render import EMAIL_DIR
from web.services.notifications import notify

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres, pytest.mark.smtp]


def queue_emails(count: int, prefix: str, **fields) -> dict[str, str]:
    """Write `count` notifications in one transaction; return {key: Message-ID expected}."""
    from web.services.delivery import message_id_for

    keys = [f"{prefix}-{number}" for number in range(count)]
    for number, key in enumerate(keys):
        notify(key=key, to=f"person{number}@example.org", template="test_message", **fields)
    db.session.commit()
    return {key: message_id_for(key) for key in keys}


def statuses() -> dict[str, int]:
    """Count rows by status, as committed by the worker."""
    db.session.rollback()
    rows = db.session.execute(select(Notification.status, func.count()).group_by("status"))
    return {row[0]: row[1] for row in rows}


def all_sent(count: int):
    """Return a condition: every one of `count` rows is sent."""
    return lambda: statuses().get("sent", 0) == count


def test_smtp_refusing_connections_then_back_delivers_each_email_once(worker_stack, smtp_sink):
    """After SMTP refused connections for a while, is every email delivered exactly once?"""
    app, _worker, _beat = worker_stack()
    smtp_sink.stop()
    with app.app_context():
        expected = queue_emails(20, "smtp-outage")

        def failed_twice() -> bool:
            db.session.rollback()
            return db.session.scalar(select(func.min(Notification.attempts))) >= 2

        wait_until(failed_twice, timeout=60, what="every email to fail at least twice")
        errors = set(db.session.scalars(select(Notification.last_error)))
        assert all("ConnectionRefused" in error for error in errors), errors
        started = time.monotonic()
        smtp_sink.start()
        wait_until(all_sent(20), timeout=60, what="every email to be sent once SMTP is back")
        attempts = db.session.scalar(select(func.sum(Notification.attempts)))
    received = smtp_sink.message_ids()
    print(f"\nSMTP outage: 20 emails, {attempts} attempts, all sent "
          f"{time.monotonic() - started:.1f} s after SMTP came back")  # fmt: skip
    assert sorted(received) == sorted(expected.values())  # each exactly once, none extra


@pytest.mark.slow
def test_worker_sigkilled_during_a_batch_loses_and_duplicates_nothing(worker_stack, smtp_sink):
    """With the worker SIGKILLed three times during 200 emails, does each arrive once?"""
    smtp_sink.delay = 0.02  # a window where the server has the message and the worker does not
    app, worker, _beat = worker_stack(concurrency=2)
    started = time.monotonic()
    with app.app_context():
        expected = queue_emails(200, "kill-batch")
        for threshold in (40, 100, 160):
            wait_until(lambda t=threshold: smtp_sink.count >= t, 60, f"{threshold} emails")
            worker.kill()
            worker.start()
        wait_until(all_sent(200), timeout=90, what="all 200 emails to be sent")
        attempts = db.session.scalar(select(func.sum(Notification.attempts)))
    elapsed = time.monotonic() - started
    received = smtp_sink.message_ids()
    print(f"\nSIGKILL x3: 200 emails in {elapsed:.1f} s, {attempts} attempts, "
          f"{len(received)} SMTP transactions, {len(set(received))} distinct Message-IDs, "
          f"{worker.starts} worker starts")  # fmt: skip
    assert set(received) == set(expected.values())  # 0 lost, no unknown id
    assert len(set(received)) == 200  # 0 duplicated (a resend reuses its Message-ID)


def trigger_signup_email(app, client, address: str) -> tuple[object, str]:
    """Do what makes the app write an email: the tutor sign-up, or (before it existed) an
    admin's test email; return the response and the template of the email."""
    if "account.signup" in app.view_functions and (EMAIL_DIR / "verify_email.html").exists():
        form = {
            "full_name": "Giulia Rossi",
            "email": address,
            "password": "a quiet walk by the river",
            "accept_privacy": "y",
        }
        return client.post("/signup", data=form), "verify_email"
    with app.app_context():
        admin = factories.user("admin")
    client.post("/login", data={"email": admin.email, "password": factories.PASSWORD})
    return client.post("/admin/notifications/test", data={"to": address}), "test_message"


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_redis_outage_never_blocks_a_signup_and_the_email_follows(
    worker_stack, private_redis, smtp_sink, outage
):
    """With Redis stopped (or frozen), does a sign-up still answer quickly, and does its
    email arrive once Redis is back?"""
    app, _worker, _beat = worker_stack(redis_url=private_redis.url)
    client = app.test_client()
    if outage == "stopped":
        private_redis.stop()
    else:
        private_redis.signal(signal.SIGSTOP)  # accepts connections, never answers
    started = time.monotonic()
    response, template = trigger_signup_email(app, client, "new.tutor@example.org")
    took = time.monotonic() - started
    assert response.status_code in (200, 302), response.text[:500]
    assert took < 4, f"the request took {took:.1f} s with Redis {outage}"
    with app.app_context():
        row = db.session.scalar(select(Notification).where(Notification.template == template))
        assert row is not None and row.status == "pending"
    if outage == "stopped":
        private_redis.start()  # same port, empty: the beat job queues the row again
    else:
        private_redis.signal(signal.SIGCONT)
    back = time.monotonic()

    def arrived() -> bool:
        return any(m["To"] == "new.tutor@example.org" for m in list(smtp_sink.messages))

    wait_until(arrived, timeout=90, what="the email to arrive once Redis is back")
    print(f"\nRedis {outage}: request {took:.2f} s; email {time.monotonic() - back:.1f} s "
          f"after Redis came back ({template})")  # fmt: skip
    assert [m["To"] for m in smtp_sink.messages].count("new.tutor@example.org") == 1


@pytest.mark.parametrize(
    ("locale", "expected", "direction"),
    [
        ("ar", ["مرحبًا", "Amina", "خبر سار: وجدنا شخصًا يرافقك."], "rtl"),
        ("uk", ["Buone notizie: hai un tutor.", "Good news: you have a tutor."], "ltr"),
    ],
)
def test_email_arrives_in_the_beneficiarys_language(
    worker_stack, smtp_sink, locale, expected, direction
):
    """Does an Arabic email arrive right-to-left, and one in a language without a
    translation arrive in Italian and English together? Both name the territory's contact,
    who is the message's Reply-To."""
    app, _worker, _beat = worker_stack(beat=False)
    with app.app_context():
        parma = factories.territory()
        parma.contact_name, parma.contact_email = "Carla Verdi", "carla@parma.example.org"
        notify(
            key=f"language-{locale}",
            to="amina@example.org",
            template="match_approved_beneficiary",
            locale=locale,
            context={"first_name": "Amina", "tutor_name": "Giulia"},
            territory_id=parma.id,
        )
        db.session.commit()
        wait_until(all_sent(1), timeout=60, what="the email to be sent")
    (message,) = smtp_sink.messages
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert f'dir="{direction}"' in html
    assert message["Reply-To"] == "Carla Verdi <carla@parma.example.org>"
    assert "Carla Verdi" in html and "carla@parma.example.org" in text
    for sentence in expected:
        assert sentence in html and sentence in text
    assert "<img" not in html and "@import" not in html  # no external images or fonts
