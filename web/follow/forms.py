"""Forms of the follow-up pages: a meeting, the end of a match."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from web.services.follow import OUTCOMES


def options(pairs) -> list[SelectChoice]:
    """Build select choices from (value, label) pairs."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class MeetingForm(FlaskForm):
    """A meeting the tutor held: when, how long, about what."""

    held_on = DateField(
        _l("Date"), validators=[InputRequired(_l("Enter the date of the meeting."))]
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(_l("Enter how many minutes it lasted.")),
            NumberRange(min=1, max=720, message=_l("Between 1 and 720 minutes.")),
        ],
    )
    topic = StringField(
        _l("Topic"), validators=[Length(max=200, message=_l("At most %(max)d characters."))]
    )


class EndForm(FlaskForm):
    """How a match ended and what happens next for the person."""

    outcome = SelectField(
        _l("Outcome"),
        choices=options([("", _l("Choose an outcome")), *OUTCOMES.items()]),
        validators=[DataRequired(_l("Choose an outcome from the list."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Say why the match ends.")),
            Length(max=500, message=_l("At most %(max)d characters.")),
        ],
    )
    beneficiary_next = RadioField(
        _l("Next for the person"),
        choices=options(
            [("waiting", _l("Back to waiting for a new tutor")), ("closed", _l("Close the record"))]
        ),
        default="waiting",
        validators=[DataRequired(_l("Choose what happens next for the person."))],
    )
