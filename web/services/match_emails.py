"""The emails about a match to the two people in it: approved, ended, or left by the tutor.

Each is written to the outbox in the caller's transaction (the calling service commits)
with an idempotency key per match and event. Emails name the territory's contact, or the
coordinator who made the decision when the territory names nobody.
"""

from __future__ import annotations

from web.extensions import db
from web.models import Match, User
from web.services.links import public_url
from web.services.notifications import notify


def _full_name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""


def _to_beneficiary(
    match: Match, event: str, template: str, coordinator_id: int | None, **context: object
) -> None:
    """Write an email to the beneficiary, in their language, when they have an address."""
    person = match.beneficiary
    if not person.contact_email:
        return
    notify(
        key=f"match:{match.id}:{event}:beneficiary",
        to=person.contact_email,
        template=template,
        locale=person.preferred_language or "it",
        context={"first_name": person.first_name, **context},
        territory_id=person.territory_id,
        coordinator_id=coordinator_id,
    )


def _to_tutor(
    match: Match, event: str, template: str, coordinator_id: int | None, **context: object
) -> None:
    """Write an email to the tutor, in their language, linking to the match."""
    person, tutor = match.beneficiary, match.tutor
    if not tutor.user.active:  # an erased account has no address any more
        return
    notify(
        key=f"match:{match.id}:{event}:tutor",
        to=tutor.user.email,
        user_id=tutor.user_id,
        template=template,
        locale=tutor.user.locale or "it",
        context={
            "tutor_name": tutor.display_name,
            "first_name": person.first_name,
            "code": person.code,
            "url": public_url("tutors.match", match_id=match.id),
            **context,
        },
        territory_id=person.territory_id,
        coordinator_id=coordinator_id,
    )


def tell_approved(match: Match, coordinator_id: int) -> None:
    """Tell the beneficiary they have a tutor, and the tutor whom to meet."""
    person, first_name = match.beneficiary, match.tutor.display_name.split(" ")[0]
    _to_beneficiary(
        match, "approved", "match_approved_beneficiary", coordinator_id, tutor_name=first_name
    )
    _to_tutor(
        match,
        "approved",
        "match_approved_tutor",
        coordinator_id,
        coordinator_name=_full_name(coordinator_id),
        municipality=person.place.name if person.place else "",
    )


def tell_ended(
    match: Match, coordinator_id: int | None, outcome: str, beneficiary_next: str
) -> None:
    """Thank the tutor and tell both people that the match ended, and what comes next."""
    closed, first_name = beneficiary_next == "closed", match.tutor.display_name.split(" ")[0]
    _to_beneficiary(
        match, "ended", "match_ended_beneficiary", coordinator_id, tutor_name=first_name,
        closed=closed,
    )  # fmt: skip
    _to_tutor(
        match,
        "ended",
        "match_ended_tutor",
        coordinator_id,
        outcome=outcome,
        meetings=len(match.meetings),
        closed=closed,
        available=match.tutor.status == "active",
    )


def tell_beneficiary_tutor_left(match: Match) -> None:
    """Tell the beneficiary that their tutor cannot go on (declined, left, or erased)."""
    _to_beneficiary(match, "tutor-left", "tutor_left_to_beneficiary", match.decided_by_id)
