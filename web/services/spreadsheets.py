"""Read uploaded CSV/XLSX tables safely and write CSV/XLSX downloads.

Reading refuses what a coordinator should fix on their side (macros, formulas, files not
saved as UTF-8) with a message saying what to do; writing neutralises cells that a
spreadsheet would run as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass
class Table:
    """A table read from a file: header and rows, each row with its line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def cell_text(value: Any) -> str:
    """Turn a spreadsheet value into the text a person typed."""
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
    """Undo safe_cell(): "'+39 333" typed (or exported) as text reads back as "+39 333"."""
    text = text.strip()
    if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise TableError(
            _(
                "The file is saved as UTF-16 (Excel's “Unicode text”). "
                "Save it as “CSV UTF-8 (comma delimited)” and upload it again."
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            _(
                "Line %(line)d is not valid UTF-8 text (the file was probably saved as "
                "Windows/Latin-1). Save it as “CSV UTF-8” and upload it again.",
                line=line,
            )
        ) from None


def read_csv(raw: bytes, max_rows: int) -> Table:
    """Read CSV bytes in UTF-8 (with or without BOM), guessing the delimiter."""
    text = _decode(raw)
    if not text.strip():
        raise TableError(_("The file is empty."))
    sample = text[:16384]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for values in reader:
            if header is None:
                header = [value.strip() for value in values]
                continue
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= max_rows:
                raise TableError(
                    _(
                        "The file has more than %(max)d rows: split it in smaller files.",
                        max=max_rows,
                    )
                )
            rows.append((reader.line_num, [unescape(value) for value in values]))
    except csv.Error as exc:
        raise TableError(
            _("Line %(line)d cannot be read as CSV: %(error)s", line=reader.line_num, error=exc)
        ) from None
    return Table(header or [], rows)


def read_xlsx(raw: bytes, max_rows: int) -> Table:
    """Read the first sheet of an XLSX workbook; refuse macros and formulas."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise TableError(
            _("This is not a valid XLSX file. Save it again from Excel as .xlsx.")
        ) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise TableError(
            _("The workbook contains macros. Save it as a plain .xlsx workbook without macros.")
        )
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile):
        raise TableError(
            _("This is not a valid XLSX file. Save it again from Excel as .xlsx.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise TableError(
                        _(
                            "Cell %(cell)s contains a formula. Replace formulas with their "
                            "values (copy, then paste values) and upload again.",
                            cell=f"{get_column_letter(cell.column)}{line}",
                        )
                    )
            values = [unescape(cell_text(cell.value)) for cell in cells]
            if header is None:
                header = values
                continue
            if not any(values):
                continue
            if len(rows) >= max_rows:
                raise TableError(
                    _(
                        "The file has more than %(max)d rows: split it in smaller files.",
                        max=max_rows,
                    )
                )
            rows.append((line, values))
    finally:
        workbook.close()
    return Table(header or [], rows)


def read_table(filename: str, raw: bytes, max_rows: int) -> Table:
    """Read an uploaded .csv or .xlsx file; refuse other types with a clear message."""
    name = (filename or "").lower()
    if name.endswith(".xlsm") or name.endswith(".xltm"):
        raise TableError(
            _("Files with macros (.xlsm) are not accepted. Save it as a plain .xlsx workbook.")
        )
    if name.endswith(".xlsx"):
        return read_xlsx(raw, max_rows)
    if name.endswith((".csv", ".txt")):
        if raw.startswith(b"PK\x03\x04"):
            raise TableError(_("This file is a workbook, not CSV: rename it to .xlsx."))
        return read_csv(raw, max_rows)
    raise TableError(_("Upload a .csv or .xlsx file (other file types are not accepted)."))


def safe_cell(value: Any) -> Any:
    """Keep a text cell from being run as a formula by a spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Write rows as UTF-8 CSV with a BOM (so Excel reads accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """Write one or more (title, header, rows) sheets into an XLSX workbook."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
