"""The demo's history: two matching runs per territory and what people did with them since.

Every step goes through the service a coordinator or a tutor would use: run and publish,
approve, reject, accept, decline, log a meeting, end a match. Services stamp "now", so each
step runs inside `as_of(moment)`, which afterwards moves every time-stamp the step wrote
(runs, matches, meetings, audit events, emails) to that past moment: the demo reads as ten
weeks of real work, dates in order (registered → proposed → decided → accepted → met → ended).

Emails the steps write stay in the outbox as history, cancelled as demo history: they describe
events of weeks ago and go to fictitious addresses, so no worker may send them later, yet an
admin can still read each one in the outbox and the dev mailbox.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select, update

from config.taxonomy import load_taxonomy
from web.extensions import db
from web.models import (
    AuditEvent,
    Beneficiary,
    Match,
    MatchRun,
    Meeting,
    Notification,
    Territory,
    User,
)
from web.models.common import utcnow
from web.services import decisions, follow, runs, tutor_matches
from web.services.notifications import kept_unsent

FIRST_RUN_DAYS_AGO = 70
LATEST_RUN_DAYS_AGO = 2
# Time-stamps a step may write, moved to the step's moment afterwards.
STAMPED = (
    (MatchRun, ("created_at", "started_at", "finished_at", "published_at")),
    (Match, ("created_at", "decided_at", "accepted_at", "ended_at")),
    (Meeting, ("created_at",)),
    (Beneficiary, ("closed_at",)),
    (AuditEvent, ("at",)),
    (Notification, ("created_at", "next_attempt_at")),
)
MINUTES = (60, 90, 45, 120, 75)


@dataclass(frozen=True)
class Plan:
    """What becomes of one of the first run's proposals."""

    fate: str  # active, stale (no meeting for weeks), ended, rejected, declined
    every_days: int = 7
    outcome: str = ""
    reason: str = ""
    ended_days_ago: int = 0
    afterwards: str = "waiting"  # the person's status once the match ended


# In the order of the proposals (by beneficiary); proposals past the list become active.
PLANS = (
    Plan("active", 7),
    Plan("ended", 7, "goals_reached", "Ha trovato lavoro e una casa.", 20, "closed"),
    Plan("stale", 10),
    Plan("rejected"),
    Plan("active", 14),
    Plan("declined"),
    Plan("ended", 14, "not_working", "Orari sempre incompatibili: meglio un'altra persona.", 40),
    Plan("active", 10),
)


def moment(day: date, hour: int, minute: int = 0) -> datetime:
    """Return a time of day (UTC) on a date."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def first_run_day() -> date:
    """The day of the first run: people waiting since before it take part in it."""
    return date.today() - timedelta(days=FIRST_RUN_DAYS_AGO)


def written(territory: Territory) -> bool:
    """Tell whether the territory already has a history (any run)."""
    run_id = db.session.scalar(select(MatchRun.id).where(MatchRun.territory_id == territory.id))
    return run_id is not None


@contextmanager
def as_of(when: datetime, actor_id: int | None) -> Iterator[None]:
    """Let services work now, then move what they stamped to `when`, done by `actor_id`."""
    started = utcnow()
    yield
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.at >= started)
        .values(actor_id=actor_id, ip=None)  # the seeding runs in a made-up request
    )
    shift = when - started
    for model, names in STAMPED:
        for name in names:
            column = getattr(model, name)
            rows = db.session.execute(select(model.id, column).where(column >= started)).all()
            for row_id, value in rows:
                db.session.execute(
                    update(model).where(model.id == row_id).values({name: value + shift})
                )
    db.session.expire_all()  # committed with the next step (one commit less per step)


@contextmanager
def as_history() -> Iterator[None]:
    """Build e-mail links from the public URL and keep the steps' emails unsent."""
    base_url = current_app.config["PUBLIC_URL"]
    with current_app.test_request_context(base_url=base_url), kept_unsent("demo_history"):
        yield


def _run(territory: Territory, coordinator: User, day: date) -> MatchRun:
    """Run the engine over the territory and publish its proposals, on the given day."""
    with as_of(moment(day, 8, 30), coordinator.id):
        run = runs.create_run(territory, coordinator.id)
        db.session.commit()
        runs.execute_run(run.id)
    run = db.session.get_one(MatchRun, run.id)
    with as_of(moment(day, 9, 15), coordinator.id):
        runs.publish_run(run)
    return db.session.get_one(MatchRun, run.id)


