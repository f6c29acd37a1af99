"""The territory settings page: minimum shared levels and the territory's contact."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.matching_helpers import login
from web.extensions import db
from web.models import AuditEvent, Territory
from web.services import engine_io

CONTACT = {
    "contact_name": "Carla Verdi",
    "contact_email": "carla.verdi@parma.example.org",
    "contact_phone": "+39 0521 123456",
}


def settings_path(territory: Territory) -> str:
    """Return the address of a territory's settings page."""
    return f"/territories/{territory.id}/settings"


def form(**fields: str) -> dict[str, str]:
    """A complete submission: the engine's default levels and no contact, then overrides."""
    values = {"min_level": "A2", "italian_min_level": "A1"}
    values.update(dict.fromkeys(CONTACT, ""))
    values.update(fields)
    return values


def changes() -> list[AuditEvent]:
    """Return the audited settings changes, oldest first."""
    query = select(AuditEvent).where(AuditEvent.action == "territory.settings_changed")
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def parma_coordinator(client):
    """Parma and its coordinator (English UI), signed in."""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    login(client, coordinator)
    return parma, coordinator


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("tutor", 403), ("other coordinator", 404), ("coordinator", 200), ("admin", 200)],
)
def test_only_the_territorys_coordinators_and_admins_reach_the_page(client, role, status):
    """Who may open Parma's settings? Others get the app's usual 302/403/404."""
    parma = factories.territory()
    reggio = factories.territory("RE", "Reggio Emilia")
    territories = {"coordinator": [parma], "other coordinator": [reggio]}.get(role)
    if role:
        login(client, factories.user(role.split()[-1], territories=territories))
    assert client.get(settings_path(parma)).status_code == status
    saved = client.post(settings_path(parma), data=form(min_level="B2"))
    assert saved.status_code == (302 if status == 200 else status)
    if status == 200:
        assert saved.headers["Location"] == settings_path(parma)
    expected = {"min_level": "B2"} if status == 200 else {}
    assert db.session.get(Territory, parma.id).weights == expected
    if role == "other coordinator":
        denied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
        assert denied is not None and denied.territory_id == parma.id


def test_page_explains_each_level_with_the_engine_defaults(parma_coordinator, client):
    """Does the page say in plain words what each level does and which is the default?"""
    parma, _ = parma_coordinator
    page = client.get(settings_path(parma)).text
    assert "For every language." in page and "Default of the matching engine: A2." in page
    assert "For Italian only. At A1, Italian counts as a shared language" in page
    assert "the score of such pairs stays low" in page
    assert "Default of the matching engine: A1." in page
    assert '<option selected value="A2">A2 (default)</option>' in page
    assert '<option selected value="A1">A1 (default)</option>' in page
    assert "Choosing the default removes this territory's own setting" in page


def test_a_level_is_an_override_the_engine_uses_and_the_default_removes_it(
    parma_coordinator, client
):
    """Does choosing B1 store an override the engine reads, and choosing A2 again remove it,
    keeping the territory's other overrides? Is each change audited, old → new?"""
    parma, coordinator = parma_coordinator
    parma.weights = {"proximity": 0.3}
    db.session.commit()
    reply = client.post(settings_path(parma), data=form(min_level="B1", italian_min_level="A2"))
    assert reply.status_code == 302
    db.session.refresh(parma)
    assert parma.weights == {"proximity": 0.3, "min_level": "B1", "italian_min_level": "A2"}
    weights = engine_io.territory_weights(parma)
    assert (weights.min_level, weights.italian_min_level) == ("B1", "A2")

    client.post(settings_path(parma), data=form())
    db.session.refresh(parma)
    assert parma.weights == {"proximity": 0.3}
    first, second = changes()
    assert first.details["levels"] == {"min_level": ["A2", "B1"], "italian_min_level": ["A1", "A2"]}
    assert second.details["levels"] == {
        "min_level": ["B1", "A2"],
        "italian_min_level": ["A2", "A1"],
    }
    assert first.actor_id == coordinator.id and first.territory_id == parma.id


def test_the_contact_is_saved_and_its_change_audited_without_personal_data(
    parma_coordinator, client
):
    """Is the contact stored, and does the audit trail say which fields changed, not what to?"""
    parma, _ = parma_coordinator
    assert client.post(settings_path(parma), data=form(**CONTACT)).status_code == 302
    db.session.refresh(parma)
    assert (parma.contact_name, parma.contact_email, parma.contact_phone) == tuple(CONTACT.values())
    (event,) = changes()
    assert event.details == {"levels": {}, "contact_changed": list(CONTACT)}
    assert not any(value in str(event.details) for value in CONTACT.values())
    page = client.get(settings_path(parma)).text
    assert 'value="carla.verdi@parma.example.org"' in page

    client.post(settings_path(parma), data=form())  # all three empty: the deployment's contact
    db.session.refresh(parma)
    assert (parma.contact_name, parma.contact_email, parma.contact_phone) == (None, None, None)
    assert client.post(settings_path(parma), data=form()).status_code == 302
    assert len(changes()) == 2  # saving the same values again changes (and audits) nothing


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"min_level": "Z9"}, "min_level", "Choose a level from the list."),
        ({"italian_min_level": "<script>"}, "italian_min_level", "Choose a level from the list."),
        ({"contact_email": "carla@example.org"}, "contact_name", "Give the name people will read"),
        ({"contact_name": "Carla"}, "contact_email", "Give the address that replies"),
        ({**CONTACT, "contact_email": "carla@"}, "contact_email", "Invalid email address"),
        ({**CONTACT, "contact_phone": "call me"}, "contact_phone", "Use digits, spaces and +"),
        ({**CONTACT, "contact_name": "Carla\x00Verdi"}, "contact_name", "Use letters, digits"),
        ({**CONTACT, "contact_name": "C" * 5000}, "contact_name", "At most 120 characters."),
        ({**CONTACT, "contact_phone": "1" * 500}, "contact_phone", "At most 40 characters."),
    ],
)
def test_bad_input_is_refused_at_the_field(parma_coordinator, client, fields, field, message):
    """Does each bad value get a clear message next to its field, a 400 and no change?"""
    parma, _ = parma_coordinator
    reply = client.post(settings_path(parma), data=form(**fields))
    assert reply.status_code == 400
    assert f'id="{field}-error">{message}' in reply.text
    assert "<script>" not in reply.text
    db.session.refresh(parma)
    assert parma.weights == {} and parma.contact_email is None and changes() == []


def test_coordinators_reach_the_page_by_clicking(parma_coordinator, client):
    """Is the page linked from the matching workspace (list and territory) and the dashboard?"""
    parma, _ = parma_coordinator
    link = f'href="{settings_path(parma)}"'
    for page in ("/runs/", f"/runs/territory/{parma.id}", "/dashboard"):
        assert link in client.get(page).text, page
