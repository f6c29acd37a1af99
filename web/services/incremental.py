"""Incremental proposals: a newly active tutor or a new beneficiary, without a territory run."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

import matching
from web.extensions import db
from web.models import Match, Territory
from web.models.common import utcnow
from web.services import engine_io
from web.services.reasons import as_json

TUTOR_TASK = "matching.incremental_tutor"
BENEFICIARY_TASK = "matching.incremental_beneficiary"


def _match_from(proposal: matching.Proposal, rank: int) -> Match:
    return Match(
        run_id=None,
        beneficiary_id=proposal.beneficiary_id,
        tutor_id=proposal.tutor_id,
        rank=rank,
        score=min(max(proposal.score, 0.0), 1.0),
        components=dict(proposal.components),
        reasons=as_json(proposal.reasons),
        status="proposed",
    )


def propose_for_tutor(profile_id: int) -> int:
    """Propose a newly active tutor to the best waiting beneficiaries; return how many."""
    profile = engine_io.load_tutor(profile_id)
    if profile is None or profile.status != "active" or profile.territory_id is None:
        return 0
    tutor = engine_io.engine_tutor(profile)
    territory = db.session.get(Territory, profile.territory_id)
    if tutor is None or tutor.free_slots == 0 or territory is None:
        return 0
    open_beneficiaries = engine_io.waiting_beneficiaries(territory.id)
    proposals = matching.match_one_tutor(
        tutor,
        open_beneficiaries,
        weights=engine_io.territory_weights(territory),
        now=date.today(),
        exclude=engine_io.excluded_pairs(tutor_ids=[profile.id]),
    )
    ids = [p.beneficiary_id for p in proposals]
    current = dict(
        db.session.execute(
            select(Match.beneficiary_id, func.max(Match.rank))
            .where(Match.beneficiary_id.in_(ids), Match.status == "proposed")
            .group_by(Match.beneficiary_id)
        ).all()
    )
    already = set(
        db.session.scalars(
            select(Match.beneficiary_id).where(
                Match.beneficiary_id.in_(ids),
                Match.tutor_id == profile.id,
                Match.status == "proposed",
            )
        )
    )
    created = 0
    for proposal in proposals:
        if proposal.beneficiary_id in already:
            continue
        # Someone without proposals gets this tutor as the choice; others as an alternative.
        top = current.get(proposal.beneficiary_id)
        db.session.add(_match_from(proposal, 0 if top is None else top + 1))
        created += 1
    db.session.commit()
    return created


def propose_for_beneficiary(beneficiary_id: int) -> int:
    """Propose the best open tutors for a waiting beneficiary; return how many."""
    person = engine_io.load_beneficiary(beneficiary_id)
    if person is None or person.status != "waiting" or person.erased_at is not None:
        return 0
    record = engine_io.engine_beneficiary(person)
    territory = db.session.get(Territory, person.territory_id)
    if record is None or territory is None:
        return 0
    proposals = matching.match_one_beneficiary(
        record,
        engine_io.open_tutors(territory.id),
        weights=engine_io.territory_weights(territory),
        now=date.today(),
        exclude=engine_io.excluded_pairs(beneficiary_ids=[person.id]),
    )
    if not proposals:
        return 0
    db.session.execute(
        update(Match)
        .where(Match.beneficiary_id == person.id, Match.status == "proposed")
        .values(status="superseded", decided_at=utcnow())
    )
    for proposal in proposals:
        db.session.add(_match_from(proposal, proposal.rank - 1))
    db.session.commit()
    return len(proposals)
