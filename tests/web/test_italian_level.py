"""A person who speaks Arabic and a little Italian gets a tutor who speaks only Italian: the
run proposes the pair with a reason that says so, and match by hand finds it possible."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from tests.web.matching_helpers import login, run_to_done
from tests.web.test_beneficiaries import register_form
from tests.web.test_tutor_vetting import GOOD_DATES
from tests.web.tutor_journey import PROFILE_STEPS, verified_tutor
from web.extensions import db
from web.models import Beneficiary, Match, TutorProfile
from web.services.tasks import wait_for_inprocess_tasks

EVENINGS = ["mon_evening", "wed_evening", "fri_evening"]


def register_italian_speaking_tutor(client) -> TutorProfile:
    """Sign up and fill the profile as a volunteer who speaks only Italian, in Fidenza."""
    verified_tutor(client, "giulia@example.org")
    steps = {
        **PROFILE_STEPS,
        "languages": {"languages-0-lang": "it", "languages-0-level": "native"},
        "availability": {"slots": EVENINGS, "capacity": "2"},
        "skills": {"skills": ["work_cv", "housing_search", "italian_conversation"]},
    }
    for step, form in steps.items():
        reply = client.post(f"/tutor/profile/{step}", data=form)
        assert reply.status_code == 302, (step, reply.text[:2000])
    client.post("/logout")
    return db.session.scalar(select(TutorProfile))


def test_arabic_and_italian_a1_is_proposed_and_possible_by_hand(app, client):
    """Registered through the pages, is the person (Arabic native, Italian A1) proposed the
    Italian-only tutor with "shares only Italian, at A1", and does match by hand show the
    pair possible (no broken rule)?"""
    parma = factories.territory()
    tutor = register_italian_speaking_tutor(client)
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    login(client, coordinator)
    approved = client.post(f"/vetting/tutors/{tutor.id}/approve", data=GOOD_DATES)
    assert approved.status_code == 302, approved.text
    form = register_form(
        italian_level="A1", other_lang_0="", other_level_0="", preferred_tutor_gender="",
        availability=EVENINGS, need_italian_conversation="1",
    )  # fmt: skip
    assert client.post("/beneficiaries/new", data=form).status_code == 302
    wait_for_inprocess_tasks(app)
    person = db.session.scalar(select(Beneficiary))
    assert {(lang.lang, lang.level) for lang in person.languages} == {
        ("ar", "native"),
        ("it", "A1"),
    }
    run_id = run_to_done(app, client, parma)
    result = client.get(f"/runs/{run_id}").text
    assert "speaks Arabic" not in result  # nobody is left out for want of Arabic
    client.post(f"/runs/{run_id}/publish")
    proposal = db.session.scalar(select(Match).where(Match.beneficiary_id == person.id))
    assert proposal is not None and proposal.tutor_id == tutor.id
    review = client.get(f"/proposals/territory/{parma.id}").text
    assert person.code in review and "shares only Italian, at A1" in review
    manual = client.get(f"/proposals/beneficiary/{person.id}/manual?q=Giulia").text
    assert "Giulia" in manual and "shares only Italian, at A1" in manual
    assert "Breaks these rules:" not in manual and "no shared language" not in manual


def test_a_territory_may_require_italian_at_a2(app, client):
    """With the territory's weights {"italian_min_level": "A2"}, does match by hand show the
    same pair blocked, naming the languages the person speaks at a usable level?"""
    parma = factories.territory()
    parma.weights = {"italian_min_level": "A2"}
    db.session.commit()
    person = factories.beneficiary(parma, languages={"ar": "native", "it": "A1"})
    factories.tutor(parma, display_name="Giulia Rossi", languages={"it": "native"})
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    login(client, coordinator)
    manual = client.get(f"/proposals/beneficiary/{person.id}/manual?q=Giulia").text
    assert "Breaks these rules:" in manual
    assert "no shared language: the person speaks Arabic, the tutor Italian" in manual
