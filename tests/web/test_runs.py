"""Matching runs as a coordinator uses them: run, watch the progress, read KPIs, publish."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.web.matching_helpers import login, parma_with_people, run_to_done
from web.extensions import db
from web.models import AuditEvent, Match, MatchRun


def proposed_pairs() -> list[tuple[int, int, int]]:
    """(beneficiary, tutor, rank) of the proposals waiting for a decision."""
    rows = db.session.execute(
        select(Match.beneficiary_id, Match.tutor_id, Match.rank).where(Match.status == "proposed")
    )
    return sorted(tuple(row) for row in rows)


def test_run_goes_through_every_phase_and_shows_kpis(app, client):
    """Does a run record its phases, finish at 100 % and show KPIs and a publish button?"""
    parma, coordinator, _, _ = parma_with_people()
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    run = db.session.get(MatchRun, run_id)
    assert run.status == "done" and run.progress == 1.0
    assert run.stats["phases"] == ["loading", "candidates", "scoring", "assignment", "saving"]
    assert run.stats["kpis"]["would_match"] == 2 and run.stats["kpis"]["capacity"] == 4
    assert {"loading", "assignment", "saving"} <= run.stats["seconds"].keys()
    assert client.get(f"/runs/{run_id}/progress").json == {
        "finished": True,
        "phase": "saving",
        "progress": 1.0,
        "status": "done",
    }
    page = client.get(f"/runs/{run_id}").text
    assert "people would be matched" in page and "Publish the proposals" in page
    assert proposed_pairs() == []  # a dry run proposes nothing yet


def test_queued_run_page_follows_progress_with_and_without_js(app, client):
    """Does a run under way show a progress bar, a poller script and a no-JS refresh?"""
    parma, coordinator, _, _ = parma_with_people()
    run = MatchRun(territory_id=parma.id, status="running", phase="scoring", progress=0.42)
    db.session.add(run)
    db.session.commit()
    login(client, coordinator)
    page = client.get(f"/runs/{run.id}").text
    assert 'role="progressbar"' in page and "width: 42.0%" in page
    assert '<noscript><meta http-equiv="refresh"' in page and "run_progress.js" in page
    assert 'data-phase="scoring" aria-current="step"' in page
    assert client.get(f"/runs/{run.id}/progress").json["finished"] is False


def test_publish_creates_proposals_once(app, client):
    """Does publishing create ranked proposals, and does publishing again change nothing?"""
    parma, coordinator, _, _ = parma_with_people()
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    reply = client.post(f"/runs/{run_id}/publish", follow_redirects=True)
    assert "4 proposals published" in reply.text
    pairs = proposed_pairs()
    assert len(pairs) == 4 and sorted(rank for _, _, rank in pairs) == [0, 0, 1, 1]
    again = client.post(f"/runs/{run_id}/publish", follow_redirects=True)
    assert "already published" in again.text
    assert proposed_pairs() == pairs
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "match_run_published")
        )
        == 1
    )


def test_rerun_supersedes_older_proposals_without_duplicates(app, client):
    """Does a second published run replace undecided proposals instead of duplicating them?"""
    parma, coordinator, _, _ = parma_with_people()
    login(client, coordinator)
    first = run_to_done(app, client, parma)
    client.post(f"/runs/{first}/publish")
    second = run_to_done(app, client, parma)
    client.post(f"/runs/{second}/publish")
    assert len(proposed_pairs()) == 4
    statuses = dict(
        db.session.execute(
            select(Match.run_id, func.count())
            .where(Match.status == "superseded")
            .group_by(Match.run_id)
        ).all()
    )
    assert statuses == {first: 4}


def test_stale_dry_run_skips_pairs_no_longer_feasible(app, client):
    """Are pairs with a tutor paused since the dry run left out when publishing?"""
    parma, coordinator, tutors, _ = parma_with_people()
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    tutors[0].status = "paused"
    db.session.commit()
    reply = client.post(f"/runs/{run_id}/publish", follow_redirects=True)
    assert "2 skipped" in reply.text
    assert {tutor for _, tutor, _ in proposed_pairs()} == {tutors[1].id}
    assert {rank for _, _, rank in proposed_pairs()} == {0}


def test_unmatched_are_listed_with_the_reason_in_words(app, client):
    """Does someone no tutor can talk with appear as unmatched with the reason spelled out?"""
    parma, coordinator, _, _ = parma_with_people(beneficiaries=0)
    factories.beneficiary(parma, languages={"ti": "native"}, first_name="Yonas")
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    page = client.get(f"/runs/{run_id}").text
    assert "no tutor within reach speaks Tigrinya" in page


def test_run_with_invalid_territory_weights_is_refused_clearly(app, client):
    """Do broken weight overrides give a message instead of a failed task or a 500?"""
    parma, coordinator, _, _ = parma_with_people()
    parma.weights = {"no_such_weight": 1}
    db.session.commit()
    login(client, coordinator)
    reply = client.post(f"/runs/territory/{parma.id}", follow_redirects=True)
    assert reply.status_code == 200
    assert "matching weights of this territory are invalid" in reply.text
    assert db.session.scalar(select(func.count()).select_from(MatchRun)) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/runs/territory/{territory}"),
        ("post", "/runs/territory/{territory}"),
        ("get", "/runs/{run}"),
        ("get", "/runs/{run}/progress"),
        ("post", "/runs/{run}/publish"),
    ],
)
def test_other_territory_runs_are_404_and_audited(app, client, method, path):
    """Does a Bergamo coordinator get 404 for Parma's runs, with the attempt audited?"""
    parma, _, _, _ = parma_with_people()
    run = MatchRun(territory_id=parma.id, status="done", phase="saving", progress=1.0)
    db.session.add(run)
    db.session.commit()
    bergamo = factories.territory("BG", "Bergamo", "Lombardia")
    login(client, factories.user("coordinator", territories=[bergamo]))
    reply = getattr(client, method)(path.format(territory=parma.id, run=run.id))
    assert reply.status_code == 404
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert db.session.get(MatchRun, run.id).status == "done"


@pytest.mark.parametrize("path", ["/runs/", "/runs/territory/999999", "/runs/999999"])
def test_tutors_cannot_reach_runs_and_unknown_ids_are_404(app, client, path):
    """Is the runs area closed to tutors, and are unknown ids a friendly 404?"""
    _, coordinator, tutors, _ = parma_with_people(tutors=1)
    login(client, tutors[0].user)
    assert client.get(path).status_code == 403
    client.post("/logout")
    login(client, coordinator)
    assert client.get(path).status_code == (200 if path == "/runs/" else 404)


def test_publishing_a_run_still_working_is_refused(app, client):
    """Can a run be published before it has finished? It must not."""
    parma, coordinator, _, _ = parma_with_people()
    run = MatchRun(territory_id=parma.id, status="running", phase="scoring", progress=0.5)
    db.session.add(run)
    db.session.commit()
    login(client, coordinator)
    reply = client.post(f"/runs/{run.id}/publish", follow_redirects=True)
    assert "Only a finished run can be published." in reply.text
    assert proposed_pairs() == []
