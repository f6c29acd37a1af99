"""Reaching each workspace by links alone, as a coordinator who never types a URL does."""

from __future__ import annotations

import re

from tests import factories
from tests.web.matching_helpers import parma_with_people, run_to_done
from tests.web.test_pages import login


def links(page: str) -> set[str]:
    """Return the href of every link on a page."""
    return set(re.findall(r'href="([^"]+)"', page))


def test_coordinator_reaches_matching_from_the_menu(client):
    """Can a coordinator get to matching runs and proposals from the header menu?"""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma])
    login(client, coordinator.email)
    home = client.get("/home").text
    assert "/runs/" in links(home)
    workspace = client.get("/runs/").text
    assert f"/proposals/territory/{parma.id}" in links(workspace)


def test_dashboard_links_proposals_waiting_for_a_decision(app, client):
    """Does the dashboard's "people have a proposal to review" line lead to them?"""
    parma, coordinator, _, _ = parma_with_people(beneficiaries=1)
    login(client, coordinator.email)
    run_id = run_to_done(app, client, parma)
    client.post(f"/runs/{run_id}/publish")
    page = client.get("/dashboard").text
    line = re.search(r'<li><a href="([^"]+)">1 person has a proposal to review', page)
    assert line is not None, "the proposals line carries no link"
    target = client.get(line.group(1))
    assert target.status_code == 200
    assert f"/proposals/territory/{parma.id}" in links(target.text)
