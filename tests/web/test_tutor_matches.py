"""Step 6 of the tutor's journey: my matches — see, accept or decline what was approved."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from tests.web.tutor_journey import notifications
from web.extensions import db
from web.models import Match, TutorProfile
from web.models.common import utcnow

REASONS = [
    {"code": "language_shared", "params": {"lang": "ar", "level": "C1", "first_language": True}},
    {"code": "distance_km", "params": {"km": 6}},
]


def approved_match(tutor: TutorProfile | None = None, **beneficiary) -> Match:
    """A match a coordinator approved for a tutor (who then follows one person)."""
    tutor = tutor or factories.tutor(email="giulia@example.org")
    person = factories.beneficiary(
        first_name="Amina",
        contact_email="amina@example.org",
        contact_phone="+39 333 1234567",
        needs={"work_cv": 3, "housing_search": 2},
        **beneficiary,
    )
    person.status = "matched"
    match = Match(
        beneficiary=person,
        tutor=tutor,
        status="approved",
        score=0.8,
        reasons=REASONS,
        decided_at=utcnow(),
    )
    tutor.open_matches += 1
    db.session.add(match)
    db.session.commit()
    return match


def sign_in(client, email: str = "giulia@example.org") -> None:
    """Sign in as the tutor."""
    client.post("/login", data={"email": email, "password": factories.PASSWORD})


def test_tutor_sees_an_approved_match_without_contact_details(client):
    """Does the tutor see first name, languages, needs, place and reasons, but no contacts yet?"""
    match = approved_match()
    sign_in(client)
    listing = client.get("/tutor/matches")
    assert "Amina" in listing.text and "In attesa della tua risposta" in listing.text
    page = client.get(f"/tutor/matches/{match.id}").text
    assert "Amina" in page and "Parma (PR)" in page and "Scrivere il curriculum" in page
    assert "arabo" in page and "Lingua in comune: arabo (C1)" in page and "a 6 km" in page
    assert "amina@example.org" not in page and "333 1234567" not in page
    assert match.beneficiary.code not in page


def test_accepting_shows_the_contact_details(client):
    """Does accepting make the match active and only then show how to get in touch?"""
    match = approved_match()
    sign_in(client)
    client.post(f"/tutor/matches/{match.id}/accept")
    accepted = db.session.get(Match, match.id)
    assert accepted.status == "active" and accepted.accepted_at is not None
    page = client.get(f"/tutor/matches/{match.id}").text
    assert "amina@example.org" in page and "333 1234567" in page
    again = client.post(f"/tutor/matches/{match.id}/accept", follow_redirects=True)
    assert "già stata data una risposta" in again.text


def test_declining_needs_a_reason_frees_the_place_and_tells_the_coordinator(client):
    """Does declining (with a reason) free the slot, the person wait again, coordinators know?"""
    coordinator = factories.user("coordinator", territories=[factories.territory()])
    match = approved_match()
    sign_in(client)
    empty = client.post(f"/tutor/matches/{match.id}/decline", data={"reason": ""})
    assert empty.status_code == 400 and "Spiega al coordinatore" in empty.text
    too_long = client.post(f"/tutor/matches/{match.id}/decline", data={"reason": "x" * 1001})
    assert too_long.status_code == 400
    assert db.session.get(Match, match.id).status == "approved"
    client.post(f"/tutor/matches/{match.id}/decline", data={"reason": "I move to Milan."})
    declined = db.session.get(Match, match.id)
    assert declined.status == "declined" and declined.decision_reason == "I move to Milan."
    assert declined.tutor.open_matches == 0 and declined.beneficiary.status == "waiting"
    [told] = notifications("match_answer_to_coordinator")
    assert told.recipient_email == coordinator.email and told.context["event"] == "declined"


def test_another_tutors_match_is_404(client):
    """Can a tutor open or answer someone else's match by changing the id? No: 404."""
    match = approved_match()
    factories.tutor(email="other@example.org")
    sign_in(client, "other@example.org")
    assert client.get(f"/tutor/matches/{match.id}").status_code == 404
    assert client.post(f"/tutor/matches/{match.id}/accept").status_code == 404
    assert (
        client.post(f"/tutor/matches/{match.id}/decline", data={"reason": "x"}).status_code == 404
    )
    assert db.session.get(Match, match.id).status == "approved"


def test_undecided_proposals_are_not_shown_to_tutors(client):
    """Does a proposal the coordinator has not approved stay invisible to the tutor?"""
    match = approved_match()
    match.status = "proposed"
    match.tutor.open_matches = 0
    db.session.commit()
    sign_in(client)
    assert "Amina" not in client.get("/tutor/matches").text
    assert client.get(f"/tutor/matches/{match.id}").status_code == 404
    assert db.session.scalar(select(Match.status)) == "proposed"
