"""Step 5 of the tutor's journey: a coordinator of the tutor's province vets them."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.tutor_journey import complete_tutor, notifications
from web.extensions import db
from web.models import AuditEvent, TutorProfile

TODAY = date.today()
GOOD_DATES = {
    "training_completed_on": (TODAY - timedelta(days=3)).isoformat(),
    "background_check_on": (TODAY - timedelta(days=10)).isoformat(),
    "background_check_expires_on": (TODAY + timedelta(days=355)).isoformat(),
}


def coordinator_of(client, code: str = "PR", name: str = "Parma"):
    """Sign in (on a fresh cookie jar) as a coordinator of one territory."""
    client.post("/logout")
    territory = factories.territory(code, name)
    coordinator = factories.user("coordinator", territories=[territory])
    client.post("/login", data={"email": coordinator.email, "password": factories.PASSWORD})
    return coordinator


def test_coordinator_approves_a_tutor_who_is_told_and_matched(client, monkeypatch):
    """Does approval record the checks, activate the tutor, email them and start matching?"""
    queued = []
    monkeypatch.setattr("web.services.vetting.enqueue", lambda *args: queued.append(args))
    tutor = complete_tutor(client)
    coordinator = coordinator_of(client)
    queue = client.get("/vetting/")
    assert "Giulia" in queue.text and f"/vetting/tutors/{tutor.id}" in queue.text
    detail = client.get(f"/vetting/tutors/{tutor.id}")
    assert "I was new in a city once." in detail.text
    reply = client.post(f"/vetting/tutors/{tutor.id}/approve", data=GOOD_DATES)
    assert reply.status_code == 302
    approved = db.session.get(TutorProfile, tutor.id)
    assert approved.status == "active" and approved.vetted_by_id == coordinator.id
    assert approved.background_check_expires_on == TODAY + timedelta(days=355)
    [email] = notifications("tutor_approved")
    assert email.recipient_email == "giulia@example.org"
    assert queued == [("matching.incremental_tutor", tutor.id)]
    assert f"/vetting/tutors/{tutor.id}" not in client.get("/vetting/").text


def test_coordinator_declines_with_a_reason_the_tutor_reads(client):
    """Does declining need a reason, and is the tutor told it by email and on their page?"""
    tutor = complete_tutor(client)
    coordinator_of(client)
    empty = client.post(f"/vetting/tutors/{tutor.id}/decline", data={"reason": " "})
    assert empty.status_code == 400 and "Indica il motivo" in empty.text
    client.post(f"/vetting/tutors/{tutor.id}/decline", data={"reason": "Area is full."})
    assert db.session.get(TutorProfile, tutor.id).status == "declined"
    assert notifications("tutor_declined")[0].context["reason"] == "Area is full."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"background_check_expires_on": (TODAY - timedelta(days=1)).isoformat()}, "scaduta"),
        ({"training_completed_on": (TODAY + timedelta(days=5)).isoformat()}, "nel futuro"),
        ({"background_check_on": ""}, "Inserisci la data della verifica"),
        ({"background_check_on": "2026-02-31"}, 'id="background_check_on-error"'),
    ],
)
def test_bad_vetting_dates_are_refused(client, change, message):
    """Are impossible or expired check dates refused with a message, the tutor left pending?"""
    tutor = complete_tutor(client)
    coordinator_of(client)
    page = client.post(f"/vetting/tutors/{tutor.id}/approve", data={**GOOD_DATES, **change})
    assert page.status_code == 400 and message in html.unescape(page.text)
    assert db.session.get(TutorProfile, tutor.id).status == "pending"


def test_coordinator_of_another_province_gets_404_and_is_audited(client):
    """Can a coordinator of Bergamo see or vet a Parma tutor? No: 404, and the attempt is logged."""
    tutor = complete_tutor(client)
    coordinator_of(client, "BG", "Bergamo")
    assert "Giulia" not in client.get("/vetting/").text
    assert client.get(f"/vetting/tutors/{tutor.id}").status_code == 404
    assert client.post(f"/vetting/tutors/{tutor.id}/approve", data=GOOD_DATES).status_code == 404
    assert db.session.get(TutorProfile, tutor.id).status == "pending"
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "tutor.view_denied"))
    assert len(list(denied)) == 2


def test_tutors_cannot_vet(client):
    """Does a tutor get 403 on the vetting pages?"""
    complete_tutor(client)
    assert client.get("/vetting/").status_code == 403
