"""The landing page, language switch, login and logout, as a visitor uses them."""

from __future__ import annotations

import html

import pytest

from tests import factories


def login(client, email: str, password: str = factories.PASSWORD, **extra):
    """Submit the login form."""
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_landing_page_is_italian_by_default(client):
    """Does a first-time visitor see the landing page in Italian?"""
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="it"' in page.text
    assert "Diventa Tutor Territoriale per l'Integrazione" in html.unescape(page.text)


def test_language_switch_to_english_sticks(client):
    """Does choosing EN show the English page, and keep it on the next page?"""
    switched = client.post("/language/en", data={"next": "/"}, follow_redirects=True)
    assert 'lang="en"' in switched.text
    assert "Become a Territorial Tutor for Integration" in switched.text
    assert "Sign in" in client.get("/login").text


def test_landing_page_makes_no_third_party_requests(client):
    """Does the page load only our own assets (no CDN, fonts, analytics)?"""
    page = client.get("/").text
    for marker in ("http://", "https://", "//fonts.", "//cdn"):
        assert marker not in page


def test_coordinator_logs_in_and_out(client):
    """Can the coordinator sign in, see their territory, and really sign out?"""
    coordinator = factories.user(
        "coordinator", territories=[factories.territory()], full_name="Carla"
    )
    home = login(client, coordinator.email.upper(), follow_redirects=False)
    assert home.status_code == 302 and home.headers["Location"].endswith("/home")
    page = client.get("/home")
    assert "Carla" in page.text and "Parma" in page.text
    client.post("/logout")
    assert client.get("/home").status_code == 302


def test_wrong_password_gets_a_clear_message(client):
    """Does a wrong password say so, without saying which part was wrong?"""
    account = factories.user("coordinator", territories=[factories.territory()])
    page = login(client, account.email, "not-the-password")
    assert page.status_code == 401
    assert "Email o password errati." in page.text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": "", "password": "x"}, "Inserisci la tua email."),
        ({"email": "not-an-email", "password": "x"}, "Inserisci un indirizzo email valido."),
        ({"email": "a@example.org", "password": ""}, "Inserisci la password."),
        ({"email": "a@example.org", "password": "x" * 129}, "Al massimo 128 caratteri."),
    ],
)
def test_bad_login_input_is_explained_next_to_the_field(client, form, message):
    """Does malformed login input get a message, never a 500?"""
    page = client.post("/login", data=form)
    assert page.status_code == 400
    assert message in page.text


def test_login_ignores_offsite_next(client):
    """Can a crafted ?next= send someone to another site after login? It must not."""
    account = factories.user("coordinator", territories=[factories.territory()])
    reply = client.post(
        "/login?next=//evil.example/x",
        data={"email": account.email, "password": factories.PASSWORD},
    )
    assert reply.headers["Location"].endswith("/home")


def test_password_change_ends_other_sessions(app, client):
    """Does bumping the session version sign out sessions opened before it?"""
    account = factories.user("coordinator", territories=[factories.territory()])
    login(client, account.email)
    assert client.get("/home").status_code == 200
    account.session_version += 1
    from web.extensions import db

    db.session.commit()
    assert client.get("/home").status_code == 302


def test_unknown_page_is_a_friendly_404(client):
    """Does a missing page render our error page, not a stack trace?"""
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Pagina non trovata." in page.text


def test_demo_coordinator_can_sign_in_through_the_form(app, client):
    """Can the coordinator printed by `make run` sign in with the printed password?"""
    from web.services.demo import DEMO_PASSWORD, demo_logins, seed_demo

    seed_demo(tutors=4, beneficiaries=2)
    coordinator = next(email for role, email in demo_logins() if role == "coordinator")
    reply = login(client, coordinator, DEMO_PASSWORD)
    assert reply.status_code == 302, reply.text
    assert "Coordini" in client.get("/home").text
