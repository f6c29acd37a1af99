"""Coordinators' decisions on proposals: approve, reject, match by hand, end or decline.

Approval is safe under concurrency without locks held across requests: each step is a
conditional UPDATE that only one transaction can win (beneficiary still waiting, proposal
still proposed, tutor below capacity), backed by the database's CHECK and partial unique
indexes. The beneficiary row is claimed first, so concurrent approvals queue on one row
instead of deadlocking. Any failed step rolls everything back.
"""

from __future__ import annotations

import logging
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

import matching
from web.extensions import db
from web.models import Beneficiary, Match, TutorProfile
from web.models.common import utcnow
from web.services import audit, engine_io, match_emails
from web.services.errors import ServiceError
from web.services.reasons import as_json
from web.services.vocabulary import DECISION_REASON_LABELS

log = logging.getLogger(__name__)
REJECT_REASONS = DECISION_REASON_LABELS  # the codes a rejection may give, with their labels


class DecisionError(ServiceError):
    """A decision that cannot be applied; the message tells the coordinator why."""


def _claim_beneficiary(beneficiary_id: int) -> bool:
    result = db.session.execute(
        update(Beneficiary)
        .where(
            Beneficiary.id == beneficiary_id,
            Beneficiary.status == "waiting",
            Beneficiary.erased_at.is_(None),
        )
        .values(status="matched")
    )
    return result.rowcount == 1


def _take_seat(tutor_id: int) -> bool:
    result = db.session.execute(
        update(TutorProfile)
        .where(
            TutorProfile.id == tutor_id,
            TutorProfile.status == "active",
            TutorProfile.open_matches < TutorProfile.capacity,
        )
        .values(open_matches=TutorProfile.open_matches + 1)
    )
    return result.rowcount == 1


def _why_not(match_id: int | None, beneficiary_id: int, tutor_id: int) -> str:
    """Explain, after a rollback, which condition a decision lost."""
    if match_id is not None:
        status = db.session.scalar(select(Match.status).where(Match.id == match_id))
        if status != "proposed":
            return _("This proposal was already decided by someone else.")
    person = db.session.get(Beneficiary, beneficiary_id, populate_existing=True)
    if person is not None and person.status == "matched":
        return _("%(code)s already has an open match.", code=person.code)
    if person is None or person.status != "waiting":
        return _("This person is no longer waiting for a tutor.")
    tutor = db.session.get(TutorProfile, tutor_id, populate_existing=True)
    if tutor is None or tutor.status != "active":
        return _("This tutor is not active any more.")
    return _("%(name)s has no free place any more.", name=tutor.display_name)


def _supersede_others(beneficiary_id: int, keep_id: int | None) -> None:
    query = update(Match).where(Match.beneficiary_id == beneficiary_id, Match.status == "proposed")
    if keep_id is not None:
        query = query.where(Match.id != keep_id)
    db.session.execute(query.values(status="superseded", decided_at=utcnow()))


def _commit_or_explain(match_id: int | None, beneficiary_id: int, tutor_id: int) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DecisionError(_why_not(match_id, beneficiary_id, tutor_id)) from None
    except OperationalError:  # deadlock or serialisation failure: nothing was applied
        db.session.rollback()
        log.warning("approval of match %s lost a database race", match_id)
        raise DecisionError(_("Someone else was deciding at the same moment: try again.")) from None


def approve(match: Match, actor_id: int) -> Match:
    """Approve a proposal: the beneficiary is matched, the tutor takes one place."""
    match_id, beneficiary_id, tutor_id = match.id, match.beneficiary_id, match.tutor_id
    try:
        ok = _claim_beneficiary(beneficiary_id)
        if ok:
            ok = (
                db.session.execute(
                    update(Match)
                    .where(Match.id == match_id, Match.status == "proposed")
                    .values(status="approved", decided_by_id=actor_id, decided_at=utcnow())
                ).rowcount
                == 1
            )
        ok = ok and _take_seat(tutor_id)
        if not ok:
            db.session.rollback()
            raise DecisionError(_why_not(match_id, beneficiary_id, tutor_id))
        _supersede_others(beneficiary_id, match_id)
        db.session.refresh(match)
        match_emails.tell_approved(match, actor_id)
        audit.record(
            "match_approved",
            "match",
            match_id,
            territory_id=match.beneficiary.territory_id,
            rank=match.rank,
        )
    except (IntegrityError, OperationalError):
        db.session.rollback()
        raise DecisionError(_why_not(match_id, beneficiary_id, tutor_id)) from None
    _commit_or_explain(match_id, beneficiary_id, tutor_id)
    return match


