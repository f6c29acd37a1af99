"""The web's words for what can be wrong in an imported spreadsheet (matching/problems.py codes).

The rows are read by matching/sheets.py, matching/rows.py and matching/cells.py, as on the
command line; only the wording is the web's, in the UI language through the catalogues.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching.problems import Code, RowError
from web.services.display import locale_code


class ImportCode(StrEnum):
    """Problems only the web import checks (contacts, territories)."""

    NOT_EMAIL = "not_email"
    BAD_PHONE = "bad_phone"
    CONTACT_REQUIRED = "contact_required"
    NOT_IN_TERRITORIES = "not_in_territories"
    FIRST_LANGUAGE_REQUIRED = "first_language_required"


MESSAGES = {
    Code.NO_FILE: _l("The file cannot be found."),
    Code.UNREADABLE: _l("The file cannot be read."),
    Code.FILE_TYPE: _l("Upload a .csv or .xlsx file (other file types are not accepted)."),
    Code.OLD_EXCEL: _l(
        "This is an old Excel workbook (.xls). Save it as .xlsx and upload it again."
    ),
    Code.MACROS: _l(
        "The workbook contains macros. Save it as a plain .xlsx workbook without macros."
    ),
    Code.NOT_XLSX: _l("This is not a valid XLSX file. Save it again from Excel as .xlsx."),
    Code.WORKBOOK_NAMED_CSV: _l("This file is a workbook, not CSV: rename it to .xlsx."),
    Code.FORMULA: _l(
        "Cell %(cell)s contains a formula. Replace formulas with their values "
        "(copy, then paste values) and upload again."
    ),
    Code.EMPTY: _l("The file is empty."),
    Code.TOO_MANY_ROWS: _l("The file has more than %(max)d rows: split it in smaller files."),
    Code.CSV_SYNTAX: _l("Line %(line)d cannot be read as CSV: %(detail)s"),
    Code.UTF16_WITHOUT_BOM: _l(
        "The file is saved as UTF-16 (Excel's “Unicode text”). "
        "Save it as “CSV UTF-8 (comma delimited)” and upload it again."
    ),
    Code.MIXED_ENCODING: _l(
        "Line %(line)d is not UTF-8 text although other lines are: the file mixes two "
        "encodings. Save it as “CSV UTF-8” and upload it again."
    ),
    Code.UNKNOWN_ENCODING: _l(
        "Line %(line)d is neither UTF-8 nor Windows-1252 (Latin-1) text (byte %(byte)s). "
        "Save it as “CSV UTF-8” and upload it again."
    ),
    Code.UNKNOWN_COLUMN: _l("unknown column%(suggestions)s"),
    Code.MISSING_COLUMN: _l("required column is missing (download the template)"),
    Code.DUPLICATE_COLUMN: _l("the column appears twice in the header"),
    Code.UNNAMED_COLUMN: _l("column %(letter)s has a value but no name in the header"),
    Code.NO_PLACE_COLUMN: _l("give either a municipality column or lat and lon"),
    Code.NO_ROWS: _l("The file has no rows under the header."),
    Code.DUPLICATE_ID: _l("“%(value)s” appears twice (first on line %(first_line)s)"),
    Code.REQUIRED: _l("a value is required"),
    Code.TOO_LONG: _l("at most %(max)d characters"),
    Code.NOT_WHOLE_NUMBER: _l("“%(value)s” is not a whole number"),
    Code.NOT_NUMBER: _l("“%(value)s” is not a number"),
    Code.OUT_OF_RANGE: _l("%(value)s must be between %(low)s and %(high)s"),
    Code.TOO_SMALL: _l("%(value)s must be at least %(low)s"),
    Code.NOT_DATE: _l("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
    Code.FUTURE_DATE: _l("the date is in the future"),
    Code.NOT_YES_NO: _l("write yes or no"),
    Code.NOT_GENDER: _l("must be one of f, m, x or empty"),
    Code.UNKNOWN_LANGUAGE: _l("unknown language “%(value)s”%(suggestions)s"),
    Code.UNKNOWN_LEVEL: _l("unknown level “%(value)s” (use A1…C2 or native)"),
    Code.MISSING_LEVEL: _l("give a level for “%(language)s”, e.g. %(language)s:B1"),
    Code.NOT_AMONG_LANGUAGES: _l("“%(value)s” is not among the languages"),
    Code.UNKNOWN_SLOT: _l("unknown slot “%(value)s” (e.g. mon_morning)"),
    Code.UNKNOWN_SKILL: _l("unknown skill code “%(value)s”%(suggestions)s"),
    Code.UNKNOWN_DOCUMENT: _l("unknown document “%(value)s”"),
    Code.NOT_PAIR: _l("“%(value)s” is not %(example)s"),
    Code.NO_PLACE: _l("the municipality is missing"),
    Code.UNKNOWN_PLACE: _l("unknown municipality “%(value)s”%(suggestions)s"),
    Code.AMBIGUOUS_PLACE: _l("there are several municipalities “%(value)s”: write %(options)s"),
    Code.UNKNOWN_ISTAT_CODE: _l("no municipality has ISTAT code %(value)s"),
    Code.MISSING_COORDINATE: _l("%(given)s is given but %(missing)s is empty: give both"),
    Code.OUTSIDE_COUNTRY: _l("%(lat)s, %(lon)s is outside Italy"),
    Code.SWAPPED_COORDINATES: _l(
        "%(lat)s, %(lon)s is outside Italy: latitude and longitude look swapped"
    ),
    Code.UNKNOWN_EXCLUDED_ID: _l("“%(value)s” is in neither file: this pair excludes nothing"),
    ImportCode.NOT_EMAIL: _l("“%(value)s” is not an email address"),
    ImportCode.BAD_PHONE: _l("use digits, spaces and + only"),
    ImportCode.CONTACT_REQUIRED: _l("give an email or a phone (at least one)"),
    ImportCode.NOT_IN_TERRITORIES: _l("%(name)s is not in one of your territories"),
    ImportCode.FIRST_LANGUAGE_REQUIRED: _l("give the first language and its level"),
}


def describe(code: str, params: Mapping[str, object]) -> str:
    """Word a problem in the UI language."""
    values = dict(params)
    suggestions = values.pop("suggestions", None)
    values["suggestions"] = (
        _("; did you mean %(names)s?", names=_or(suggestions)) if suggestions else ""
    )
    if isinstance(values.get("options"), list | tuple):
        values["options"] = _or(values["options"])
    return str(MESSAGES[code]) % values


def describe_row(error: RowError) -> str:
    """Word a problem of a row as "line N, column X: ..."."""
    return _(
        "line %(line)d, column %(column)s: %(message)s",
        line=error.line or 1,
        column=error.column or "-",
        message=describe(error.code, error.params),
    )


def _or(items: object) -> str:
    names = [str(item) for item in items] if isinstance(items, list | tuple) else [str(items)]
    return format_list(names, style="or", locale=locale_code())
