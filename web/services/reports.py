"""Figures for the dashboard and the funder report, per territory and overall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from sqlalchemy import func, select

from web.extensions import db
from web.models import (
    Beneficiary,
    BeneficiaryNeed,
    Match,
    Meeting,
    Territory,
    TutorProfile,
    TutorSkill,
    User,
)
from web.models.matching import OPEN_MATCH_STATUSES
from web.services import audit
from web.services.scope import visible_territories
from web.services.spreadsheets import write_csv, write_xlsx

MATCHED_STATUSES = ("approved", "active", "ended")


@dataclass
class TerritoryFigures:
    """The dashboard's figures for one territory (or all of them).

    Each person is counted once, in their current stage: waiting without a proposal
    (`waiting`), with a proposal (`proposed`), in an approved or active match (`active`),
    or ended (`ended`: the record is closed, or no longer waiting after a match ended).
    """

    name: str
    code: str
    waiting: int = 0
    long_waiting: int = 0
    proposed: int = 0
    active: int = 0
    ended: int = 0
    days_to_match: list[int] = field(default_factory=list)  # per person, to their first match
    tutors_active: int = 0
    open_matches: int = 0
    capacity: int = 0
    needs_total: int = 0
    needs_covered: int = 0
    needs_missing: Counter[str] = field(default_factory=Counter)  # skill -> people needing it
    days_to_first_meeting: list[int] = field(default_factory=list)  # per person who met

    @property
    def median_days(self) -> float | None:
        return median_or_none(self.days_to_match)

    @property
    def median_days_to_first_meeting(self) -> float | None:
        return median_or_none(self.days_to_first_meeting)

    @property
    def capacity_used(self) -> float | None:
        return self.open_matches / self.capacity if self.capacity else None

    @property
    def coverage(self) -> float | None:
        return self.needs_covered / self.needs_total if self.needs_total else None

    @property
    def missing_needs(self) -> list[tuple[str, int]]:
        """Needs no active tutor offers, with how many waiting people have them, most first."""
        return sorted(self.needs_missing.items(), key=lambda item: (-item[1], item[0]))


def median_or_none(values: list[int]) -> float | None:
    """The median of some day counts, None without any."""
    return median(values) if values else None


def _start(match: Match) -> datetime | None:
    return match.accepted_at or match.decided_at


def first_meetings(territory_id: int) -> list[tuple[date, date]]:
    """(first meeting, waiting since) of each person of a territory who met a tutor."""
    first = (
        select(Match.beneficiary_id, func.min(Meeting.held_on).label("held_on"))
        .join(Meeting, Meeting.match_id == Match.id)
        .group_by(Match.beneficiary_id)
        .subquery()
    )
    rows = db.session.execute(
        select(first.c.held_on, Beneficiary.waiting_since)
        .join(Beneficiary, Beneficiary.id == first.c.beneficiary_id)
        .where(Beneficiary.territory_id == territory_id)
    )
    return [(held_on, since) for held_on, since in rows]


def days_to_first_meeting(
    territory_id: int, since: date | None = None, until: date | None = None
) -> list[int]:
    """Days each person waited for a first meeting (those first met between the dates)."""
    return [
        max((held_on - waiting).days, 0)
        for held_on, waiting in first_meetings(territory_id)
        if (since is None or held_on >= since) and (until is None or held_on <= until)
    ]


def stage(status: str, has_open_match: bool, has_proposal: bool) -> str:
    """The one current stage of a person: waiting, proposed, active or ended."""
    if has_open_match:
        return "active"
    if status == "waiting":
        return "proposed" if has_proposal else "waiting"
    return "ended"


def _count_stages(figures: TerritoryFigures, territory: Territory, today: date, long_wait: int):
    people = db.session.execute(
        select(Beneficiary.id, Beneficiary.status, Beneficiary.waiting_since).where(
            Beneficiary.territory_id == territory.id, Beneficiary.erased_at.is_(None)
        )
    ).all()
    statuses = db.session.execute(
        select(Match.beneficiary_id, Match.status)
        .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
        .where(
            Beneficiary.territory_id == territory.id,
            Match.status.in_(("proposed", *OPEN_MATCH_STATUSES)),
        )
    ).all()
    open_ids = {b for b, status in statuses if status in OPEN_MATCH_STATUSES}
    proposed_ids = {b for b, status in statuses if status == "proposed"}
    for person_id, status, waiting_since in people:
        current = stage(status, person_id in open_ids, person_id in proposed_ids)
        setattr(figures, current, getattr(figures, current) + 1)
        if status == "waiting" and (today - waiting_since).days > long_wait:
            figures.long_waiting += 1


def _days_to_first_match(territory: Territory) -> list[int]:
    """Days from waiting to the first match, per person ever matched."""
    first: dict[int, tuple[date, date]] = {}
    rows = db.session.execute(
        select(Match.beneficiary_id, Match.accepted_at, Match.decided_at, Beneficiary.waiting_since)
        .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
        .where(Beneficiary.territory_id == territory.id, Match.status.in_(MATCHED_STATUSES))
    ).all()
    for person_id, accepted, decided, since in rows:
        started = accepted or decided
        if started is not None and (person_id not in first or started.date() < first[person_id][0]):
            first[person_id] = (started.date(), since)
    return [max((started - since).days, 0) for started, since in first.values()]


def territory_figures(
    territory: Territory, today: date, long_wait_days: int = 30
) -> TerritoryFigures:
    """Compute one territory's figures."""
    figures = TerritoryFigures(territory.name, territory.code)
    _count_stages(figures, territory, today, long_wait_days)
    figures.days_to_match = _days_to_first_match(territory)
    tutors = db.session.execute(
        select(
            func.count(TutorProfile.id),
            func.sum(TutorProfile.open_matches),
            func.sum(TutorProfile.capacity),
        ).where(TutorProfile.territory_id == territory.id, TutorProfile.status == "active")
    ).one()
    figures.tutors_active, figures.open_matches, figures.capacity = (
        tutors[0] or 0,
        tutors[1] or 0,
        tutors[2] or 0,
    )
    offered = set(
        db.session.scalars(
            select(TutorSkill.skill_code)
            .join(TutorProfile, TutorSkill.tutor_id == TutorProfile.id)
            .where(TutorProfile.territory_id == territory.id, TutorProfile.status == "active")
        )
    )
    needs = db.session.scalars(
        select(BeneficiaryNeed.skill_code)
        .join(Beneficiary, BeneficiaryNeed.beneficiary_id == Beneficiary.id)
        .where(
            Beneficiary.territory_id == territory.id,
            Beneficiary.status == "waiting",
            Beneficiary.erased_at.is_(None),
        )
    ).all()
    figures.needs_total = len(needs)
    figures.needs_covered = sum(code in offered for code in needs)
    figures.needs_missing = Counter(code for code in needs if code not in offered)
    figures.days_to_first_meeting = days_to_first_meeting(territory.id)
    return figures


