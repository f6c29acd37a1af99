"""Forms of the notification pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from web.forms import AppForm
from web.services.vocabulary import NOTIFICATION_STATUS_LABELS as STATUS_LABELS


class NotificationFilterForm(AppForm):
    """Filter the outbox list (read from the query string)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(value="", label=_l("Any"))]
        + [SelectChoice(value=code, label=label) for code, label in STATUS_LABELS.items()],
        validators=[Optional()],
        default="",
    )
    template = StringField(_l("Email"), validators=[Optional(), Length(max=60)])
    recipient = StringField(_l("Recipient contains"), validators=[Optional(), Length(max=254)])


class TestEmailForm(AppForm):
    """Send a test email to an address."""

    to = EmailField(
        _l("Send a test email to"), validators=[DataRequired(), Email(), Length(max=254)]
    )
