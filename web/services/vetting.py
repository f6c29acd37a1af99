"""Coordinators vet new tutors of their territories: approve with checks, or decline."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from web.extensions import db
from web.models import Place, Territory, TutorProfile, User
from web.models.common import utcnow
from web.services import audit
from web.services.errors import ServiceError
from web.services.links import public_url
from web.services.notifications import notify
from web.services.tasks import enqueue

MAX_REASON = 1000


def _scoped(coordinator: User) -> Select:
    """Select tutors whose municipality lies in one of the coordinator's territories."""
    query = (
        select(TutorProfile)
        .join(Place, Place.id == TutorProfile.place_id)
        .join(Territory, Territory.code == Place.province_code)
    )
    if not coordinator.is_admin:
        query = query.where(Territory.id.in_([t.id for t in coordinator.territories]))
    return query


def vetting_queue(coordinator: User) -> list[TutorProfile]:
    """Return complete profiles waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            _scoped(coordinator)
            .where(TutorProfile.status == "pending", TutorProfile.profile_completed_at.is_not(None))
            .order_by(TutorProfile.profile_completed_at, TutorProfile.id)
        )
    )


def tutor_for_vetting(coordinator: User, tutor_id: int) -> TutorProfile | None:
    """Return a tutor of the coordinator's territories and audit the view; None otherwise."""
    profile = db.session.scalar(_scoped(coordinator).where(TutorProfile.id == tutor_id))
    if profile is None:
        audit.record("tutor.view_denied", "tutor", tutor_id)
        db.session.commit()
        return None
    audit.record("tutor.viewed", "tutor", profile.id, territory_id=profile.territory_id)
    db.session.commit()
    return profile


def _territory_id(profile: TutorProfile) -> int | None:
    assert profile.place is not None
    territory = db.session.scalar(
        select(Territory).where(Territory.code == profile.place.province_code)
    )
    return territory.id if territory else None


def approve(
    coordinator: User,
    profile: TutorProfile,
    *,
    training_completed_on: date | None,
    background_check_on: date | None,
    background_check_expires_on: date | None,
) -> None:
    """Activate a pending tutor, recording training and background check; tell them."""
    today = date.today()
    errors = {}
    if training_completed_on is None:
        errors["training_completed_on"] = str(_l("Enter the date the training was completed."))
    elif training_completed_on > today:
        errors["training_completed_on"] = str(_l("The date cannot be in the future."))
    if background_check_on is None:
        errors["background_check_on"] = str(_l("Enter the date of the background check."))
    elif background_check_on > today:
        errors["background_check_on"] = str(_l("The date cannot be in the future."))
    if background_check_expires_on is None:
        errors["background_check_expires_on"] = str(_l("Enter when the background check expires."))
    elif background_check_expires_on <= today:
        errors["background_check_expires_on"] = str(_l("The background check has expired."))
    elif background_check_on and background_check_expires_on <= background_check_on:
        errors["background_check_expires_on"] = str(
            _l("The expiry must come after the check date.")
        )
    if profile.status != "pending":
        errors[""] = str(_l("This tutor has already been vetted."))
    elif profile.profile_completed_at is None:
        errors[""] = str(_l("The tutor has not completed their profile yet."))
    if errors:
        raise ServiceError(errors)
    profile.status = "active"
    profile.territory_id = _territory_id(profile)
    profile.training_completed_on = training_completed_on
    profile.background_check_on = background_check_on
    profile.background_check_expires_on = background_check_expires_on
    profile.vetted_by_id = coordinator.id
    profile.vetted_at = utcnow()
    profile.decline_reason = None
    audit.record("tutor.approved", "tutor", profile.id, territory_id=profile.territory_id)
    notify(
        key=f"tutor-approved:{profile.id}",
        to=profile.user.email,
        template="tutor_approved",
        locale=profile.user.locale,
        context={
            "name": profile.display_name,
            "coordinator_name": coordinator.full_name,
            "link": public_url("tutors.matches"),
        },
        user_id=profile.user_id,
        territory_id=profile.territory_id,
        coordinator_id=coordinator.id,
    )
    db.session.commit()
    enqueue("matching.incremental_tutor", profile.id)


def decline(coordinator: User, profile: TutorProfile, reason: str) -> None:
    """Decline a pending tutor with a reason the tutor is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": str(_l("Give the reason: the volunteer will read it."))})
    if len(reason) > MAX_REASON:
        raise ServiceError({"reason": str(_l("At most %(max)d characters.", max=MAX_REASON))})
    if profile.status != "pending":
        raise ServiceError(str(_l("This tutor has already been vetted.")))
    profile.status = "declined"
    profile.decline_reason = reason
    profile.vetted_by_id = coordinator.id
    profile.vetted_at = utcnow()
    audit.record("tutor.declined", "tutor", profile.id, territory_id=profile.territory_id)
    notify(
        key=f"tutor-declined:{profile.id}",
        to=profile.user.email,
        template="tutor_declined",
        locale=profile.user.locale,
        context={
            "name": profile.display_name,
            "coordinator_name": coordinator.full_name,
            "reason": reason,
        },
        user_id=profile.user_id,
        territory_id=profile.territory_id,
        coordinator_id=coordinator.id,
    )
    db.session.commit()
