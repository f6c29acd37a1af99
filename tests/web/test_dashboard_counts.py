"""The dashboard counts each person once, names the needs nobody offers, says what medians cover."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.web.benef_helpers import days_ago, match, meeting, sign_in


@pytest.fixture
def parma_history(app):
    """Parma: 8 people whose matches went every way, one tutor offering CVs only."""
    parma = factories.territory()
    giulia = factories.tutor(parma, capacity=3, skills=("work_cv",))
    marco = factories.tutor(parma, capacity=3, skills=("work_cv",), display_name="Marco")

    def person(status: str = "waiting", waited: int = 60, needs: dict | None = None):
        return factories.beneficiary(
            parma, status=status, waiting_since=days_ago(waited), needs=needs or {"work_cv": 2}
        )

    person(needs={"legal_rights": 3, "work_cv": 2})  # waiting, never proposed
    back = person(needs={"legal_rights": 2})  # waiting again after an ended match
    match(back, marco, status="ended", started=days_ago(50))
    proposed = person(needs={"housing_search": 1})  # two proposals, one declined before
    match(proposed, giulia, status="proposed")
    match(proposed, marco, status="declined")
    twice = person()
    match(twice, giulia, status="proposed")
    approved = person("matched", waited=40)  # approved 10 days after waiting began
    match(approved, giulia, status="approved", started=days_ago(30))
    match(approved, marco, status="superseded")
    again = person("matched", waited=100)  # an ended match, then an active one
    match(again, marco, status="ended", started=days_ago(80))
    active = match(again, giulia, status="active", started=days_ago(20))
    meeting(active, days_ago(10))
    closed = person("closed", waited=200)  # the match ended and the record was closed
    match(closed, marco, status="ended", started=days_ago(150))
    return parma


def territory_row(page: str, name: str) -> list[str]:
    """The cells of a territory's row in the "By territory" table."""
    row = re.search(rf"<tr><th scope=\"row\">{name}</th>(.*?)</tr>", page, re.S)
    assert row, f"no row for {name}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_each_person_is_counted_in_exactly_one_current_stage(client, parma_history):
    """Do the stages add up to the people of the territory, each in their current stage?"""
    sign_in(client, territories=[parma_history])
    client.post("/language/en", data={"next": "/"})
    page = client.get("/dashboard").text
    waiting, proposed, matched, ended = (int(cell) for cell in territory_row(page, "Parma")[:4])
    assert (waiting, proposed, matched, ended) == (2, 2, 2, 1)
    stages = re.search(r"People by stage</figcaption>(.*?)</figure>", page, re.S)
    assert stages, "no chart of people by stage"
    values = [int(v) for v in re.findall(r'class="chart-value">(\d+)<', stages[1])]
    assert values == [2, 2, 2, 1] and sum(values) == 7  # the 7 people of Parma


def test_needs_nobody_offers_are_named_with_counts(client, parma_history):
    """Does "needs offered by no active tutor" say which needs, and for how many people?"""
    sign_in(client, territories=[parma_history])
    client.post("/language/en", data={"next": "/"})
    page = client.get("/dashboard").text
    assert re.search(r"Rights and duties, anti-discrimination \(2 people\)", page), "not named"
    assert re.search(r"Finding a rental home \(1 person\)", page)
    assert "Writing a CV (" not in page  # offered by both tutors: not a gap


def test_each_median_says_how_many_people_it_is_taken_over(client, parma_history):
    """Are both medians per person, and does each say over how many people it is taken?"""
    sign_in(client, territories=[parma_history])
    client.post("/language/en", data={"next": "/"})
    page = " ".join(client.get("/dashboard").text.split())
    # Each person's first match: 10 (approved), 20 (again), 10 (back), 50 (closed) days.
    assert "15 days</strong><br>median wait until matched (over 4 people)" in page
    # Only "again" has met a tutor: 90 days after starting to wait.
    assert "90 days</strong><br>median wait until the first meeting (over 1 person)" in page
