"""A tutor logs meetings of their match by following links, as a volunteer does."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.web.test_tutor_matches import approved_match, sign_in
from web.extensions import db
from web.models.common import utcnow


def link_to(page: str, pattern: str) -> str:
    """Return the one link of a page whose href matches the pattern (fail if there is none)."""
    found = [href for href in re.findall(r'href="([^"]+)"', page) if re.fullmatch(pattern, href)]
    assert found, f"no link like {pattern}"
    return found[0]


@pytest.fixture
def active_match():
    """A match the tutor (Italian UI) has accepted: it is under way."""
    match = approved_match()
    match.status, match.accepted_at = "active", utcnow()
    db.session.commit()
    return match


def test_tutor_reaches_the_meeting_form_by_links_and_sees_the_meeting(client, active_match):
    """Can a tutor go from /home to the meeting form by links, log one and see it listed?"""
    sign_in(client)
    home = client.get("/home").text
    matches = client.get(link_to(home, "/tutor/matches")).text
    form_url = link_to(matches, rf"/matches/{active_match.id}/meetings/new")
    match_page = client.get(link_to(matches, rf"/tutor/matches/{active_match.id}")).text
    assert link_to(match_page, rf"/matches/{active_match.id}/meetings/new") == form_url
    form = client.get(form_url)
    assert form.status_code == 200
    assert link_to(form.text, rf"/tutor/matches/{active_match.id}")  # a way back
    held_on = date.today() - timedelta(days=2)
    data = {"held_on": held_on.isoformat(), "duration_minutes": "75", "topic": "Il curriculum"}
    saved = client.post(form_url, data=data, follow_redirects=True)
    assert saved.status_code == 200 and "Incontro salvato" in saved.text
    assert saved.request.path == f"/tutor/matches/{active_match.id}"
    assert "Il curriculum" in saved.text and "75 minuti" in saved.text
    assert held_on.strftime("%d/%m/%Y") in saved.text


def test_approved_match_offers_no_meeting_form_until_accepted(client):
    """Is the meeting link offered only once the tutor has accepted the match?"""
    match = approved_match()
    sign_in(client)
    assert f"/matches/{match.id}/meetings/new" not in client.get("/tutor/matches").text
    assert f"/matches/{match.id}/meetings/new" not in client.get(f"/tutor/matches/{match.id}").text
