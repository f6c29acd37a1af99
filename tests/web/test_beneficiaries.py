"""Registering, editing, listing, showing and closing beneficiaries, as a coordinator does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.web.test_pages import login
from web.extensions import db
from web.models import AuditEvent, Beneficiary


def register_form(**overrides) -> dict:
    """A complete, valid registration form as a browser would post it."""
    form = {
        "first_name": "Amina",
        "contact_email": "amina@example.org",
        "contact_phone": "",
        "preferred_language": "ar",
        "place": "Fidenza (PR)",
        "first_language": "ar",
        "first_language_level": "native",
        "italian_level": "A2",
        "other_lang_0": "en",
        "other_level_0": "B1",
        "need_work_cv": "3",
        "need_housing_search": "2",
        "availability": ["mon_morning", "wed_evening"],
        "gender": "f",
        "preferred_tutor_gender": "f",
        "remote_ok": "y",
        "waiting_since": (date.today() - timedelta(days=10)).isoformat(),
        "consent": "y",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def parma(app):
    """The Parma territory."""
    return factories.territory("PR", "Parma", "Emilia-Romagna")


@pytest.fixture
def coordinator(client, parma):
    """A coordinator of Parma, logged in."""
    account = factories.user("coordinator", territories=[parma])
    login(client, account.email)
    return account


def test_coordinator_registers_a_person_with_a_territory_code(client, coordinator, parma):
    """Does a complete form create PR-0001 with languages, needs, slots and consent?"""
    reply = client.post("/beneficiaries/new", data=register_form())
    assert reply.status_code == 302, reply.text
    created = db.session.scalar(select(Beneficiary))
    assert created.code == "PR-0001" and created.territory_id == parma.id
    assert {(x.lang, x.level, x.is_first) for x in created.languages} == {
        ("ar", "native", True),
        ("it", "A2", False),
        ("en", "B1", False),
    }
    assert {n.skill_code: n.priority for n in created.needs} == {
        "work_cv": 3,
        "housing_search": 2,
    }
    assert created.availability == (1 << 0) | (1 << 8)
    assert created.consent_collected_by_id == coordinator.id
    assert created.consent_version == "2026-11"
    page = client.get(reply.headers["Location"])
    assert "PR-0001" in page.text and "Fidenza (PR)" in page.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_email": "", "contact_phone": ""}, "at least one"),
        ({"contact_email": "not-an-email"}, "Enter a valid email address."),
        ({"consent": None}, "Consent is required"),
        ({"waiting_since": (date.today() + timedelta(days=3)).isoformat()}, "in the future"),
        ({"waiting_since": "31/02/2026"}, "Waiting since"),
        ({"place": "Atlantide"}, "Unknown municipality"),
        ({"place": "Bergamo (BG)"}, "not in one of your territories"),
        ({"first_language": ""}, "first language"),
        ({"preferred_language": "xx-evil"}, "Preferred language"),
        ({"need_work_cv": "9"}, "need_work_cv"),
        ({"availability": ["sun_night"]}, "availability"),
        ({"other_lang_0": "fr", "other_level_0": ""}, "other_level_0-error"),
    ],
)
def test_bad_registration_input_is_explained_and_nothing_saved(
    client, coordinator, overrides, message
):
    """Does each kind of bad input get a message (400) and save nothing?"""
    client.post("/language/en", data={"next": "/"})
    reply = client.post("/beneficiaries/new", data=register_form(**overrides))
    assert reply.status_code == 400
    assert message in reply.text
    assert db.session.scalar(select(func.count(Beneficiary.id))) == 0


def test_registration_enqueues_incremental_matching(client, coordinator, monkeypatch):
    """Is the engine's incremental mode asked to propose for a newly registered person?"""
    sent = []
    monkeypatch.setattr(
        "web.services.beneficiaries.enqueue", lambda name, *args: sent.append((name, args))
    )
    client.post("/beneficiaries/new", data=register_form())
    created = db.session.scalar(select(Beneficiary))
    assert sent == [("matching.incremental_beneficiary", (created.id,))]


def test_codes_follow_per_territory_sequence(client, coordinator, parma):
    """Do codes count up per territory (PR-0001, PR-0002) whatever other territories hold?"""
    factories.beneficiary(
        bergamo_territory := factories.territory("BG", "Bergamo", "Lombardia"),
        place_name="Bergamo",
        province="BG",
    )
    assert bergamo_territory.code == "BG"
    for name in ("Amina", "Yonas"):
        client.post(
            "/beneficiaries/new", data=register_form(first_name=name, contact_email=f"{name}@x.org")
        )
    codes = db.session.scalars(
        select(Beneficiary.code)
        .where(Beneficiary.territory_id == parma.id)
        .order_by(Beneficiary.seq)
    ).all()
    assert codes == ["PR-0001", "PR-0002"]


