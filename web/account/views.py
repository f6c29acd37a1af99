"""Sign up, verify the email address, and reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from web.account.forms import EmailForm, ResetPasswordForm, SignupForm
from web.extensions import limiter
from web.services import account as account_service
from web.services.account import check_reset_token, request_password_reset
from web.services.errors import ServiceError
from web.services.signup import (
    resend_verification,
    resend_verification_to,
    sign_up,
)
from web.services.signup import (
    verify_email as verify_email_token,
)
from web.services.tokens import TokenExpired, TokenInvalid
from web.services.tutor_profile import next_step

blueprint = Blueprint("account", __name__)


def signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def email_link_limit() -> str:
    return current_app.config["EMAIL_LINK_RATE_LIMIT"]


def show_errors(form, error: ServiceError) -> None:
    """Put a service's per-field messages next to the form's fields (others as a flash)."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            flash(message, "error")


@blueprint.route("/signup", methods=["GET", "POST"])
@limiter.limit(signup_limit, methods=["POST"])
def signup():
    """Create a tutor account and send the verification link."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    status = 200
    if form.validate_on_submit():
        try:
            sign_up(
                full_name=form.full_name.data,
                email=form.email.data,
                password=form.password.data,
                accepted_privacy=form.accept_privacy.data,
                locale=str(get_locale()),
            )
        except ServiceError as error:
            show_errors(form, error)
            status = 400
        else:
            # Same page whether the address was new or taken: nothing to learn from it.
            return redirect(url_for("account.check_email"))
    elif form.is_submitted():
        status = 400
    notice = current_app.config["PRIVACY_NOTICE_VERSION"]
    return render_template("account/signup.html", form=form, notice_version=notice), status


@blueprint.route("/privacy")
def privacy():
    """Show the privacy notice tutors accept when they sign up."""
    notice = current_app.config["PRIVACY_NOTICE_VERSION"]
    retention = current_app.config["RETENTION_DAYS"]
    return render_template("account/privacy.html", notice_version=notice, retention=retention)


@blueprint.route("/signup/check-email")
def check_email():
    """Tell the person to open the link we sent."""
    return render_template("account/check_email.html", form=EmailForm())


@blueprint.route("/signup/resend", methods=["GET", "POST"])
@limiter.limit(email_link_limit, methods=["POST"])
def resend():
    """Send a new verification link (to the signed-in account, or to an address typed in)."""
    if current_user.is_authenticated:
        if current_user.verified_at is not None:
            return redirect(url_for("main.home"))
        form = EmailForm(email=current_user.email)
        if form.is_submitted():
            resend_verification(current_user)
            flash(_("We have sent you a new link. It is valid for 48 hours."), "success")
            return redirect(url_for("account.verify_pending"))
        return redirect(url_for("account.verify_pending"))
    form = EmailForm()
    if form.validate_on_submit():
        resend_verification_to(form.email.data)
        flash(
            _("If this address has an account still to verify, a new link is on its way."),
            "success",
        )
        return redirect(url_for("account.check_email"))
    status = 400 if form.is_submitted() else 200
    return render_template("account/resend.html", form=form), status


@blueprint.route("/signup/verify")
def verify_pending():
    """Ask a signed-in but unverified tutor to open the link (and offer a new one)."""
    if not current_user.is_authenticated:
        return redirect(url_for("account.check_email"))
    if current_user.verified_at is not None:
        return redirect(url_for("main.home"))
    return render_template("account/verify_pending.html", form=EmailForm())


@blueprint.route("/verify/<token>")
def verify_email(token: str):
    """Verify the email address of a link and sign the person in."""
    try:
        user = verify_email_token(token)
    except TokenExpired:
        return render_template("account/link_problem.html", problem="expired", kind="verify"), 410
    except TokenInvalid:
        return render_template("account/link_problem.html", problem="invalid", kind="verify"), 400
    if user.active:
        login_user(user)
    profile = user.tutor_profile if user.active and user.role == "tutor" else None
    following = next_step(profile) if profile is not None else None
    if profile is not None and following is None:
        flash(_("Your email address is confirmed."), "success")
        return redirect(url_for("tutors.dashboard"))
    flash(_("Your email address is confirmed. Now tell us about yourself."), "success")
    # A new volunteer goes straight on to the first empty step of the profile.
    return redirect(url_for("tutors.step", step=following) if following else url_for("main.home"))


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(email_link_limit, methods=["POST"])
def forgot_password():
    """Send a password reset link to an address, without saying whether it has an account."""
    form = EmailForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        return render_template("account/reset_sent.html")
    status = 400 if form.is_submitted() else 200
    return render_template("account/forgot.html", form=form), status


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(email_link_limit, methods=["POST"])
def reset_password(token: str):
    """Choose a new password from a reset link; every other session ends."""
    try:
        check_reset_token(token)
    except TokenExpired:
        return render_template("account/link_problem.html", problem="expired", kind="reset"), 410
    except TokenInvalid:
        return render_template("account/link_problem.html", problem="invalid", kind="reset"), 400
    form = ResetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            reset_password_with(token, form.password.data)
        except ServiceError as error:
            show_errors(form, error)
            status = 400
        else:
            flash(_("Your password has been changed. Sign in with the new one."), "success")
            return redirect(url_for("auth.login"))
    elif form.is_submitted():
        status = 400
    return render_template("account/reset.html", form=form), status


def reset_password_with(token: str, password: str) -> None:
    """Set the new password (token errors after the check above are still refused)."""
    try:
        account_service.reset_password(token, password)
    except (TokenExpired, TokenInvalid):
        raise ServiceError(str(_("This link is no longer valid."))) from None


from web.account import settings  # noqa: E402, F401 - account pages share the blueprint
