"""Turn database rows into the engine's plain records (and back into ids), per territory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import matching
from web.extensions import db
from web.models import Beneficiary, Match, Territory, TutorProfile

# A pair that was rejected, ended or declined is never proposed again.
EXCLUDING_STATUSES = ("rejected", "ended", "declined")


def engine_tutor(profile: TutorProfile) -> matching.Tutor | None:
    """Describe a tutor profile to the engine (None without a municipality)."""
    if profile.place is None:
        return None
    documents = {}
    if profile.background_check_expires_on is not None:
        documents["background_check"] = profile.background_check_expires_on
    return matching.Tutor(
        id=profile.id,
        lat=profile.place.lat,
        lon=profile.place.lon,
        max_km=float(profile.max_travel_km),
        capacity=profile.capacity,
        free_slots=min(max(profile.capacity - profile.open_matches, 0), profile.capacity),
        skills=frozenset(skill.skill_code for skill in profile.skills),
        languages={language.lang: language.level for language in profile.languages},
        availability=profile.availability,
        interests=profile.interests or "",
        gender=profile.gender,
        remote_ok=profile.remote_ok,
        documents=documents,
    )


def engine_beneficiary(person: Beneficiary) -> matching.Beneficiary | None:
    """Describe a beneficiary to the engine (None without a municipality)."""
    if person.place is None:
        return None
    first = next((language.lang for language in person.languages if language.is_first), None)
    return matching.Beneficiary(
        id=person.id,
        lat=person.place.lat,
        lon=person.place.lon,
        needs={need.skill_code: need.priority for need in person.needs},
        languages={language.lang: language.level for language in person.languages},
        first_language=first,
        availability=person.availability,
        waiting_since=person.waiting_since,
        interests=person.interests or "",
        gender=person.gender,
        preferred_tutor_gender=person.preferred_tutor_gender,
        remote_ok=person.remote_ok,
    )


def territory_weights(territory: Territory) -> matching.Weights:
    """Return the engine weights of a territory: defaults with its overrides."""
    return matching.load_weights(overrides=territory.weights or None)


def _tutor_query():
    return select(TutorProfile).options(
        selectinload(TutorProfile.place),
        selectinload(TutorProfile.skills),
        selectinload(TutorProfile.languages),
    )


def _beneficiary_query():
    return select(Beneficiary).options(
        selectinload(Beneficiary.place),
        selectinload(Beneficiary.needs),
        selectinload(Beneficiary.languages),
    )


def open_tutors(territory_id: int) -> list[matching.Tutor]:
    """Active tutors of a territory with a free place, as engine records."""
    rows = db.session.scalars(
        _tutor_query()
        .where(
            TutorProfile.territory_id == territory_id,
            TutorProfile.status == "active",
            TutorProfile.open_matches < TutorProfile.capacity,
        )
        .order_by(TutorProfile.id)
    )
    return [record for row in rows if (record := engine_tutor(row)) is not None]


def waiting_beneficiaries(territory_id: int) -> list[matching.Beneficiary]:
    """Waiting beneficiaries of a territory, as engine records."""
    rows = db.session.scalars(
        _beneficiary_query()
        .where(
            Beneficiary.territory_id == territory_id,
            Beneficiary.status == "waiting",
            Beneficiary.erased_at.is_(None),
        )
        .order_by(Beneficiary.id)
    )
    return [record for row in rows if (record := engine_beneficiary(row)) is not None]


def load_tutor(profile_id: int) -> TutorProfile | None:
    """Load one tutor profile with what the engine needs."""
    return db.session.scalar(_tutor_query().where(TutorProfile.id == profile_id))


def load_beneficiary(beneficiary_id: int) -> Beneficiary | None:
    """Load one beneficiary with what the engine needs."""
    return db.session.scalar(_beneficiary_query().where(Beneficiary.id == beneficiary_id))


def excluded_pairs(
    beneficiary_ids: Iterable[int] | None = None, tutor_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """(beneficiary id, tutor id) pairs rejected, ended or declined before."""
    query = select(Match.beneficiary_id, Match.tutor_id).where(Match.status.in_(EXCLUDING_STATUSES))
    if beneficiary_ids is not None:
        query = query.where(Match.beneficiary_id.in_(list(beneficiary_ids)))
    if tutor_ids is not None:
        query = query.where(Match.tutor_id.in_(list(tutor_ids)))
    return {(b, t) for b, t in db.session.execute(query)}


def territory_excluded_pairs(territory_id: int) -> set[tuple[int, int]]:
    """Excluded pairs whose beneficiary belongs to the territory."""
    query = (
        select(Match.beneficiary_id, Match.tutor_id)
        .join(Beneficiary, Beneficiary.id == Match.beneficiary_id)
        .where(Beneficiary.territory_id == territory_id, Match.status.in_(EXCLUDING_STATUSES))
    )
    return {(b, t) for b, t in db.session.execute(query)}


@dataclass
class TerritoryInput:
    """Everything the engine needs for one territory's run."""

    tutors: list[matching.Tutor]
    beneficiaries: list[matching.Beneficiary]
    weights: matching.Weights
    exclude: set[tuple[int, int]]
    now: date


def territory_input(territory: Territory, now: date | None = None) -> TerritoryInput:
    """Load a territory's open tutors, waiting beneficiaries, weights and exclusions."""
    return TerritoryInput(
        tutors=open_tutors(territory.id),
        beneficiaries=waiting_beneficiaries(territory.id),
        weights=territory_weights(territory),
        exclude=territory_excluded_pairs(territory.id),
        now=now or date.today(),
    )
