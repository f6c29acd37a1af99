"""A coordinator goes from a match to the person and the tutor, and back, by links alone."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.web.matching_helpers import login
from tests.web.test_follow import open_match  # noqa: F401 - fixture
from tests.web.test_navigation import links
from web.extensions import db
from web.models.common import utcnow


@pytest.fixture
def started(open_match):  # noqa: F811
    """The open match, accepted by its tutor twelve days ago."""
    match = open_match[-1]
    match.status, match.accepted_at = "active", utcnow() - timedelta(days=12)
    db.session.commit()
    return open_match


def test_match_page_shows_dates_contacts_and_links_to_both_people(client, started):
    """Does a match's page show when it started, how to reach both, and link to both records?"""
    _, coordinator, tutor, person, match = started
    login(client, coordinator)
    page = client.get(f"/matches/{match.id}").text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    day = (utcnow() - timedelta(days=12)).astimezone(ZoneInfo("Europe/Rome"))
    assert f"Started on {day.day} {day.strftime('%b %Y')}" in text
    assert person.contact_email in text and tutor.user.email in text
    assert f"mailto:{person.contact_email}" in links(page)
    assert {f"/beneficiaries/{person.id}", f"/vetting/tutors/{tutor.id}"} <= links(page)
    assert client.get(f"/vetting/tutors/{tutor.id}").status_code == 200


def test_record_links_tutor_names_to_the_match_page(client, started):
    """On a person's record, does the tutor's name under "Proposals and matches" open the match?"""
    _, coordinator, tutor, person, match = started
    login(client, coordinator)
    page = client.get(f"/beneficiaries/{person.id}").text
    assert re.search(rf'<a href="/matches/{match.id}">{tutor.display_name}</a>', page)


def test_audit_log_names_objects_by_code_with_a_link(client, started):
    """Does the audit log say "Beneficiary PR-…" and "Match of PR-…" with links, not "#32"?"""
    _, coordinator, _, person, match = started
    login(client, coordinator)
    client.get(f"/beneficiaries/{person.id}")  # a "view" event
    client.get(f"/matches/{match.id}")  # a "match viewed" event
    page = client.get("/audit").text
    assert re.search(rf'<a href="/beneficiaries/{person.id}">Beneficiary {person.code}</a>', page)
    assert re.search(rf'<a href="/matches/{match.id}">Match of {person.code}</a>', page)
    assert f"#{person.id}<" not in page and f"#{match.id}<" not in page
    assert person.first_name not in page  # the log itself stays pseudonymous
