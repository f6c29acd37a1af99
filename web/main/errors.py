"""Error pages in the user's language; JSON for API and autocomplete clients."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError


def error_title(code: int) -> str:
    """Say in words what an HTTP error means for the person who got it."""
    titles = {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("Page not found."),
        405: _("This action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. The team has been told."),
    }
    return titles.get(code, _("Something went wrong."))


def handle_http_error(error: Exception):
    """Render an HTTP error (or an unexpected exception as a 500) without leaking details."""
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    code = error.code or 500
    wants_json = request.path.startswith(("/api/", "/places", "/healthz")) or (
        request.accept_mimetypes.best == "application/json"
    )
    if wants_json:
        return jsonify(error=error_title(code), status=code), code
    return render_template("errors/error.html", code=code, title=error_title(code)), code
