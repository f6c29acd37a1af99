"""Following matches: the last meeting of each open match, flags, meetings, ending."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from web.extensions import db
from web.models import Beneficiary, Match, Meeting, TutorProfile
from web.services import audit, tutor_matches
from web.services.decisions import DecisionError, release
from web.services.vocabulary import OUTCOME_LABELS

OPEN_STATUSES = ("approved", "active")
OUTCOMES = OUTCOME_LABELS  # the ways a match may end, with their labels
MAX_MEETING_MINUTES = 720  # 12 hours: longer is a typo, not a meeting


@dataclass
class FollowedMatch:
    """An open match with its last meeting and whether it needs attention."""

    match: Match
    last_meeting: date | None
    meetings: int
    flagged: bool


def _since(match: Match) -> date:
    started: datetime | None = match.accepted_at or match.decided_at or match.created_at
    return started.date() if started else date.today()


def open_matches(territory_id: int, today: date | None = None) -> list[FollowedMatch]:
    """Open matches of a territory, the ones without a recent meeting first."""
    today = today or date.today()
    weeks = int(current_app.config.get("MEETING_FLAG_WEEKS", 3))
    cutoff = today - timedelta(weeks=weeks)
    last = (
        select(
            Meeting.match_id,
            func.max(Meeting.held_on).label("last"),
            func.count(Meeting.id).label("count"),
        )
        .group_by(Meeting.match_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Match, last.c.last, last.c.count)
        .join(Beneficiary, Beneficiary.id == Match.beneficiary_id)
        .outerjoin(last, last.c.match_id == Match.id)
        .where(Beneficiary.territory_id == territory_id, Match.status.in_(OPEN_STATUSES))
        .options(selectinload(Match.beneficiary), selectinload(Match.tutor))
    ).all()
    followed = [
        FollowedMatch(match, last_on, count or 0, (last_on or _since(match)) < cutoff)
        for match, last_on, count in rows
    ]
    followed.sort(key=lambda f: (not f.flagged, f.last_meeting or _since(f.match), f.match.id))
    return followed


def can_log_meetings(match: Match, user) -> bool:
    """Only the match's tutor logs meetings (coordinators of the territory may correct them)."""
    profile: TutorProfile | None = getattr(user, "tutor_profile", None)
    # A tutor never learns of proposals or refused pairs: only matches shown on their pages.
    return (
        profile is not None
        and profile.id == match.tutor_id
        and match.status in tutor_matches.SHOWN_STATUSES
    )


def log_meeting(match: Match, actor_id: int, held_on: date, minutes: int, topic: str) -> Meeting:
    """Record a meeting of an open match."""
    errors = {}
    if match.status not in OPEN_STATUSES:
        raise DecisionError(_("Meetings can be logged only for an open match."))
    if held_on > date.today():
        errors["held_on"] = _("The date cannot be in the future.")
    if not 1 <= minutes <= MAX_MEETING_MINUTES:
        errors["duration_minutes"] = _("Between 1 and 720 minutes.")
    if len(topic) > 200:
        errors["topic"] = _("At most 200 characters.")
    elif any(unicodedata.category(char) == "Cc" for char in topic):
        # Control characters (a NUL above all) have no place in a topic; PostgreSQL refuses NUL.
        errors["topic"] = _("The topic contains characters that are not allowed.")
    if errors:
        raise DecisionError(errors)
    meeting = Meeting(
        match_id=match.id,
        held_on=held_on,
        duration_minutes=minutes,
        topic=topic.strip(),
        created_by_id=actor_id,
    )
    db.session.add(meeting)
    db.session.flush()
    audit.record(
        "meeting_logged",
        "match",
        match.id,
        territory_id=match.beneficiary.territory_id,
        meeting=meeting.id,
    )
    db.session.commit()
    return meeting


def end_match(match: Match, actor_id: int, outcome: str, reason: str, next_status: str) -> None:
    """End an open match with an outcome and reason; the pair is never proposed again."""
    errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome from the list.")
    if not reason.strip():
        errors["reason"] = _("Say why the match ends.")
    if next_status not in ("waiting", "closed"):
        errors["beneficiary_next"] = _("Choose what happens next for the person.")
    if errors:
        raise DecisionError(errors)
    release(match, "ended", actor_id, outcome=outcome, reason=reason, beneficiary_next=next_status)
