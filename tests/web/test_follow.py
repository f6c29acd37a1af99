"""Following matches: the list with flags, meetings logged by the tutor, ending a match."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.matching_helpers import login, parma_with_people
from web.extensions import db
from web.models import AuditEvent, Beneficiary, Match, Meeting, TutorProfile
from web.models.common import utcnow
from web.services import engine_io


@pytest.fixture
def open_match(app):
    """An approved match in Parma, decided five weeks ago, with the tutor's place taken."""
    parma, coordinator, tutors, people = parma_with_people(tutors=1, beneficiaries=1)
    tutor, person = tutors[0], people[0]
    match = Match(
        beneficiary_id=person.id, tutor_id=tutor.id, score=0.7, status="approved",
        decided_at=utcnow() - timedelta(weeks=5), decided_by_id=coordinator.id,
    )  # fmt: skip
    tutor.open_matches = 1
    tutor.user.locale = "en"
    person.status = "matched"
    db.session.add(match)
    db.session.commit()
    return parma, coordinator, tutor, person, match


def test_matches_without_recent_meetings_are_flagged(open_match, client):
    """Is a match with no meeting for more than three weeks flagged, and unflagged after one?"""
    parma, coordinator, _tutor, person, match = open_match
    login(client, coordinator)
    page = client.get(f"/matches/territory/{parma.id}").text
    assert person.code in page and "no recent meeting" in page
    db.session.add(Meeting(match_id=match.id, held_on=date.today(), duration_minutes=60))
    db.session.commit()
    page = client.get(f"/matches/territory/{parma.id}").text
    today = date.today()
    assert "no recent meeting" not in page and f"{today.day} {today.strftime('%b %Y')}" in page


def test_tutor_logs_a_meeting(open_match, client):
    """Can the match's tutor log a meeting from the link on their matches page?"""
    _, _, tutor, _, match = open_match
    login(client, tutor.user)
    assert client.get(f"/matches/{match.id}/meetings/new").status_code == 200
    data = {"held_on": date.today().isoformat(), "duration_minutes": "90", "topic": "CV"}
    reply = client.post(f"/matches/{match.id}/meetings/new", data=data, follow_redirects=True)
    assert "Meeting saved." in reply.text
    meeting = db.session.scalar(select(Meeting))
    assert meeting.duration_minutes == 90 and meeting.created_by_id == tutor.user_id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "meeting_logged"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": (date.today() + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"held_on": ""}, "Enter the date of the meeting."),
        ({"duration_minutes": "0"}, "0 minutes is not a duration"),
        ({"duration_minutes": "721"}, "721 minutes is more than 12 hours"),
        ({"duration_minutes": "1000"}, "1000 minutes is more than 12 hours"),
        ({"duration_minutes": "99999999999999999999999"}, "minutes is more than 12 hours"),
        ({"duration_minutes": "lots"}, "Not a valid integer value."),
        ({"held_on": "31/02/2026"}, "Not a valid date value."),
        ({"topic": "x" * 201}, "At most 200 characters."),
        ({"topic": "CV\x00"}, "characters that are not allowed"),  # PostgreSQL refuses NUL
    ],
)
def test_bad_meetings_are_explained(open_match, client, data, message):
    """Is a bad date, duration or topic explained next to the field, with nothing saved?"""
    _, _, tutor, _, match = open_match
    login(client, tutor.user)
    form = {"held_on": date.today().isoformat(), "duration_minutes": "60", "topic": "", **data}
    reply = client.post(f"/matches/{match.id}/meetings/new", data=form)
    assert reply.status_code == 400 and message in reply.text
    assert db.session.scalar(select(Meeting)) is None


def test_other_tutors_cannot_log_meetings(open_match, client):
    """Does another tutor get 404 for someone else's match?"""
    parma, _, _, _, match = open_match
    stranger = factories.tutor(parma, display_name="Marco")
    login(client, stranger.user)
    assert client.get(f"/matches/{match.id}/meetings/new").status_code == 404
    assert client.get("/matches/999999/meetings/new").status_code == 404


def test_end_a_match_frees_the_place_and_excludes_the_pair(open_match, client):
    """Does ending free the tutor's place, put the person back to waiting and exclude the pair?"""
    parma, coordinator, tutor, person, match = open_match
    login(client, coordinator)
    assert client.get(f"/matches/{match.id}").status_code == 200
    data = {"outcome": "goals_reached", "reason": "CV done", "beneficiary_next": "waiting"}
    reply = client.post(f"/matches/{match.id}/end", data=data, follow_redirects=True)
    assert "has ended" in reply.text
    ended = db.session.get(Match, match.id)
    assert ended.status == "ended" and ended.outcome == "goals_reached"
    assert db.session.get(TutorProfile, tutor.id).open_matches == 0
    assert db.session.get(Beneficiary, person.id).status == "waiting"
    assert (person.id, tutor.id) in engine_io.territory_excluded_pairs(parma.id)
    again = client.post(f"/matches/{match.id}/end", data=data)
    assert again.status_code == 400 and "not open any more" in again.text
    assert db.session.get(TutorProfile, tutor.id).open_matches == 0


def test_end_and_close_the_record(open_match, client):
    """Can the coordinator close the person's record when the match ends?"""
    _, coordinator, _, person, match = open_match
    login(client, coordinator)
    data = {"outcome": "moved_away", "reason": "Moved to Milan", "beneficiary_next": "closed"}
    client.post(f"/matches/{match.id}/end", data=data)
    closed = db.session.get(Beneficiary, person.id)
    assert closed.status == "closed" and closed.close_reason == "Moved to Milan"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "x"}, "Choose an outcome from the list."),
        ({"outcome": "nope", "reason": "x"}, "Not a valid choice"),
        ({"outcome": "other", "reason": ""}, "Say why the match ends."),
        ({"outcome": "other", "reason": "x", "beneficiary_next": "deleted"}, "Not a valid choice"),
    ],
)
def test_ending_needs_outcome_and_reason(open_match, client, data, message):
    """Is ending without an outcome or reason refused next to the field, nothing changed?"""
    _, coordinator, tutor, _, match = open_match
    login(client, coordinator)
    reply = client.post(f"/matches/{match.id}/end", data=data)
    assert reply.status_code == 400 and message in reply.text
    assert db.session.get(Match, match.id).status == "approved"
    assert db.session.get(TutorProfile, tutor.id).open_matches == 1


@pytest.mark.parametrize("path", ["/matches/territory/{t}", "/matches/{m}", "/matches/{m}/end"])
def test_other_territory_matches_are_404(open_match, client, path):
    """Does a Bergamo coordinator get 404 for Parma's matches?"""
    parma, _, _, _, match = open_match
    bergamo = factories.territory("BG", "Bergamo", "Lombardia")
    login(client, factories.user("coordinator", territories=[bergamo]))
    url = path.format(t=parma.id, m=match.id)
    reply = client.post(url, data={}) if url.endswith("/end") else client.get(url)
    assert reply.status_code == 404
    assert client.get(f"/matches/{match.id}/meetings/new").status_code == 404
