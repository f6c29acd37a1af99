"""Step 7 of the tutor's journey: password reset, password and email change, sessions."""

from __future__ import annotations

import html

from sqlalchemy import select

from tests.web.tutor_journey import TUTOR_PASSWORD, link_in, login, notifications, verified_tutor
from web.extensions import db
from web.models import User

NEW_PASSWORD = "another long river walk"


def test_password_reset_by_email_works_once_and_ends_other_sessions(app, client):
    """Does the reset link set a new password, stop working after use, and sign others out?"""
    verified_tutor(client)
    other_device = app.test_client()
    login(other_device, "giulia@example.org")
    assert other_device.get("/tutor/").status_code == 200
    client.post("/logout")
    assert client.post("/password/forgot", data={"email": "Giulia@example.org"}).status_code == 200
    link = link_in(notifications("reset_password")[0])
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert other_device.get("/tutor/").status_code == 302
    assert login(client, "giulia@example.org", NEW_PASSWORD).status_code == 302
    assert client.get(link).status_code == 400  # used: the password hash changed


def test_reset_for_unknown_address_looks_the_same(client):
    """Does asking a reset for an unknown address show the same page and send nothing?"""
    page = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert page.status_code == 200 and "Controlla la tua email" in page.text
    assert notifications("reset_password") == []


def test_reset_refuses_a_weak_password_and_keeps_the_old_one(client):
    """Does a common password on the reset form get a message and change nothing?"""
    verified_tutor(client)
    client.post("/password/forgot", data={"email": "giulia@example.org"})
    page = client.post(
        link_in(notifications("reset_password")[0]), data={"password": "password1234"}
    )
    assert page.status_code == 400 and "troppo comune" in html.unescape(page.text)
    assert db.session.scalar(select(User)).check_password(TUTOR_PASSWORD)


def test_password_change_keeps_this_session_and_ends_the_others(app, client):
    """Does changing the password sign out other devices but not this one?"""
    verified_tutor(client)
    other_device = app.test_client()
    login(other_device, "giulia@example.org")
    wrong = client.post(
        "/account/password", data={"current_password": "wrong", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 400 and "La password attuale non è corretta." in wrong.text
    changed = client.post(
        "/account/password", data={"current_password": TUTOR_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302


def test_email_change_asks_for_the_password_and_reverifies(client):
    """Does a new email need the password and a click on a link sent to the new address?"""
    verified_tutor(client)
    refused = client.post("/account/email", data={"email": "new@example.org", "password": "nope"})
    assert refused.status_code == 400 and "La password non è corretta." in refused.text
    client.post("/account/email", data={"email": "New@Example.org", "password": TUTOR_PASSWORD})
    [sent] = notifications("email_change_verify")
    assert sent.recipient_email == "new@example.org"
    assert "new@example.org" not in sent.context["link"]
    assert db.session.scalar(select(User)).email == "giulia@example.org"
    assert client.get(link_in(sent)).status_code == 302
    assert db.session.scalar(select(User)).email == "new@example.org"
    assert notifications("email_changed_notice")[0].recipient_email == "giulia@example.org"
    assert client.get(link_in(sent)).status_code == 400
    client.post("/logout")
    assert login(client, "new@example.org").status_code == 302


def test_email_change_to_a_taken_address_reveals_nothing(client):
    """Does asking for someone else's address answer as usual and send no link?"""
    verified_tutor(client, "other@example.org")
    client.post("/logout")
    verified_tutor(client)
    reply = client.post(
        "/account/email", data={"email": "OTHER@example.org", "password": TUTOR_PASSWORD}
    )
    assert reply.status_code == 302
    assert notifications("email_change_verify") == []


def test_logout_really_ends_the_session(client):
    """After signing out, do the tutor's pages ask to sign in again, remember-me included?"""
    verified_tutor(client)
    client.post("/logout")
    login(client, "giulia@example.org", remember="y")
    client.post("/logout")
    assert client.get("/tutor/").status_code == 302
    assert client.get_cookie("remember_token") is None


def test_sign_out_everywhere_ends_every_session(app, client):
    """Does "sign out on every device" end this session and the others?"""
    verified_tutor(client)
    other_device = app.test_client()
    login(other_device, "giulia@example.org")
    client.post("/account/sign-out-everywhere")
    assert client.get("/account").status_code == 302
    assert other_device.get("/account").status_code == 302


def test_reset_and_resend_are_rate_limited(make_app, database_url):
    """Does a burst of reset or resend requests get a friendly 429?"""
    app = make_app(database_url, RATELIMIT_ENABLED=True, EMAIL_LINK_RATE_LIMIT="2 per hour")
    client = app.test_client()
    with app.app_context():
        resets = [
            client.post("/password/forgot", data={"email": "a@example.org"}).status_code
            for _ in range(3)
        ]
        resends = [
            client.post("/signup/resend", data={"email": "a@example.org"}).status_code
            for _ in range(3)
        ]
    assert resets == [200, 200, 429]
    assert resends == [302, 302, 429]
