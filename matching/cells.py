"""Read one spreadsheet cell into a typed value, or raise Problem(code, ...) saying why not.

The values people type: numbers with a decimal comma, dates as YYYY-MM-DD or DD/MM/YYYY,
yes/no in English or Italian, languages as ISO codes or names ("ara", "arabo", "Arabic"),
levels as A1…C2 or native/madrelingua, lists separated by ";" (or ",").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from datetime import date, datetime

from config.taxonomy import language_code, language_suggestions

from .model import GENDERS, LEVELS, SLOT_BIT
from .problems import Code, Problem

YES = frozenset({"yes", "y", "sì", "si", "s", "true", "vero", "1", "x"})
NO = frozenset({"no", "n", "false", "falso", "0", ""})
NATIVE = frozenset({"native", "madrelingua", "madre lingua", "lingua madre", "l1", "nativo"})
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
ALL_SLOTS = ("all", "tutti", "sempre")
LIST_SEPARATOR = re.compile(r"[;,]")


def items(text: str) -> list[str]:
    """Split a list cell ("a; b, c") into its items."""
    return [item.strip() for item in LIST_SEPARATOR.split(text) if item.strip()]


def pairs(text: str) -> list[tuple[str, str]]:
    """Split "a:1; b:2" into pairs; an item without a colon gets an empty second part."""
    found = []
    for item in items(text):
        key, _, value = item.partition(":")
        found.append((key.strip(), value.strip()))
    return found


def whole_number(text: str, low: int, high: int | None = None) -> int:
    """Read a whole number between low and high."""
    try:
        value = int(text.strip())
    except ValueError:
        raise Problem(Code.NOT_WHOLE_NUMBER, value=text) from None
    _check_range(value, low, high)
    return value


def number(text: str, low: float, high: float) -> float:
    """Read a number, with a decimal point or comma, between low and high."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise Problem(Code.NOT_NUMBER, value=text) from None
    _check_range(value, low, high)
    return value


def _check_range(value: float, low: float, high: float | None) -> None:
    shown = f"{value:g}"
    if high is None and value < low:
        raise Problem(Code.TOO_SMALL, value=shown, low=f"{low:g}")
    if high is not None and not low <= value <= high:
        raise Problem(Code.OUT_OF_RANGE, value=shown, low=f"{low:g}", high=f"{high:g}")


def day(text: str) -> date:
    """Read a date as YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise Problem(Code.NOT_DATE, value=text)


def past_day(text: str, today: date) -> date:
    """Read a date that is not after today."""
    value = day(text)
    if value > today:
        raise Problem(Code.FUTURE_DATE, value=text, today=today.isoformat())
    return value


def yes_no(text: str) -> bool:
    """Read yes/no, sì/no, true/false, 1/0 (empty is no)."""
    value = text.strip().casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    raise Problem(Code.NOT_YES_NO, value=text)


def gender(text: str) -> str | None:
    """Read f, m or x (empty: not given)."""
    value = text.strip().lower()
    if value and value not in GENDERS:
        raise Problem(Code.NOT_GENDER, value=text)
    return value or None


def language(text: str) -> str:
    """Read a language as an ISO code or a name in any language: "ara", "arabo" -> "ar"."""
    code = language_code(text)
    if code is None:
        raise Problem(Code.UNKNOWN_LANGUAGE, value=text, suggestions=language_suggestions(text))
    return code


def level(text: str, of: str = "") -> str:
    """Read a CEFR level A1…C2, or native (madrelingua)."""
    value = " ".join(text.split())
    if value.casefold() in NATIVE:
        return "native"
    if value.upper() in LEVELS:
        return value.upper()
    raise Problem(Code.UNKNOWN_LEVEL, value=text, language=of)


def languages(text: str) -> dict[str, str]:
    """Read "it:native; arabo:B1" into {"it": "native", "ar": "B1"}."""
    found: dict[str, str] = {}
    for name, written_level in pairs(text):
        if not written_level:
            raise Problem(Code.MISSING_LEVEL, language=name)
        found[language(name)] = level(written_level, of=name)
    if not found:
        raise Problem(Code.REQUIRED)
    return found


def slots(text: str) -> int:
    """Read weekly slots ("mon_evening; thu_morning", or "all") into a mask."""
    if text.strip().casefold() in ALL_SLOTS:
        return (1 << len(SLOT_BIT)) - 1
    mask = 0
    for slot in items(text):
        bit = SLOT_BIT.get(slot.lower())
        if bit is None:
            raise Problem(Code.UNKNOWN_SLOT, value=slot)
        mask |= bit
    return mask


def skill(text: str, known: Collection[str]) -> str:
    """Read a skill code of the taxonomy."""
    code = text.strip().lower()
    if code not in known:
        close = difflib.get_close_matches(code, list(known), n=3, cutoff=0.75)
        raise Problem(Code.UNKNOWN_SKILL, value=text, suggestions=close)
    return code


def skills(text: str, known: Collection[str]) -> frozenset[str]:
    """Read a list of skill codes."""
    codes = frozenset(skill(item, known) for item in items(text))
    if not codes:
        raise Problem(Code.REQUIRED)
    return codes


def needs(text: str, known: Collection[str]) -> dict[str, int]:
    """Read "skill:priority" items (priority 1–3, 2 when not given)."""
    found: dict[str, int] = {}
    for code, priority in pairs(text):
        found[skill(code, known)] = whole_number(priority, 1, 3) if priority else 2
    if not found:
        raise Problem(Code.REQUIRED)
    return found


def documents(text: str, known: Collection[str]) -> dict[str, date]:
    """Read "document:expiry" items."""
    found: dict[str, date] = {}
    for code, expiry in pairs(text):
        if not expiry:
            raise Problem(Code.NOT_PAIR, value=code, example="document:expiry")
        if code not in known:
            raise Problem(Code.UNKNOWN_DOCUMENT, value=code, known=sorted(known))
        found[code] = day(expiry)
    return found


def text_at_most(text: str, length: int) -> str:
    """Keep a text of at most `length` characters."""
    if len(text) > length:
        raise Problem(Code.TOO_LONG, max=length)
    return text
