"""What a finished run puts before the coordinator: the pairs it proposes, and who is left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from web.extensions import db
from web.models import Beneficiary, MatchRun, TutorProfile
from web.services.reasons import render_all

PAIRS_PER_PAGE = 30  # a coordinator reads them before publishing: short pages
UNMATCHED_SHOWN = 200  # the longest-waiting first; the rest are counted
QUIET_REASONS = {"waiting_days"}  # shown in the person's column, not among the reasons


@dataclass
class Person:
    """A beneficiary as the run's result names them."""

    id: int
    code: str
    first_name: str
    waiting_since: date | None


@dataclass
class ProposedPair:
    """The engine's choice for one person: the tutor, the score and why."""

    person: Person
    tutor_name: str
    score: float
    reasons: list[str]
    alternatives: int


@dataclass
class LeftOut:
    """Someone the run could not match, with the reasons in words."""

    person: Person
    reasons: list[str]


@dataclass
class RunResult:
    """One page of proposed pairs, the counts, and the people left out."""

    pairs: list[ProposedPair]
    pair_count: int
    alternative_count: int
    page: int
    pages: int
    first: int
    unmatched: list[LeftOut]
    unmatched_count: int


def people(ids: list[int]) -> dict[int, Person]:
    """Load the code, first name and wait of beneficiaries (a stand-in for anyone gone since)."""
    rows = db.session.execute(
        select(
            Beneficiary.id, Beneficiary.code, Beneficiary.first_name, Beneficiary.waiting_since
        ).where(Beneficiary.id.in_(ids))
    ).all()
    found = {row.id: Person(*row) for row in rows}
    return {b: found.get(b) or Person(b, f"#{b}", "", None) for b in ids}


def longest_waiting_first(ids: list[int], known: dict[int, Person]) -> list[int]:
    """Order beneficiary ids as the review page does: the longest wait first."""
    return sorted(ids, key=lambda b: (known[b].waiting_since or date.max, b))


def main_reasons(reasons: Any) -> list[str]:
    """Render a pair's reasons in words, leaving out those shown elsewhere on the page."""
    kept = [
        r for r in reasons or [] if not (isinstance(r, dict) and r.get("code") in QUIET_REASONS)
    ]
    return render_all(kept)


def run_result(run: MatchRun, page: int = 1) -> RunResult:
    """Return one page of a run's proposed pairs (longest wait first) and its unmatched people."""
    stats = run.stats or {}
    rows = stats.get("proposals") or []
    chosen = {row[0]: row for row in rows if row[2] == 0}
    alternatives: dict[int, int] = {}
    for row in rows:
        if row[2] != 0:
            alternatives[row[0]] = alternatives.get(row[0], 0) + 1
    unmatched_rows = {row[0]: row[1] for row in stats.get("unmatched") or []}
    known = people(sorted({*chosen, *unmatched_rows}))
    pages = max(1, -(-len(chosen) // PAIRS_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAIRS_PER_PAGE
    shown = longest_waiting_first(list(chosen), known)[start : start + PAIRS_PER_PAGE]
    tutors = dict(
        db.session.execute(
            select(TutorProfile.id, TutorProfile.display_name).where(
                TutorProfile.id.in_([chosen[b][1] for b in shown])
            )
        ).all()
    )
    pairs = [
        ProposedPair(
            known[b],
            tutors.get(chosen[b][1], f"#{chosen[b][1]}"),
            float(chosen[b][3]),
            main_reasons(chosen[b][5]),
            alternatives.get(b, 0),
        )
        for b in shown
    ]
    left_out = longest_waiting_first(list(unmatched_rows), known)[:UNMATCHED_SHOWN]
    return RunResult(
        pairs=pairs,
        pair_count=len(chosen),
        alternative_count=sum(alternatives.values()),
        page=page,
        pages=pages,
        first=start + 1,
        unmatched=[LeftOut(known[b], render_all(unmatched_rows[b])) for b in left_out],
        unmatched_count=len(unmatched_rows),
    )
