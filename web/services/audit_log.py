"""Read the audit trail: admins see every event, coordinators their territories' events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from web.extensions import db
from web.models import AuditEvent, User
from web.services.scope import territory_ids


def events_query(
    user: User,
    action: str | None = None,
    actor_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    territory_id: int | None = None,
) -> Select:
    """Build the filtered list of events the user may see, newest first."""
    query = select(AuditEvent)
    ids = territory_ids(user)
    if ids is not None:
        query = query.where(AuditEvent.territory_id.in_(ids))
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, UTC))
    if until:
        query = query.where(
            AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, UTC)
        )
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if territory_id is not None:
        query = query.where(AuditEvent.territory_id == territory_id)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def known_actions() -> list[str]:
    """List the actions recorded so far (for the filter)."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def known_object_types() -> list[str]:
    """List the object types recorded so far (for the filter)."""
    return list(
        db.session.scalars(
            select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
        )
    )


def actor_by_email(email: str) -> User | None:
    """Find an account by email, ignoring case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def actor_emails(actor_ids: set[int]) -> dict[int, str]:
    """Map account ids to emails, for showing who acted."""
    if not actor_ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(actor_ids)))
    return {row.id: row.email for row in rows}
