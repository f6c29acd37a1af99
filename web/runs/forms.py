"""Forms of the runs pages (buttons carry a CSRF token)."""

from __future__ import annotations

from web.forms import AppForm


class ActionForm(AppForm):
    """A button that changes state: only its CSRF token is checked."""
