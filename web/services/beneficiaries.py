"""Register, edit, list and close beneficiaries, scoped to the coordinator's territories."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from web.extensions import db
from web.models import (
    Beneficiary,
    BeneficiaryLanguage,
    BeneficiaryNeed,
    Match,
    Place,
    Territory,
    User,
)
from web.models.common import utcnow
from web.models.matching import OPEN_MATCH_STATUSES
from web.services import audit
from web.services.errors import ServiceError
from web.services.scope import restrict, territory_ids
from web.services.tasks import enqueue

CODE_ATTEMPTS = 5


@dataclass
class BeneficiaryData:
    """Validated fields of a beneficiary, from the form or from an import row."""

    first_name: str
    contact_email: str | None
    contact_phone: str | None
    preferred_language: str
    place_id: int
    languages: list[tuple[str, str, bool]]  # (code, level, is first language)
    needs: dict[str, int]
    availability: int = 0
    gender: str | None = None
    preferred_tutor_gender: str | None = None
    remote_ok: bool = False
    waiting_since: date = field(default_factory=date.today)
    interests: str = ""

    def to_json(self) -> dict:
        """Return a JSON-safe dict (for the import preview kept between two requests)."""
        values = dict(self.__dict__)
        values["waiting_since"] = self.waiting_since.isoformat()
        values["languages"] = [list(item) for item in self.languages]
        return values

    @classmethod
    def from_json(cls, values: dict) -> BeneficiaryData:
        """Rebuild from to_json()."""
        values = dict(values)
        values["waiting_since"] = date.fromisoformat(values["waiting_since"])
        values["languages"] = [tuple(item) for item in values["languages"]]
        return cls(**values)


def phone_key(phone: str | None) -> str:
    """Reduce a phone number to its digits (with a leading + kept) for comparison."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    return digits[-9:]  # ignore country prefixes and leading zeros


def territory_for_place(place: Place, user: User) -> Territory | None:
    """Return the user's territory that contains this municipality, if any."""
    query = select(Territory).where(Territory.code == place.province_code)
    return db.session.scalar(restrict(query, Territory.id, user))


def find_duplicate(
    territory_id: int,
    first_name: str,
    email: str | None,
    phone: str | None,
    exclude_id: int | None = None,
) -> Beneficiary | None:
    """Find an open record with the same first name and the same email or phone."""
    contacts = []
    if email:
        contacts.append(func.lower(Beneficiary.contact_email) == email.lower())
    query = select(Beneficiary).where(
        Beneficiary.territory_id == territory_id,
        func.lower(Beneficiary.first_name) == first_name.strip().lower(),
        Beneficiary.status != "closed",
        Beneficiary.erased_at.is_(None),
    )
    if exclude_id is not None:
        query = query.where(Beneficiary.id != exclude_id)
    if phone_key(phone):
        contacts.append(Beneficiary.contact_phone.is_not(None))
    if not contacts:
        return None
    for candidate in db.session.scalars(query.where(or_(*contacts))):
        same_email = bool(email) and (candidate.contact_email or "").lower() == email.lower()
        same_phone = bool(phone_key(phone)) and phone_key(candidate.contact_phone) == phone_key(
            phone
        )
        if same_email or same_phone:
            return candidate
    return None


def _apply(beneficiary: Beneficiary, data: BeneficiaryData) -> None:
    beneficiary.first_name = data.first_name.strip()
    beneficiary.contact_email = (data.contact_email or "").strip().lower() or None
    beneficiary.contact_phone = (data.contact_phone or "").strip() or None
    beneficiary.preferred_language = data.preferred_language
    beneficiary.place_id = data.place_id
    beneficiary.availability = data.availability
    beneficiary.gender = data.gender or None
    beneficiary.preferred_tutor_gender = data.preferred_tutor_gender or None
    beneficiary.remote_ok = data.remote_ok
    beneficiary.waiting_since = data.waiting_since
    beneficiary.interests = data.interests or ""
    wanted_languages = {code: (level, first) for code, level, first in data.languages}
    beneficiary.languages = [
        BeneficiaryLanguage(lang=code, level=level, is_first=first)
        for code, (level, first) in sorted(wanted_languages.items())
    ]
    beneficiary.needs = [
        BeneficiaryNeed(skill_code=code, priority=priority)
        for code, priority in sorted(data.needs.items())
    ]


def _next_seq(territory_id: int) -> int:
    highest = db.session.scalar(
        select(func.max(Beneficiary.seq)).where(Beneficiary.territory_id == territory_id)
    )
    return (highest or 0) + 1


