"""Hardening found in review: vetting needs a complete profile, CSRF on the language switch,
the dev mailbox is for admins only."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories
from tests.conftest import make_config
from web import create_app
from web.extensions import db


def login(client, account):
    return client.post("/login", data={"email": account.email, "password": factories.PASSWORD})


def test_vetting_refuses_a_tutor_who_has_not_finished_the_profile(app, client):
    """Can a coordinator activate a tutor whose profile is incomplete by posting directly? No."""
    territory = factories.territory()
    profile = factories.tutor(status="pending", skills=(), profile_completed_at=None)
    coordinator = factories.user("coordinator", territories=[territory])
    login(client, coordinator)
    today = date.today()
    reply = client.post(
        f"/vetting/tutors/{profile.id}/approve",
        data={
            "training_completed_on": (today - timedelta(days=5)).isoformat(),
            "background_check_on": (today - timedelta(days=5)).isoformat(),
            "background_check_expires_on": (today + timedelta(days=300)).isoformat(),
        },
    )
    assert reply.status_code == 400
    assert "non ha ancora completato il profilo" in reply.text
    db.session.refresh(profile)
    assert profile.status == "pending"


def test_language_switch_needs_a_csrf_token(database_url, make_app):
    """Can another site switch someone's language with a forged form? Not without a token."""
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/language/en", data={"next": "/"}).status_code == 400
    page = client.get("/").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    reply = client.post("/language/en", data={"next": "/", "csrf_token": token})
    assert reply.status_code == 302
    assert 'lang="en"' in client.get("/").text


def test_dev_mailbox_is_for_admins_even_in_debug_mode(database_url):
    """Does a visitor reach the dev mailbox when the app runs with debug on? No."""
    app = create_app(make_config(database_url, DEBUG=True, MAIL_SERVER=""))
    reply = app.test_client().get("/dev/mailbox")
    assert reply.status_code in (302, 403)
