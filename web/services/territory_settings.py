"""A territory's own settings: the minimum shared language levels and its contact.

The levels are overrides of the engine's defaults (config/weights.toml) kept in
Territory.weights; the engine's own load_weights decides what is valid. Choosing the
default removes the override, so the territory follows the default if it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

import matching
from matching.model import LEVEL_RANK
from web.extensions import db
from web.models import Territory
from web.services import audit
from web.services.errors import ServiceError
from web.services.users import normalise_email

LEVEL_SETTINGS = ("min_level", "italian_min_level")
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class TerritorySettings:
    """What the settings page edits (contact values are "" when not set)."""

    min_level: str
    italian_min_level: str
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def engine_defaults() -> matching.Weights:
    """Return the engine's default weights (no territory override)."""
    return matching.load_weights()


def current_settings(territory: Territory) -> TerritorySettings:
    """Return the territory's settings: its overrides, else the engine's defaults."""
    defaults = engine_defaults()
    overrides = territory.weights or {}
    levels = {
        name: overrides[name] if overrides.get(name) in LEVEL_RANK else getattr(defaults, name)
        for name in LEVEL_SETTINGS
    }
    contact = {name: getattr(territory, name) or "" for name in CONTACT_FIELDS}
    return TerritorySettings(**levels, **contact)


def _level_overrides(
    territory: Territory, wanted: TerritorySettings, errors: dict[str, str]
) -> dict[str, Any]:
    """Return the territory's overrides with the wanted levels (defaults dropped)."""
    defaults = engine_defaults()
    overrides = dict(territory.weights or {})
    for name in LEVEL_SETTINGS:
        value = getattr(wanted, name)
        try:
            matching.load_weights(overrides={name: value})  # the engine decides what is valid
        except ValueError:
            errors[name] = str(_l("Choose a level from the list."))
            continue
        if value == getattr(defaults, name):
            overrides.pop(name, None)
        else:
            overrides[name] = value
    if not errors:
        try:
            matching.load_weights(overrides=overrides)
        except ValueError as exc:  # another override was already broken (edited by hand)
            errors[""] = str(
                _l("The matching weights of this territory are invalid: %(error)s", error=exc)
            )
    return overrides


def _clean_contact(wanted: TerritorySettings, errors: dict[str, str]) -> dict[str, str | None]:
    """Check the contact: none at all, or a name and an email address (phone optional)."""
    name = wanted.contact_name.strip()
    email = wanted.contact_email.strip()
    phone = " ".join(wanted.contact_phone.split())
    if name and not name.isprintable():
        errors["contact_name"] = str(_l("Use letters, digits and punctuation only."))
    if (email or phone) and not name:
        errors["contact_name"] = str(_l("Give the name people will read in the emails."))
    if (name or phone) and not email:
        errors["contact_email"] = str(_l("Give the address that replies to emails go to."))
    elif email:
        try:
            email = normalise_email(email)
        except ServiceError as exc:
            errors["contact_email"] = exc.errors["email"]
    if phone and not all(c.isdigit() or c in " +" for c in phone):
        errors["contact_phone"] = str(_l("Use digits, spaces and + only."))
    return {
        "contact_name": name or None,
        "contact_email": email or None,
        "contact_phone": phone or None,
    }


def save_settings(territory: Territory, wanted: TerritorySettings) -> bool:
    """Apply the settings and audit what changed (levels old → new; contact fields by name,
    without their values). Return whether anything changed."""
    errors: dict[str, str] = {}
    overrides = _level_overrides(territory, wanted, errors)
    contact = _clean_contact(wanted, errors)
    if errors:
        raise ServiceError(errors)
    before = current_settings(territory)
    levels = {
        name: [getattr(before, name), getattr(wanted, name)]
        for name in LEVEL_SETTINGS
        if getattr(before, name) != getattr(wanted, name)
    }
    contact_changed = [name for name in CONTACT_FIELDS if getattr(territory, name) != contact[name]]
    if not levels and not contact_changed and overrides == (territory.weights or {}):
        return False
    territory.weights = overrides
    for name, value in contact.items():
        setattr(territory, name, value)
    audit.record(
        "territory.settings_changed",
        "territory",
        territory.id,
        territory_id=territory.id,
        levels=levels,
        contact_changed=contact_changed,
    )
    db.session.commit()
    return True
