"""Helpers for the coordinator's-workspace tests: logged-in coordinators, matches, meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tests import factories
from tests.web.test_pages import login
from web.extensions import db
from web.models import Match, Meeting, Territory
from web.models.common import utcnow


def bergamo() -> Territory:
    """The Bergamo territory."""
    return factories.territory("BG", "Bergamo", "Lombardia")


def sign_in(client, role: str = "coordinator", territories: list[Territory] | None = None):
    """Create an account and log it in."""
    account = factories.user(role, territories=territories or [])
    login(client, account.email)
    return account


def match(
    beneficiary, tutor, status: str = "active", started: date | None = None, **fields
) -> Match:
    """Create a match (decided on `started`) between a beneficiary and a tutor."""
    started_at = (
        datetime.combine(started, time(12), tzinfo=utcnow().tzinfo) if started else utcnow()
    )
    created = Match(
        beneficiary_id=beneficiary.id,
        tutor_id=tutor.id,
        status=status,
        score=0.8,
        decided_at=started_at if status != "proposed" else None,
        accepted_at=started_at if status in ("active", "ended") else None,
        **fields,
    )
    db.session.add(created)
    if status in ("approved", "active"):
        tutor.open_matches += 1
    db.session.commit()
    return created


def meeting(match_: Match, held_on: date, minutes: int = 90) -> Meeting:
    """Log a meeting for a match."""
    created = Meeting(match_id=match_.id, held_on=held_on, duration_minutes=minutes, topic="CV")
    db.session.add(created)
    db.session.commit()
    return created


def days_ago(days: int) -> date:
    """A date in the past."""
    return date.today() - timedelta(days=days)
