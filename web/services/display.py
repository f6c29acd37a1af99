"""Words and grids for showing people's profiles: slots, languages, skills, genders.

Shared by every page that shows a tutor or a beneficiary (the Jinja macros in
templates/_people.html call these through the `display` template global).
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from config.taxonomy import language_name, load_taxonomy
from matching.model import DAY_PARTS, DAYS, SLOTS

SLOT_BIT = {slot: 1 << i for i, slot in enumerate(SLOTS)}  # the engine's order: bit i = SLOTS[i]

DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
PART_LABELS = {"morning": _l("Morning"), "afternoon": _l("Afternoon"), "evening": _l("Evening")}
GENDER_LABELS = {"f": _l("Woman"), "m": _l("Man"), "x": _l("Other / non-binary")}
PRIORITY_LABELS = {1: _l("Low"), 2: _l("Medium"), 3: _l("High")}
STATUS_LABELS = {
    "waiting": _l("Waiting"),
    "matched": _l("Matched"),
    "closed": _l("Closed"),
    "proposed": _l("Proposed"),
    "approved": _l("Approved"),
    "active": _l("Active"),
    "ended": _l("Ended"),
    "rejected": _l("Rejected"),
    "declined": _l("Declined"),
    "superseded": _l("Superseded"),
}
LEVEL_LABELS = {
    "A1": "A1",
    "A2": "A2",
    "B1": "B1",
    "B2": "B2",
    "C1": "C1",
    "C2": "C2",
    "native": _l("native"),
}


def locale_code() -> str:
    """Return the UI language code ("it" or "en")."""
    return str(get_locale() or "it")


def slots_from_mask(mask: int) -> list[str]:
    """List the slot codes set in an availability mask."""
    return [slot for slot, bit in SLOT_BIT.items() if mask & bit]


def mask_from_slots(slots: list[str]) -> int:
    """Build an availability mask from slot codes (unknown codes raise KeyError)."""
    mask = 0
    for slot in slots:
        mask |= SLOT_BIT[slot]
    return mask


def availability_grid(mask: int) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Return [(day label, [(part label, free?) × 3]) × 7] for a table."""
    return [
        (
            str(DAY_LABELS[day]),
            [
                (str(PART_LABELS[part]), bool(mask & SLOT_BIT[f"{day}_{part}"]))
                for part in DAY_PARTS
            ],
        )
        for day in DAYS
    ]


def language(code: str) -> str:
    """Name a language in the UI language."""
    return language_name(code, locale_code())


def skill(code: str) -> str:
    """Name a taxonomy skill in the UI language (the code itself if unknown)."""
    found = load_taxonomy().skills.get(code)
    return found.label(locale_code()) if found else code


def gender(code: str | None) -> str:
    """Name a gender code, or a dash."""
    return str(GENDER_LABELS.get(code or "", "—"))


def level(code: str) -> str:
    """Name a language level."""
    return str(LEVEL_LABELS.get(code, code))


def priority(value: int) -> str:
    """Name a need priority."""
    return str(PRIORITY_LABELS.get(value, value))


def status(code: str) -> str:
    """Name a beneficiary or match status."""
    return str(STATUS_LABELS.get(code, code))


def skill_codes() -> list[str]:
    """List every taxonomy skill code, grouped by path."""
    return [skill.code for path in load_taxonomy().paths for skill in path.skills]
