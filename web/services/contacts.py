"""Who people reach about an email: the territory's contact, or the deployment-wide one."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formataddr
from typing import Any

from flask import current_app

from web.extensions import db
from web.models import Territory, User


@dataclass(frozen=True)
class Contact:
    """A person (or an office) with an email address and, when known, a phone number."""

    name: str
    email: str
    phone: str = ""

    @property
    def reply_to(self) -> str:
        """Return the address as a Reply-To header value ("Name <address>")."""
        return formataddr((self.name, self.email))

    def as_context(self) -> dict[str, str]:
        """Return the contact as plain values for an email's context."""
        return dataclasses.asdict(self)

    @classmethod
    def from_context(cls, values: Any) -> Contact | None:
        """Read a contact back from an email's context (None when absent or incomplete)."""
        if not isinstance(values, Mapping) or not values.get("email"):
            return None
        name, phone = values.get("name") or "", values.get("phone") or ""
        return cls(str(name), str(values["email"]), str(phone))


def deployment_contact() -> Contact:
    """Return the deployment-wide contact (CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE)."""
    config = current_app.config
    return Contact(config["CONTACT_NAME"], config["CONTACT_EMAIL"], config["CONTACT_PHONE"])


def territory_contact(territory: Territory | None) -> Contact:
    """Return the territory's own contact when it names one, else the deployment's."""
    if territory is None or not territory.contact_email:
        return deployment_contact()
    return Contact(
        territory.contact_name or territory.name,
        territory.contact_email,
        territory.contact_phone or "",
    )


def coordinator_contact(coordinator: User | None) -> Contact | None:
    """Return a coordinator as a contact (their full name and email), if they can answer."""
    if coordinator is None or not coordinator.active or not coordinator.email:
        return None
    return Contact(coordinator.full_name or coordinator.email, coordinator.email)


def contact_for(territory_id: int | None, coordinator_id: int | None = None) -> Contact:
    """Return who an email names: the territory's contact, else the coordinator who made
    the decision it tells of, else the deployment's contact."""
    territory = db.session.get(Territory, territory_id) if territory_id is not None else None
    if territory is not None and territory.contact_email:
        return territory_contact(territory)
    coordinator = db.session.get(User, coordinator_id) if coordinator_id is not None else None
    return coordinator_contact(coordinator) or deployment_contact()
