"""Matching runs: start one, execute it with live progress (in a worker), publish it."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

import matching
from web.extensions import db
from web.models import Beneficiary, Match, MatchRun, Territory, TutorProfile
from web.models.common import utcnow
from web.services import audit, engine_io
from web.services.errors import ServiceError
from web.services.reasons import as_json
from web.services.tasks import enqueue

log = logging.getLogger(__name__)
RUN_TASK = "matching.run"
DRY_RUN_TASK = "matching.dry_run_territory"
# Phases a coordinator sees, each with the share of the bar it fills.
PHASES = {
    "loading": (0.0, 0.1),
    "candidates": (0.1, 0.35),
    "scoring": (0.35, 0.6),
    "assignment": (0.6, 0.9),
    "saving": (0.9, 1.0),
}
ENGINE_PHASES = {
    "candidates": "candidates",
    "scoring": "scoring",
    "assignment": "assignment",
    "explain": "assignment",
}
ACTIVE_STATUSES = ("queued", "running")
STALE_RUNNING = timedelta(minutes=30)  # a run "running" this long lost its worker


class ProgressWriter:
    """Write a run's phase and progress in short transactions, at most every `interval` s."""

    def __init__(self, run_id: int, interval: float = 0.5) -> None:
        self.run_id, self.interval = run_id, interval
        self.phase, self.value, self.written_at = "", 0.0, 0.0
        self.phases: dict[str, float] = {}

    def __call__(self, phase: str, fraction: float) -> None:
        """Map an engine (or own) phase report onto the bar and store it when due."""
        name = ENGINE_PHASES.get(phase, phase)
        if name == "candidates" and self.phase == "scoring":
            name = "scoring"  # the engine reports both at once: show the later one
        start, end = PHASES.get(name, (self.value, self.value))
        if phase == "explain":
            start = (start + end) / 2
        value = max(self.value, start + (end - start) * min(max(fraction, 0.0), 1.0))
        changed = name != self.phase
        self.phases.setdefault(name, time.perf_counter())
        self.phase, self.value = name, value
        if changed or time.perf_counter() - self.written_at >= self.interval:
            self.write()

    def write(self) -> None:
        """Commit the current phase and progress so the run page sees them."""
        db.session.execute(
            update(MatchRun)
            .where(MatchRun.id == self.run_id)
            .values(phase=self.phase, progress=round(min(self.value, 1.0), 4))
        )
        db.session.commit()
        self.written_at = time.perf_counter()


def active_run(territory_id: int) -> MatchRun | None:
    """The territory's queued or running run, if any."""
    return db.session.scalar(
        select(MatchRun)
        .where(MatchRun.territory_id == territory_id, MatchRun.status.in_(ACTIVE_STATUSES))
        .order_by(MatchRun.id.desc())
        .limit(1)
    )


def create_run(territory: Territory, actor_id: int | None) -> MatchRun:
    """Add a queued dry run for a territory (the caller commits)."""
    weights = engine_io.territory_weights(territory)
    run = MatchRun(
        territory_id=territory.id,
        created_by_id=actor_id,
        dry_run=True,
        status="queued",
        phase="queued",
        progress=0.0,
        weights=weights.to_dict(),
        stats={},
    )
    db.session.add(run)
    db.session.flush()
    return run


def start_run(territory: Territory, actor_id: int | None) -> MatchRun:
    """Queue a dry run for a territory (or return the one already under way)."""
    current = active_run(territory.id)
    if current is not None and current.created_at > utcnow() - STALE_RUNNING:
        return current
    try:
        run = create_run(territory, actor_id)
    except ValueError as exc:  # the territory's weight overrides are invalid
        raise ServiceError(
            _("The matching weights of this territory are invalid: %(error)s", error=str(exc))
        ) from exc
    audit.record("match_run_started", "match_run", run.id, territory_id=territory.id)
    db.session.commit()
    if not enqueue(RUN_TASK, run.id):
        run.status, run.phase, run.finished_at = "failed", "queued", utcnow()
        run.error = _("The task service is unreachable: try again in a few minutes.")
        db.session.commit()
    return run


