"""Step 7 of the tutor's journey, continued: download my data, delete my account."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests import factories
from tests.web.test_tutor_matches import approved_match, sign_in
from tests.web.tutor_journey import TUTOR_PASSWORD, complete_tutor, login, notifications
from web.extensions import db
from web.models import AuditEvent, Match, TutorProfile, User


def test_download_my_data_returns_everything_as_json(client):
    """Does the JSON download hold the account, the profile and the emails, and is it audited?"""
    complete_tutor(client)
    reply = client.post("/account/export")
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    assert "attachment" in reply.headers["Content-Disposition"]
    data = json.loads(reply.data)
    assert data["account"]["email"] == "giulia@example.org"
    assert data["profile"]["municipality"] == "Fidenza (PR)"
    assert data["profile"]["languages"] == {"ar": "B1", "it": "native"}
    assert "mon_evening" in data["profile"]["availability"]
    assert data["profile"]["motivation"] == "I was new in a city once."
    assert {"verify_email"} <= {email["template"] for email in data["emails"]}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.data_exported"))


def test_delete_my_account_erases_data_closes_matches_and_tells_the_coordinator(client):
    """Does erasure wipe personal data, end the active match, tell coordinators and keep stats?"""
    coordinator = factories.user("coordinator", territories=[factories.territory()])
    match = approved_match()
    tutor_id, territory_id = match.tutor_id, match.tutor.territory_id
    sign_in(client)
    client.post(f"/tutor/matches/{match.id}/accept")
    wrong = client.post("/account/delete", data={"password": "nope", "confirm": "y"})
    assert wrong.status_code == 400 and db.session.get(TutorProfile, tutor_id).skills
    unticked = client.post("/account/delete", data={"password": factories.PASSWORD})
    assert unticked.status_code == 400
    done = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    assert done.status_code == 302
    profile = db.session.get(TutorProfile, tutor_id)
    user = profile.user
    assert user.email.endswith("@erased.invalid") and user.password_hash is None
    assert not user.active and user.full_name == ""
    assert profile.display_name == "" and profile.motivation == "" and profile.place_id is None
    assert profile.skills == [] and profile.languages == []
    assert profile.territory_id == territory_id  # kept for the programme's statistics
    ended = db.session.get(Match, match.id)
    assert ended.status == "ended" and ended.outcome == "tutor_left" and ended.ended_at
    assert ended.beneficiary.status == "waiting"
    [told] = notifications("tutor_left_to_coordinator")
    assert told.recipient_email == coordinator.email and told.context["erased"] is True
    assert ended.beneficiary.code in told.context["beneficiary_codes"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.erased"))
    assert client.get("/tutor/").status_code == 302
    assert login(client, "giulia@example.org", factories.PASSWORD).status_code == 401


def test_erased_address_can_sign_up_again(client):
    """After erasure, is the address free for a brand-new account?"""
    complete_tutor(client)
    client.post("/account/delete", data={"password": TUTOR_PASSWORD, "confirm": "y"})
    client.post(
        "/signup",
        data={
            "full_name": "G",
            "email": "giulia@example.org",
            "password": TUTOR_PASSWORD,
            "accept_privacy": "y",
        },
    )
    assert db.session.scalar(select(User).where(User.email == "giulia@example.org"))
