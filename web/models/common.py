"""Column helpers and value sets shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
GENDERS = ("f", "m", "x")
ROLES = ("admin", "coordinator", "tutor")
ALL_SLOTS_MASK = (1 << 21) - 1


def utcnow() -> datetime:
    """Return the current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


def in_set(column: str, values: tuple[str, ...], nullable: bool = False) -> str:
    """Build a CHECK expression that keeps a column within a fixed set of values."""
    allowed = ", ".join(f"'{v}'" for v in values)
    expression = f"{column} IN ({allowed})"
    return f"{column} IS NULL OR {expression}" if nullable else expression
