"""Steps of the tutor's journey as a person does them, shared by the test_tutor_* modules."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from tests import factories
from web.extensions import db
from web.models import Notification, TutorProfile, User

TUTOR_PASSWORD = "a quiet walk by the river"

PROFILE_STEPS = {
    "place": {"place": "Fidenza (PR)", "max_travel_km": "15", "remote_ok": "y"},
    "skills": {"skills": ["work_cv", "housing_search"]},
    "languages": {
        "languages-0-lang": "it",
        "languages-0-level": "native",
        "languages-1-lang": "ar",
        "languages-1-level": "B1",
    },
    "availability": {"slots": ["mon_evening", "thu_evening", "sat_morning"], "capacity": "2"},
    "about": {
        "display_name": "Giulia",
        "interests": "cooking, football",
        "motivation": "I was new in a city once.",
        "gender": "f",
    },
}


def sign_up(client, email: str = "giulia@example.org", **fields):
    """Fill in and send the sign-up form."""
    form = {
        "full_name": "Giulia Rossi",
        "email": email,
        "password": TUTOR_PASSWORD,
        "accept_privacy": "y",
        **fields,
    }
    return client.post("/signup", data=form)


def notifications(template: str) -> list[Notification]:
    """Return the outbox rows of one template, oldest first."""
    return list(
        db.session.scalars(
            select(Notification).where(Notification.template == template).order_by(Notification.id)
        )
    )


def link_in(notification: Notification, key: str = "link") -> str:
    """Return the path of the link an email carries, as the test client opens it."""
    parts = urlsplit(notification.context[key])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def login(client, email: str, password: str = TUTOR_PASSWORD, **extra):
    """Submit the login form."""
    return client.post("/login", data={"email": email, "password": password, **extra})


def verified_tutor(client, email: str = "giulia@example.org") -> User:
    """Sign up, open the verification link from the email: a signed-in, verified tutor."""
    assert sign_up(client, email).status_code == 302
    opened = client.get(link_in(notifications("verify_email")[-1]))
    assert opened.status_code == 302
    return db.session.scalar(select(User).where(User.email == email))


def fill_profile(client) -> TutorProfile:
    """Save every wizard step with sensible answers."""
    for step, form in PROFILE_STEPS.items():
        reply = client.post(f"/tutor/profile/{step}", data=form)
        assert reply.status_code == 302, (step, reply.text[:2000])
    return db.session.scalar(select(TutorProfile))


def complete_tutor(client, email: str = "giulia@example.org") -> TutorProfile:
    """A verified tutor in Parma's territory with a complete, pending profile."""
    factories.territory()
    verified_tutor(client, email)
    return fill_profile(client)
