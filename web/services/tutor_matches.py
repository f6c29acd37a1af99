"""A tutor's matches: see those a coordinator approved, accept or decline them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from web.extensions import db
from web.models import Beneficiary, Match, TutorProfile, User, coordinator_territories
from web.models.common import utcnow
from web.models.matching import OPEN_MATCH_STATUSES
from web.services import audit, match_emails
from web.services.errors import ServiceError
from web.services.links import public_url
from web.services.notifications import notify

SHOWN_STATUSES = ("approved", "active", "ended")
MAX_REASON = 1000


def matches_for(profile: TutorProfile) -> list[Match]:
    """Return the tutor's matches worth showing: to answer, under way, then past ones."""
    order = {"approved": 0, "active": 1, "ended": 2}
    found = db.session.scalars(
        select(Match).where(Match.tutor_id == profile.id, Match.status.in_(SHOWN_STATUSES))
    )
    return sorted(
        found, key=lambda m: (order[m.status], -(m.decided_at or m.created_at).timestamp())
    )


def match_for(profile: TutorProfile, match_id: int) -> Match | None:
    """Return one of the tutor's own matches (None for anyone else's or a proposal)."""
    match = db.session.get(Match, match_id)
    if match is None or match.tutor_id != profile.id or match.status not in SHOWN_STATUSES:
        return None
    return match


def coordinators_of(territory_id: int | None) -> list[User]:
    """Return the active coordinators of a territory."""
    if territory_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(coordinator_territories, coordinator_territories.c.user_id == User.id)
            .where(
                coordinator_territories.c.territory_id == territory_id,
                User.role == "coordinator",
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def tell_coordinators(match: Match, event: str, **context: object) -> None:
    """Notify the coordinators of the match's territory about the tutor's answer.

    The email links to the match (accepted) or to the person's record (declined: they
    wait again, and may be matched by hand).
    """
    beneficiary = match.beneficiary
    if event == "accepted":
        url = public_url("follow.show", match_id=match.id)
    else:
        url = public_url("beneficiaries.detail", beneficiary_id=beneficiary.id)
    for coordinator in coordinators_of(beneficiary.territory_id):
        notify(
            key=f"match-{event}:{match.id}:{coordinator.id}",
            to=coordinator.email,
            template="match_answer_to_coordinator",
            locale=coordinator.locale,
            context={
                "event": event,
                "beneficiary_code": beneficiary.code,
                "tutor_name": match.tutor.display_name,
                "url": url,
                **context,
            },
            user_id=coordinator.id,
            territory_id=beneficiary.territory_id,
        )


def accept(profile: TutorProfile, match_id: int) -> Match:
    """Accept an approved match: it becomes active and the contact details are shown."""
    match = match_for(profile, match_id)
    if match is None:
        raise LookupError(match_id)
    changed = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == "approved")
        .values(status="active", accepted_at=utcnow())
    ).rowcount
    if not changed:
        db.session.rollback()
        raise ServiceError(str(_l("This match has already been answered.")))
    db.session.refresh(match)
    audit.record(
        "match.accepted_by_tutor", "match", match.id, territory_id=match.beneficiary.territory_id
    )
    tell_coordinators(match, "accepted")
    db.session.commit()
    return match


def decline(profile: TutorProfile, match_id: int, reason: str) -> Match:
    """Decline an approved match with a reason; the place is freed and coordinators told."""
    match = match_for(profile, match_id)
    if match is None:
        raise LookupError(match_id)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": str(_l("Tell the coordinator why, in a few words."))})
    if len(reason) > MAX_REASON:
        raise ServiceError({"reason": str(_l("At most %(max)d characters.", max=MAX_REASON))})
    changed = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.status == "approved")
        .values(status="declined", decision_reason=reason, decision_reason_code="tutor_declined")
    ).rowcount
    if not changed:
        db.session.rollback()
        raise ServiceError(str(_l("This match has already been answered.")))
    _free_slot(profile.id)
    _beneficiary_waits_again(match.beneficiary_id)
    db.session.refresh(match)
    audit.record(
        "match.declined_by_tutor", "match", match.id, territory_id=match.beneficiary.territory_id
    )
    tell_coordinators(match, "declined", reason=reason)
    match_emails.tell_beneficiary_tutor_left(match)
    db.session.commit()
    return match


def _free_slot(tutor_id: int) -> None:
    db.session.execute(
        update(TutorProfile)
        .where(TutorProfile.id == tutor_id, TutorProfile.open_matches > 0)
        .values(open_matches=TutorProfile.open_matches - 1)
    )


def _beneficiary_waits_again(beneficiary_id: int) -> None:
    db.session.execute(
        update(Beneficiary)
        .where(Beneficiary.id == beneficiary_id, Beneficiary.status == "matched")
        .values(status="waiting")
    )


def close_open_matches(profile: TutorProfile, outcome: str, *, erased: bool = False) -> int:
    """End the tutor's open matches (they leave); coordinators and beneficiaries are told.

    The caller commits.
    """
    was_available = profile.status in ("active", "paused") or erased
    open_matches = list(
        db.session.scalars(
            select(Match).where(Match.tutor_id == profile.id, Match.status.in_(OPEN_MATCH_STATUSES))
        )
    )
    now = utcnow()
    for match in open_matches:
        match.status = "ended"
        match.ended_at = now
        match.outcome = outcome
        _free_slot(profile.id)
        _beneficiary_waits_again(match.beneficiary_id)
        match_emails.tell_beneficiary_tutor_left(match)
        audit.record(
            "match.ended",
            "match",
            match.id,
            territory_id=match.beneficiary.territory_id,
            outcome=outcome,
        )
    territory_ids = {m.beneficiary.territory_id for m in open_matches}
    if was_available and profile.territory_id is not None:
        territory_ids.add(profile.territory_id)
    for territory_id in sorted(territory_ids):
        for coordinator in coordinators_of(territory_id):
            notify(
                key=f"tutor-left:{profile.id}:{outcome}:{coordinator.id}",
                to=coordinator.email,
                template="tutor_left_to_coordinator",
                locale=coordinator.locale,
                context={
                    "erased": erased,
                    "tutor_ref": f"T-{profile.id}",
                    # Who left, and their page; an erased account has neither any more.
                    "tutor_name": "" if erased else profile.display_name,
                    "url": "" if erased else public_url("vetting.tutor", tutor_id=profile.id),
                    "beneficiary_codes": sorted(
                        m.beneficiary.code
                        for m in open_matches
                        if m.beneficiary.territory_id == territory_id
                    ),
                },
                user_id=coordinator.id,
                territory_id=territory_id,
            )
    db.session.flush()
    return len(open_matches)
