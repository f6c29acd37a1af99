"""The account page: change password or email, sign out everywhere, download or erase data."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from web.account.forms import ChangeEmailForm, ChangePasswordForm, EmptyForm, EraseForm
from web.account.views import blueprint, show_errors
from web.services import account as account_service
from web.services.errors import ServiceError
from web.services.tokens import TokenExpired, TokenInvalid
from web.services.tutor_data import erase_account, export_data


def render_settings(status: int = 200, **forms):
    """Render the account page with fresh forms, except those given (with their errors)."""
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("email_form", ChangeEmailForm(formdata=None))
    return render_template("account/settings.html", button=EmptyForm(), **forms), status


@blueprint.route("/account")
@login_required
def settings():
    """Show what a person can do with their account."""
    return render_settings()


@blueprint.route("/account/password", methods=["POST"])
@login_required
def change_password():
    """Change the password; this session stays open, every other one ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account_service.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except ServiceError as error:
            show_errors(form, error)
        else:
            login_user(current_user._get_current_object())  # new session version, same person
            flash(
                _("Your password has been changed. Other devices have been signed out."), "success"
            )
            return redirect(url_for("account.settings"))
    return render_settings(400, password_form=form)


@blueprint.route("/account/email", methods=["POST"])
@login_required
def change_email():
    """Send a confirmation link to a new address (checked with the password)."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            account_service.request_email_change(current_user, form.password.data, form.email.data)
        except ServiceError as error:
            show_errors(form, error)
        else:
            flash(
                _("We have sent a link to the new address: open it to confirm the change."),
                "success",
            )
            return redirect(url_for("account.settings"))
    return render_settings(400, email_form=form)


@blueprint.route("/account/email/confirm/<token>")
def confirm_email(token: str):
    """Switch the account to the new address of a confirmation link."""
    try:
        user = account_service.confirm_email_change(token)
    except TokenExpired:
        return render_template("account/link_problem.html", problem="expired", kind="email"), 410
    except TokenInvalid:
        return render_template("account/link_problem.html", problem="invalid", kind="email"), 400
    except ServiceError as error:
        return render_template(
            "account/link_problem.html", problem="taken", kind="email", message=error
        ), 409
    if current_user.is_authenticated and current_user.id == user.id:
        login_user(user)  # keep this session: the others end with the change
    flash(_("Your email address has been changed."), "success")
    return redirect(url_for("account.settings" if current_user.is_authenticated else "auth.login"))


@blueprint.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session of the account, this one included."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    account_service.sign_out_everywhere(current_user)
    logout_user()
    flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/export", methods=["POST"])
@login_required
def export():
    """Download everything stored about the person, as JSON."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    body = json.dumps(export_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="tutor-match-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.route("/account/delete", methods=["GET", "POST"])
@login_required
def erase():
    """Erase the tutor's account and personal data, after confirming with the password."""
    if current_user.role != "tutor":
        abort(403)
    form = EraseForm()
    status = 200
    if form.validate_on_submit():
        try:
            erase_account(current_user, form.password.data)
        except ServiceError as error:
            show_errors(form, error)
            status = 400
        else:
            logout_user()
            flash(_("Your account and your personal data have been erased. Thank you."), "info")
            return redirect(url_for("main.index"))
    elif form.is_submitted():
        status = 400
    return render_template("account/erase.html", form=form), status