def combine(parts: list[TerritoryFigures], name: str) -> TerritoryFigures:
    """Add up territories' figures (the medians are taken over all their people)."""
    total = TerritoryFigures(name, "")
    for part in parts:
        for attr in (
            "waiting", "long_waiting", "proposed", "active", "ended", "tutors_active",
            "open_matches", "capacity", "needs_total", "needs_covered",
        ):  # fmt: skip
            setattr(total, attr, getattr(total, attr) + getattr(part, attr))
        total.days_to_match += part.days_to_match
        total.days_to_first_meeting += part.days_to_first_meeting
        total.needs_missing += part.needs_missing
    return total


def dashboard(
    user: User, today: date | None = None
) -> tuple[list[TerritoryFigures], TerritoryFigures]:
    """Return the figures of each visible territory and their total."""
    today = today or date.today()
    parts = [territory_figures(t, today) for t in visible_territories(user)]
    return parts, combine(parts, "")


@dataclass
class FunderRow:
    """One territory's activity in a period."""

    territory: str
    people_reached: int = 0
    tutors_involved: int = 0
    matches_started: int = 0
    matches_ended: int = 0
    meetings: int = 0
    minutes: int = 0
    days_to_first_meeting: list[int] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def median_days_to_first_meeting(self) -> float | None:
        return median_or_none(self.days_to_first_meeting)

    @property
    def chart_people(self) -> tuple[str, int]:
        return self.territory, self.people_reached

    @property
    def chart_hours(self) -> tuple[str, float]:
        return self.territory, self.hours

    def cells(self) -> tuple:
        return (
            self.territory, self.people_reached, self.tutors_involved, self.matches_started,
            self.matches_ended, self.meetings, self.hours, self.median_days_to_first_meeting,
        )  # fmt: skip


FUNDER_HEADER = (
    "territory", "people_reached", "tutors_involved", "matches_started", "matches_ended",
    "meetings", "hours", "median_days_to_first_meeting",
)  # fmt: skip


def funder_report(user: User, since: date, until: date) -> list[FunderRow]:
    """Activity per visible territory between two dates (inclusive), with a total row last."""
    rows: list[FunderRow] = []
    for territory in visible_territories(user):
        row = FunderRow(f"{territory.code} {territory.name}")
        matches = db.session.scalars(
            select(Match)
            .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
            .where(Beneficiary.territory_id == territory.id, Match.status.in_(MATCHED_STATUSES))
        ).all()
        people, tutors = set(), set()
        for match in matches:
            started = _start(match)
            if started is None:
                continue
            start_day = started.date()
            end_day = match.ended_at.date() if match.ended_at else None
            if since <= start_day <= until:
                row.matches_started += 1
            if end_day and since <= end_day <= until:
                row.matches_ended += 1
            if start_day <= until and (end_day is None or end_day >= since):
                people.add(match.beneficiary_id)
                tutors.add(match.tutor_id)
        row.people_reached, row.tutors_involved = len(people), len(tutors)
        meetings = db.session.execute(
            select(func.count(Meeting.id), func.sum(Meeting.duration_minutes))
            .join(Match, Meeting.match_id == Match.id)
            .join(Beneficiary, Match.beneficiary_id == Beneficiary.id)
            .where(
                Beneficiary.territory_id == territory.id,
                Meeting.held_on >= since,
                Meeting.held_on <= until,
            )
        ).one()
        row.meetings, row.minutes = meetings[0] or 0, meetings[1] or 0
        row.days_to_first_meeting = days_to_first_meeting(territory.id, since, until)
        rows.append(row)
    total = FunderRow("TOTAL")
    for row in rows:
        for attr in (
            "people_reached",
            "tutors_involved",
            "matches_started",
            "matches_ended",
            "meetings",
            "minutes",
            "days_to_first_meeting",
        ):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    return [*rows, total]


def funder_file(user: User, since: date, until: date, file_format: str) -> bytes:
    """Build the funder report file (aggregated figures; the download is audited)."""
    rows = funder_report(user, since, until)
    audit.record(
        "export",
        "funder_report",
        None,
        since=since.isoformat(),
        until=until.isoformat(),
        format=file_format,
    )
    db.session.commit()
    cells = [row.cells() for row in rows]
    if file_format == "xlsx":
        period = [("from", since.isoformat()), ("to", until.isoformat())]
        return write_xlsx(
            [("report", FUNDER_HEADER, cells), ("period", ("field", "value"), period)]
        )
    return write_csv(FUNDER_HEADER, cells)
