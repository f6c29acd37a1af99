"""Numbers too large for the database in paths, pages and forms: a clear answer, never a 500."""

from __future__ import annotations

import pytest

from tests import factories
from tests.web.matching_helpers import login

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/beneficiaries/{HUGE}",
        f"/matches/{HUGE}",
        f"/matches/{HUGE}/meetings/new",
        f"/runs/{HUGE}",
        f"/runs/territory/{HUGE}",
        f"/proposals/territory/{HUGE}",
        f"/vetting/tutors/{HUGE}",
        f"/admin/notifications/{HUGE}",
    ],
)
def test_huge_ids_in_paths_are_not_found(app, client, url):
    """Does an id beyond any database integer give a 404 rather than a server error?"""
    login(client, factories.user("admin"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/beneficiaries", "/audit", "/admin/notifications"])
def test_huge_page_numbers_show_a_page(app, client, url):
    """Does ?page= beyond any database integer show a (possibly empty) page, not a 500?"""
    login(client, factories.user("admin"))
    assert client.get(url, query_string={"page": HUGE}).status_code == 200


def test_manual_match_with_a_huge_tutor_id_is_explained(app, client):
    """Is a forged tutor id too large for the database refused as a form error?"""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    person = factories.beneficiary(parma)
    login(client, coordinator)
    reply = client.post(
        f"/proposals/beneficiary/{person.id}/manual", data={"tutor_id": HUGE, "reason": "Known"}
    )
    assert reply.status_code == 400
