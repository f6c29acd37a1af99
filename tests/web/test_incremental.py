"""Incremental proposals: a new beneficiary or a newly active tutor, without a territory run."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from web.extensions import db
from web.models import Match
from web.services.tasks import enqueue, wait_for_inprocess_tasks


def proposed() -> list[tuple[int, int, int]]:
    """(beneficiary, tutor, rank) of the open proposals."""
    rows = db.session.execute(
        select(Match.beneficiary_id, Match.tutor_id, Match.rank).where(Match.status == "proposed")
    )
    return sorted(tuple(row) for row in rows)


def test_new_beneficiary_gets_ranked_proposals(app):
    """Does the incremental task propose the best tutors for a newly registered person?"""
    parma = factories.territory()
    tutors = [factories.tutor(parma, display_name=name) for name in ("Giulia", "Marco")]
    person = factories.beneficiary(parma)
    enqueue("matching.incremental_beneficiary", person.id)
    wait_for_inprocess_tasks(app)
    db.session.expire_all()
    assert [(b, rank) for b, _, rank in proposed()] == [(person.id, 0), (person.id, 1)]
    assert {t for _, t, _ in proposed()} == {t.id for t in tutors}
    enqueue("matching.incremental_beneficiary", person.id)  # again: replaced, not duplicated
    wait_for_inprocess_tasks(app)
    db.session.expire_all()
    assert len(proposed()) == 2


def test_newly_active_tutor_is_proposed_as_choice_or_alternative(app):
    """Is a new tutor the choice for people without proposals and an alternative for others?"""
    parma = factories.territory()
    first, second = factories.beneficiary(parma), factories.beneficiary(parma)
    existing = factories.tutor(parma, display_name="Giulia")
    db.session.add(Match(beneficiary_id=first.id, tutor_id=existing.id, rank=0, score=0.5))
    db.session.commit()
    newcomer = factories.tutor(parma, display_name="Marco")
    enqueue("matching.incremental_tutor", newcomer.id)
    wait_for_inprocess_tasks(app)
    db.session.expire_all()
    assert (first.id, newcomer.id, 1) in proposed()
    assert (second.id, newcomer.id, 0) in proposed()
    paused = factories.tutor(parma, display_name="Sara", status="paused")
    enqueue("matching.incremental_tutor", paused.id)
    wait_for_inprocess_tasks(app)
    db.session.expire_all()
    assert all(t != paused.id for _, t, _ in proposed())
