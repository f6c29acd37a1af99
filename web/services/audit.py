"""Record who did what to personal data."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from web.extensions import db
from web.models import AuditEvent


def record(
    action: str,
    object_type: str,
    object_id: int | str | None = None,
    *,
    territory_id: int | None = None,
    actor_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the session; the calling service commits it with its change."""
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        territory_id=territory_id,
        actor_id=actor_id,
        ip=request.remote_addr if has_request_context() else None,
        details=details,
    )
    db.session.add(event)
    return event
