"""Step 1–2 of the tutor's journey: the landing page and signing up."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.web.tutor_journey import TUTOR_PASSWORD, notifications, sign_up
from web.extensions import db
from web.models import TutorProfile, User


def test_landing_page_invites_visitors_to_sign_up(client):
    """Does the landing page say what a tutor does and offer a clear Sign up button?"""
    page = client.get("/")
    assert 'href="/signup"' in page.text
    assert "Iscriviti" in page.text
    assert "Quanto tempo richiede" in html.unescape(page.text)
    form = client.get("/signup")
    assert form.status_code == 200 and 'name="accept_privacy"' in form.text
    assert client.get("/privacy").status_code == 200


def test_sign_up_creates_a_pending_tutor_with_consent_and_sends_a_link(app, client):
    """Does signing up store a normalised email, a slow hash, the consent, and email a link?"""
    reply = sign_up(client, email="  Giulia.Rossi@Example.ORG ")
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/signup/check-email")
    user = db.session.scalar(select(User))
    assert user.email == "giulia.rossi@example.org"
    assert user.role == "tutor" and user.verified_at is None
    assert user.password_hash.startswith("scrypt:") and TUTOR_PASSWORD not in user.password_hash
    profile = db.session.scalar(select(TutorProfile))
    assert profile.status == "pending" and profile.display_name == "Giulia Rossi"
    assert profile.consent_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert profile.consent_at is not None
    [sent] = notifications("verify_email")
    assert sent.recipient_email == user.email and sent.context["link"].startswith("http")
    assert user.email not in sent.context["link"]  # no personal data in the URL


def test_duplicate_email_looks_the_same_to_strangers(client):
    """Does a second sign-up with the same address (other case) reveal or create nothing?"""
    first = sign_up(client, email="giulia@example.org")
    second = sign_up(client, email="GIULIA@example.org", full_name="Someone Else")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count(User.id))) == 1
    [warning] = notifications("signup_existing_account")
    assert warning.recipient_email == "giulia@example.org"
    assert len(notifications("verify_email")) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "Inserisci un indirizzo email valido."),
        ({"email": "giulia@exa mple.org"}, "Inserisci un indirizzo email valido."),
        ({"password": "short pass"}, "La password deve avere almeno 12 caratteri."),
        ({"password": "x" * 129}, "Al massimo 128 caratteri."),
        ({"password": "Password1234"}, "Questa password è troppo comune"),
        ({"password": "qwertyuiop123"}, "Questa password è troppo comune"),
        ({"password": "giulia@example.org"}, "La password non può essere il tuo indirizzo email."),
        ({"accept_privacy": ""}, "Devi accettare l'informativa sulla privacy per registrarti."),
        ({"full_name": "G" * 121}, "Al massimo 120 caratteri."),
        ({"full_name": ""}, "Inserisci il tuo nome."),
    ],
)
def test_bad_sign_up_input_is_explained_and_nothing_is_created(client, fields, message):
    """Does each kind of bad sign-up input get a message next to the field, and no account?"""
    page = sign_up(client, **fields)
    assert page.status_code == 400
    assert message in html.unescape(page.text)
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert notifications("verify_email") == []


def test_a_128_character_password_is_accepted(client):
    """Is the longest allowed password (128 characters) really accepted?"""
    assert sign_up(client, password="long sentence " * 9 + "ab").status_code == 302


def test_sign_up_is_rate_limited(make_app, database_url):
    """Does a burst of sign-ups from one address get a friendly 429?"""
    app = make_app(database_url, RATELIMIT_ENABLED=True, SIGNUP_RATE_LIMIT="3 per hour")
    client = app.test_client()
    with app.app_context():
        codes = [sign_up(client, email=f"t{i}@example.org").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