def claim_run(run_id: int) -> bool:
    """Move a run from queued (or lost while running) to running; False if someone else has it."""
    claimed = db.session.execute(
        update(MatchRun)
        .where(
            MatchRun.id == run_id,
            (MatchRun.status == "queued")
            | ((MatchRun.status == "running") & (MatchRun.started_at < utcnow() - STALE_RUNNING)),
        )
        .values(status="running", phase="loading", progress=0.0, started_at=utcnow(), error=None)
    )
    db.session.commit()
    return claimed.rowcount == 1


def execute_run(run_id: int) -> str:
    """Run the engine for a queued run, writing progress; store KPIs and the dry-run proposals."""
    if not claim_run(run_id):
        return "skipped"
    writer = ProgressWriter(run_id)
    try:
        writer("loading", 0.0)
        tick = time.perf_counter()
        run = db.session.get(MatchRun, run_id)
        assert run is not None
        territory = db.session.get(Territory, run.territory_id)
        assert territory is not None
        data = engine_io.territory_input(territory)
        loading = time.perf_counter() - tick
        db.session.commit()  # end the read transaction: the engine works on plain records
        writer("loading", 1.0)
        result = matching.match(
            data.tutors,
            data.beneficiaries,
            weights=data.weights,
            now=data.now,
            exclude=data.exclude,
            progress=writer,
        )
        writer("saving", 0.0)
        tick = time.perf_counter()
        stats = run_stats(territory.id, data, result)
        stats["seconds"] = {"loading": round(loading, 4), **result.stats.phase_seconds}
        run = db.session.get(MatchRun, run_id)
        assert run is not None
        run.stats = stats
        run.status, run.phase, run.progress, run.finished_at = "done", "saving", 1.0, utcnow()
        stats["seconds"]["saving"] = round(time.perf_counter() - tick, 4)
        stats["phases"] = list(writer.phases)
        run.stats = dict(stats)
        db.session.commit()
        return "done"
    except Exception as exc:
        db.session.rollback()
        log.exception("match run %s failed", run_id)
        db.session.execute(
            update(MatchRun)
            .where(MatchRun.id == run_id)
            .values(
                status="failed",
                finished_at=utcnow(),
                error=f"{exc.__class__.__name__}: {exc}"[:500],
            )
        )
        db.session.commit()
        return "failed"


def run_stats(territory_id: int, data: engine_io.TerritoryInput, result: matching.MatchResult):
    """KPIs of a dry run, plus its proposals and unmatched reasons in compact JSON."""
    engine = result.stats
    capacity, used = db.session.execute(
        select(
            func.coalesce(func.sum(TutorProfile.capacity), 0),
            func.coalesce(func.sum(TutorProfile.open_matches), 0),
        ).where(TutorProfile.territory_id == territory_id, TutorProfile.status == "active")
    ).one()
    proposals = [*result.assignment, *(p for alts in result.alternatives.values() for p in alts)]
    return {
        "kpis": {
            "beneficiaries": engine.beneficiaries,
            "tutors": engine.tutors,
            "would_match": engine.matched,
            "unmatched": engine.unmatched,
            "average_score": round(engine.total_score / engine.matched, 4)
            if engine.matched
            else 0.0,
            "average_waiting_days": round(engine.mean_waiting_days_matched, 1),
            "average_waiting_days_unmatched": round(engine.mean_waiting_days_unmatched, 1),
            "coverage": round(engine.coverage, 4),
            "capacity": int(capacity),
            "capacity_used": int(used),
            "capacity_used_after": int(used) + engine.matched,
            "pairs_considered": engine.pairs_considered,
            "feasible_pairs": engine.feasible_pairs,
        },
        "proposals": [
            [
                p.beneficiary_id,
                p.tutor_id,
                p.rank,
                p.score,
                [p.components.get(name, 0.0) for name in matching.COMPONENTS],
                as_json(p.reasons),
            ]
            for p in proposals
        ],
        "unmatched": [[b, as_json(reasons)] for b, reasons in sorted(result.unmatched.items())],
    }


