"""The demo as the crawl meets it: seeded data with a history, and the people who use it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from unittest import mock

from flask import Flask
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from tests.conftest import IsolatedClient, clear_rows, make_config
from web import create_app
from web.extensions import db
from web.models import Beneficiary, Match, MatchRun, Meeting, Territory, TutorProfile, User
from web.models import user as user_model
from web.services import decisions, follow, runs, tutor_matches
from web.services.demo import DEMO_PASSWORD, seed_demo
from web.services.tasks import wait_for_inprocess_tasks

ROLES = ("anonymous", "tutor_matched", "tutor_free", "coordinator_PR", "coordinator_BG", "admin")


@dataclass(frozen=True)
class Person:
    """One role of the crawl: who signs in, and which territory their objects come from."""

    role: str
    email: str | None
    territory_code: str  # the territory whose objects the role's URLs are built from
    user_id: int | None = None


def _published_run(territory: Territory, actor: User) -> MatchRun:
    """Run the engine over a territory and publish its proposals (as a coordinator does)."""
    run = runs.create_run(territory, actor.id)
    db.session.commit()
    runs.execute_run(run.id)
    run = db.session.get(MatchRun, run.id)
    assert run is not None and run.status == "done", run and run.error
    runs.publish_run(run)
    return run


def _active_match(territory: Territory, actor: User) -> Match:
    """Approve the best proposal of a territory and let its tutor accept it."""
    proposal = db.session.scalar(
        select(Match)
        .join(Beneficiary, Beneficiary.id == Match.beneficiary_id)
        .where(Beneficiary.territory_id == territory.id, Match.status == "proposed")
        .order_by(Match.rank, Match.score.desc(), Match.id)
        .limit(1)
    )
    assert proposal is not None, f"the demo run of {territory.code} proposed nobody"
    decisions.approve(proposal, actor.id)
    return tutor_matches.accept(proposal.tutor, proposal.id)


def _coordinator(territory: Territory) -> User:
    return db.session.scalars(
        select(User).where(User.role == "coordinator", User.territories.contains(territory))
    ).one()


def ensure_history(app: Flask) -> None:
    """Give each demo territory a published run, an active match and a meeting, if missing."""
    for territory in db.session.scalars(select(Territory).order_by(Territory.code)):
        coordinator = _coordinator(territory)
        in_territory = Beneficiary.territory_id == territory.id
        has_run = db.session.scalar(
            select(MatchRun.id).where(
                MatchRun.territory_id == territory.id, MatchRun.status == "published"
            )
        )
        if has_run is None:
            _published_run(territory, coordinator)
        match = db.session.scalar(
            select(Match).join(Beneficiary).where(in_territory, Match.status == "active").limit(1)
        )
        if match is None:
            match = _active_match(territory, coordinator)
        if not db.session.scalar(select(Meeting.id).where(Meeting.match_id == match.id)):
            follow.log_meeting(
                match, match.tutor.user_id, date.today() - timedelta(days=3), 60, "Curriculum"
            )
    wait_for_inprocess_tasks(app)


def seed_world(app: Flask) -> None:
    """Seed the demo exactly as `make run` does, then the history the crawl needs."""
    with app.test_request_context():
        seed_demo()
        ensure_history(app)


def people() -> dict[str, Person]:
    """Pick one person per role from the seeded demo."""
    answering = TutorProfile.id.in_(select(Match.tutor_id).where(Match.status == "approved"))
    matched = db.session.scalar(  # one with a match to answer too, if any: its form renders
        select(TutorProfile)
        .join(Match, Match.tutor_id == TutorProfile.id)
        .where(Match.status == "active")
        .order_by(answering.desc(), TutorProfile.id)
        .limit(1)
    )
    busy = select(Match.tutor_id).where(Match.status.in_(("approved", "active", "proposed")))
    free = db.session.scalar(
        select(TutorProfile)
        .where(TutorProfile.status == "active", TutorProfile.id.not_in(busy))
        .order_by(TutorProfile.id)
        .limit(1)
    )
    assert matched is not None and free is not None
    admin = db.session.scalars(select(User).where(User.role == "admin")).first()
    assert admin is not None
    codes = {row.id: row.code for row in db.session.execute(select(Territory.id, Territory.code))}
    found = {
        "anonymous": Person("anonymous", None, "PR"),
        "tutor_matched": Person(
            "tutor_matched", matched.user.email, codes[matched.territory_id], matched.user_id
        ),
        "tutor_free": Person("tutor_free", free.user.email, codes[free.territory_id], free.user_id),
        "admin": Person("admin", admin.email, "PR", admin.id),
    }
    for code in ("PR", "BG"):
        territory = db.session.scalars(select(Territory).where(Territory.code == code)).one()
        coordinator = _coordinator(territory)
        found[f"coordinator_{code}"] = Person(
            f"coordinator_{code}", coordinator.email, code, coordinator.id
        )
    return {role: found[role] for role in ROLES}


def sign_in(client, person: Person) -> None:
    """Sign in through the login form with the demo password."""
    if person.email is None:
        return
    reply = client.post("/login", data={"email": person.email, "password": DEMO_PASSWORD})
    assert reply.status_code == 302, f"{person.role} cannot sign in: {reply.status_code}"


def quick_hash(password: str, method: str = "scrypt") -> str:
    """Hash with cheap scrypt parameters: the demo's 45 accounts would take 15 s otherwise."""
    return generate_password_hash(password, method="scrypt:1024:8:1")


def crawl_app(database_url: str, **overrides: Any) -> Flask:
    """An app whose errors answer 500 pages (as in production) instead of raising."""
    app = create_app(make_config(database_url, PROPAGATE_EXCEPTIONS=False, **overrides))
    app.test_client_class = IsolatedClient
    return app


@contextmanager
def demo_world(database_url: str) -> Iterator[Flask]:
    """Seed the demo with its history once; clear every row afterwards."""
    app = crawl_app(database_url)
    with mock.patch.object(user_model, "generate_password_hash", quick_hash):
        with app.app_context():
            seed_world(app)
        try:
            yield app
        finally:
            wait_for_inprocess_tasks(app)
            clear_rows(app)
