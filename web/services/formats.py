"""Dates, times and numbers as people read them: one place, the reader's language, local time.

Every date, time, distance, score or count with decimals that a page shows goes through these
functions (templates reach them as filters: `|day`, `|moment`, `|number`, `|percent`, `|km`).
Times are stored in UTC and shown in the display timezone (BABEL_DEFAULT_TIMEZONE, Europe/Rome
by default); dates read dd/mm/yyyy in Italian and "2 Dec 2026" in English (never ambiguous).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

DATE_PATTERNS = {"it": "dd/MM/yyyy", "en": "d MMM yyyy"}
DATETIME_PATTERNS = {"it": "dd/MM/yyyy HH:mm", "en": "d MMM yyyy, HH:mm"}
NONE = "—"


def _language() -> str:
    return str(get_locale() or "it").split("_")[0]


def day(value: date | datetime | None) -> str:
    """Show a date (a moment's local date): 02/12/2026, or 2 Dec 2026 in English."""
    if value is None:
        return NONE
    pattern = DATE_PATTERNS.get(_language(), DATE_PATTERNS["it"])
    return str(format_date(value, pattern))


def moment(value: datetime | None) -> str:
    """Show a moment in the display timezone: 02/12/2026 13:15, or 2 Dec 2026, 13:15."""
    if value is None:
        return NONE
    pattern = DATETIME_PATTERNS.get(_language(), DATETIME_PATTERNS["it"])
    return str(format_datetime(value, pattern))


def number(value: Any, decimals: int = 1) -> str:
    """Show a number with at most this many decimals, in the reader's style (8,7 in Italian)."""
    if value is None:
        return NONE
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return str(format_decimal(float(value), pattern))


def percent(value: Any) -> str:
    """Show a fraction of 1 as a whole percentage: 0.487 -> 49%."""
    if value is None:
        return NONE
    return str(format_percent(float(value), "#,##0%"))


def km(value: Any) -> str:
    """Show a distance in km: one decimal below 10 km (8,7), none from 10 km up (22)."""
    distance = float(value)
    return number(distance, 0 if distance >= 10 else 1)
