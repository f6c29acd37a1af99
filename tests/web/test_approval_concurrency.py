"""Approvals at the same moment, over real concurrent requests on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.web.matching_helpers import login
from web.extensions import db
from web.models import Beneficiary, Match, TutorProfile
from web.services.tasks import wait_for_inprocess_tasks

pytestmark = pytest.mark.postgres
THREADS = 6


def approve_all_at_once(app, coordinator, match_ids: list[int]) -> list:
    """Each thread has its own client (session, connection); all post after one barrier."""
    clients = []
    for _ in match_ids:
        client = app.test_client()
        login(client, coordinator)
        clients.append(client)
    barrier = threading.Barrier(len(match_ids))
    replies: list = [None] * len(match_ids)

    def approve(index: int) -> None:
        barrier.wait(timeout=30)
        with app.app_context():
            # Confirmed, as "Choose this tutor instead" asks for the alternatives.
            reply = clients[index].post(
                f"/proposals/{match_ids[index]}/approve", data={"confirmed": "yes"}
            )
            replies[index] = (reply.status_code, reply.headers.get("Location"))

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(len(match_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    wait_for_inprocess_tasks(app)  # the approval emails' delivery tasks
    return replies


def proposal(person: Beneficiary, tutor: TutorProfile, rank: int = 0) -> Match:
    """A proposed match between two people."""
    match = Match(beneficiary_id=person.id, tutor_id=tutor.id, rank=rank, score=0.5)
    db.session.add(match)
    db.session.commit()
    return match


def test_concurrent_approvals_never_exceed_a_tutors_capacity(make_app, postgres_url):
    """Do simultaneous approvals of different people for a tutor with one place give one match?"""
    app = make_app(postgres_url)
    with app.app_context():
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma])
        tutor = factories.tutor(parma, capacity=1)
        ids = [proposal(factories.beneficiary(parma), tutor).id for _ in range(THREADS)]
        replies = approve_all_at_once(app, coordinator, ids)
        assert all(status == 302 for status, _ in replies), replies
        db.session.expire_all()
        approved = db.session.scalar(
            select(func.count()).select_from(Match).where(Match.status == "approved")
        )
        assert approved == 1
        assert db.session.get(TutorProfile, tutor.id).open_matches == 1
        matched = db.session.scalar(
            select(func.count()).select_from(Beneficiary).where(Beneficiary.status == "matched")
        )
        assert matched == 1


def test_concurrent_approvals_give_a_person_one_open_match(make_app, postgres_url):
    """Do simultaneous approvals of one person with different tutors give exactly one match?"""
    app = make_app(postgres_url)
    with app.app_context():
        parma = factories.territory()
        coordinator = factories.user("coordinator", territories=[parma])
        person = factories.beneficiary(parma)
        tutors = [factories.tutor(parma, capacity=1) for _ in range(THREADS)]
        ids = [proposal(person, tutor, rank).id for rank, tutor in enumerate(tutors)]
        replies = approve_all_at_once(app, coordinator, ids)
        assert all(status == 302 for status, _ in replies), replies
        db.session.expire_all()
        statuses = list(db.session.scalars(select(Match.status).order_by(Match.id)))
        assert statuses.count("approved") == 1
        assert sum(db.session.get(TutorProfile, t.id).open_matches for t in tutors) == 1
