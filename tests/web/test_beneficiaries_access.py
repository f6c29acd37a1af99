"""Least privilege by territory: who may open which beneficiary's pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.benef_helpers import bergamo, sign_in
from web.extensions import db
from web.models import AuditEvent

RECORD_ROUTES = [
    ("get", "/beneficiaries/{id}"),
    ("get", "/beneficiaries/{id}/edit"),
    ("post", "/beneficiaries/{id}/edit"),
    ("get", "/beneficiaries/{id}/close"),
    ("post", "/beneficiaries/{id}/close"),
]
LIST_ROUTES = [
    "/beneficiaries",
    "/beneficiaries/new",
    "/beneficiaries/import",
    "/beneficiaries/export",
    "/dashboard",
    "/dashboard/report",
    "/audit",
]


@pytest.mark.parametrize(("method", "route"), RECORD_ROUTES)
def test_coordinator_of_another_territory_gets_404_and_is_audited(client, method, route):
    """Does a Parma coordinator asking for a Bergamo record get 404, with the attempt logged?"""
    person = factories.beneficiary(bergamo(), place_name="Bergamo", province="BG")
    intruder = sign_in(client, territories=[factories.territory()])
    reply = getattr(client, method)(route.format(id=person.id), data={"reason": "x"})
    assert reply.status_code == 404
    assert "Pagina non trovata." in reply.text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert event is not None
    assert (event.actor_id, event.object_id, event.territory_id) == (
        intruder.id,
        str(person.id),
        person.territory_id,
    )
    db.session.refresh(person)
    assert person.status == "waiting"


@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 200), ("coordinator", 200), ("tutor", 403), (None, 302)]
)
@pytest.mark.parametrize(("method", "route"), RECORD_ROUTES[:1] + RECORD_ROUTES[3:4])
def test_record_pages_by_role(client, role, expected, method, route):
    """Do admins and the territory's coordinators get in, tutors 403, visitors the login page?"""
    parma = factories.territory()
    person = factories.beneficiary(parma)
    if role:
        sign_in(client, role, territories=[parma] if role == "coordinator" else None)
    reply = getattr(client, method)(route.format(id=person.id))
    assert reply.status_code == expected


@pytest.mark.parametrize("route", LIST_ROUTES)
@pytest.mark.parametrize(("role", "expected"), [("tutor", 403), (None, 302)])
def test_workspace_pages_are_closed_to_tutors_and_visitors(client, route, role, expected):
    """Are the coordinator's pages refused to tutors (403) and visitors (login)?"""
    if role:
        sign_in(client, role)
    assert client.get(route).status_code == expected


def test_lists_and_exports_never_show_other_territories(client):
    """Does a Parma coordinator see only Parma people in the list and in exports?"""
    parma = factories.territory()
    factories.beneficiary(parma, first_name="Parmigiana")
    factories.beneficiary(bergamo(), first_name="Bergamasca", place_name="Bergamo", province="BG")
    sign_in(client, territories=[parma])
    listing = client.get("/beneficiaries").text
    assert "Parmigiana" in listing and "Bergamasca" not in listing
    export = client.get("/beneficiaries/export?table=beneficiaries&format=csv")
    assert export.status_code == 200
    text = export.data.decode("utf-8-sig")
    assert "Parmigiana" in text and "Bergamasca" not in text
    crafted = client.get(
        f"/beneficiaries/export?table=beneficiaries&format=csv&territory={bergamo().id}"
    )
    assert crafted.status_code == 400


def test_admin_sees_every_territory(client):
    """Does an admin see people of every territory?"""
    factories.beneficiary(factories.territory(), first_name="Parmigiana")
    factories.beneficiary(bergamo(), first_name="Bergamasca", place_name="Bergamo", province="BG")
    sign_in(client, "admin")
    listing = client.get("/beneficiaries").text
    assert "Parmigiana" in listing and "Bergamasca" in listing
