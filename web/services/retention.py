"""Data retention: erase closed beneficiaries and withdrawn tutors past the retention period.

Erasure keeps what the programme's statistics need (territory, dates, statuses, needs and
languages without names, matches with scores and meeting counts) and removes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from web.extensions import db
from web.models import Beneficiary, Match, Meeting, Notification, TutorProfile, User
from web.models.common import utcnow
from web.services import audit

ERASED_DOMAIN = "erased.invalid"
ERASED_NAME = "-"


@dataclass(frozen=True)
class RetentionReport:
    """How many records the retention job erased."""

    beneficiaries: int
    tutors: int


def _forget_notifications(where) -> None:
    db.session.execute(
        update(Notification)
        .where(where)
        .values(recipient_email=f"erased@{ERASED_DOMAIN}", context={})
        .execution_options(synchronize_session=False)
    )


def erase_beneficiary(beneficiary: Beneficiary) -> None:
    """Remove a beneficiary's personal data, keeping the pseudonymous code and aggregates."""
    if beneficiary.contact_email:
        _forget_notifications(
            func.lower(Notification.recipient_email) == beneficiary.contact_email.lower()
        )
    beneficiary.first_name = ERASED_NAME
    beneficiary.contact_email = None
    beneficiary.contact_phone = None
    beneficiary.interests = ""
    beneficiary.gender = None
    beneficiary.preferred_tutor_gender = None
    beneficiary.close_reason = None
    beneficiary.place_id = None  # the territory stays, for statistics
    beneficiary.erased_at = utcnow()
    match_ids = select(Match.id).where(Match.beneficiary_id == beneficiary.id)
    db.session.execute(
        update(Meeting)
        .where(Meeting.match_id.in_(match_ids))
        .values(topic="")
        .execution_options(synchronize_session=False)
    )
    audit.record(
        "beneficiary.erased",
        "beneficiary",
        beneficiary.id,
        territory_id=beneficiary.territory_id,
        reason="retention",
    )


def erase_tutor(
    profile: TutorProfile, reason: str = "retention", actor_id: int | None = None
) -> None:
    """Remove a tutor's personal data, keeping the territory and their matches for statistics.

    Used by the retention job and by a tutor deleting their own account; the caller
    closes open matches first and commits.
    """
    user = profile.user
    # The municipality stays only as the territory, for the programme's statistics.
    profile.place_id = None
    profile.display_name = ""
    profile.interests = ""
    profile.motivation = ""
    profile.gender = None
    profile.decline_reason = None
    profile.skills = []
    profile.languages = []
    profile.availability = 0
    if profile.status != "declined":
        profile.status = "withdrawn"
    user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
    user.full_name = ""
    user.password_hash = None
    user.active = False
    user.session_version += 1
    _forget_notifications(Notification.recipient_user_id == user.id)
    db.session.execute(
        update(Notification)
        .where(Notification.recipient_user_id == user.id, Notification.status == "pending")
        .values(status="cancelled", cancel_reason="recipient_erased")
        .execution_options(synchronize_session=False)
    )
    audit.record(
        "user.erased",
        "user",
        user.id,
        territory_id=profile.territory_id,
        actor_id=actor_id,
        reason=reason,
    )


def erase_expired(batch: int = 200) -> RetentionReport:
    """Erase every record past RETENTION_DAYS (in batches, committing each)."""
    cutoff = utcnow() - timedelta(days=current_app.config["RETENTION_DAYS"])
    beneficiaries = tutors = 0
    while True:
        due = db.session.scalars(
            select(Beneficiary)
            .where(
                Beneficiary.status == "closed",
                Beneficiary.closed_at < cutoff,
                Beneficiary.erased_at.is_(None),
            )
            .limit(batch)
        ).all()
        for beneficiary in due:
            erase_beneficiary(beneficiary)
        db.session.commit()
        beneficiaries += len(due)
        if len(due) < batch:
            break
    while True:
        withdrawn = db.session.scalars(
            select(TutorProfile)
            .join(User, TutorProfile.user_id == User.id)
            .where(
                TutorProfile.status == "withdrawn",
                TutorProfile.updated_at < cutoff,
                User.email.not_like(f"%@{ERASED_DOMAIN}"),
            )
            .limit(batch)
        ).all()
        for profile in withdrawn:
            erase_tutor(profile)
        db.session.commit()
        tutors += len(withdrawn)
        if len(withdrawn) < batch:
            break
    return RetentionReport(beneficiaries, tutors)
