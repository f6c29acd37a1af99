"""The funder report's period (GET, no CSRF)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, SelectField, ValidationError
from wtforms.validators import DataRequired, Optional

from web.beneficiaries.forms import options
from web.forms import AppForm

MAX_PERIOD_DAYS = 3660


class PeriodForm(AppForm):
    """From and to dates, inclusive."""

    class Meta:
        csrf = False

    since = DateField(_l("From"), validators=[DataRequired(_l("Enter a date (day/month/year)."))])
    until = DateField(_l("To"), validators=[DataRequired(_l("Enter a date (day/month/year)."))])
    format = SelectField(
        _l("Format"),
        choices=options([("", _l("Show on the page")), ("xlsx", "XLSX"), ("csv", "CSV")]),
        validators=[Optional()],
    )

    def validate_until(self, field: Field) -> None:
        if not (field.data and self.since.data):
            return
        if field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
        if field.data - self.since.data > timedelta(days=MAX_PERIOD_DAYS):
            raise ValidationError(_l("Choose a period of at most ten years."))

    @staticmethod
    def default_period() -> dict[str, date]:
        """The current year so far, as the dates the fields hold (not their text)."""
        today = date.today()
        return {"since": date(today.year, 1, 1), "until": today}
