"""Forms of the account pages: sign-up, resend, reset, change password or email, erase."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from web.forms import AppForm

EMAIL_CHECKS = [
    DataRequired(_l("Enter your email.")),
    Email(_l("Enter a valid email address.")),
    Length(max=254, message=_l("At most %(max)d characters.")),
]
# Length only: what makes a password acceptable is decided by the service (one rule set).
NEW_PASSWORD_CHECKS = [
    DataRequired(_l("Choose a password.")),
    Length(max=128, message=_l("At most %(max)d characters.")),
]


def strip_spaces(value: object) -> object:
    """Drop spaces pasted around an address."""
    return value.strip() if isinstance(value, str) else value


class SignupForm(AppForm):
    """Name, email, password and acceptance of the privacy notice."""

    full_name = StringField(
        _l("Your name"),
        render_kw={"autocomplete": "name"},
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("At most %(max)d characters.")),
        ],
    )
    email = EmailField(
        _l("Email"),
        validators=EMAIL_CHECKS,
        filters=[strip_spaces],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"), validators=NEW_PASSWORD_CHECKS, render_kw={"autocomplete": "new-password"}
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree to my data being used as it describes"),
        validators=[DataRequired(_l("You need to accept the privacy notice to sign up."))],
    )


class EmailForm(AppForm):
    """An email address (resend the verification link, forgotten password)."""

    email = EmailField(
        _l("Email"),
        validators=EMAIL_CHECKS,
        filters=[strip_spaces],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(AppForm):
    """A new password chosen from a reset link."""

    password = PasswordField(
        _l("New password"),
        validators=NEW_PASSWORD_CHECKS,
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(AppForm):
    """The current password and a new one."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=128, message=_l("At most %(max)d characters.")),
        ],
    )
    new_password = PasswordField(_l("New password"), validators=NEW_PASSWORD_CHECKS)


class ChangeEmailForm(AppForm):
    """A new email address, confirmed with the password."""

    email = EmailField(_l("New email"), validators=EMAIL_CHECKS, filters=[strip_spaces])
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=128, message=_l("At most %(max)d characters.")),
        ],
    )


class EraseForm(AppForm):
    """Confirm erasure with the password."""

    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=128, message=_l("At most %(max)d characters.")),
        ],
    )
    confirm = BooleanField(
        _l("I understand that my account and my data will be erased and cannot be recovered"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class EmptyForm(AppForm):
    """A button that only needs the CSRF token."""
