"""Shared set-up for the matching workspace tests: a territory with people and a login."""

from __future__ import annotations

from tests import factories
from web.services.tasks import wait_for_inprocess_tasks


def login(client, user) -> None:
    """Sign a user in through the login form."""
    reply = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert reply.status_code == 302, reply.text


def parma_with_people(tutors: int = 2, beneficiaries: int = 2, **tutor_fields):
    """Parma with a coordinator (English UI), tutors and waiting beneficiaries."""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    names = ["Giulia Rossi", "Marco Bianchi", "Sara Greco", "Luca Conti"]
    people_t = [
        factories.tutor(parma, display_name=names[i % 4], **tutor_fields) for i in range(tutors)
    ]
    people_b = [factories.beneficiary(parma, first_name=f"Amina{i}") for i in range(beneficiaries)]
    return parma, coordinator, people_t, people_b


def run_to_done(app, client, territory) -> int:
    """Start a run through the page, let the in-process task finish, return the run id."""
    reply = client.post(f"/runs/territory/{territory.id}")
    assert reply.status_code == 302, reply.text
    run_id = int(reply.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    wait_for_inprocess_tasks(app)
    return run_id
