"""Build domain objects with sensible defaults (override what a test cares about)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from sqlalchemy import select

from web.extensions import db
from web.models import (
    Beneficiary,
    BeneficiaryLanguage,
    BeneficiaryNeed,
    Place,
    Territory,
    TutorLanguage,
    TutorProfile,
    TutorSkill,
    User,
)
from web.models.common import utcnow

PASSWORD = "correct-horse-battery"
_sequence = count(1)


def place(name: str = "Parma", province: str = "PR") -> Place:
    """Return a municipality from the loaded gazetteer."""
    found = db.session.scalar(
        select(Place).where(Place.name == name, Place.province_code == province)
    )
    assert found is not None, f"{name} ({province}) is not in the gazetteer"
    return found


def territory(code: str = "PR", name: str = "Parma", region: str = "Emilia-Romagna") -> Territory:
    """Return the territory with this code, creating it if needed."""
    existing = db.session.scalar(select(Territory).where(Territory.code == code))
    if existing:
        return existing
    created = Territory(code=code, name=name, region=region, default_radius_km=25, weights={})
    db.session.add(created)
    db.session.commit()
    return created


def user(
    role: str = "coordinator",
    email: str | None = None,
    territories: list[Territory] | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    """Create an account (verified) with the shared test password."""
    created = User(
        email=email or f"{role}{next(_sequence)}@example.org",
        role=role,
        full_name=fields.pop("full_name", role.title()),
        verified_at=fields.pop("verified_at", utcnow()),
        territories=territories or [],
        **fields,
    )
    created.set_password(password)
    db.session.add(created)
    db.session.commit()
    return created


def tutor(
    territory_: Territory | None = None,
    place_name: str = "Parma",
    province: str = "PR",
    status: str = "active",
    skills: tuple[str, ...] = ("work_cv", "housing_search"),
    languages: dict[str, str] | None = None,
    capacity: int = 2,
    **fields,
) -> TutorProfile:
    """Create an active, vetted tutor with a profile."""
    territory_ = territory_ or territory()
    account = user("tutor", email=fields.pop("email", None))
    profile = TutorProfile(
        user=account,
        display_name=fields.pop("display_name", "Giulia"),
        place=place(place_name, province),
        territory_id=territory_.id,
        max_travel_km=fields.pop("max_travel_km", 20),
        capacity=capacity,
        availability=fields.pop("availability", 0b111),
        status=status,
        background_check_on=date.today() - timedelta(days=30),
        background_check_expires_on=date.today() + timedelta(days=335),
        consent_version="test",
        consent_at=utcnow(),
        skills=[TutorSkill(skill_code=code) for code in skills],
        languages=[
            TutorLanguage(lang=k, level=v)
            for k, v in (languages or {"it": "native", "en": "B2"}).items()
        ],
        **fields,
    )
    db.session.add(profile)
    db.session.commit()
    return profile


def beneficiary(
    territory_: Territory | None = None,
    place_name: str = "Parma",
    province: str = "PR",
    needs: dict[str, int] | None = None,
    languages: dict[str, str] | None = None,
    **fields,
) -> Beneficiary:
    """Create a waiting beneficiary with a fresh pseudonymous code."""
    territory_ = territory_ or territory()
    seq = next(_sequence)
    languages = languages or {"ar": "native", "it": "A2"}
    created = Beneficiary(
        territory_id=territory_.id,
        seq=seq,
        code=f"{territory_.code}-{seq:04d}",
        first_name=fields.pop("first_name", "Amina"),
        contact_email=fields.pop("contact_email", f"b{seq}@example.org"),
        preferred_language=fields.pop("preferred_language", "ar"),
        place=place(place_name, province),
        availability=fields.pop("availability", 0b110),
        waiting_since=fields.pop("waiting_since", date.today() - timedelta(days=20)),
        needs=[
            BeneficiaryNeed(skill_code=k, priority=v) for k, v in (needs or {"work_cv": 3}).items()
        ],
        languages=[
            BeneficiaryLanguage(lang=k, level=v, is_first=(i == 0))
            for i, (k, v) in enumerate(languages.items())
        ],
        **fields,
    )
    db.session.add(created)
    db.session.commit()
    return created
