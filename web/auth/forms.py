"""Login form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from web.forms import AppForm


class LoginForm(AppForm):
    """Email and password."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email.")),
            Email(_l("Enter a valid email address.")),
            Length(max=254, message=_l("At most %(max)d characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=128, message=_l("At most %(max)d characters.")),
        ],
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