def create_beneficiaries(
    items: list[tuple[BeneficiaryData, Territory]], actor: User, source: str = "form"
) -> list[int]:
    """Register people in one transaction with fresh codes; retry when a code was taken."""
    if not items:
        return []
    version = current_app.config["PRIVACY_NOTICE_VERSION"]
    for attempt in range(CODE_ATTEMPTS):
        now = utcnow()
        next_seq: dict[int, int] = {}
        created = []
        for data, territory in items:
            seq = next_seq.get(territory.id) or _next_seq(territory.id)
            next_seq[territory.id] = seq + 1
            beneficiary = Beneficiary(
                territory_id=territory.id,
                seq=seq,
                code=f"{territory.code}-{seq:04d}",
                status="waiting",
                consent_collected_by_id=actor.id,
                consent_at=now,
                consent_version=version,
            )
            _apply(beneficiary, data)
            db.session.add(beneficiary)
            created.append(beneficiary)
        try:
            db.session.flush()
        except IntegrityError:
            # Another coordinator took the same sequence number: start again.
            db.session.rollback()
            if attempt == CODE_ATTEMPTS - 1:
                raise
            continue
        for beneficiary in created:
            audit.record(
                "create",
                "beneficiary",
                beneficiary.id,
                territory_id=beneficiary.territory_id,
                source=source,
            )
        db.session.commit()
        ids = [beneficiary.id for beneficiary in created]
        for beneficiary_id in ids:
            enqueue("matching.incremental_beneficiary", beneficiary_id)
        return ids
    return []  # pragma: no cover - the loop either returns or raises


def create_beneficiary(data: BeneficiaryData, territory: Territory, actor: User) -> Beneficiary:
    """Register one person (consent recorded as collected by the actor now)."""
    (beneficiary_id,) = create_beneficiaries([(data, territory)], actor)
    return db.session.get_one(Beneficiary, beneficiary_id)


def update_beneficiary(beneficiary: Beneficiary, data: BeneficiaryData) -> None:
    """Save edited fields; the code, territory and consent never change."""
    if beneficiary.status == "closed":
        raise ServiceError(_("This record is closed and cannot be edited."))
    _apply(beneficiary, data)
    audit.record("update", "beneficiary", beneficiary.id, territory_id=beneficiary.territory_id)
    db.session.commit()


def close_beneficiary(beneficiary: Beneficiary, reason: str) -> None:
    """Close a record with a reason; undecided proposals for the person are superseded."""
    if beneficiary.status == "closed":
        raise ServiceError(_("This record is already closed."))
    open_match = db.session.scalar(
        select(Match.id).where(
            Match.beneficiary_id == beneficiary.id, Match.status.in_(OPEN_MATCH_STATUSES)
        )
    )
    if open_match is not None:
        raise ServiceError(_("This person has an open match: end the match first."))
    db.session.execute(
        update(Match)
        .where(Match.beneficiary_id == beneficiary.id, Match.status == "proposed")
        .values(status="superseded")
    )
    beneficiary.status = "closed"
    beneficiary.close_reason = reason.strip()
    beneficiary.closed_at = utcnow()
    audit.record("close", "beneficiary", beneficiary.id, territory_id=beneficiary.territory_id)
    db.session.commit()


def record_view(beneficiary: Beneficiary) -> None:
    """Write the audit event for someone opening a beneficiary's record."""
    audit.record("view", "beneficiary", beneficiary.id, territory_id=beneficiary.territory_id)
    db.session.commit()


def list_query(user: User, status: str | None = None, territory_id: int | None = None) -> Select:
    """Build the list of visible records, longest waiting first."""
    query = select(Beneficiary).where(Beneficiary.erased_at.is_(None))
    query = restrict(query, Beneficiary.territory_id, user)
    if status:
        query = query.where(Beneficiary.status == status)
    if territory_id is not None:
        query = query.where(Beneficiary.territory_id == territory_id)
    return query.order_by(Beneficiary.waiting_since, Beneficiary.id)


def may_use_territory(user: User, territory_id: int) -> bool:
    """Tell whether a user works on a territory."""
    ids = territory_ids(user)
    return ids is None or territory_id in ids


def resolve_place(
    label: str, user: User, territory: Territory | None = None
) -> tuple[Place, Territory]:
    """Find the municipality typed in a form and the user's territory that contains it."""
    from web.services.places import place_by_label

    place = place_by_label(label)
    if place is None:
        raise ServiceError(
            {"place": _("Unknown municipality: choose one from the list, e.g. “Fidenza (PR)”.")}
        )
    if territory is not None:
        if place.province_code != territory.code:
            raise ServiceError(
                {"place": _("The municipality must be in %(name)s.", name=territory.name)}
            )
        return place, territory
    found = territory_for_place(place, user)
    if found is None:
        raise ServiceError({"place": _("This municipality is not in one of your territories.")})
    return place, found