def _choices(run: MatchRun) -> list[Match]:
    """The engine's assignment in a published run (not the alternatives), by person."""
    assigned = {(row[0], row[1]) for row in (run.stats or {}).get("proposals", []) if row[2] == 0}
    proposals = db.session.scalars(
        select(Match)
        .where(Match.run_id == run.id, Match.status == "proposed")
        .order_by(Match.beneficiary_id, Match.rank)
    )
    return [match for match in proposals if (match.beneficiary_id, match.tutor_id) in assigned]


def _topics(match: Match) -> list[str]:
    """What a tutor would write as a meeting's topic: the needs they cover, in Italian."""
    skills = load_taxonomy().skills
    offered = {skill.skill_code for skill in match.tutor.skills}
    covered = [need.skill_code for need in match.beneficiary.needs if need.skill_code in offered]
    return [skills[code].label("it") for code in covered if code in skills] or [
        "Conversazione in italiano"
    ]


def _meeting_days(first: date, last: date, every_days: int) -> list[date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day += timedelta(days=every_days)
    return days


def _follow(
    match: Match, plan: Plan, index: int, decided: date, coordinator: User, tally: Counter
) -> None:
    """Let the tutor accept, meet on the plan's rhythm, and the coordinator end it if due."""
    today = date.today()
    tutor = match.tutor
    accepted = decided + timedelta(days=1 + index % 2)
    with as_of(moment(accepted, 18) + timedelta(minutes=index), tutor.user_id):
        tutor_matches.accept(tutor, match.id)
    if plan.fate == "ended":
        ended = today - timedelta(days=plan.ended_days_ago)
        last = ended - timedelta(days=3)
    elif plan.fate == "stale":
        ended, last = None, today - timedelta(days=36)  # past the follow-up flag (3 weeks)
    else:
        # The latest meeting is recent, and in this year so the funder report has figures.
        ended, last = None, max(today - timedelta(days=1 + index % 5), date(today.year, 1, 1))
    topics = _topics(match)
    days = _meeting_days(accepted + timedelta(days=4 + index % 4), last, plan.every_days)
    for number, day in enumerate(days):
        with as_of(moment(day, 19, 30), tutor.user_id):
            follow.log_meeting(
                match,
                tutor.user_id,
                day,
                MINUTES[(index + number) % len(MINUTES)],
                topics[number % len(topics)],
            )
    tally["meetings"] += len(days)
    if ended is not None:
        with as_of(moment(ended, 16), coordinator.id):
            follow.end_match(match, coordinator.id, plan.outcome, plan.reason, plan.afterwards)


def first_chapter(territory: Territory, coordinator: User) -> Counter:
    """Ten weeks ago: a run, the coordinator's decisions, tutors' answers, then meetings."""
    tally: Counter = Counter()
    day = first_run_day()
    with as_history():
        run = _run(territory, coordinator, day)
        tally["runs"] += 1
        for index, match in enumerate(_choices(run)):
            plan = PLANS[index] if index < len(PLANS) else Plan("active", 7 + 3 * (index % 3))
            decided = day + timedelta(days=1 + index % 3)
            with as_of(moment(decided, 9, 30) + timedelta(minutes=index), coordinator.id):
                if plan.fate == "rejected":
                    decisions.reject(match, coordinator.id, "availability", "")
                else:
                    decisions.approve(match, coordinator.id)
            tally["decisions"] += 1
            if plan.fate == "declined":
                with as_of(moment(decided + timedelta(days=2), 20), match.tutor.user_id):
                    tutor_matches.decline(
                        match.tutor, match.id, "In questo periodo il lavoro non me lo permette."
                    )
            elif plan.fate != "rejected":
                _follow(match, plan, index, decided, coordinator, tally)
        db.session.commit()
    return tally


def latest_chapter(territory: Territory, coordinator: User) -> Counter:
    """Two days ago: a run over everyone waiting now; one proposal approved yesterday."""
    tally: Counter = Counter()
    with as_history():
        run = _run(territory, coordinator, date.today() - timedelta(days=LATEST_RUN_DAYS_AGO))
        tally["runs"] += 1
        choices = _choices(run)
        if len(choices) > 1:  # keep the others waiting for the coordinator's review
            yesterday = date.today() - timedelta(days=1)
            with as_of(moment(yesterday, 10), coordinator.id):
                decisions.approve(choices[0], coordinator.id)
            tally["decisions"] += 1
        db.session.commit()
    return tally