def proposal_match(run_id: int | None, row: list[Any], rank: int) -> Match:
    """Build a proposed Match from a stored dry-run proposal row."""
    beneficiary_id, tutor_id, _rank, score, parts, reasons = row
    return Match(
        run_id=run_id,
        beneficiary_id=beneficiary_id,
        tutor_id=tutor_id,
        rank=rank,
        score=min(max(float(score), 0.0), 1.0),
        components=dict(zip(matching.COMPONENTS, parts, strict=False)),
        reasons=reasons,
        status="proposed",
    )


def publish_run(run: MatchRun) -> dict[str, int]:
    """Turn a finished dry run into proposals, skipping pairs no longer feasible; idempotent."""
    if run.status == "published":
        return {"created": 0, "skipped": 0, "superseded": 0, "already": 1}
    claimed = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run.id, MatchRun.status == "done")
        .values(status="published", published_at=utcnow(), dry_run=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(run)
        if run.status == "published":
            return {"created": 0, "skipped": 0, "superseded": 0, "already": 1}
        raise ServiceError(_("Only a finished run can be published."))
    rows = (run.stats or {}).get("proposals") or []
    beneficiary_ids = sorted({row[0] for row in rows})
    tutor_ids = sorted({row[1] for row in rows})
    waiting = set(
        db.session.scalars(
            select(Beneficiary.id).where(
                Beneficiary.id.in_(beneficiary_ids),
                Beneficiary.status == "waiting",
                Beneficiary.territory_id == run.territory_id,
                Beneficiary.erased_at.is_(None),
            )
        )
    )
    free = set(
        db.session.scalars(
            select(TutorProfile.id).where(
                TutorProfile.id.in_(tutor_ids),
                TutorProfile.status == "active",
                TutorProfile.open_matches < TutorProfile.capacity,
            )
        )
    )
    excluded = engine_io.excluded_pairs(beneficiary_ids=beneficiary_ids)
    fresh: list[Match] = []
    skipped = 0
    next_rank: dict[int, int] = {}
    for row in sorted(rows, key=lambda r: (r[0], r[2])):
        beneficiary_id, tutor_id = row[0], row[1]
        feasible = beneficiary_id in waiting and tutor_id in free
        if not feasible or (beneficiary_id, tutor_id) in excluded:
            skipped += 1
            continue
        rank = next_rank.get(beneficiary_id, 0)
        next_rank[beneficiary_id] = rank + 1
        fresh.append(proposal_match(run.id, row, rank))
    # Undecided proposals of older runs for these people give way to the new ones.
    superseded = db.session.execute(
        update(Match)
        .where(
            Match.beneficiary_id.in_(sorted(next_rank)),
            Match.status == "proposed",
            (Match.run_id.is_(None)) | (Match.run_id != run.id),
        )
        .values(status="superseded", decided_at=utcnow())
    ).rowcount
    db.session.add_all(fresh)
    created = len(fresh)
    counts = {"created": created, "skipped": skipped, "superseded": superseded, "already": 0}
    audit.record(
        "match_run_published",
        "match_run",
        run.id,
        territory_id=run.territory_id,
        created=created,
        skipped=skipped,
        superseded=superseded,
    )
    db.session.commit()
    return counts


def dry_run_territory(territory_id: int) -> str:
    """Create and execute a dry run for a territory (nightly job); skip if one is under way."""
    territory = db.session.get(Territory, territory_id)
    if territory is None or not territory.active:
        return "skipped"
    current = active_run(territory_id)
    if current is not None and current.created_at > utcnow() - STALE_RUNNING:
        return "skipped"
    run = create_run(territory, None)
    db.session.commit()
    return execute_run(run.id)
