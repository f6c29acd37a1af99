"""Periodic emails: the coordinators' weekly digest and reminders to tutors (non-essential)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, exists, func, select

from web.extensions import db
from web.models import Beneficiary, Match, Meeting, TutorProfile, User
from web.models.common import utcnow
from web.services.links import public_url
from web.services.notifications import notify

DOCUMENT_WARNING_DAYS = 30


def week_label(day: date) -> str:
    """Name the ISO week of a day, e.g. 2026-W47 (part of the emails' idempotency keys)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _no_recent_meeting(since: date):
    return ~exists().where(and_(Meeting.match_id == Match.id, Meeting.held_on >= since))


def territory_summary(territory_ids: list[int], today: date) -> dict[str, int]:
    """Count what a coordinator should look at this week in their territories."""
    quiet_since = today - timedelta(weeks=current_app.config["REMINDER_AFTER_WEEKS"])
    in_scope = Beneficiary.territory_id.in_(territory_ids)
    proposals = db.session.scalar(
        select(func.count(func.distinct(Match.beneficiary_id)))
        .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
        .where(in_scope, Match.status == "proposed")
    )
    quiet = db.session.scalar(
        select(func.count(Match.id))
        .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
        .where(in_scope, Match.status == "active", _no_recent_meeting(quiet_since))
    )
    expiring = db.session.scalar(
        select(func.count(TutorProfile.id)).where(
            TutorProfile.territory_id.in_(territory_ids),
            TutorProfile.status.in_(("active", "paused")),
            TutorProfile.background_check_expires_on.is_not(None),
            TutorProfile.background_check_expires_on
            <= today + timedelta(days=DOCUMENT_WARNING_DAYS),
        )
    )
    return {
        "waiting_proposals": proposals or 0,
        "quiet_matches": quiet or 0,
        "expiring_documents": expiring or 0,
    }


def send_weekly_digests(today: date | None = None) -> int:
    """Write this week's digest for every active coordinator with something to report."""
    today = today or utcnow().date()
    week = week_label(today)
    written = 0
    coordinators = db.session.scalars(
        select(User).where(User.role == "coordinator", User.active.is_(True))
    )
    for coordinator in coordinators:
        territory_ids = [territory.id for territory in coordinator.territories]
        if not territory_ids:
            continue
        summary = territory_summary(territory_ids, today)
        if not any(summary.values()):
            continue
        notify(
            key=f"digest:{coordinator.id}:{week}",
            to=coordinator.email,
            template="coordinator_digest",
            locale=coordinator.locale,
            context={
                "name": coordinator.full_name,
                "week": week,
                "territories": ", ".join(t.code for t in coordinator.territories),
                "weeks": current_app.config["REMINDER_AFTER_WEEKS"],
                "url": public_url("dashboard.index"),
                **summary,
            },
            user_id=coordinator.id,
            essential=False,
            # A digest about one territory names its contact; about several, the deployment's.
            territory_id=territory_ids[0] if len(territory_ids) == 1 else None,
        )
        written += 1
    db.session.commit()
    return written


def send_meeting_reminders(today: date | None = None) -> int:
    """Remind tutors of active matches with no meeting logged for a while (once a week)."""
    today = today or utcnow().date()
    weeks = current_app.config["REMINDER_AFTER_WEEKS"]
    since = today - timedelta(weeks=weeks)
    started_before = utcnow() - timedelta(weeks=weeks)
    quiet = db.session.execute(
        select(Match, TutorProfile, User)
        .join(TutorProfile, Match.tutor_id == TutorProfile.id)
        .join(User, TutorProfile.user_id == User.id)
        .where(
            Match.status == "active",
            func.coalesce(Match.accepted_at, Match.decided_at, Match.created_at) < started_before,
            _no_recent_meeting(since),
            User.active.is_(True),
        )
    )
    written = 0
    week = week_label(today)
    for match, profile, user in quiet:
        notify(
            key=f"meeting-reminder:{match.id}:{week}",
            to=user.email,
            template="tutor_meeting_reminder",
            locale=user.locale,
            context={
                "name": profile.display_name or user.full_name,
                "beneficiary": match.beneficiary.first_name,
                "weeks": weeks,
                "url": public_url("tutors.match", match_id=match.id),
            },
            user_id=user.id,
            essential=False,
            territory_id=match.beneficiary.territory_id,
            coordinator_id=match.decided_by_id,
        )
        written += 1
    db.session.commit()
    return written
