"""Factories of engine records with sensible defaults (tests/unit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from matching import Beneficiary, Tutor, slots_mask

NOW = date(2025, 1, 15)
PARMA = (44.8015, 10.3279)


def tutor(id: int = 1, **fields: Any) -> Tutor:
    """A tutor in Parma who speaks Italian and English and helps with housing and CVs."""
    values: dict[str, Any] = {
        "id": id,
        "lat": PARMA[0],
        "lon": PARMA[1],
        "max_km": 15.0,
        "capacity": 1,
        "free_slots": 1,
        "skills": frozenset({"housing_search", "work_cv"}),
        "languages": {"it": "native", "en": "B2"},
        "availability": slots_mask(["mon_evening", "wed_evening"]),
        "interests": "",
    }
    values.update(fields)
    return Tutor(**values)


def beneficiary(id: int = 1, **fields: Any) -> Beneficiary:
    """A beneficiary in Parma who speaks Arabic and some English, needing housing help."""
    values: dict[str, Any] = {
        "id": id,
        "lat": PARMA[0],
        "lon": PARMA[1],
        "needs": {"housing_search": 3},
        "languages": {"ar": "native", "en": "B1", "it": "A1"},
        "first_language": "ar",
        "availability": slots_mask(["mon_evening"]),
        "waiting_since": date(2024, 10, 1),
        "interests": "",
    }
    values.update(fields)
    return Beneficiary(**values)
