"""The base of every form: WTForms' built-in messages in the project's own words.

WTForms ships an Italian catalogue with slips ("Non è una opzione valida", "Non è una valore
intero valido"). The project's catalogue translates those messages itself (they are listed
below so that `make messages` extracts them); anything it does not translate falls back to
WTForms' catalogue, as before.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations

# WTForms' messages that people meet (a crafted or mistyped value); msgids are WTForms' own.
OWN_WORDING = (
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("This field is required."),
    _l("Invalid input."),
)


class ProjectMessages:
    """Translate WTForms' messages with the project's catalogue first, then WTForms' own."""

    def gettext(self, string: str) -> str:
        """Translate one message."""
        if has_request_context():
            own = get_translations().ugettext(string)
            if own != string:
                return own
        return wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a count (WTForms fills the count in)."""
        if has_request_context():
            own = get_translations().ungettext(singular, plural, n)
            if own not in (singular, plural):
                return own
        return wtforms_translations.ngettext(singular, plural, n)


MESSAGES = ProjectMessages()


class AppForm(FlaskForm):
    """A Flask-WTF form (CSRF, request data) whose WTForms messages read well in Italian."""

    class Meta:
        def get_translations(self, form):
            """Use the project's wording of WTForms' messages."""
            return MESSAGES
