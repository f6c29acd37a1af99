"""Forms of the follow-up pages: a meeting, the end of a match."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from web.forms import AppForm
from web.services.follow import MAX_MEETING_MINUTES, OUTCOMES


def options(pairs) -> list[SelectChoice]:
    """Build select choices from (value, label) pairs."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def minutes_of_one_meeting(form, field) -> None:
    """Refuse a duration no meeting has, saying what is wrong with the number given."""
    minutes = field.data
    if minutes is None:
        return
    if minutes < 1:
        raise ValidationError(
            _(
                "%(value)d minutes is not a duration: a meeting lasts at least 1 minute.",
                value=minutes,
            )
        )
    if minutes > MAX_MEETING_MINUTES:
        raise ValidationError(
            _(
                "%(value)d minutes is more than 12 hours: enter the length of one meeting, "
                "at most %(max)d minutes.",
                value=minutes,
                max=MAX_MEETING_MINUTES,
            )
        )


class MeetingForm(AppForm):
    """A meeting the tutor held: when, how long, about what."""

    held_on = DateField(
        _l("Date"), validators=[InputRequired(_l("Enter the date of the meeting."))]
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(_l("Enter how many minutes it lasted.")),
            minutes_of_one_meeting,
        ],
    )
    topic = StringField(
        _l("Topic"), validators=[Length(max=200, message=_l("At most %(max)d characters."))]
    )


class EndForm(AppForm):
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
