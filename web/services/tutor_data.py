"""A tutor's own data: download everything stored about them, or erase it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from web.extensions import db
from web.models import AuditEvent, Match, Notification, User
from web.models.common import utcnow
from web.services import audit
from web.services.display import slots_from_mask
from web.services.errors import ServiceError
from web.services.retention import erase_tutor
from web.services.tutor_matches import close_open_matches


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_data(user: User) -> dict[str, Any]:
    """Return everything stored about this person, as JSON-ready values; audit the export."""
    profile = user.tutor_profile
    data: dict[str, Any] = {
        "format": "tutor-match-export/1",
        "exported_at": _when(utcnow()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "locale": user.locale,
            "created_at": _when(user.created_at),
            "verified_at": _when(user.verified_at),
            "last_login_at": _when(user.last_login_at),
        },
        "profile": None,
        "matches": [],
    }
    if profile is not None:
        data["profile"] = {
            "display_name": profile.display_name,
            "municipality": profile.place.label if profile.place else None,
            "max_travel_km": profile.max_travel_km,
            "remote_ok": profile.remote_ok,
            "capacity": profile.capacity,
            "availability": slots_from_mask(profile.availability),
            "skills": [skill.skill_code for skill in profile.skills],
            "languages": {language.lang: language.level for language in profile.languages},
            "interests": profile.interests,
            "motivation": profile.motivation,
            "gender": profile.gender,
            "status": profile.status,
            "training_completed_on": _when(profile.training_completed_on),
            "background_check_on": _when(profile.background_check_on),
            "background_check_expires_on": _when(profile.background_check_expires_on),
            "vetted_at": _when(profile.vetted_at),
            "decline_reason": profile.decline_reason,
            "privacy_notice_version": profile.consent_version,
            "consent_at": _when(profile.consent_at),
            "created_at": _when(profile.created_at),
            "updated_at": _when(profile.updated_at),
        }
        matches = db.session.scalars(
            select(Match)
            .where(Match.tutor_id == profile.id, Match.status != "proposed")
            .order_by(Match.id)
        )
        data["matches"] = [
            {
                "status": match.status,
                "beneficiary_first_name": match.beneficiary.first_name
                if match.status in ("approved", "active", "ended")
                else None,
                "approved_at": _when(match.decided_at),
                "accepted_at": _when(match.accepted_at),
                "ended_at": _when(match.ended_at),
                "outcome": match.outcome,
                "your_reason": match.decision_reason
                if match.decision_reason_code == "tutor_declined"
                else None,
                "meetings": [
                    {"on": _when(m.held_on), "minutes": m.duration_minutes, "topic": m.topic}
                    for m in match.meetings
                ],
            }
            for match in matches
        ]
    data["emails"] = [
        {"template": n.template, "status": n.status, "created_at": _when(n.created_at)}
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.recipient_user_id == user.id)
            .order_by(Notification.id)
        )
    ]
    own_objects = [("user", str(user.id))]
    if profile is not None:
        own_objects.append(("tutor", str(profile.id)))
    data["activity"] = [
        {"action": e.action, "at": _when(e.at)}
        for e in db.session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    AuditEvent.actor_id == user.id,
                    *[
                        (AuditEvent.object_type == kind) & (AuditEvent.object_id == ident)
                        for kind, ident in own_objects
                    ],
                )
            )
            .order_by(AuditEvent.id)
        )
    ]
    audit.record("user.data_exported", "user", user.id, actor_id=user.id)
    db.session.commit()
    return data


def erase_account(user: User, password: str) -> None:
    """Erase the person's data, keep anonymous aggregates, close open matches, tell coordinators."""
    if not user.check_password(password):
        raise ServiceError({"password": str(_l("The password is not right."))})
    profile = user.tutor_profile
    if profile is None:
        raise ServiceError({"password": str(_l("Only volunteers can delete their account here."))})
    close_open_matches(profile, outcome="tutor_left", erased=True)
    erase_tutor(profile, reason="request", actor_id=user.id)
    db.session.commit()
