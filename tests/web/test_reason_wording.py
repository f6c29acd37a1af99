"""The reasons on the proposals review page read right: counts, the needs left uncovered,
no common free time said plainly, interests without markup or stop words."""

from __future__ import annotations

import re

import pytest

from matching import slots_mask
from tests import factories
from tests.web.matching_helpers import login, run_to_done

REASONS = r'<ul class="reasons">(.*?)</ul>'
EXPECTED = {
    "en": (
        "covers 1 of 2 needs: Writing a CV; not: Finding a rental home",
        "no common free time in the week",
        "shared interests: calcio",
    ),
    "it": (
        "copre 1 dei 2 bisogni: Scrivere il curriculum; non copre: Ricerca di una casa in affitto",
        "nessun momento libero in comune nella settimana",
        "interessi in comune: calcio",
    ),
}


@pytest.mark.parametrize("locale", ["en", "it"])
def test_review_card_names_missing_needs_free_time_and_clean_interests(app, client, locale):
    """Does the card of a tutor who covers one of two needs, shares no weekly slot and wrote
    markup in their interests say so in words, in Italian and English?"""
    parma = factories.territory()
    factories.tutor(
        parma, display_name="Giulia Rossi", skills=("work_cv",),
        availability=slots_mask(["mon_morning"]),
        interests="<script>alert(1)</script> calcio, the cinema",
    )  # fmt: skip
    person = factories.beneficiary(
        parma, needs={"work_cv": 3, "housing_search": 2},
        availability=slots_mask(["tue_evening"]), interests="calcio, script, alert, the",
    )  # fmt: skip
    coordinator = factories.user("coordinator", territories=[parma], locale=locale)
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    client.post(f"/runs/{run_id}/publish")
    page = client.get(f"/proposals/territory/{parma.id}").text
    assert person.code in page and "Giulia Rossi" in page
    sentences = re.findall(r"<li>([^<]*)</li>", "".join(re.findall(REASONS, page, re.S)))
    for sentence in EXPECTED[locale]:
        assert sentence in sentences
    assert not [s for s in sentences if "script" in s or "alert" in s]
