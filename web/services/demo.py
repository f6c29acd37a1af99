"""Fictitious demo data: two territories, coordinators, tutors, beneficiaries and a history.

People are inserted as registered and vetted in the past (the registration and vetting
services would start incremental matching on a background thread, which a history written
step by step cannot have); what happened to them next is written by the real services
in demo_history.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import exists, func, select

from config.taxonomy import load_taxonomy
from web.extensions import db
from web.models import (
    Beneficiary,
    BeneficiaryLanguage,
    BeneficiaryNeed,
    Match,
    Meeting,
    Organisation,
    Place,
    Territory,
    TutorLanguage,
    TutorProfile,
    TutorSkill,
    User,
)
from web.services import demo_history
from web.services.demo_history import moment
from web.services.places import load_places, places_loaded
from web.services.tutor_matches import SHOWN_STATUSES
from web.services.users import user_by_email

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never for production
DEMO_DOMAIN = "demo.tutormatch.example"
TERRITORIES = (
    ("PR", "Parma", "Emilia-Romagna", "Ciac Parma (demo)"),
    ("BG", "Bergamo", "Lombardia", "Rete Accoglienza Bergamo (demo)"),
)
# The person each territory's emails name (name, email, phone), as its settings page sets.
CONTACTS = {
    "PR": ("Chiara Ferrari", f"accoglienza.parma@{DEMO_DOMAIN}", "+39 0521 123456"),
    "BG": ("Luca Bonetti", f"accoglienza.bergamo@{DEMO_DOMAIN}", "+39 035 654321"),
}
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
    runs: int = 0
    decisions: int = 0
    meetings: int = 0


class DemoAccount(NamedTuple):
    """A demo login worth trying, and what makes it interesting."""

    role: str
    email: str
    note: str = ""


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


@cache
def _password_hash() -> str:
    """Hash the shared demo password once: scrypt takes 0.2 s on purpose, per account."""
    account = User()
    account.set_password(DEMO_PASSWORD)
    assert account.password_hash is not None
    return account.password_hash


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
    if not territory.contact_email:  # a contact someone set on the settings page stays
        name, email, phone = CONTACTS[code]
        territory.contact_name, territory.contact_email, territory.contact_phone = (
            name,
            email,
            phone,
        )
    return territory


def _user(
    email: str,
    role: str,
    name: str,
    territories: list[Territory],
    report: SeedReport,
    joined: date,
) -> User:
    user = user_by_email(email)
    if user is None:
        since = moment(joined, 9)
        user = User(
            email=email,
            role=role,
            full_name=name,
            verified_at=since,
            created_at=since,
            territories=territories,
            password_hash=_password_hash(),  # the same password for every demo account
        )
        db.session.add(user)
        report.users += 1
    return user


def _tutor(
    rng: random.Random,
    index: int,
    name: str,
    territory: Territory,
    coordinator: User,
    report: SeedReport,
) -> None:
    email = f"tutor{index:02d}@{DEMO_DOMAIN}"
    if user_by_email(email) is not None:
        return
    skills = list(load_taxonomy().skills)
    place = rng.choice(_places(territory.code)[:25])
    active = index % 16 not in (13, 14)  # two per territory signed up lately, wait for vetting
    today = date.today()
    checked = today - timedelta(days=rng.randint(100, 330))  # vetted before the first run
    joined = checked - timedelta(days=21) if active else today - timedelta(days=2 + index % 9)
    user = _user(email, "tutor", name, [], report, joined)
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
        vetted_by_id=coordinator.id if active else None,
        vetted_at=moment(checked + timedelta(days=2), 11) if active else None,
        consent_version="2026-11",
        consent_at=moment(joined, 9, 5),
        profile_completed_at=moment(joined, 9, 40),
        created_at=moment(joined, 9, 5),
        skills=[
            TutorSkill(skill_code=code) for code in sorted(rng.sample(skills, rng.randint(3, 7)))
        ],
        languages=[TutorLanguage(lang=lang, level=level) for lang, level in languages.items()],
    )
    db.session.add(profile)
    report.tutors += 1


def _beneficiary(
    rng: random.Random, index: int, territory: Territory, coordinator: User
) -> Beneficiary | None:
    """Build (not add) a demo beneficiary; None when it exists already."""
    seq = index + 1
    code = f"{territory.code}-{seq:04d}"
    if db.session.scalar(select(Beneficiary.id).where(Beneficiary.code == code)) is not None:
        return None
    first, message, other = BENEFICIARY_LANGUAGES[index % len(BENEFICIARY_LANGUAGES)]
    languages = {first: "native", "it": rng.choice(("A1", "A2", "A2", "B1"))}
    if other and other not in languages:
        languages[other] = rng.choice(("A2", "B1", "B2"))
    skills = list(load_taxonomy().skills)
    name = BENEFICIARY_NAMES[(index * 7 + len(territory.code)) % len(BENEFICIARY_NAMES)]
    waiting_since = date.today() - timedelta(days=rng.randint(3, 200))
    return Beneficiary(
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
        waiting_since=waiting_since,
        status="waiting",
        consent_collected_by_id=coordinator.id,
        consent_at=moment(waiting_since, 10),
        consent_version="2026-11",
        created_at=moment(waiting_since, 10),
        needs=[
            BeneficiaryNeed(skill_code=code_, priority=rng.choice((1, 2, 3)))
            for code_ in sorted(rng.sample(skills, rng.randint(2, 4)))
        ],
        languages=[
            BeneficiaryLanguage(lang=lang, level=level, is_first=lang == first)
            for lang, level in languages.items()
        ],
    )


def _territory_with_history(
    territory: Territory, coordinator: User, people: list[Beneficiary], report: SeedReport
) -> None:
    """Register the territory's people in the order they arrived, matching them as they come.

    The first run sees only those waiting by its day; the others arrive later and meet
    the latest run. A territory that already has runs gets no second history.
    """
    new_history = not demo_history.written(territory)
    first_day = demo_history.first_run_day()
    early = [person for person in people if person.waiting_since < first_day]
    for cohort, chapter in (
        (early, demo_history.first_chapter),
        ([person for person in people if person not in early], demo_history.latest_chapter),
    ):
        db.session.add_all(cohort)
        db.session.commit()
        report.beneficiaries += len(cohort)
        if new_history:
            tally = chapter(territory, coordinator)
            report.runs += tally["runs"]
            report.decisions += tally["decisions"]
            report.meetings += tally["meetings"]


def seed_demo(tutors: int = 40, beneficiaries: int = 30) -> SeedReport:
    """Create the demo data and its history once; running it again changes nothing."""
    if not places_loaded():
        load_places()
    rng = random.Random(2026)  # the same demo every time
    report = SeedReport()
    territories = [_territory(*row, report=report) for row in TERRITORIES]
    started = date.today() - timedelta(days=400)  # when the programme began
    _user(f"admin@{DEMO_DOMAIN}", "admin", "Admin Demo", [], report, started)
    coordinators = [
        _user(f"coordinatore.{territory.name.lower()}@{DEMO_DOMAIN}", "coordinator",
              f"Coordinatore {territory.name}", [territory], report, started)
        for territory in territories
    ]  # fmt: skip
    db.session.flush()
    for index in range(tutors):
        side = index % 2
        name = TUTOR_NAMES[index % len(TUTOR_NAMES)]
        _tutor(rng, index, name, territories[side], coordinators[side], report)
    people: list[list[Beneficiary]] = [[] for _ in territories]
    for index in range(beneficiaries):
        side = index % 2
        person = _beneficiary(rng, index // 2, territories[side], coordinators[side])
        if person is not None:
            people[side].append(person)
    db.session.commit()
    for territory, coordinator, mine in zip(territories, coordinators, people, strict=True):
        _territory_with_history(territory, coordinator, mine, report)
    return report


def _demo_tutor(*conditions, most_meetings: bool = False) -> str | None:
    """Return the first demo tutor's email meeting the conditions (or the busiest one)."""
    query = (
        select(User.email)
        .join(TutorProfile, TutorProfile.user_id == User.id)
        .where(User.email.like(f"%@{DEMO_DOMAIN}"), *conditions)
        .group_by(User.email)
        .limit(1)
    )
    if most_meetings:
        query = (
            query.join(Match, Match.tutor_id == TutorProfile.id)
            .outerjoin(Meeting, Meeting.match_id == Match.id)
            .order_by(func.count(Meeting.id).desc(), User.email)
        )
    else:
        query = query.order_by(User.email)
    return db.session.scalar(query)


def demo_accounts() -> list[DemoAccount]:
    """Return the demo logins to print: admin, coordinators, tutors in three situations."""
    staff = db.session.execute(
        select(User.role, User.email)
        .where(User.email.like(f"%@{DEMO_DOMAIN}"), User.role != "tutor")
        .order_by(User.role, User.email)
    )
    accounts = [DemoAccount(role, email) for role, email in staff]

    def has_match(status: str | tuple[str, ...]):
        statuses = (status,) if isinstance(status, str) else status
        return exists().where(Match.tutor_id == TutorProfile.id, Match.status.in_(statuses))

    tutors = (
        ("with an active match", _demo_tutor(Match.status == "active", most_meetings=True)),
        ("with a match to answer", _demo_tutor(has_match("approved"))),
        ("vetted, without a match", _demo_tutor(
            TutorProfile.status == "active", ~has_match(SHOWN_STATUSES))),
    )  # fmt: skip
    accounts += [DemoAccount("tutor", email, note) for note, email in tutors if email]
    return accounts


def demo_logins() -> list[tuple[str, str]]:
    """Return (role, email) of the demo accounts to print."""
    return [(account.role, account.email) for account in demo_accounts()]
