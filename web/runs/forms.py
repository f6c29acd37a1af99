"""Forms of the runs pages (buttons carry a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes state: only its CSRF token is checked."""
