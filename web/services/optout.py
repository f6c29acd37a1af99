"""Signed links that let a person stop non-essential emails (reminders, digests)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update

from web.extensions import db
from web.models import Notification, NotificationOptOut, User
from web.services import audit
from web.services.links import public_url

SALT = "tutor-match:opt-out"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def opt_out_token(user_id: int) -> str:
    """Sign a token naming the person (it does not expire: the link must keep working)."""
    return _serializer().dumps({"u": user_id})


def opt_out_url(user_id: int) -> str:
    """Return the absolute opt-out link for a person (no personal data in it)."""
    return public_url("email_prefs.opt_out", token=opt_out_token(user_id))


def user_for_token(token: str) -> User | None:
    """Return the person an opt-out token names, or None when it is forged or unknown."""
    if not token or len(token) > 500:
        return None
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    user_id = payload.get("u") if isinstance(payload, dict) else None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def opt_out(user: User) -> None:
    """Stop non-essential emails to this person, including any still waiting to be sent."""
    if db.session.get(NotificationOptOut, user.id) is None:
        db.session.add(NotificationOptOut(user_id=user.id))
        audit.record("notification.opt_out", "user", user.id, actor_id=user.id)
    db.session.execute(
        update(Notification)
        .where(
            Notification.recipient_user_id == user.id,
            Notification.essential.is_(False),
            Notification.status == "pending",
        )
        .values(status="cancelled", cancel_reason="opted_out")
    )
    db.session.commit()


def opt_in(user: User) -> None:
    """Receive non-essential emails again."""
    existing = db.session.get(NotificationOptOut, user.id)
    if existing is not None:
        db.session.delete(existing)
        audit.record("notification.opt_in", "user", user.id, actor_id=user.id)
    db.session.commit()
