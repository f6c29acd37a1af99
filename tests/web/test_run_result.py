"""A dry run's result as a coordinator decides on it: the proposed pairs, then who is left out."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from tests import factories
from tests.web.matching_helpers import login, parma_with_people, run_to_done
from tests.web.test_navigation import links
from web.extensions import db
from web.models import MatchRun, TutorProfile
from web.services import formats, run_result
from web.services.reasons import render_all


@pytest.fixture
def finished_run(app, client):
    """A dry run in Parma (English UI): two pairs proposed, one person no tutor can talk with."""
    parma, coordinator, _, people = parma_with_people()
    yonas = factories.beneficiary(parma, languages={"ti": "native"}, first_name="Yonas")
    login(client, coordinator)
    run = db.session.get(MatchRun, run_to_done(app, client, parma))
    return run, people, yonas


def chosen_rows(run: MatchRun) -> list[list]:
    """The engine's choice per person (rank 0) as the run stored it."""
    return [row for row in run.stats["proposals"] if row[2] == 0]


def test_dry_run_lists_each_proposed_pair_with_score_and_reasons(app, client, finished_run):
    """Does the result list every pair it would propose: person, tutor, score, reasons in words?"""
    run, people, _ = finished_run
    page = client.get(f"/runs/{run.id}").text
    rows = chosen_rows(run)
    assert {row[0] for row in rows} == {person.id for person in people}
    for beneficiary_id, tutor_id, _rank, score, _parts, reasons in rows:
        person = next(p for p in people if p.id == beneficiary_id)
        tutor = db.session.get(TutorProfile, tutor_id)
        row = re.search(rf'<tr id="pair-{beneficiary_id}">(.*?)</tr>', page, re.S)
        assert row is not None, f"no row for {person.code}"
        assert f'href="/beneficiaries/{beneficiary_id}"' in row.group(1)
        assert person.code in row.group(1) and tutor.display_name in row.group(1)
        with app.test_request_context(), force_locale("en"):
            sentences = render_all(reasons)
            assert formats.percent(score) in row.group(1)
        assert sentences and sentences[0] in row.group(1)
    assert "Publishing turns the 2 pairs listed above into proposals" in page
    alternatives = len(run.stats["proposals"]) - len(rows)
    assert f"{alternatives} alternative tutors are kept" in page


def test_left_out_people_link_to_their_record_and_to_match_by_hand(client, finished_run):
    """Can the coordinator go from someone left unmatched to their record and to match by hand?"""
    run, _, yonas = finished_run
    page = client.get(f"/runs/{run.id}").text
    assert f"/beneficiaries/{yonas.id}" in links(page)
    manual = f"/proposals/beneficiary/{yonas.id}/manual"
    assert manual in links(page)
    assert client.get(manual).status_code == 200
    assert client.get(f"/beneficiaries/{yonas.id}").status_code == 200


def test_long_lists_of_pairs_are_paged_with_a_clear_count(client, finished_run, monkeypatch):
    """Is a long list split in pages that say which pairs of how many they show?"""
    run, people, _ = finished_run
    monkeypatch.setattr(run_result, "PAIRS_PER_PAGE", 1)
    first = client.get(f"/runs/{run.id}").text
    assert "Pairs 1–1 of 2" in first and first.count('<tr id="pair-') == 1
    following = next(href for href in links(first) if "page=2" in href)
    second = client.get(following.replace("&amp;", "&")).text
    assert "Pairs 2–2 of 2" in second and second.count('<tr id="pair-') == 1
    shown = set(re.findall(r'<tr id="pair-(\d+)"', first + second))
    assert shown == {str(person.id) for person in people}
    for odd in ("0", "-3", "abc", "99999999999999999999999"):
        reply = client.get(f"/runs/{run.id}?page={odd}")
        assert reply.status_code == 200 and reply.text.count('<tr id="pair-') == 1
