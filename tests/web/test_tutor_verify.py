"""Step 3 of the tutor's journey: the emailed verification link, resend, bad links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.web.tutor_journey import PROFILE_STEPS, link_in, login, notifications, sign_up
from web.extensions import db
from web.models import User
from web.models.common import utcnow
from web.services import tokens


def test_verification_link_verifies_once_and_signs_in(client):
    """Does the emailed link verify the address, sign the tutor in, and then stop working?"""
    sign_up(client)
    link = link_in(notifications("verify_email")[0])
    opened = client.get(link)
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/tutor/profile/place")
    assert db.session.scalar(select(User)).verified_at is not None
    assert client.get("/tutor/").status_code == 200
    again = client.get(link)
    assert again.status_code == 400 and "Questo link non è valido" in again.text


def test_expired_link_gets_a_clear_page_with_a_way_out(client, monkeypatch):
    """Does an expired link say it expired and offer a new one, without verifying?"""
    sign_up(client)
    monkeypatch.setitem(tokens.MAX_AGE, tokens.VERIFY_EMAIL, timedelta(seconds=-1))
    page = client.get(link_in(notifications("verify_email")[0]))
    assert page.status_code == 410
    assert "Questo link è scaduto" in page.text and 'href="/signup/resend"' in page.text
    assert db.session.scalar(select(User)).verified_at is None


def test_forged_link_is_refused(client):
    """Does an altered or made-up link get a clear 400 page, never a 500?"""
    sign_up(client)
    link = link_in(notifications("verify_email")[0])
    for bad in (link[:-3] + "abc", "/verify/not-a-token", "/verify/" + "x" * 3000):
        page = client.get(bad)
        assert page.status_code == 400 and "Questo link non è valido" in page.text
    assert db.session.scalar(select(User)).verified_at is None


def test_resend_sends_a_new_link_and_says_the_same_for_unknown_addresses(client):
    """Does the resend form send a fresh working link, and answer strangers identically?"""
    sign_up(client)
    known = client.post("/signup/resend", data={"email": "GIULIA@example.org"})
    unknown = client.post("/signup/resend", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    first, second = notifications("verify_email")
    assert first.idempotency_key != second.idempotency_key
    assert client.get(link_in(second)).status_code == 302
    assert db.session.scalar(select(User)).verified_at is not None


def test_unverified_tutor_is_asked_to_verify_before_the_profile(client):
    """Can a tutor who has not opened the link fill the profile? No: they are asked to verify."""
    sign_up(client)
    login(client, "giulia@example.org")
    reply = client.get("/tutor/profile/place")
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/signup/verify")
    page = client.get("/signup/verify")
    assert "Conferma la tua email" in page.text
    client.post("/signup/resend")
    assert len(notifications("verify_email")) == 2


def test_new_volunteer_lands_on_the_first_wizard_step_after_verifying(client):
    """Does the verification link lead a new volunteer straight into the profile wizard?"""
    sign_up(client)
    page = client.get(link_in(notifications("verify_email")[0]), follow_redirects=True)
    assert page.request.path == "/tutor/profile/place"
    assert "indirizzo email è confermato" in page.text and 'name="place"' in page.text


@pytest.mark.parametrize(
    ("filled", "landing"),
    [(["place"], "/tutor/profile/skills"), (list(PROFILE_STEPS), "/tutor/")],
)
def test_verifying_resumes_the_wizard_or_opens_the_dashboard(client, filled, landing):
    """Does verifying lead to the first step still empty, or to the dashboard when all is filled?"""
    sign_up(client)
    login(client, "giulia@example.org")
    user = db.session.scalar(select(User))
    user.verified_at = utcnow()  # fill the steps as the volunteer would ...
    db.session.commit()
    for step in filled:
        assert client.post(f"/tutor/profile/{step}", data=PROFILE_STEPS[step]).status_code == 302
    user.verified_at = None  # ... then the address is to be confirmed again
    db.session.commit()
    client.post("/signup/resend")
    client.post("/logout")
    opened = client.get(link_in(notifications("verify_email")[-1]))
    assert opened.status_code == 302 and opened.headers["Location"].endswith(landing)
    assert client.get(landing).status_code == 200
