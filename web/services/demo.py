"""Fictitious demo data: two territories, coordinators, tutors and beneficiaries."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from config.taxonomy import load_taxonomy
from web.extensions import db
from web.models import (
    Beneficiary,
    BeneficiaryLanguage,
    BeneficiaryNeed,
    Organisation,
    Place,
    Territory,
    TutorLanguage,
    TutorProfile,
    TutorSkill,
    User,
)
from web.models.common import utcnow
from web.services.places import load_places, places_loaded
from web.services.users import user_by_email

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never for production
DEMO_DOMAIN = "demo.tutormatch.example"
TERRITORIES = (
    ("PR", "Parma", "Emilia-Romagna", "Ciac Parma (demo)"),
    ("BG", "Bergamo", "Lombardia", "Rete Accoglienza Bergamo (demo)"),
)
TUTOR_NAMES = (
    "Giulia Rossi", "Marco Bianchi", "Francesca Romano", "Luca Colombo", "Chiara Ricci",
    "Alessandro Marino", "Sara Greco", "Matteo Bruno", "Elena Gallo", "Davide Conti",
    "Martina De Luca", "Andrea Costa", "Valentina Giordano", "Simone Mancini", "Federica Rizzo",
    "Stefano Lombardi", "Laura Moretti", "Paolo Barbieri", "Silvia Fontana", "Giorgio Santoro",
    "Anna Mariani", "Roberto Rinaldi", "Alessia Caruso", "Fabio Ferrara", "Ilaria Galli",
    "Nicola Martini", "Beatrice Leone", "Emanuele Longo", "Camilla Gentile", "Riccardo Martinelli",
    "Marta Vitale", "Tommaso Lombardo", "Noemi Serra", "Pietro Coppola", "Irene De Santis",
    "Khalid Benali", "Awa Diop", "Olena Kovalenko", "Samuel Okafor", "Hiba Mansour",
)  # fmt: skip
BENEFICIARY_NAMES = (
    "Amina", "Yonas", "Fatima", "Ibrahim", "Mariam", "Abdul", "Samira", "Tesfay", "Aisha", "Omar",
    "Hawa", "Mohammed", "Senait", "Ali", "Khadija", "Bilal", "Nour", "Yusuf", "Zainab", "Idris",
    "Farah", "Kebede", "Layla", "Moussa", "Rahel", "Hamid", "Amadou", "Salma", "Dawit", "Oksana",
)  # fmt: skip
# (first language, message language, other language) profiles seen in the programme.
BENEFICIARY_LANGUAGES = (
    ("ar", "ar", "fr"), ("ti", "ti", "en"), ("so", "en", "en"), ("fa", "fa", "en"),
    ("ps", "en", "ur"), ("ur", "en", "en"), ("bn", "en", "en"), ("wo", "fr", "fr"),
    ("uk", "uk", "en"), ("am", "en", "en"), ("fr", "fr", None), ("en", "en", None),
)  # fmt: skip
INTERESTS = (
    "calcio e corsa", "cucina e ricette", "musica e chitarra", "lettura e biblioteca",
    "giardinaggio", "bicicletta ed escursioni", "cinema", "fotografia", "informatica",
    "pallavolo", "teatro", "volontariato in parrocchia", "arte e disegno", "scacchi",
)  # fmt: skip


@dataclass
class SeedReport:
    """What seed-demo created this time (zero on a second run)."""

    territories: int = 0
    users: int = 0
    tutors: int = 0
    beneficiaries: int = 0


def _slots(rng: random.Random, count: int) -> int:
    mask = 0
    for slot in rng.sample(range(21), count):
        mask |= 1 << slot
    return mask


def _places(territory_code: str) -> list[Place]:
    return list(
        db.session.scalars(
            select(Place)
            .where(Place.province_code == territory_code)
            .order_by(Place.population.desc())
            .limit(40)
        )
    )


def _territory(
    code: str, name: str, region: str, organisation: str, report: SeedReport
) -> Territory:
    territory = db.session.scalar(select(Territory).where(Territory.code == code))
    if territory is None:
        territory = Territory(code=code, name=name, region=region, default_radius_km=25, weights={})
        db.session.add(territory)
        db.session.flush()
        db.session.add(Organisation(name=organisation, territory_id=territory.id))
        report.territories += 1
    return territory


def _user(
    email: str, role: str, name: str, territories: list[Territory], report: SeedReport
) -> User:
    user = user_by_email(email)
    if user is None:
        user = User(
            email=email, role=role, full_name=name, verified_at=utcnow(), territories=territories
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        report.users += 1
    return user


def _tutor(
    rng: random.Random, index: int, name: str, territory: Territory, report: SeedReport
) -> None:
    email = f"tutor{index:02d}@{DEMO_DOMAIN}"
    if user_by_email(email) is not None:
        return
    user = _user(email, "tutor", name, [], report)
    skills = list(load_taxonomy().skills)
    place = rng.choice(_places(territory.code)[:25])
    active = index % 8 != 7  # a few wait for vetting
    today = date.today()
    checked = today - timedelta(days=rng.randint(10, 300))
    languages = {"it": "native"} if index < 35 else {"it": rng.choice(("B2", "C1"))}
    for lang in rng.sample(("en", "fr", "es", "ar", "de", "uk", "ti", "wo"), rng.randint(0, 2)):
        languages.setdefault(lang, rng.choice(("A2", "B1", "B2", "C1", "native")))
    profile = TutorProfile(
        user=user,
        display_name=name.split()[0],
        place=place,
        territory_id=territory.id,
        max_travel_km=rng.choice((5, 10, 15, 20, 30)),
        remote_ok=rng.random() < 0.4,
        capacity=rng.choice((1, 1, 2, 2, 3)),
        availability=_slots(rng, rng.randint(3, 8)),
        interests=", ".join(rng.sample(INTERESTS, 2)),
        motivation="Voglio dare una mano nella mia città.",
        gender=rng.choice(("f", "m", "f", "m", None)),
        status="active" if active else "pending",
        training_completed_on=checked if active else None,
        background_check_on=checked if active else None,
        background_check_expires_on=checked + timedelta(days=365) if active else None,
        vetted_at=utcnow() if active else None,
        consent_version="2026-11",
        consent_at=utcnow(),
        profile_completed_at=utcnow(),
        skills=[
            TutorSkill(skill_code=code) for code in sorted(rng.sample(skills, rng.randint(3, 7)))
        ],
        languages=[TutorLanguage(lang=lang, level=level) for lang, level in languages.items()],
    )
    db.session.add(profile)
    report.tutors += 1


def _beneficiary(rng: random.Random, index: int, territory: Territory, report: SeedReport) -> None:
    seq = index + 1
    code = f"{territory.code}-{seq:04d}"
    if db.session.scalar(select(Beneficiary.id).where(Beneficiary.code == code)) is not None:
        return
    first, message, other = BENEFICIARY_LANGUAGES[index % len(BENEFICIARY_LANGUAGES)]
    languages = {first: "native", "it": rng.choice(("A1", "A2", "A2", "B1"))}
    if other and other not in languages:
        languages[other] = rng.choice(("A2", "B1", "B2"))
    skills = list(load_taxonomy().skills)
    name = BENEFICIARY_NAMES[(index * 7 + len(territory.code)) % len(BENEFICIARY_NAMES)]
    beneficiary = Beneficiary(
        territory_id=territory.id,
        seq=seq,
        code=code,
        first_name=name,
        contact_email=f"{name.lower()}.{code.lower()}@{DEMO_DOMAIN}",
        preferred_language=message,
        place=rng.choice(_places(territory.code)[:15]),
        availability=_slots(rng, rng.randint(4, 10)),
        interests=", ".join(rng.sample(INTERESTS, 1)),
        gender=rng.choice(("f", "m")),
        preferred_tutor_gender=rng.choice((None, None, None, "f")),
        remote_ok=rng.random() < 0.3,
        waiting_since=date.today() - timedelta(days=rng.randint(3, 200)),
        status="waiting",
        consent_at=utcnow(),
        consent_version="2026-11",
        needs=[
            BeneficiaryNeed(skill_code=code_, priority=rng.choice((1, 2, 3)))
            for code_ in sorted(rng.sample(skills, rng.randint(2, 4)))
        ],
        languages=[
            BeneficiaryLanguage(lang=lang, level=level, is_first=lang == first)
            for lang, level in languages.items()
        ],
    )
    db.session.add(beneficiary)
    report.beneficiaries += 1


def seed_demo(tutors: int = 40, beneficiaries: int = 30) -> SeedReport:
    """Create the demo data once; running it again changes nothing."""
    if not places_loaded():
        load_places()
    rng = random.Random(2026)  # the same demo every time
    report = SeedReport()
    territories = [_territory(*row, report=report) for row in TERRITORIES]
    _user(f"admin@{DEMO_DOMAIN}", "admin", "Admin Demo", [], report)
    for territory in territories:
        _user(f"coordinatore.{territory.name.lower()}@{DEMO_DOMAIN}", "coordinator",
              f"Coordinatore {territory.name}", [territory], report)  # fmt: skip
    db.session.flush()
    for index in range(tutors):
        _tutor(rng, index, TUTOR_NAMES[index % len(TUTOR_NAMES)], territories[index % 2], report)
    for index in range(beneficiaries):
        _beneficiary(rng, index // 2, territories[index % 2], report)
    db.session.commit()
    return report


def demo_logins() -> list[tuple[str, str]]:
    """Return (role, email) of the demo accounts to print."""
    rows = db.session.execute(
        select(User.role, User.email)
        .where(User.email.like(f"%@{DEMO_DOMAIN}"), User.role != "tutor")
        .order_by(User.role, User.email)
    )
    first_tutor = db.session.scalar(
        select(func.min(User.email)).where(User.email.like(f"tutor%@{DEMO_DOMAIN}"))
    )
    logins = [(role, email) for role, email in rows]
    if first_tutor:
        logins.append(("tutor", first_tutor))
    return logins
