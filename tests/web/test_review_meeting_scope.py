"""A tutor reaches the meeting log only for matches a coordinator has shown them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.web.matching_helpers import login, parma_with_people
from web.extensions import db
from web.models import Match, Meeting


@pytest.mark.parametrize("status", ["proposed", "rejected", "superseded", "declined"])
def test_tutor_cannot_open_meetings_of_an_unshown_match(app, client, status):
    """Does a tutor get a 404, without the person's name, for a proposal or a refused match?"""
    _parma, _coordinator, tutors, people = parma_with_people(tutors=1, beneficiaries=1)
    person = people[0]
    match = Match(beneficiary_id=person.id, tutor_id=tutors[0].id, score=0.7, status=status)
    db.session.add(match)
    db.session.commit()
    login(client, tutors[0].user)
    reply = client.get(f"/matches/{match.id}/meetings/new")
    assert reply.status_code == 404
    assert person.first_name not in reply.text
    data = {"held_on": date.today().isoformat(), "duration_minutes": "60", "topic": ""}
    assert client.post(f"/matches/{match.id}/meetings/new", data=data).status_code == 404
    assert db.session.scalar(select(Meeting)) is None
