"""Emails name the person to reach, reply to them, and link to pages from PUBLIC_URL."""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests import factories
from tests.smtp_sink import SmtpSink
from tests.web.matching_helpers import login, parma_with_people, run_to_done
from web.extensions import db
from web.models import Match, Notification, Territory
from web.models.common import utcnow
from web.services import digests
from web.services.contacts import Contact
from web.services.email_render import (
    EMAIL_LANGUAGES,
    email_templates,
    is_available,
    render_email,
    sample_context,
)
from web.services.notifications import notify
from web.services.tasks import wait_for_inprocess_tasks

CARLA = Contact("Carla Verdi", "carla.verdi@parma.example.org", "+39 0521 123456")


def give_contact(territory: Territory, contact: Contact = CARLA) -> Territory:
    """Name a contact for the territory, as its settings page does."""
    territory.contact_name = contact.name
    territory.contact_email = contact.email
    territory.contact_phone = contact.phone
    db.session.commit()
    return territory


def message_to(sink: SmtpSink, address: str) -> EmailMessage:
    """Return the one message the sink received for this address."""
    (message,) = [m for m in sink.messages if m["To"] == address]
    return message


def bodies(message: EmailMessage) -> tuple[str, str]:
    """Return the HTML and plain-text parts of a message."""
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    return html, text


def assert_names(message: EmailMessage, contact: Contact) -> None:
    """Check that both parts name the contact and that replies go to them."""
    assert message["Reply-To"].addresses[0].addr_spec == contact.email
    assert message["Reply-To"].addresses[0].display_name == contact.name
    for part in bodies(message):
        assert contact.name in part and contact.email in part
        if contact.phone:
            assert contact.phone in part


def test_approval_emails_name_the_territory_contact_and_link_to_the_match(app, client, smtp_sink):
    """When a coordinator approves a proposal, do both emails (the beneficiary's in Arabic)
    name the territory's contact, reply to them, and does the tutor's link open the match?"""
    parma, coordinator, _tutors, people = parma_with_people()
    give_contact(parma)
    login(client, coordinator)
    client.post(f"/runs/{run_to_done(app, client, parma)}/publish")
    proposal = db.session.scalar(
        select(Match).where(Match.beneficiary_id == people[0].id, Match.rank == 0)
    )
    assert client.post(f"/proposals/{proposal.id}/approve").status_code == 302
    wait_for_inprocess_tasks(app)

    beneficiary_email = message_to(smtp_sink, people[0].contact_email)
    assert beneficiary_email["Content-Language"] == "ar"
    assert 'dir="rtl"' in bodies(beneficiary_email)[0]
    assert_names(beneficiary_email, CARLA)

    tutor_email = message_to(smtp_sink, proposal.tutor.user.email)
    assert_names(tutor_email, CARLA)
    link = f"{app.config['PUBLIC_URL']}/tutor/matches/{proposal.id}"
    html, text = bodies(tutor_email)
    assert f'href="{link}"' in html and link in text
    assert "/home" not in html + text
    client.post("/logout")
    login(client, proposal.tutor.user)
    assert client.get(urlsplit(link).path).status_code == 200


@pytest.mark.parametrize("language", EMAIL_LANGUAGES)
def test_beneficiary_email_in_each_language_names_the_contact(app, smtp_sink, language):
    """Does a beneficiary's email arrive in their language (not the it/en fallback), naming
    the territory's contact, with the contact as Reply-To?"""
    parma = give_contact(factories.territory())
    notify(
        key=f"approved-{language}",
        to="amina@example.org",
        template="match_approved_beneficiary",
        locale=language,
        territory_id=parma.id,
        context={"first_name": "Amina", "tutor_name": "Giulia"},
    )
    db.session.commit()
    wait_for_inprocess_tasks(app)
    message = message_to(smtp_sink, "amina@example.org")
    assert message["Content-Language"] == language
    assert_names(message, CARLA)


def test_emails_of_no_territory_use_the_deployment_contact_and_ignore_a_forged_host(
    app, client, smtp_sink
):
    """Does a password-reset email name the deployment-wide contact, reply to it, and build
    its link from PUBLIC_URL even when the request came with a forged Host header?"""
    app.config.update(
        CONTACT_NAME="Segreteria Tutor Match",
        CONTACT_EMAIL="segreteria@tutormatch.example.org",
        CONTACT_PHONE="",
    )
    account = factories.user("tutor", email="giulia@example.org")
    client.post(
        "/password/forgot",
        data={"email": account.email},
        headers={"Host": "evil.example"},
    )
    wait_for_inprocess_tasks(app)
    message = message_to(smtp_sink, account.email)
    assert_names(message, Contact("Segreteria Tutor Match", "segreteria@tutormatch.example.org"))
    html, text = bodies(message)
    assert "evil.example" not in html + text
    assert f"{app.config['PUBLIC_URL']}/password/reset/" in text


def test_a_territory_without_its_own_contact_falls_back_to_the_deployment_contact(app):
    """Does an email of a territory that names no contact carry the deployment's contact?"""
    parma = factories.territory()
    row = notify(key="k", to="a@example.org", template="test_message", territory_id=parma.id)
    assert row.context["contact"] == {
        "name": app.config["CONTACT_NAME"],
        "email": app.config["CONTACT_EMAIL"],
        "phone": app.config["CONTACT_PHONE"],
    }


def test_meeting_reminder_links_to_the_match_and_names_the_contact(app):
    """Does the weekly reminder to a tutor link to the match itself and carry the contact?"""
    parma = give_contact(factories.territory())
    match = Match(
        beneficiary=factories.beneficiary(parma),
        tutor=factories.tutor(parma),
        status="active",
        score=0.8,
        accepted_at=utcnow() - timedelta(weeks=5),
    )
    db.session.add(match)
    db.session.commit()
    assert digests.send_meeting_reminders(date.today()) == 1
    reminder = db.session.scalar(select(Notification))
    assert reminder.context["url"] == f"{app.config['PUBLIC_URL']}/tutor/matches/{match.id}"
    assert reminder.context["contact"] == CARLA.as_context()


@pytest.mark.parametrize("language", EMAIL_LANGUAGES)
def test_every_email_is_written_in_each_language_and_names_the_contact(app, language):
    """Is every email complete in it, en, fr and ar, and does each name the contact?"""
    for template in email_templates():
        assert is_available(template, language), template
        context = {**sample_context(template), "contact": CARLA.as_context()}
        rendered = render_email(template, language, context)
        assert rendered.language == language
        for part in (rendered.html, rendered.text):
            assert CARLA.name in part and CARLA.email in part and CARLA.phone in part, template
