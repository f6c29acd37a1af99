"""Matching tasks: thin wrappers that take ids and call the matching services."""

from __future__ import annotations

from celery import shared_task

from web.services import incremental, runs


@shared_task(name=runs.RUN_TASK, acks_late=True, reject_on_worker_lost=True)
def run_matching(run_id: int) -> str:
    """Execute a queued matching run (dry run with progress)."""
    return runs.execute_run(run_id)


@shared_task(name=runs.DRY_RUN_TASK, acks_late=True, reject_on_worker_lost=True)
def dry_run_territory(territory_id: int) -> str:
    """Start and execute a dry run for one territory (the nightly job)."""
    return runs.dry_run_territory(territory_id)


@shared_task(name=incremental.TUTOR_TASK)
def incremental_tutor(tutor_profile_id: int) -> int:
    """Propose a newly active tutor to waiting beneficiaries."""
    return incremental.propose_for_tutor(tutor_profile_id)


@shared_task(name=incremental.BENEFICIARY_TASK)
def incremental_beneficiary(beneficiary_id: int) -> int:
    """Propose tutors to a newly registered beneficiary."""
    return incremental.propose_for_beneficiary(beneficiary_id)
