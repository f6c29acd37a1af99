"""Read a table as spreadsheets save it: CSV or the first sheet of an XLSX workbook.

CSV may be comma, semicolon or tab separated (read from the header line), in UTF-8 with or
without byte-order mark, UTF-16 with one, or Windows-1252 (Latin-1); anything else is refused
naming the line. Rows keep the line the spreadsheet shows (header = line 1); blank rows are
skipped. Problems raise Problem(code, ...), which each interface words in its own language.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .problems import Code, Problem

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula
DELIMITERS = (",", ";", "\t")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)


@dataclass
class Table:
    """A header and the rows under it, each with its spreadsheet line."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def cell_text(value: Any) -> str:
    """Turn a workbook value into the text a person typed (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def unescape(text: str) -> str:
    """Read "'+39 333" (typed, or exported by us, as text) back as "+39 333"."""
    text = text.strip()
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def read_table(filename: str, raw: bytes, max_rows: int | None = None) -> Table:
    """Read a .csv (.txt, .tsv) or .xlsx file's bytes; refuse other types saying what to do."""
    name = filename.lower()
    if name.endswith((".xlsm", ".xltm")):
        raise Problem(Code.MACROS)
    if name.endswith(".xls") or raw.startswith(OLE_MAGIC):
        raise Problem(Code.OLD_EXCEL)
    if name.endswith(".xlsx"):
        return read_xlsx(raw, max_rows)
    if not name.endswith(TEXT_SUFFIXES):
        raise Problem(Code.FILE_TYPE)
    if raw.startswith(b"PK\x03\x04"):
        raise Problem(Code.WORKBOOK_NAMED_CSV)
    return read_csv(raw, max_rows)


def read_table_file(path: str | Path) -> Table:
    """Read a table from a file on disk (the command line's files)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise Problem(Code.NO_FILE) from None
    except OSError as exc:
        raise Problem(Code.UNREADABLE, reason=exc.strerror or str(exc)) from None
    return read_table(str(path), raw)


def read_csv(raw: bytes, max_rows: int | None = None) -> Table:
    """Read CSV bytes: the encoding and the separator are found, blank rows skipped."""
    text = _decode(raw)
    if not text.strip():
        raise Problem(Code.EMPTY)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _table(enumerate(reader, start=1), max_rows)
    except csv.Error as exc:
        raise Problem(Code.CSV_SYNTAX, line=reader.line_num, detail=str(exc)) from None


def read_xlsx(raw: bytes, max_rows: int | None = None) -> Table:
    """Read the first sheet of an XLSX workbook; refuse macros and formulas."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise Problem(Code.NOT_XLSX) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Problem(Code.MACROS)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile):
        raise Problem(Code.NOT_XLSX) from None
    try:
        return _table(_sheet_lines(workbook.worksheets[0]), max_rows)
    finally:
        workbook.close()


def _sheet_lines(sheet: Any) -> Iterable[tuple[int, list[str]]]:
    for line, cells in enumerate(sheet.iter_rows(), start=1):
        for cell in cells:
            if getattr(cell, "data_type", None) == "f":
                raise Problem(
                    Code.FORMULA, line=line, cell=f"{get_column_letter(cell.column)}{line}"
                )
        yield line, [cell_text(cell.value) for cell in cells]


def _table(lines: Iterable[tuple[int, list[str]]], max_rows: int | None) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line, values in lines:
        cells = [unescape(value) for value in values]
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise Problem(Code.TOO_MANY_ROWS, max=max_rows)
        rows.append((line, cells))
    if header is None:
        raise Problem(Code.EMPTY)
    return Table(header, rows)


def _delimiter(text: str) -> str:
    """The separator of the header line: the one it holds most of (commas when none)."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _decode(raw: bytes) -> str:
    """Decode UTF-8 (BOM or not), UTF-16 with a BOM, or Windows-1252; refuse the rest."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc) from None
    if b"\x00" in raw[:4096]:
        raise Problem(Code.UTF16_WITHOUT_BOM, line=1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if any(ord(char) > 127 for char in raw.decode("utf-8", "ignore")):
            raise Problem(Code.MIXED_ENCODING, line=_line_at(raw, exc.start)) from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _undecodable(raw, exc) from None


def _undecodable(raw: bytes, error: UnicodeDecodeError) -> Problem:
    byte = f"0x{raw[error.start]:02X}"
    return Problem(Code.UNKNOWN_ENCODING, line=_line_at(raw, error.start), byte=byte)


def _line_at(raw: bytes, offset: int) -> int:
    """The spreadsheet line holding byte `offset` (line ends inside quotes do not count)."""
    line, quoted = 1, False
    for byte in raw[:offset]:
        if byte == 0x22:  # '"'
            quoted = not quoted
        elif byte == 0x0A and not quoted:  # '\n'
            line += 1
    return line
