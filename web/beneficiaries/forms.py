"""Forms to register, edit, close and filter beneficiaries."""

from __future__ import annotations

from datetime import date
from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from config.taxonomy import language_choices, load_taxonomy
from web.forms import AppForm
from web.models.common import LEVELS
from web.services.display import SLOTS, locale_code
from web.services.vocabulary import (
    BENEFICIARY_STATUS_LABELS,
    GENDER_LABELS,
    LEVEL_LABELS,
    PRIORITY_LABELS,
)

OTHER_LANGUAGE_ROWS = 3


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into select options."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


def level_choices(blank: str) -> list[tuple[str, str]]:
    """Return the language level options with a blank first."""
    return options([("", blank)] + [(level, str(LEVEL_LABELS[level])) for level in LEVELS])


def gender_choices(blank: str) -> list[tuple[str, str]]:
    """Return gender options with a blank first."""
    return options([("", blank)] + [(code, str(label)) for code, label in GENDER_LABELS.items()])


class CheckboxesField(SelectMultipleField):
    """A set of checkboxes (the weekly availability grid)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class BeneficiaryFormBase(AppForm):
    """The fields of a beneficiary's record; needs are added per taxonomy skill."""

    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(_l("Enter the first name.")), Length(max=80)],
    )
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(_l("Enter a valid email address.")), Length(max=254)],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=32)])
    preferred_language = SelectField(_l("Preferred language for messages"))
    place = StringField(
        _l("Municipality"),
        validators=[DataRequired(_l("Choose the municipality.")), Length(max=130)],
        render_kw={"list": "place-options", "autocomplete": "off", "data-place-autocomplete": ""},
    )
    first_language = SelectField(_l("First language"))
    first_language_level = SelectField(_l("Level"))
    italian_level = SelectField(_l("Italian level"), validators=[Optional()])
    other_lang_0 = SelectField(_l("Other language"), validators=[Optional()])
    other_level_0 = SelectField(_l("Level"), validators=[Optional()])
    other_lang_1 = SelectField(_l("Other language"), validators=[Optional()])
    other_level_1 = SelectField(_l("Level"), validators=[Optional()])
    other_lang_2 = SelectField(_l("Other language"), validators=[Optional()])
    other_level_2 = SelectField(_l("Level"), validators=[Optional()])
    availability = CheckboxesField(
        _l("Weekly availability"), choices=options((s, s) for s in SLOTS)
    )
    gender = SelectField(_l("Gender (optional)"), validators=[Optional()])
    preferred_tutor_gender = SelectField(
        _l("Preferred tutor gender (optional)"), validators=[Optional()]
    )
    remote_ok = BooleanField(_l("Help at a distance (phone, video) is fine"))
    waiting_since = DateField(
        _l("Waiting since"),
        default=date.today,
        validators=[DataRequired(_l("Enter a date (day/month/year)."))],
    )
    interests = TextAreaField(_l("Interests (optional)"), validators=[Length(max=2000)])
    consent = BooleanField(
        _l("The person gave consent after reading the privacy notice"),
        validators=[DataRequired(_l("Consent is required to register a person."))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        locale = locale_code()
        languages = language_choices(locale)
        self.preferred_language.choices = options(languages)
        self.first_language.choices = options([("", _l("— choose —")), *languages])
        self.first_language_level.choices = level_choices(str(_l("— choose —")))
        self.italian_level.choices = level_choices(str(_l("Does not speak Italian")))
        for row in range(OTHER_LANGUAGE_ROWS):
            getattr(self, f"other_lang_{row}").choices = options([("", "—"), *languages])
            getattr(self, f"other_level_{row}").choices = level_choices("—")
        self.gender.choices = gender_choices(str(_l("Not stated")))
        self.preferred_tutor_gender.choices = gender_choices(str(_l("No preference")))
        for code, skill in load_taxonomy().skills.items():  # a need's label is its skill's name
            self[f"need_{code}"].label.text = skill.label(locale)

    def need_fields(self) -> list[tuple[str, list[tuple[str, Field]]]]:
        """Group the need fields by integration path for the template."""
        locale = locale_code()
        return [
            (
                path.label(locale),
                [(self[f"need_{s.code}"].label.text, self[f"need_{s.code}"]) for s in path.skills],
            )
            for path in load_taxonomy().paths
        ]

    def needs(self) -> dict[str, int]:
        """Return {skill code: priority} for the needs given."""
        return {
            code: int(self[f"need_{code}"].data)
            for code in load_taxonomy().skills
            if self[f"need_{code}"].data not in (None, "", "0")
        }

    def languages(self) -> list[tuple[str, str, bool]]:
        """Return [(code, level, is first)] from the language rows."""
        found: dict[str, tuple[str, bool]] = {}
        for row in range(OTHER_LANGUAGE_ROWS):
            code = getattr(self, f"other_lang_{row}").data
            if code:
                found[code] = (getattr(self, f"other_level_{row}").data, False)
        if self.italian_level.data:
            found["it"] = (self.italian_level.data, False)
        found[self.first_language.data] = (self.first_language_level.data, True)
        return [(code, level, first) for code, (level, first) in found.items()]

    def validate_contact_phone(self, field: Field) -> None:
        if field.data and not all(ch.isdigit() or ch in "+ ()-./" for ch in field.data):
            raise ValidationError(_l("Use digits, spaces and + only."))

    def validate_first_language(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose the person's first language."))

    def validate_first_language_level(self, field: Field) -> None:
        if self.first_language.data and not field.data:
            raise ValidationError(_l("Choose the level."))

    def validate_waiting_since(self, field: Field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            not (self.contact_phone.data or "").strip()
            and not (self.contact_email.data or "").strip()
        ):
            message = _l("Give an email or a phone number (at least one).")
            self.contact_email.errors = [*self.contact_email.errors, message]
            valid = False
        for row in range(OTHER_LANGUAGE_ROWS):
            lang, level = getattr(self, f"other_lang_{row}"), getattr(self, f"other_level_{row}")
            if lang.data and not level.data:
                level.errors = [*level.errors, _l("Choose the level.")]
                valid = False
            if lang.data in ("it", self.first_language.data) and lang.data:
                lang.errors = [*lang.errors, _l("This language is already given above.")]
                valid = False
        return valid


@cache
def beneficiary_form_class() -> type[BeneficiaryFormBase]:
    """Build the form class with one priority select per taxonomy skill."""
    choices = options([("0", "—"), *PRIORITY_LABELS.items()])
    fields = {
        f"need_{code}": SelectField(code, choices=choices, default="0", validators=[Optional()])
        for code in load_taxonomy().skills
    }
    return type("BeneficiaryForm", (BeneficiaryFormBase,), fields)


def edit_form_class() -> type[BeneficiaryFormBase]:
    """The same form without the consent box (consent was recorded at registration)."""
    form_class = beneficiary_form_class()
    return type("BeneficiaryEditForm", (form_class,), {"consent": None})


class CloseForm(AppForm):
    """Why the record is closed."""

    reason = TextAreaField(
        _l("Reason for closing"),
        validators=[DataRequired(_l("Say why the record is closed.")), Length(max=1000)],
    )


class ListFilterForm(AppForm):
    """Filters of the list (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=options([("", _l("All")), *BENEFICIARY_STATUS_LABELS.items()]),
        validators=[Optional()],
    )
    territory = SelectField(_l("Territory"), validators=[Optional()])