def reject(match: Match, actor_id: int, reason_code: str, reason_text: str) -> None:
    """Reject a proposal with a reason; the pair is never proposed again."""
    if reason_code not in REJECT_REASONS:
        raise DecisionError({"reason_code": _("Choose a reason from the list.")})
    if reason_code == "other" and not reason_text.strip():
        raise DecisionError({"reason_text": _("Say why in a few words.")})
    moved = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == "proposed")
        .values(
            status="rejected",
            decided_by_id=actor_id,
            decided_at=utcnow(),
            decision_reason_code=reason_code,
            decision_reason=reason_text.strip() or None,
        )
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise DecisionError(_("This proposal was already decided by someone else."))
    audit.record(
        "match_rejected",
        "match",
        match.id,
        territory_id=match.beneficiary.territory_id,
        reason=reason_code,
    )
    db.session.commit()


def evaluate(person: Beneficiary, profile: TutorProfile) -> matching.PairEvaluation | None:
    """Score a pair and list the hard constraints it breaks (None without municipalities)."""
    tutor, beneficiary = engine_io.engine_tutor(profile), engine_io.engine_beneficiary(person)
    if tutor is None or beneficiary is None:
        return None
    return matching.evaluate_pair(
        tutor,
        beneficiary,
        weights=engine_io.territory_weights(person.territory),
        now=date.today(),
        exclude=engine_io.excluded_pairs(beneficiary_ids=[person.id]),
    )


def match_by_hand(person: Beneficiary, profile: TutorProfile, actor_id: int, reason: str) -> Match:
    """Match a beneficiary with a tutor the coordinator chose, with a mandatory reason."""
    if not reason.strip():
        raise DecisionError({"reason": _("Say why you match them by hand.")})
    if profile.territory_id != person.territory_id or profile.status != "active":
        raise DecisionError({"tutor_id": _("Choose an active tutor of this territory.")})
    evaluation = evaluate(person, profile)
    beneficiary_id, tutor_id = person.id, profile.id
    try:
        if not (_claim_beneficiary(beneficiary_id) and _take_seat(tutor_id)):
            db.session.rollback()
            raise DecisionError(_why_not(None, beneficiary_id, tutor_id))
        _supersede_others(beneficiary_id, None)
        match = Match(
            beneficiary_id=beneficiary_id,
            tutor_id=tutor_id,
            rank=0,
            manual=True,
            score=evaluation.score if evaluation else 0.0,
            components=dict(evaluation.components) if evaluation else {},
            reasons=as_json(evaluation.reasons) if evaluation else [],
            status="approved",
            decided_by_id=actor_id,
            decided_at=utcnow(),
            decision_reason_code="manual",
            decision_reason=reason.strip(),
        )
        db.session.add(match)
        db.session.flush()
        match_emails.tell_approved(match, actor_id)
        broken = [r.code for r in evaluation.broken] if evaluation else []
        audit.record(
            "match_manual", "match", match.id, territory_id=person.territory_id, broken=broken
        )
    except (IntegrityError, OperationalError):
        db.session.rollback()
        raise DecisionError(_why_not(None, beneficiary_id, tutor_id)) from None
    _commit_or_explain(None, beneficiary_id, tutor_id)
    return match


def release(
    match: Match,
    status: str,
    actor_id: int | None,
    *,
    outcome: str | None = None,
    reason: str = "",
    beneficiary_next: str = "waiting",
) -> None:
    """End, decline or reject an open match: the tutor's place and the beneficiary are freed."""
    moved = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status.in_(("approved", "active")))
        .values(
            status=status,
            ended_at=utcnow(),
            outcome=outcome,
            decision_reason=reason.strip() or None,
            decided_by_id=actor_id if status != "ended" else Match.decided_by_id,
        )
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise DecisionError(_("This match is not open any more."))
    db.session.execute(
        update(TutorProfile)
        .where(TutorProfile.id == match.tutor_id, TutorProfile.open_matches > 0)
        .values(open_matches=TutorProfile.open_matches - 1)
    )
    values: dict = {"status": beneficiary_next}
    if beneficiary_next == "closed":
        values.update(closed_at=utcnow(), close_reason=reason.strip() or outcome)
    db.session.execute(
        update(Beneficiary)
        .where(Beneficiary.id == match.beneficiary_id, Beneficiary.status == "matched")
        .values(**values)
    )
    if status == "ended":
        match_emails.tell_ended(match, actor_id, outcome or "other", beneficiary_next)
    audit.record(
        f"match_{status}",
        "match",
        match.id,
        territory_id=match.beneficiary.territory_id,
        outcome=outcome,
    )
    db.session.commit()
