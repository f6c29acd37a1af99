"""Filters of the audit log (GET, no CSRF)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, Field, SelectField, StringField, ValidationError
from wtforms.validators import Email, Length, Optional

from web.forms import AppForm


class AuditFilterForm(AppForm):
    """Narrow the events by action, actor, dates, object and territory."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = EmailField(
        _l("Who (email)"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    object_type = SelectField(_l("Object"), validators=[Optional()])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=40)])
    territory = SelectField(_l("Territory"), validators=[Optional()])

    def validate_until(self, field: Field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_object_id(self, field: Field) -> None:
        if field.data and not re.fullmatch(r"[A-Za-z0-9_-]+", field.data):
            raise ValidationError(_l("Use letters, digits, - and _ only."))
