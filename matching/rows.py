"""Go through a table's rows by column name, collecting every problem with its line and column.

Both the command line (matching/csvio.py) and the web import (web/services/import_rows.py)
read rows this way; each words the collected RowErrors in its own language.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter

from .problems import Code, Problem, RowError
from .sheets import Table

T = TypeVar("T")


def column_name(text: str) -> str:
    """Fold a header cell: " Waiting since " -> "waiting_since"."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def check_header(
    table: Table, known: Collection[str], required: Collection[str]
) -> tuple[list[str], list[RowError]]:
    """Return the header's column names and its problems (unknown, missing, twice, no rows)."""
    header = [column_name(cell) for cell in table.header]
    errors = []
    for name in dict.fromkeys(header):
        if name and name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            params = {"suggestions": close, "known": list(known)}
            errors.append(RowError(1, name, Code.UNKNOWN_COLUMN, params))
        elif name and header.count(name) > 1:
            errors.append(RowError(1, name, Code.DUPLICATE_COLUMN))
    errors += [RowError(1, name, Code.MISSING_COLUMN) for name in required if name not in header]
    if not errors and not table.rows:
        errors.append(RowError(1, "", Code.NO_ROWS))
    return header, errors


class Cells:
    """The cells of one row by column name: read each, recording a problem instead of raising."""

    def __init__(
        self, line: int, values: dict[str, str], errors: list[RowError], required: Collection[str]
    ) -> None:
        self.line, self.values, self.errors, self.required = line, values, errors, required
        self.ok = True

    def text(self, column: str) -> str:
        """The cell's text, stripped ("" when the column is absent)."""
        return self.values.get(column, "").strip()

    def fail(self, column: str, code: str, **params: object) -> None:
        """Record a problem of this row."""
        self.ok = False
        self.errors.append(RowError(self.line, column, code, params))

    def __call__(self, column: str, read: Callable[[str], T], default: Any = None) -> T | Any:
        """Read a cell with `read`; an empty cell gives `default` (or an error if required)."""
        text = self.text(column)
        if not text:
            if column in self.required:
                self.fail(column, Code.REQUIRED)
            return default
        try:
            return read(text)
        except Problem as problem:
            self.fail(column, problem.code, **problem.params)
            return default


def rows(
    table: Table, header: list[str], errors: list[RowError], required: Collection[str] = ()
) -> Iterator[Cells]:
    """Yield each row's Cells; a value under a column without a name is an error."""
    for line, values in table.rows:
        unnamed = next(
            (at for at, value in enumerate(values) if value and not _name_at(header, at)), None
        )
        if unnamed is not None:
            letter = get_column_letter(unnamed + 1)
            errors.append(RowError(line, "", Code.UNNAMED_COLUMN, {"letter": letter}))
            continue
        named = {name: value for name, value in zip(header, values, strict=False) if name}
        yield Cells(line, named, errors, required)


def _name_at(header: list[str], at: int) -> str:
    return header[at] if at < len(header) else ""
