"""Load the logged-in user from the session identity "id:session_version"."""

from __future__ import annotations

from web.extensions import db
from web.models import User


def load_user(identity: str) -> User | None:
    """Return the user only while the session version still matches."""
    user_id, _, version = identity.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
