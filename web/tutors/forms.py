"""Forms of the tutor's profile wizard and of their answer to a match."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from web.forms import AppForm
from web.services.vocabulary import LEVEL_LABELS

LANGUAGE_ROWS = 6


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into select options."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


TEXT_LIMIT = Length(max=2000, message=_l("At most %(max)d characters."))


class PlaceForm(AppForm):
    """Where the tutor lives and how far they travel."""

    place = StringField(
        _l("Municipality where you live"),
        render_kw={"list": "place-options", "autocomplete": "off", "data-place-autocomplete": ""},
        validators=[
            DataRequired(_l("Choose a municipality from the list.")),
            Length(max=160, message=_l("At most %(max)d characters.")),
        ],
    )
    max_travel_km = IntegerField(
        _l("How far you can travel (km)"),
        validators=[
            InputRequired(_l("Enter a distance between 0 and 200 km.")),
            NumberRange(min=0, max=200, message=_l("Enter a distance between 0 and 200 km.")),
        ],
    )
    remote_ok = BooleanField(_l("I can also help by phone or video call"))


class SkillsForm(AppForm):
    """The things the tutor can help with (taxonomy codes; the service refuses unknown ones)."""

    skills = SelectMultipleField(_l("What you can help with"), choices=[], validate_choice=False)


class LanguageRow(Form):
    """One language with its level."""

    lang = SelectField(_l("Language"), choices=[], validate_choice=False)
    level = SelectField(
        _l("Level"),
        choices=options([("", "—"), *LEVEL_LABELS.items()]),
        validate_choice=False,
    )


class LanguagesForm(AppForm):
    """Up to six languages, each with a level."""

    languages = FieldList(FormField(LanguageRow), min_entries=LANGUAGE_ROWS, max_entries=12)


class AvailabilityForm(AppForm):
    """The weekly grid of free times and how many people the tutor can follow."""

    slots = SelectMultipleField(_l("When you are free"), choices=[], validate_choice=False)
    capacity = RadioField(
        _l("How many people you can follow at once"),
        choices=options([(1, "1"), (2, "2"), (3, "3")]),
        coerce=lambda value: int(value) if str(value).isdigit() else 0,  # 0: refused, with why
        validate_choice=False,
        validators=[InputRequired(_l("Choose 1, 2 or 3 people."))],
    )


class AboutForm(AppForm):
    """Name shown, interests, motivation and optional gender."""

    display_name = StringField(
        _l("Name shown to coordinators"),
        validators=[
            DataRequired(_l("Enter the name coordinators will see.")),
            Length(max=120, message=_l("At most %(max)d characters.")),
        ],
    )
    interests = TextAreaField(_l("Interests and hobbies"), validators=[Optional(), TEXT_LIMIT])
    motivation = TextAreaField(
        _l("Why you want to be a tutor"),
        validators=[
            DataRequired(_l("Tell us in a few words why you want to be a tutor.")),
            TEXT_LIMIT,
        ],
    )
    gender = SelectField(
        _l("Gender (optional)"),
        choices=options(
            [
                ("", _l("Prefer not to say")),
                ("f", _l("Woman")),
                ("m", _l("Man")),
                ("x", _l("Other / non-binary")),
            ]
        ),
        validate_choice=False,
    )


class DeclineMatchForm(AppForm):
    """Why the tutor declines a match."""

    reason = TextAreaField(
        _l("Why you decline"),
        validators=[
            DataRequired(_l("Tell the coordinator why, in a few words.")),
            Length(max=1000, message=_l("At most %(max)d characters.")),
        ],
    )
