"""Registering, editing, listing, showing and closing beneficiaries, as a coordinator does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.test_pages import login
from web.extensions import db
from web.models import Beneficiary


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
