"""Both people in a match hear of it when it ends or its tutor leaves; emails name a person."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.matching_helpers import login
from tests.web.test_email_contact import CARLA, give_contact
from web.extensions import db
from web.models import Match, Notification
from web.models.common import utcnow
from web.services.email_render import render_notification
from web.services.tasks import wait_for_inprocess_tasks

ENDED = {"outcome": "goals_reached", "reason": "Ha trovato lavoro.", "beneficiary_next": "waiting"}


@pytest.fixture
def active_match(app):
    """An active match in Parma (no contact set) approved by Carla Verdi; the tutor reads
    Italian, Amina Arabic."""
    parma = factories.territory()
    coordinator = factories.user(
        "coordinator", territories=[parma], full_name="Carla Verdi", locale="en"
    )
    tutor = factories.tutor(parma, display_name="Giulia Rossi")
    person = factories.beneficiary(parma, first_name="Amina", preferred_language="ar")
    match = Match(
        beneficiary_id=person.id, tutor_id=tutor.id, score=0.7, status="active",
        decided_at=utcnow() - timedelta(weeks=5), decided_by_id=coordinator.id,
        accepted_at=utcnow() - timedelta(weeks=4),
    )  # fmt: skip
    tutor.open_matches = 1
    person.status = "matched"
    db.session.add(match)
    db.session.commit()
    return coordinator, match


def emails(template: str) -> list[Notification]:
    """The outbox rows of one template."""
    return list(db.session.scalars(select(Notification).where(Notification.template == template)))


def test_ending_a_match_thanks_the_tutor_and_tells_the_beneficiary(active_match, client):
    """When a coordinator ends a match, are the tutor (thanked, outcome in words, the match
    linked) and the beneficiary (in Arabic) told, with the coordinator named as contact?"""
    coordinator, match = active_match
    login(client, coordinator)
    client.post(f"/matches/{match.id}/end", data=ENDED)
    assert client.post(f"/matches/{match.id}/end", data=ENDED).status_code == 400
    [to_tutor], [to_person] = emails("match_ended_tutor"), emails("match_ended_beneficiary")
    assert to_tutor.idempotency_key == f"match:{match.id}:ended:tutor"
    assert to_tutor.recipient_email == match.tutor.user.email
    tutor_email = render_notification(to_tutor)
    assert (
        "Esito: Obiettivi raggiunti" in tutor_email.text and "goals_reached" not in tutor_email.html
    )
    assert f"/tutor/matches/{match.id}" in tutor_email.text
    assert "Il tuo posto è di nuovo libero" in tutor_email.text
    assert "Ha trovato lavoro" not in tutor_email.text  # the coordinator's note stays internal
    person_email = render_notification(to_person)
    assert person_email.language == "ar" and 'dir="rtl"' in person_email.html
    for rendered in (tutor_email, person_email):
        assert rendered.reply_to == f"Carla Verdi <{coordinator.email}>"
        assert "Carla Verdi" in rendered.text and coordinator.email in rendered.text


def test_closing_the_record_at_the_end_tells_the_tutor_and_the_person(active_match, client):
    """When the person's record is closed with the match, does the tutor learn the project
    is complete, and does a person whose language has no catalogue get Italian + English?"""
    coordinator, match = active_match
    match.beneficiary.preferred_language = "uk"
    db.session.commit()
    login(client, coordinator)
    client.post(f"/matches/{match.id}/end", data={**ENDED, "beneficiary_next": "closed"})
    [to_tutor], [to_person] = emails("match_ended_tutor"), emails("match_ended_beneficiary")
    assert "Il percorso con Amina è concluso" in render_notification(to_tutor).text
    person_email = render_notification(to_person)
    assert person_email.language == "it, en"
    assert "Il tuo percorso nel progetto ora è chiuso" in person_email.text
    assert "Your place in the project is now closed" in person_email.text


def test_a_tutor_leaving_tells_the_beneficiary_and_names_them_to_coordinators(active_match, client):
    """When the tutor leaves the programme, is the person told (without the tutor's name),
    and do the coordinators learn who left (not only "T-12") with a link to the tutor?"""
    coordinator, match = active_match
    client.post("/login", data={"email": match.tutor.user.email, "password": factories.PASSWORD})
    client.post("/tutor/status/withdraw")
    [told] = emails("tutor_left_to_beneficiary")
    assert told.recipient_email == match.beneficiary.contact_email and told.locale == "ar"
    assert "Giulia" not in str(told.context)
    assert render_notification(told).reply_to.startswith("Carla Verdi")
    [left] = emails("tutor_left_to_coordinator")
    assert "Giulia Rossi (T-" in render_notification(left).text
    client.post("/logout")
    login(client, coordinator)
    assert client.get(urlsplit(left.context["url"]).path).status_code == 200


def test_a_tutor_erasing_their_account_tells_the_beneficiary(active_match, client):
    """When the tutor erases their account, is the person told that they wait again?"""
    _coordinator, match = active_match
    client.post("/login", data={"email": match.tutor.user.email, "password": factories.PASSWORD})
    reply = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    assert reply.status_code == 302
    [told] = emails("tutor_left_to_beneficiary")
    assert "سنبحث عن شخص آخر" in render_notification(told).text


def test_a_tutor_declining_tells_the_beneficiary_who_was_told_of_them(active_match, client):
    """A beneficiary hears of their tutor at approval: if the tutor then declines, are they
    told, and does the coordinators' email link to the person's record?"""
    _coordinator, match = active_match
    match.status = "approved"
    db.session.commit()
    client.post("/login", data={"email": match.tutor.user.email, "password": factories.PASSWORD})
    client.post(f"/tutor/matches/{match.id}/decline", data={"reason": "I move to Milan."})
    assert len(emails("tutor_left_to_beneficiary")) == 1
    [answer] = emails("match_answer_to_coordinator")
    assert answer.context["url"].endswith(f"/beneficiaries/{match.beneficiary_id}")


def test_the_coordinator_email_on_acceptance_links_to_the_match(app, active_match, client):
    """Does "Francesca accepted the match" link to the match page from PUBLIC_URL, and does
    the link open it for the coordinator?"""
    coordinator, match = active_match
    match.status = "approved"
    db.session.commit()
    client.post("/login", data={"email": match.tutor.user.email, "password": factories.PASSWORD})
    client.post(f"/tutor/matches/{match.id}/accept")
    [answer] = emails("match_answer_to_coordinator")
    link = f"{app.config['PUBLIC_URL']}/matches/{match.id}"
    rendered = render_notification(answer)
    assert f'href="{link}"' in rendered.html and link in rendered.text
    client.post("/logout")
    login(client, coordinator)
    assert client.get(urlsplit(link).path).status_code == 200


def test_approval_without_a_territory_contact_names_the_deciding_coordinator(
    app, active_match, client, smtp_sink
):
    """In a territory that names no contact, do the approval emails name the coordinator who
    approved (full name, email, Reply-To) rather than the deployment's address?"""
    coordinator, match = active_match
    other = factories.beneficiary(match.beneficiary.territory, first_name="Yonas")
    login(client, coordinator)
    page = client.get(f"/proposals/beneficiary/{other.id}/manual")
    assert page.status_code == 200
    reply = client.post(
        f"/proposals/beneficiary/{other.id}/manual",
        data={"tutor_id": match.tutor_id, "reason": "They already know each other."},
    )
    assert reply.status_code == 302, reply.text
    wait_for_inprocess_tasks(app)
    for address in (other.contact_email, match.tutor.user.email):
        [message] = [m for m in smtp_sink.messages if m["To"] == address]
        assert message["Reply-To"].addresses[0].addr_spec == coordinator.email
        assert message["Reply-To"].addresses[0].display_name == "Carla Verdi"
        text = message.get_body(("plain",)).get_content()
        assert "Carla Verdi" in text and app.config["CONTACT_EMAIL"] not in text
    tutor_text = next(m for m in smtp_sink.messages if m["To"] == match.tutor.user.email)
    assert "Carla Verdi ha creato un abbinamento" in tutor_text.get_body(("plain",)).get_content()


def test_the_territory_contact_comes_before_the_deciding_coordinator(active_match, client):
    """When the territory names a contact, is it that contact the end emails name?"""
    coordinator, match = active_match
    give_contact(match.beneficiary.territory)
    login(client, coordinator)
    client.post(f"/matches/{match.id}/end", data=ENDED)
    rows = emails("match_ended_tutor") + emails("match_ended_beneficiary")
    assert len(rows) == 2
    for row in rows:
        assert row.context["contact"] == CARLA.as_context()