def test_code_taken_concurrently_is_retried(client, coordinator, parma, monkeypatch):
    """If another request takes the same number first, does registration retry with the next?"""
    taken = factories.beneficiary(parma)
    from web.services import beneficiaries as service

    real_next_seq = service._next_seq
    calls = []

    def stale_next_seq(territory_id):
        calls.append(territory_id)
        return taken.seq if len(calls) == 1 else real_next_seq(territory_id)

    monkeypatch.setattr(service, "_next_seq", stale_next_seq)
    reply = client.post("/beneficiaries/new", data=register_form())
    assert reply.status_code == 302
    assert len(calls) == 2
    assert db.session.scalar(select(func.count(Beneficiary.id))) == 2


def test_viewing_a_record_is_audited(client, coordinator, parma):
    """Does opening a record write a "view" audit event with who and the territory?"""
    person = factories.beneficiary(parma)
    assert client.get(f"/beneficiaries/{person.id}").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view"))
    assert event.object_id == str(person.id) and event.actor_id == coordinator.id
    assert event.territory_id == parma.id


def test_edit_keeps_code_and_consent(client, coordinator, parma):
    """Can the coordinator edit a record without changing its code or consent?"""
    client.post("/beneficiaries/new", data=register_form())
    person = db.session.scalar(select(Beneficiary))
    form_page = client.get(f"/beneficiaries/{person.id}/edit")
    assert form_page.status_code == 200 and "Fidenza (PR)" in form_page.text
    data = register_form(first_name="Amina B.", need_work_cv="1", consent=None)
    reply = client.post(f"/beneficiaries/{person.id}/edit", data=data)
    assert reply.status_code == 302, reply.text
    db.session.refresh(person)
    assert person.first_name == "Amina B." and person.code == "PR-0001"
    assert {n.skill_code: n.priority for n in person.needs}["work_cv"] == 1
    assert person.consent_collected_by_id == coordinator.id


def test_edit_cannot_move_a_person_to_another_province(client, coordinator, parma):
    """Is a municipality outside the record's territory refused on edit?"""
    person = factories.beneficiary(parma)
    reply = client.post(
        f"/beneficiaries/{person.id}/edit", data=register_form(place="Bergamo (BG)", consent=None)
    )
    assert reply.status_code == 400
    db.session.refresh(person)
    assert person.place.province_code == "PR"


def test_close_with_reason_withdraws_proposals(client, coordinator, parma):
    """Does closing need a reason, and does it supersede pending proposals?"""
    from tests.web.benef_helpers import match

    person = factories.beneficiary(parma)
    proposal = match(person, factories.tutor(parma), status="proposed")
    assert client.post(f"/beneficiaries/{person.id}/close", data={"reason": ""}).status_code == 400
    reply = client.post(f"/beneficiaries/{person.id}/close", data={"reason": "Moved abroad"})
    assert reply.status_code == 302
    db.session.refresh(person)
    db.session.refresh(proposal)
    assert person.status == "closed" and person.close_reason == "Moved abroad"
    assert proposal.status == "superseded"
    edit = client.get(f"/beneficiaries/{person.id}/edit")
    assert edit.status_code == 302


def test_close_is_refused_while_a_match_is_open(client, coordinator, parma):
    """Is a person with an active match kept open (end the match first)?"""
    from tests.web.benef_helpers import match

    person = factories.beneficiary(parma)
    match(person, factories.tutor(parma), status="active")
    client.post(f"/beneficiaries/{person.id}/close", data={"reason": "x"})
    db.session.refresh(person)
    assert person.status == "waiting"


def test_list_is_sorted_by_waiting_time_filtered_and_paginated(client, coordinator, parma):
    """Does the list put the longest waiting first, filter by status and paginate?"""
    for days in range(30):
        factories.beneficiary(
            parma, first_name=f"Person{days:02d}", waiting_since=date.today() - timedelta(days=days)
        )
    factories.beneficiary(parma, first_name="Zed", status="closed")
    first = client.get("/beneficiaries?status=waiting")
    assert first.status_code == 200
    assert first.text.index(">Person29<") < first.text.index(">Person10<")
    assert ">Person04<" not in first.text and ">Zed<" not in first.text
    second = client.get("/beneficiaries?status=waiting&page=2")
    assert ">Person04<" in second.text
    assert client.get("/beneficiaries?page=abc").status_code == 200


@pytest.mark.parametrize("query", ["status=nonsense", "territory=99999", "territory=abc"])
def test_bad_list_filters_get_a_message(client, coordinator, query):
    """Does a crafted filter get a 400 page with a message, not a 500?"""
    reply = client.get(f"/beneficiaries?{query}")
    assert reply.status_code == 400
    assert 'class="error"' in reply.text
