"""Periodic jobs that start other work: each period of each job is claimed only once."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from web.extensions import db
from web.models import Beneficiary, ScheduledJobClaim, Territory
from web.models.common import utcnow
from web.services.tasks import enqueue

log = logging.getLogger(__name__)
DRY_RUN_TASK = "matching.dry_run_territory"  # written with the matching engine


def claim_period(key: str) -> bool:
    """Record that a job ran for this period; False when it already had (a second beat)."""
    db.session.add(ScheduledJobClaim(key=key))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def release_period(key: str) -> None:
    """Forget a claim whose work could not be started, so the next tick tries again."""
    db.session.execute(delete(ScheduledJobClaim).where(ScheduledJobClaim.key == key))
    db.session.commit()


def territories_with_waiting_beneficiaries() -> list[int]:
    """List the active territories where someone is waiting for a tutor."""
    waiting = (
        select(Beneficiary.territory_id)
        .where(Beneficiary.status == "waiting", Beneficiary.erased_at.is_(None))
        .distinct()
    )
    return list(
        db.session.scalars(
            select(Territory.id)
            .where(Territory.active.is_(True), Territory.id.in_(waiting))
            .order_by(Territory.id)
        )
    )


def start_nightly_dry_runs(night: date | None = None) -> int:
    """Queue one dry run per territory with waiting beneficiaries, at most once a night."""
    night = night or utcnow().date()
    started = 0
    for territory_id in territories_with_waiting_beneficiaries():
        key = f"dry-run:{territory_id}:{night.isoformat()}"
        if not claim_period(key):
            continue
        if enqueue(DRY_RUN_TASK, territory_id):
            started += 1
        else:
            release_period(key)
            log.warning("nightly dry run for territory %s not queued", territory_id)
    return started
