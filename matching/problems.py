"""What can be wrong in a spreadsheet, as codes with details: each interface words them.

The command line words them in English (ENGLISH, below); the web import through its message
catalogues (web/services/row_messages.py). A code never reaches a person as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Code(StrEnum):
    """One kind of problem in a file, a header, a row or a cell."""

    # the file
    NO_FILE = "no_file"
    UNREADABLE = "unreadable"
    FILE_TYPE = "file_type"
    OLD_EXCEL = "old_excel"
    MACROS = "macros"
    NOT_XLSX = "not_xlsx"
    WORKBOOK_NAMED_CSV = "workbook_named_csv"
    FORMULA = "formula"
    EMPTY = "empty"
    TOO_MANY_ROWS = "too_many_rows"
    CSV_SYNTAX = "csv_syntax"
    UTF16_WITHOUT_BOM = "utf16_without_bom"
    MIXED_ENCODING = "mixed_encoding"
    UNKNOWN_ENCODING = "unknown_encoding"
    # the header and the rows
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    UNNAMED_COLUMN = "unnamed_column"
    NO_PLACE_COLUMN = "no_place_column"
    NO_ROWS = "no_rows"
    DUPLICATE_ID = "duplicate_id"
    # one cell
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_WHOLE_NUMBER = "not_whole_number"
    NOT_NUMBER = "not_number"
    OUT_OF_RANGE = "out_of_range"
    TOO_SMALL = "too_small"
    NOT_DATE = "not_date"
    FUTURE_DATE = "future_date"
    NOT_YES_NO = "not_yes_no"
    NOT_GENDER = "not_gender"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_LEVEL = "unknown_level"
    MISSING_LEVEL = "missing_level"
    NOT_AMONG_LANGUAGES = "not_among_languages"
    UNKNOWN_SLOT = "unknown_slot"
    UNKNOWN_SKILL = "unknown_skill"
    UNKNOWN_DOCUMENT = "unknown_document"
    NOT_PAIR = "not_pair"
    NO_PLACE = "no_place"
    UNKNOWN_PLACE = "unknown_place"
    AMBIGUOUS_PLACE = "ambiguous_place"
    UNKNOWN_ISTAT_CODE = "unknown_istat_code"
    MISSING_COORDINATE = "missing_coordinate"
    OUTSIDE_COUNTRY = "outside_country"
    SWAPPED_COORDINATES = "swapped_coordinates"
    UNKNOWN_EXCLUDED_ID = "unknown_excluded_id"


class Problem(ValueError):
    """A problem a coordinator can fix: a code and the details its message needs."""

    def __init__(self, code: Code, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code, self.params = code, params


@dataclass(frozen=True)
class RowError:
    """A problem at a spreadsheet line (header = 1; None: the whole file) and column."""

    line: int | None
    column: str
    code: str  # a Code, or a code of the interface's own checks
    params: Mapping[str, object] = field(default_factory=dict)


ENGLISH: dict[Code, str] = {
    Code.NO_FILE: "no such file",
    Code.UNREADABLE: "cannot read the file: {reason}",
    Code.FILE_TYPE: "give a .csv or .xlsx file (this type cannot be read)",
    Code.OLD_EXCEL: "this is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8",
    Code.MACROS: "the workbook contains macros: save it as a plain .xlsx workbook",
    Code.NOT_XLSX: "this is not a valid XLSX workbook: save it again from Excel as .xlsx",
    Code.WORKBOOK_NAMED_CSV: "this file is a workbook, not CSV text: rename it to .xlsx",
    Code.FORMULA: "cell {cell} contains a formula: replace formulas with their values",
    Code.EMPTY: "the file is empty (a header row is required)",
    Code.TOO_MANY_ROWS: "the file has more than {max} rows: split it",
    Code.CSV_SYNTAX: "cannot be read as CSV: {detail}",
    Code.UTF16_WITHOUT_BOM: "the file is UTF-16 text without a byte-order mark: "
    "save it as CSV UTF-8",
    Code.MIXED_ENCODING: "this line is not UTF-8 text although other lines are: "
    "the file mixes two encodings; save it as CSV UTF-8",
    Code.UNKNOWN_ENCODING: "byte {byte} is neither UTF-8 nor Windows-1252 (Latin-1) text: "
    "save the file as CSV UTF-8",
    Code.UNKNOWN_COLUMN: "unknown column{suggestions} (known: {known})",
    Code.MISSING_COLUMN: "required column is missing",
    Code.DUPLICATE_COLUMN: "the column appears twice in the header",
    Code.UNNAMED_COLUMN: "column {letter} has a value but no name in the header",
    Code.NO_PLACE_COLUMN: "give either a municipality column or lat and lon",
    Code.NO_ROWS: "the file has a header but no rows",
    Code.DUPLICATE_ID: "{value!r} appears twice (first on line {first_line})",
    Code.REQUIRED: "a value is required",
    Code.TOO_LONG: "at most {max} characters",
    Code.NOT_WHOLE_NUMBER: "{value!r} is not a whole number",
    Code.NOT_NUMBER: "{value!r} is not a number",
    Code.OUT_OF_RANGE: "{value} must be between {low} and {high}",
    Code.TOO_SMALL: "{value} must be at least {low}",
    Code.NOT_DATE: "{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)",
    Code.FUTURE_DATE: "{value!r} is in the future (today is {today})",
    Code.NOT_YES_NO: "{value!r} is not yes/no (yes, no, sì, true, false, 1, 0)",
    Code.NOT_GENDER: "{value!r} is not one of f, m, x (or empty)",
    Code.UNKNOWN_LANGUAGE: "unknown language {value!r}{suggestions}",
    Code.UNKNOWN_LEVEL: "level {value!r} of {language!r} is not one of A1, A2, B1, B2, C1, C2, "
    "native (madrelingua)",
    Code.MISSING_LEVEL: "give a level for {language!r}, e.g. {language}:B1",
    Code.NOT_AMONG_LANGUAGES: "{value!r} is not among the languages",
    Code.UNKNOWN_SLOT: "unknown slot {value!r} (e.g. mon_morning … sun_evening)",
    Code.UNKNOWN_SKILL: "unknown skill {value!r}{suggestions} (see config/taxonomy.toml)",
    Code.UNKNOWN_DOCUMENT: "unknown document {value!r} (known: {known})",
    Code.NOT_PAIR: "{value!r} is not {example}",
    Code.NO_PLACE: "a place is required (municipality, or lat and lon)",
    Code.UNKNOWN_PLACE: "unknown municipality {value!r}{suggestions}",
    Code.AMBIGUOUS_PLACE: "ambiguous municipality {value!r}: write one of {options}",
    Code.UNKNOWN_ISTAT_CODE: "no municipality has ISTAT code {value}",
    Code.MISSING_COORDINATE: "{given} is given but {missing} is empty: give both",
    Code.OUTSIDE_COUNTRY: "{lat:g}, {lon:g} is outside Italy",
    Code.SWAPPED_COORDINATES: "{lat:g}, {lon:g} is outside Italy: lat and lon look swapped "
    "(lat {lon:g}, lon {lat:g} is in Italy)",
    Code.UNKNOWN_EXCLUDED_ID: "warning: no {kind} {value!r} in {file}: this pair excludes nothing",
}


def english(code: str, params: Mapping[str, object]) -> str:
    """Word a problem in English for the command line."""
    values = dict(params)
    suggestions = values.pop("suggestions", None)
    values["suggestions"] = f"; did you mean {_or(suggestions)}?" if suggestions else ""
    for key, value in values.items():
        if isinstance(value, list | tuple):
            values[key] = _or(value) if key == "options" else ", ".join(map(str, value))
    return ENGLISH[Code(code)].format(**values)


def _or(items: object) -> str:
    names = [str(item) for item in items] if isinstance(items, list | tuple) else [str(items)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
