"""Match by hand: what to do before searching, whom the page is for, and honest broken rules."""

from __future__ import annotations

import re

from tests import factories
from tests.web.matching_helpers import login


def test_empty_search_says_what_to_do_and_names_the_person(client):
    """Before any search, does the page say what to type, and name the person by first name?"""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    person = factories.beneficiary(parma, first_name="Idris")
    login(client, coordinator)
    page = client.get(f"/proposals/beneficiary/{person.id}/manual").text
    assert re.search(rf"<h1>Match {person.code} · Idris by hand</h1>", page)
    assert "Type a tutor's name or a need above and press Search" in page


def test_unrecorded_tutor_gender_is_said_as_such(client):
    """When a person prefers a woman and the tutor's gender is unrecorded, is that what it says?"""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    person = factories.beneficiary(parma, preferred_tutor_gender="f")
    factories.tutor(parma, display_name="Sara", gender=None)
    login(client, coordinator)
    page = client.get(f"/proposals/beneficiary/{person.id}/manual?q=Sara").text
    broken = page.split("Breaks these rules:", 1)[1]
    assert "prefers a woman as tutor; the tutor&#39;s gender is not recorded" in broken
