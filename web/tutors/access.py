"""Who may open the tutor's pages: a signed-in tutor whose email is verified."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, url_for
from flask_login import current_user, login_required

from web.models import TutorProfile


def tutor_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let in verified tutors with a profile that is still theirs to manage."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != "tutor" or current_user.tutor_profile is None:
            abort(403)
        if current_user.verified_at is None:
            return redirect(url_for("account.verify_pending"))
        return view(*args, **kwargs)

    return wrapped


def current_profile() -> TutorProfile:
    """Return the signed-in tutor's profile (only call behind tutor_required)."""
    profile = current_user.tutor_profile
    assert profile is not None
    return profile
