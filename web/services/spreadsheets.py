"""Read uploaded CSV/XLSX tables and write CSV/XLSX downloads.

Reading is matching/sheets.py's (the command line's too): it refuses what a coordinator should
fix on their side (macros, formulas, unknown encodings) with a message saying what to do.
Writing neutralises cells that a spreadsheet would run as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from matching import sheets
from matching.problems import Problem
from matching.sheets import FORMULA_STARTS, Table
from web.services.row_messages import describe

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


def read_table(filename: str, raw: bytes, max_rows: int) -> Table:
    """Read an uploaded .csv or .xlsx file as the command line does; word refusals for people."""
    try:
        return sheets.read_table(filename or "", raw, max_rows)
    except Problem as problem:
        raise TableError(describe(problem.code, problem.params)) from None


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
