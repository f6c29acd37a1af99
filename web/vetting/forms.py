"""Forms of the vetting decisions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from web.forms import AppForm


class ApproveForm(AppForm):
    """Training and background check dates."""

    training_completed_on = DateField(
        _l("Training completed on"),
        validators=[InputRequired(_l("Enter the date the training was completed."))],
    )
    background_check_on = DateField(
        _l("Background check done on"),
        validators=[InputRequired(_l("Enter the date of the background check."))],
    )
    background_check_expires_on = DateField(
        _l("Background check valid until"),
        validators=[InputRequired(_l("Enter when the background check expires."))],
    )


class DeclineForm(AppForm):
    """Why the volunteer is declined (they will read it)."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give the reason: the volunteer will read it.")),
            Length(max=1000, message=_l("At most %(max)d characters.")),
        ],
    )
