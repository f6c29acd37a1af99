"""The territory settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TelField
from wtforms.validators import Length

from web.account.forms import strip_spaces
from web.forms import AppForm

AT_MOST = _l("At most %(max)d characters.")


class TerritorySettingsForm(AppForm):
    """Two minimum levels and an optional contact; the service checks the values."""

    # The choices are set by the view (level names in the UI language, the default marked);
    # whether a value is valid is the engine's decision (the service asks it).
    min_level = SelectField(_l("Minimum level, every language"), validate_choice=False)
    italian_min_level = SelectField(_l("Minimum level for Italian"), validate_choice=False)
    contact_name = StringField(
        _l("Name"),
        filters=[strip_spaces],
        validators=[Length(max=120, message=AT_MOST)],
        render_kw={"autocomplete": "off"},
    )
    contact_email = EmailField(
        _l("Email"),
        filters=[strip_spaces],
        validators=[Length(max=254, message=AT_MOST)],
        render_kw={"autocomplete": "off"},
    )
    contact_phone = TelField(
        _l("Phone (optional)"),
        filters=[strip_spaces],
        validators=[Length(max=40, message=AT_MOST)],
        render_kw={"autocomplete": "off"},
    )
