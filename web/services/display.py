"""Words for what pages show: slots, languages, skills, and one label function per vocabulary.

Every enumerated value shown to people (levels, statuses, genders, audit events...) goes
through the function of its vocabulary here; the labels live in web/services/vocabulary.py.
Templates call these through the `display` template global.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from config.taxonomy import language_name, load_taxonomy
from matching.model import DAY_PARTS, DAYS, SLOTS
from web.services.bidi import text_direction
from web.services.vocabulary import (
    AUDIT_ACTION_LABELS,
    AUDIT_OBJECT_LABELS,
    BENEFICIARY_STATUS_LABELS,
    CANCEL_REASON_LABELS,
    DECISION_REASON_LABELS,
    EMAIL_LABELS,
    GENDER_LABELS,
    LEVEL_LABELS,
    MATCH_STATUS_LABELS,
    NOTIFICATION_STATUS_LABELS,
    OUTCOME_LABELS,
    PRIORITY_LABELS,
    ROLE_LABELS,
    RUN_PHASE_LABELS,
    RUN_STATUS_LABELS,
    TUTOR_STATUS_LABELS,
)

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


def beneficiary_status(code: str) -> str:
    """Name a beneficiary's status."""
    return str(BENEFICIARY_STATUS_LABELS.get(code, code))


def match_status(code: str) -> str:
    """Name a proposal's or match's status."""
    return str(MATCH_STATUS_LABELS.get(code, code))


def tutor_status(code: str) -> str:
    """Name a tutor's status (as coordinators read it)."""
    return str(TUTOR_STATUS_LABELS.get(code, code))


def run_status(code: str) -> str:
    """Name a matching run's status."""
    return str(RUN_STATUS_LABELS.get(code, code))


def run_phase(code: str) -> str:
    """Name a phase of a matching run."""
    return str(RUN_PHASE_LABELS.get(code, code))


def notification_status(code: str, reason: str | None = None) -> str:
    """Name an email's delivery status, with why it was cancelled when it was."""
    label = str(NOTIFICATION_STATUS_LABELS.get(code, code))
    if code == "cancelled" and reason:
        return f"{label} ({cancel_reason(reason)})"
    return label


def cancel_reason(code: str) -> str:
    """Name why an email was cancelled."""
    return str(CANCEL_REASON_LABELS.get(code, code))


def role(code: str) -> str:
    """Name an account's role."""
    return str(ROLE_LABELS.get(code, code))


def decision_reason(code: str | None) -> str:
    """Name why a proposal was rejected, or a dash."""
    return str(DECISION_REASON_LABELS.get(code or "", code or "—"))


def outcome(code: str | None) -> str:
    """Name how a match ended, or a dash."""
    return str(OUTCOME_LABELS.get(code or "", code or "—"))


def audit_action(code: str) -> str:
    """Name an audit event's action."""
    return str(AUDIT_ACTION_LABELS.get(code, code))


def audit_object(code: str) -> str:
    """Name the kind of object an audit event is about."""
    return str(AUDIT_OBJECT_LABELS.get(code, code))


def email(template: str) -> str:
    """Name an email template ("match_approved_tutor" -> "Match approved (to the tutor)")."""
    return str(EMAIL_LABELS.get(template, template))


def email_language(code: str) -> str:
    """Name the language(s) of an email: "it, en" for the bilingual fallback, "other" previews."""
    if code == "other":
        return str(_l("a language without translation"))
    return ", ".join(language(part.strip()) for part in code.split(","))


def email_direction(code: str) -> str:
    """Return the writing direction of an email's text ("ltr" when in several languages)."""
    return "ltr" if "," in code or code == "other" else text_direction(code)


def lang_attribute(code: str) -> str:
    """Return the HTML lang of an email's text ("mul" when it is in several languages)."""
    return "mul" if "," in code or code == "other" else code


def skill_codes() -> list[str]:
    """List every taxonomy skill code, grouped by path."""
    return [skill.code for path in load_taxonomy().paths for skill in path.skills]
