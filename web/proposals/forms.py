"""Forms of the proposals review: reject with a reason, match by hand."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from web.forms import AppForm
from web.services.decisions import REJECT_REASONS
from web.urls import MAX_DATABASE_ID


def options(pairs) -> list[SelectChoice]:
    """Build select choices from (value, label) pairs."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class RejectForm(AppForm):
    """Why a proposal is rejected: a reason from the list and, optionally, words."""

    reason_code = SelectField(
        _l("Reason"),
        choices=options([("", _l("Choose a reason")), *REJECT_REASONS.items()]),
        validators=[DataRequired(_l("Choose a reason from the list."))],
    )
    reason_text = TextAreaField(
        _l("Details"),
        validators=[Optional(), Length(max=500, message=_l("At most %(max)d characters."))],
    )


class SearchForm(AppForm):
    """Search active tutors of the territory by name or skill."""

    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        _l("Name or skill"), validators=[Length(max=100, message=_l("At most %(max)d characters."))]
    )


class ManualMatchForm(AppForm):
    """Confirm a match by hand with a reason."""

    tutor_id = IntegerField(
        validators=[
            InputRequired(_l("Choose a tutor.")),
            NumberRange(min=1, max=MAX_DATABASE_ID, message=_l("Choose a tutor.")),
        ]
    )
    reason = TextAreaField(
        _l("Why this tutor"),
        validators=[
            DataRequired(_l("Say why you match them by hand.")),
            Length(max=500, message=_l("At most %(max)d characters.")),
        ],
    )
    q = HiddenField()
