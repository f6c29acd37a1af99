"""Signed, expiring, single-use links (email verification, password reset, email change).

A token carries the user's id and a fingerprint of the account state the link is meant to
change (the password hash for a reset, the verification time for a verification...). Once
the change is made the fingerprint no longer matches, so a used link stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from web.extensions import db
from web.models import User

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a salt name, not a secret
CHANGE_EMAIL = "change-email"
MAX_AGE = {
    VERIFY_EMAIL: timedelta(days=2),
    RESET_PASSWORD: timedelta(hours=1),
    CHANGE_EMAIL: timedelta(days=1),
}


class TokenInvalid(ValueError):
    """The link was forged, altered, already used or meant for something else."""


class TokenExpired(ValueError):
    """The link is genuine but too old; `user_id` says whose it was, when known."""

    def __init__(self, user_id: int | None) -> None:
        self.user_id = user_id
        super().__init__("expired")


@dataclass(frozen=True)
class Link:
    """A token with the nonce that makes its notification unique."""

    token: str
    nonce: str


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"tutor-match:{purpose}")


def fingerprint(user: User, purpose: str) -> str:
    """Summarise the account state a link of this purpose changes."""
    if purpose == VERIFY_EMAIL:
        state = f"{user.email}|{user.verified_at}"
    elif purpose == RESET_PASSWORD:
        state = f"{user.password_hash}|{user.active}"
    elif purpose == CHANGE_EMAIL:
        state = f"{user.email}|{user.password_hash}|{user.session_version}"
    else:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return hashlib.sha256(state.encode()).hexdigest()[:20]


def make_token(user: User, purpose: str, **extra: Any) -> Link:
    """Sign a link token for this user and purpose (extra values travel signed)."""
    nonce = secrets.token_urlsafe(8)
    payload = {"u": user.id, "f": fingerprint(user, purpose), "n": nonce, **extra}
    return Link(token=_serializer(purpose).dumps(payload), nonce=nonce)


def read_token(token: str, purpose: str) -> tuple[User, dict[str, Any]]:
    """Return the user and payload of a valid token; raise TokenInvalid or TokenExpired."""
    serializer = _serializer(purpose)
    max_age = int(MAX_AGE[purpose].total_seconds())
    if not token or len(token) > 2000:
        raise TokenInvalid
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        # The signature is genuine, only old: say whose link it was so a new one can be sent.
        _, payload = serializer.loads_unsafe(token)
        user_id = payload.get("u") if isinstance(payload, dict) else None
        raise TokenExpired(user_id if isinstance(user_id, int) else None) from exc
    except BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise TokenInvalid
    user = db.session.get(User, payload["u"])
    if user is None or payload.get("f") != fingerprint(user, purpose):
        raise TokenInvalid
    return user, payload
