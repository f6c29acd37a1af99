"""Log in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from web.auth.forms import LoginForm
from web.extensions import limiter
from web.services.users import authenticate

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Accept only a local path as the place to go after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "\\" as "/" and drop tabs and newlines: "/\\evil.example" is another site.
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    return target


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Show the login form and open a session."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
        form.form_errors.append(_("Wrong email or password."))  # shown in the error summary
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session."""
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))
