"""After a failed submit, every form opens with an error summary that links to its fields."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.web.matching_helpers import login, run_to_done
from web.extensions import db
from web.services import decisions, form_errors

SUMMARY = re.compile(
    r'<div class="error-summary" role="alert" tabindex="-1" autofocus>(.*?)</div>', re.S
)


def summary_links(page: str) -> list[str]:
    """Return the ids the page's one error summary links to; each must be on the page."""
    found = SUMMARY.findall(page)
    assert len(found) == 1, f"{len(found)} error summaries on the page"
    links = re.findall(r'href="#([^"]+)"', found[0])
    for target in links:
        assert f'id="{target}"' in page, f"the summary links to #{target}, not on the page"
    return links


@pytest.fixture
def programme(app):
    """Parma: an English-speaking coordinator and tutor, a match, a person, a tutor to vet."""
    parma = factories.territory()
    coordinator = factories.user("coordinator", territories=[parma], locale="en")
    tutor = factories.tutor(parma)
    tutor.user.locale = "en"
    person = factories.beneficiary(parma, first_name="Yonas")
    pending = factories.tutor(parma, status="pending", display_name="Paolo")
    match = decisions.match_by_hand(person, tutor, coordinator.id, "Same street.")
    waiting = factories.beneficiary(parma, first_name="Amina")
    db.session.commit()
    return {
        "coordinator": coordinator,
        "tutor": tutor.user,
        "match": match.id,
        "person": waiting.id,
        "pending": pending.id,
        "tutor_id": tutor.id,
    }


ANONYMOUS = [
    ("/signup", {}, {"full_name", "email", "password", "accept_privacy"}),
    ("/login", {"email": "nobody@example.org", "password": "wrong-password"}, {"email"}),
    ("/password/forgot", {"email": "not an address"}, {"email"}),
    ("/signup/resend", {"email": ""}, {"email"}),
]


@pytest.mark.parametrize(("path", "data", "expected"), ANONYMOUS)
def test_anonymous_forms_open_with_a_linked_summary(client, path, data, expected):
    """Does a failed sign-up, login or reset request list each error as a link to its field?"""
    reply = client.post(path, data=data)
    assert reply.status_code in (400, 401)
    assert expected <= set(summary_links(reply.text))


def test_wrong_password_is_in_the_summary_not_a_banner(client, programme):
    """Is 'wrong email or password' in the login form's summary, linked to the email field?"""
    user = programme["coordinator"]
    reply = client.post("/login", data={"email": user.email, "password": "not-the-password"})
    summary = SUMMARY.search(reply.text).group(1)
    assert 'href="#email"' in summary and "Email o password errati." in summary


TUTOR = [
    ("/tutor/profile/skills", {}, {"skills"}),
    ("/tutor/profile/availability", {"capacity": "9"}, {"capacity-0"}),
    ("/tutor/profile/place", {"place": "Parma (PR)", "max_travel_km": "900"}, {"max_travel_km"}),
    ("/tutor/profile/about", {"display_name": ""}, {"display_name"}),
    ("/matches/{match}/meetings/new", {"duration_minutes": "0"}, {"duration_minutes"}),
    ("/tutor/matches/{match}/decline", {}, {"reason"}),
    ("/account/password", {"current_password": "wrong"}, {"new_password"}),
]


@pytest.mark.parametrize(("path", "data", "expected"), TUTOR)
def test_tutor_forms_open_with_a_linked_summary(client, programme, path, data, expected):
    """Does each form a tutor fills open, after a failed submit, with a linked summary?"""
    login(client, programme["tutor"])
    reply = client.post(path.format(**programme), data=data)
    assert reply.status_code == 400
    assert expected <= set(summary_links(reply.text))


COORDINATOR = [
    ("/beneficiaries/new", {}, {"first_name", "contact_email", "first_language", "consent"}),
    ("/beneficiaries/{person}/close", {}, {"reason"}),
    ("/matches/{match}/end", {"beneficiary_next": "?"}, {"outcome", "beneficiary_next-0"}),
    (
        "/vetting/tutors/{pending}/approve",
        {"training_completed_on": "x"},
        {"training_completed_on"},
    ),
    ("/vetting/tutors/{pending}/decline", {}, {"reason"}),
    ("/beneficiaries/import", {}, {"file"}),
    ("/proposals/beneficiary/{person}/manual", {"tutor_id": "{tutor_id}", "reason": ""}, {"q"}),
]


@pytest.mark.parametrize(("path", "data", "expected"), COORDINATOR)
def test_coordinator_forms_open_with_a_linked_summary(client, programme, path, data, expected):
    """Does each form a coordinator fills open, after a failed submit, with a linked summary?"""
    login(client, programme["coordinator"])
    data = {key: value.format(**programme) for key, value in data.items()}
    reply = client.post(path.format(**programme), data=data)
    assert reply.status_code == 400
    assert expected <= set(summary_links(reply.text))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/dashboard/report?since=someday&until=2026-01-31", {"since"}),
        ("/audit?since=someday", {"since"}),
        ("/beneficiaries?status=lost", {"status"}),
    ],
)
def test_filter_forms_open_with_a_linked_summary(client, programme, path, expected):
    """Do the report period and the list filters show a linked summary for a bad value?"""
    login(client, programme["coordinator"])
    reply = client.get(path)
    assert reply.status_code == 400
    assert expected <= set(summary_links(reply.text))


def test_a_failed_rejection_reopens_its_form_with_a_summary(app, client, programme):
    """Does rejecting without a reason reopen that proposal's form, with the summary linked?"""
    login(client, programme["coordinator"])
    parma = factories.territory()
    run_id = run_to_done(app, client, parma)
    client.post(f"/runs/{run_id}/publish")
    page = client.get(f"/proposals/territory/{parma.id}").text
    match_id = re.search(r'/proposals/(\d+)/reject"', page).group(1)
    reply = client.post(f"/proposals/{match_id}/reject", data={"reason_code": "other"})
    assert reply.status_code == 400
    assert summary_links(reply.text) == [f"details-{match_id}"]
    assert "Say why in a few words." in reply.text
    assert re.search(r'<details class="reject" open>', reply.text)


def test_a_problem_with_no_field_still_shows_with_no_dead_link(app):
    """Is a message about the whole form (e.g. an expired session) listed, linked to the top?"""
    from wtforms import Form, HiddenField, StringField

    class Sample(Form):
        token = HiddenField()
        name = StringField("Name")

    form = Sample()
    form.token.errors = ["The session expired."]
    form.form_errors.append("Something went wrong.")
    found = form_errors.problems(form)
    assert [(p.message, p.target) for p in found] == [
        ("Something went wrong.", "name"),
        ("The session expired.", None),
    ]
