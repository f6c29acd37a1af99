"""Admin email pages, template previews, the dev mailbox, opt-out links and periodic jobs."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests import factories
from web.extensions import db
from web.models import Match, Notification
from web.models.common import utcnow
from web.services import digests, retention, scheduling
from web.services.email_render import (
    EMAIL_LANGUAGES,
    email_templates,
    is_available,
    render_notification,
)
from web.services.notifications import kept_unsent, notify
from web.services.tasks import wait_for_inprocess_tasks


def login_as(client, role: str, **fields):
    """Create an account with this role and sign in with it."""
    account = factories.user(role, **fields)
    client.post("/login", data={"email": account.email, "password": factories.PASSWORD})
    return account


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), ("tutor", 403), ("coordinator", 403), ("admin", 200)]
)
@pytest.mark.parametrize(
    "path", ["/admin/notifications", "/admin/notifications/preview", "/dev/mailbox"]
)
def test_only_admins_see_the_email_pages(client, role, status, path):
    """Are the outbox, previews and dev mailbox closed to everyone but admins?"""
    if role:
        territories = [factories.territory()] if role == "coordinator" else None
        login_as(client, role, territories=territories)
    expected = 403 if status == 302 and path == "/dev/mailbox" else status
    assert client.get(path).status_code == expected


@pytest.mark.parametrize("language", [*EMAIL_LANGUAGES, "other"])
def test_admin_previews_every_template_in_every_language(client, language):
    """Does every email render with sample data in it, en, fr, ar and the fallback?"""
    login_as(client, "admin")
    for template in email_templates():
        page = client.get(f"/admin/notifications/preview/{template}/{language}")
        assert page.status_code == 200, template
        frame = client.get(f"/admin/notifications/preview/{template}/{language}/html")
        assert "sandbox" in frame.headers["Content-Security-Policy"]
        if language == "ar" and is_available(template, "ar"):
            assert 'dir="rtl"' in frame.text, template
        elif not is_available(template, language):  # Italian and English together
            assert 'lang="it"' in frame.text and '<section lang="en"' in frame.text, template
    assert client.get("/admin/notifications/preview/nope/it").status_code == 404
    assert client.get("/admin/notifications/preview/test_message/xx").status_code == 404


def test_dev_mailbox_shows_emails_only_without_smtp(app, client):
    """Does the dev mailbox show every email when no mail server is set, and vanish otherwise?"""
    login_as(client, "admin")
    notify(key="mailbox", to="reader@example.org", template="test_message", locale="en")
    db.session.commit()
    wait_for_inprocess_tasks(app)
    listing = client.get("/dev/mailbox")
    assert "reader@example.org" in listing.text
    row = db.session.scalar(select(Notification).where(Notification.idempotency_key == "mailbox"))
    message = client.get(f"/dev/mailbox/{row.id}")
    assert "Tutor Match: test message" in message.text
    app.config["MAIL_SERVER"] = "smtp.example.org"
    assert client.get("/dev/mailbox").status_code == 404


def test_dev_mailbox_shows_arabic_plain_text_right_to_left(app, client):
    """Does the mailbox's plain-text pane read an Arabic email right to left (and an
    Italian + English one left to right), with the whole HTML email shown in its frame?"""
    login_as(client, "admin")
    arabic = notify(key="ar", to="amina@example.org", template="test_message", locale="ar")
    mixed = notify(key="uk", to="oksana@example.org", template="test_message", locale="uk")
    db.session.commit()
    wait_for_inprocess_tasks(app)
    page = client.get(f"/dev/mailbox/{arabic.id}").text
    assert '<pre lang="ar" dir="rtl"' in page
    assert 'class="email-frame"' in page and "js/email_frame.js" in page
    assert '<pre lang="mul" dir="ltr"' in client.get(f"/dev/mailbox/{mixed.id}").text
    frame = client.get(f"/dev/mailbox/{arabic.id}/html")
    assert "allow-scripts" not in frame.headers["Content-Security-Policy"]


def test_the_outbox_says_why_an_email_was_cancelled(app, client):
    """Does the outbox name the real reason of each cancelled email (demo history, opt-out,
    erased account) rather than calling every one an opt-out?"""
    login_as(client, "admin")
    with kept_unsent("demo_history"):
        notify(key="history", to="giulia@example.org", template="test_message")
        db.session.commit()
    tutor = factories.tutor()
    notify(key="pending", to=tutor.user.email, template="test_message", user_id=tutor.user_id)
    retention.erase_tutor(tutor)
    db.session.commit()
    outbox = client.get("/admin/notifications").text
    assert "Annullata (storico della demo, mai inviata)" in outbox
    assert "Annullata (l&#39;account è stato cancellato)" in outbox
    assert "chiesto di non ricever" not in outbox


def test_filters_and_bad_query_values_never_break_the_list(client):
    """Do filters narrow the list, and do nonsense values give a clear page, not a 500?"""
    login_as(client, "admin")
    notify(key="a", to="anna@example.org", template="test_message")
    notify(key="b", to="bruno@example.org", template="coordinator_digest", context={})
    db.session.commit()
    narrowed = client.get("/admin/notifications?recipient=anna")
    assert "anna@example.org" in narrowed.text and "bruno@example.org" not in narrowed.text
    for query in ("status=bogus", "page=-3", "page=abc", "recipient=" + "x" * 400):
        assert client.get(f"/admin/notifications?{query}").status_code == 200, query


def test_opt_out_link_stops_reminders_but_not_essential_emails(app, client):
    """Does the signed link in a reminder stop non-essential emails, and only those?"""
    tutor = factories.tutor()
    reminder = notify(
        key="reminder-1",
        to=tutor.user.email,
        template="tutor_meeting_reminder",
        user_id=tutor.user_id,
        essential=False,
        context={"name": "Giulia", "beneficiary": "Amina", "weeks": 3},
    )
    db.session.commit()
    wait_for_inprocess_tasks(app)
    text = render_notification(reminder).text
    link = next(word for word in text.split() if "/email/opt-out/" in word)
    path = urlsplit(link).path
    assert "@" not in path  # no personal data in the URL
    page = client.get(path)
    assert page.status_code == 200
    client.post(path, data={"choice": "stop"})
    later = notify(
        key="reminder-2", to=tutor.user.email, template="tutor_meeting_reminder",
        user_id=tutor.user_id, essential=False, context={},
    )  # fmt: skip
    essential = notify(
        key="match-1", to=tutor.user.email, template="test_message", user_id=tutor.user_id
    )
    db.session.commit()
    wait_for_inprocess_tasks(app)
    db.session.expire_all()
    assert later.status == "cancelled" and essential.status == "sent"
    assert later.cancel_reason == "opted_out" and later.last_error is None
    forged = client.get(path[:-3] + "xyz")
    assert forged.status_code == 400 and "Questo link non è valido" in forged.text
    client.post(path, data={"choice": "resume"})
    assert "Vuoi smettere" in client.get(path).text


def test_nightly_dry_runs_are_queued_once_per_territory_and_night(app, monkeypatch):
    """Does a second beat (or a rerun) the same night queue no second dry run?"""
    queued = []
    monkeypatch.setattr(scheduling, "enqueue", lambda name, *args: queued.append(args) or True)
    parma = factories.territory()
    factories.beneficiary(parma)
    factories.territory("RE", "Reggio Emilia")  # nobody waiting there
    night = date(2026, 11, 21)
    assert scheduling.start_nightly_dry_runs(night) == 1
    assert scheduling.start_nightly_dry_runs(night) == 0
    assert queued == [(parma.id,)]
    assert scheduling.start_nightly_dry_runs(night + timedelta(days=1)) == 1


def quiet_match(weeks_ago: int = 5) -> Match:
    """Create an active match accepted weeks ago with no meeting logged."""
    territory = factories.territory()
    match = Match(
        beneficiary=factories.beneficiary(territory),
        tutor=factories.tutor(territory),
        status="active",
        score=0.8,
        accepted_at=utcnow() - timedelta(weeks=weeks_ago),
    )
    db.session.add(match)
    db.session.commit()
    return match


def test_digest_and_reminders_are_written_once_a_week(app):
    """Do quiet matches produce one reminder and one digest per week, however often run?"""
    match = quiet_match()
    factories.user("coordinator", territories=[match.beneficiary.territory])
    today = date.today()
    assert digests.send_meeting_reminders(today) == 1
    assert digests.send_meeting_reminders(today) == 1  # same key: still one row
    assert digests.send_weekly_digests(today) == 1
    digests.send_weekly_digests(today)
    rows = db.session.scalars(select(Notification).order_by(Notification.template)).all()
    assert [row.template for row in rows] == ["coordinator_digest", "tutor_meeting_reminder"]
    assert not any(row.essential for row in rows)
    assert rows[0].context["quiet_matches"] == 1


def test_retention_erases_old_closed_records_and_keeps_aggregates(app):
    """Are closed beneficiaries and withdrawn tutors past retention erased, others kept?"""
    old = utcnow() - timedelta(days=app.config["RETENTION_DAYS"] + 1)
    gone = factories.beneficiary(status="closed", closed_at=old, first_name="Old")
    kept = factories.beneficiary(status="closed", closed_at=utcnow(), first_name="Recent")
    withdrawn = factories.tutor(status="withdrawn", display_name="Left")
    withdrawn.updated_at = old
    db.session.commit()
    report = retention.erase_expired()
    assert (report.beneficiaries, report.tutors) == (1, 1)
    db.session.expire_all()
    assert gone.first_name == "-" and gone.contact_email is None and gone.erased_at
    assert gone.code and gone.territory_id  # the pseudonymous code and territory stay
    assert kept.first_name == "Recent"
    assert withdrawn.display_name == "" and withdrawn.user.email.endswith("@erased.invalid")
    assert retention.erase_expired() == retention.RetentionReport(0, 0)
