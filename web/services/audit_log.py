"""Read the audit trail: admins see every event, coordinators their territories' events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from web.extensions import db
from web.models import AuditEvent, Beneficiary, Match, MatchRun, Territory, User
from web.services import display, formats
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


@dataclass
class ObjectRef:
    """How the log names an object: a pseudonymous label (never a person's name) and a link."""

    label: str
    url: str | None = None


def _ids(events: list[AuditEvent], object_type: str) -> set[int]:
    return {
        int(e.object_id)
        for e in events
        if e.object_type == object_type and e.object_id and e.object_id.isdigit()
    }


def _by_id(id_column: Any, value_column: Any, ids: set[int]) -> dict[int, Any]:
    """Map ids to one column's values (a join is added when the columns' tables differ)."""
    query = select(id_column, value_column).where(id_column.in_(ids))
    if value_column.table is not id_column.table:  # a match's beneficiary code
        query = query.join(Beneficiary, Beneficiary.id == Match.beneficiary_id)
    return dict(db.session.execute(query).all())


def object_refs(events: list[AuditEvent]) -> dict[int, ObjectRef]:
    """Name each event's object by code or date, with a link to its page (event id -> ref)."""
    codes = _by_id(Beneficiary.id, Beneficiary.code, _ids(events, "beneficiary"))
    match_codes = _by_id(Match.id, Beneficiary.code, _ids(events, "match"))
    run_dates = _by_id(MatchRun.id, MatchRun.created_at, _ids(events, "match_run"))
    territories = _by_id(Territory.id, Territory.name, _ids(events, "territory"))
    refs = {}
    for event in events:
        key = int(event.object_id) if event.object_id and event.object_id.isdigit() else None
        kind, ref = event.object_type, None
        if kind == "beneficiary" and key in codes:
            label = f"{display.audit_object(kind)} {codes[key]}"
            ref = ObjectRef(label, url_for("beneficiaries.detail", beneficiary_id=key))
        elif kind == "match" and key in match_codes:
            label = _("Match of %(code)s", code=match_codes[key])
            ref = ObjectRef(label, url_for("follow.show", match_id=key))
        elif kind == "match_run" and key in run_dates:
            label = _("Matching run of %(date)s", date=formats.moment(run_dates[key]))
            ref = ObjectRef(label, url_for("runs.show", run_id=key))
        elif kind == "tutor" and key is not None:
            label = f"{display.audit_object(kind)} T-{key}"  # the tutor's reference in emails
            ref = ObjectRef(label, url_for("vetting.tutor", tutor_id=key))
        elif kind == "territory" and key in territories:
            ref = ObjectRef(territories[key], url_for("territories.settings", territory_id=key))
        if ref is None:  # gone since, or nothing to link to
            suffix = f" #{event.object_id}" if event.object_id else ""
            ref = ObjectRef(display.audit_object(kind) + suffix)
        refs[event.id] = ref
    return refs
