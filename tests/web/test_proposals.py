"""Reviewing proposals: approve, reject, pick an alternative, approve many, match by hand."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.matching_helpers import login, parma_with_people, run_to_done
from web.extensions import db
from web.models import AuditEvent, Beneficiary, Match, Notification, TutorProfile
from web.services import engine_io


@pytest.fixture
def published(app, client):
    """Parma with two tutors, two waiting people and a published run; the coordinator is in."""
    parma, coordinator, tutors, people = parma_with_people()
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    client.post(f"/runs/{run_id}/publish")
    return parma, coordinator, tutors, people


def proposals_of(person) -> list[Match]:
    """The person's proposals, by rank."""
    return list(
        db.session.scalars(
            select(Match).where(Match.beneficiary_id == person.id).order_by(Match.rank)
        )
    )


def test_review_lists_choice_alternatives_bars_and_reasons(published, client):
    """Does the review page show the proposed tutor, alternatives, score bars and reasons?"""
    parma, _, _tutors, people = published
    page = client.get(f"/proposals/territory/{parma.id}").text
    assert people[0].code in page and "Proposed tutor" in page and "1 alternative" in page
    assert 'class="bar"><span style="width: 100.0%"' in page
    assert "covers 1 of 1 need: Writing a CV" in page and "in the same municipality" in page
    assert "Choose this tutor instead" in page


def test_approve_matches_takes_a_place_and_notifies_both(published, client):
    """Does approving match the person, use one of the tutor's places and write two emails?"""
    _, coordinator, _, people = published
    choice = proposals_of(people[0])[0]
    reply = client.post(f"/proposals/{choice.id}/approve", follow_redirects=True)
    assert "Approved:" in reply.text
    db.session.refresh(choice)
    assert choice.status == "approved" and choice.decided_by_id == coordinator.id
    assert [m.status for m in proposals_of(people[0])] == ["approved", "superseded"]
    assert db.session.get(Beneficiary, people[0].id).status == "matched"
    assert db.session.get(TutorProfile, choice.tutor_id).open_matches == 1
    mails = {n.template: n for n in db.session.scalars(select(Notification))}
    assert mails["match_approved_beneficiary"].locale == "ar"
    assert mails["match_approved_tutor"].recipient_email == choice.tutor.user.email
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "match_approved"))


def test_approving_twice_says_it_was_already_decided(published, client):
    """Does a second approval of the same proposal explain itself and change nothing?"""
    _, _, _, people = published
    choice = proposals_of(people[0])[0]
    client.post(f"/proposals/{choice.id}/approve")
    reply = client.post(f"/proposals/{choice.id}/approve", follow_redirects=True)
    assert "already decided by someone else" in reply.text
    assert db.session.get(TutorProfile, choice.tutor_id).open_matches == 1


def test_a_full_tutor_cannot_be_approved(published, client):
    """Is approval refused, with the reason, when the tutor has no free place left?"""
    _, _, _, people = published
    choice = proposals_of(people[0])[0]
    tutor = db.session.get(TutorProfile, choice.tutor_id)
    tutor.capacity = 1
    tutor.open_matches = 1
    db.session.commit()
    reply = client.post(f"/proposals/{choice.id}/approve", follow_redirects=True)
    assert "has no free place any more" in reply.text
    assert db.session.get(Match, choice.id).status == "proposed"
    assert db.session.get(Beneficiary, people[0].id).status == "waiting"


def test_pick_an_alternative(published, client):
    """Does choosing an alternative, once confirmed, approve it and email both people?"""
    _, _, _, people = published
    _choice, alternative = proposals_of(people[0])
    reply = client.post(f"/proposals/{alternative.id}/approve", data={"confirmed": "yes"})
    assert reply.status_code == 302
    assert [m.status for m in proposals_of(people[0])] == ["superseded", "approved"]
    emails = set(db.session.scalars(select(Notification.template)))
    assert emails == {"match_approved_beneficiary", "match_approved_tutor"}


def test_choosing_an_alternative_warns_and_asks_for_confirmation(published, client):
    """Does "Choose this tutor instead" say it approves and emails, and wait for a confirmation?"""
    parma, _, _, people = published
    _choice, alternative = proposals_of(people[0])
    page = client.get(f"/proposals/territory/{parma.id}").text
    action = f'action="/proposals/{alternative.id}/approve"'
    blocks = re.findall(r'<details class="choose-instead"[^>]*>.*?</details>', page, re.S)
    inside = next((block for block in blocks if action in block), "")
    assert inside, "the alternative's approval is not behind a disclosure"
    assert "<summary" in inside and "Choose this tutor instead" in inside
    assert "Approves this pair now; the tutor and the beneficiary are emailed." in inside
    assert 'name="confirmed" value="yes"' in inside and 'type="submit"' in inside
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script: a strict CSP"
    assert "onclick" not in page and "onsubmit" not in page

    unconfirmed = client.post(f"/proposals/{alternative.id}/approve")
    assert unconfirmed.status_code == 302
    assert [m.status for m in proposals_of(people[0])] == ["proposed", "proposed"]
    assert db.session.scalar(select(Notification)) is None
    asked = client.get(unconfirmed.headers["Location"]).text
    opened = re.findall(r'<details class="choose-instead" open>.*?</details>', asked, re.S)
    assert [block for block in opened if action in block], "the confirmation is not open"
    assert '<details class="alternatives" open>' in asked  # and the list it sits in
    assert "Not approved yet" in asked


def test_the_proposed_tutor_is_approved_without_a_confirmation_step(published, client):
    """Does "Approve" on the engine's choice still approve at once (the page says so above)?"""
    _, _, _, people = published
    choice, _alternative = proposals_of(people[0])
    client.post(f"/proposals/{choice.id}/approve")
    assert [m.status for m in proposals_of(people[0])] == ["approved", "superseded"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose a reason from the list."),
        ({"reason_code": "made-up"}, "Not a valid choice"),
        ({"reason_code": "other", "reason_text": "  "}, "Say why in a few words."),
        ({"reason_code": "language", "reason_text": "x" * 501}, "At most 500 characters."),
    ],
)
def test_reject_needs_a_reason(published, client, form, message):
    """Is a rejection without a proper reason refused with a clear message?"""
    _, _, _, people = published
    choice = proposals_of(people[0])[0]
    reply = client.post(f"/proposals/{choice.id}/reject", data=form, follow_redirects=True)
    assert message in reply.text
    assert db.session.get(Match, choice.id).status == "proposed"


def test_rejected_pair_is_never_proposed_again(app, published, client):
    """Is a rejected pair excluded from later runs?"""
    parma, _, _, people = published
    choice = proposals_of(people[0])[0]
    data = {"reason_code": "distance", "reason_text": "bus lines do not fit"}
    reply = client.post(f"/proposals/{choice.id}/reject", data=data, follow_redirects=True)
    assert "will not be proposed again" in reply.text
    assert (people[0].id, choice.tutor_id) in engine_io.territory_excluded_pairs(parma.id)
    run_id = run_to_done(app, client, parma)
    client.post(f"/runs/{run_id}/publish")
    pairs = {(m.tutor_id, m.status) for m in proposals_of(people[0])}
    assert (choice.tutor_id, "proposed") not in pairs


def test_approve_many_reports_each_failure(published, client):
    """Does bulk approval approve what it can and say why the rest failed?"""
    parma, _, _, people = published
    first, second = proposals_of(people[0])[0], proposals_of(people[1])[0]
    alternative = proposals_of(people[0])[1]
    reply = client.post(
        f"/proposals/territory/{parma.id}/approve",
        data={"match_id": [str(first.id), str(second.id), str(alternative.id)]},
        follow_redirects=True,
    )
    assert "2 proposals approved." in reply.text
    assert f"{people[0].code}: " in reply.text
    assert db.session.get(Match, alternative.id).status == "superseded"


@pytest.mark.parametrize("value", ["abc", "-1", "1" * 20])
def test_approve_many_with_tampered_ids_is_400(published, client, value):
    """Is a tampered checkbox value a 400, never a 500?"""
    parma, _, _, _ = published
    reply = client.post(f"/proposals/territory/{parma.id}/approve", data={"match_id": value})
    assert reply.status_code == 400


def test_approve_many_ignores_other_territories(published, client):
    """Can a ticked id from another territory be approved through this one? It must not."""
    parma, _, _, _ = published
    bergamo = factories.territory("BG", "Bergamo", "Lombardia")
    tutor = factories.tutor(bergamo, place_name="Bergamo", province="BG")
    person = factories.beneficiary(bergamo, place_name="Bergamo", province="BG")
    foreign = Match(beneficiary_id=person.id, tutor_id=tutor.id, score=0.5, status="proposed")
    db.session.add(foreign)
    db.session.commit()
    reply = client.post(
        f"/proposals/territory/{parma.id}/approve",
        data={"match_id": str(foreign.id)},
        follow_redirects=True,
    )
    assert "is not in this territory" in reply.text
    assert db.session.get(Match, foreign.id).status == "proposed"


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_other_territory_proposal_is_404(published, client, action):
    """Does a Bergamo coordinator get 404 (audited) for a Parma proposal?"""
    _, _, _, people = published
    choice = proposals_of(people[0])[0]
    client.post("/logout")
    bergamo = factories.territory("BG", "Bergamo", "Lombardia")
    login(client, factories.user("coordinator", territories=[bergamo]))
    reply = client.post(f"/proposals/{choice.id}/{action}", data={"reason_code": "other"})
    assert reply.status_code == 404
    assert db.session.get(Match, choice.id).status == "proposed"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))


def test_match_by_hand_shows_score_and_broken_rules(app, client):
    """Does the search show each tutor's score and the hard rules the pair breaks?"""
    parma, coordinator, _, _ = parma_with_people(tutors=0, beneficiaries=0)
    person = factories.beneficiary(parma, languages={"ti": "native"})
    factories.tutor(parma, display_name="Giulia Rossi")
    login(client, coordinator)
    page = client.get(f"/proposals/beneficiary/{person.id}/manual?q=giulia").text
    assert "Giulia Rossi" in page and "score" in page
    assert "Breaks these rules:" in page and "no shared language" in page
    by_skill = client.get(f"/proposals/beneficiary/{person.id}/manual?q=CV").text
    assert "Giulia Rossi" in by_skill
    long_query = client.get(f"/proposals/beneficiary/{person.id}/manual?q={'x' * 101}")
    assert long_query.status_code == 200 and "At most 100 characters." in long_query.text


def test_match_by_hand_needs_a_reason_and_is_audited(app, client):
    """Is a manual match refused without a reason, then saved as approved and audited?"""
    _parma, coordinator, tutors, people = parma_with_people(tutors=1, beneficiaries=1)
    login(client, coordinator)
    url = f"/proposals/beneficiary/{people[0].id}/manual"
    refused = client.post(url, data={"tutor_id": tutors[0].id, "reason": "", "q": "Giulia"})
    assert refused.status_code == 400 and "Say why you match them by hand." in refused.text
    done = client.post(url, data={"tutor_id": tutors[0].id, "reason": "They met at the library"})
    assert done.status_code == 302
    match = db.session.scalar(select(Match).where(Match.manual.is_(True)))
    assert match.status == "approved" and match.decision_reason == "They met at the library"
    assert db.session.get(TutorProfile, tutors[0].id).open_matches == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "match_manual"))


@pytest.mark.parametrize("tutor_id", ["999999", "abc", ""])
def test_match_by_hand_with_a_bad_tutor_is_explained(app, client, tutor_id):
    """Is an unknown or malformed tutor id a clear 400, never a 500?"""
    _parma, coordinator, _, people = parma_with_people(tutors=0, beneficiaries=1)
    login(client, coordinator)
    reply = client.post(
        f"/proposals/beneficiary/{people[0].id}/manual", data={"tutor_id": tutor_id, "reason": "x"}
    )
    assert reply.status_code == 400 and "Choose" in reply.text
    assert db.session.scalar(select(Match)) is None


def test_match_by_hand_refuses_a_tutor_of_another_territory(app, client):
    """Can a coordinator match someone with a Bergamo tutor through a tampered id? No."""
    _parma, coordinator, _, people = parma_with_people(tutors=0, beneficiaries=1)
    bergamo = factories.territory("BG", "Bergamo", "Lombardia")
    foreign = factories.tutor(bergamo, place_name="Bergamo", province="BG")
    login(client, coordinator)
    reply = client.post(
        f"/proposals/beneficiary/{people[0].id}/manual",
        data={"tutor_id": foreign.id, "reason": "x"},
    )
    assert reply.status_code == 400 and "active tutor of this territory" in reply.text
    assert db.session.get(TutorProfile, foreign.id).open_matches == 0


def test_second_open_match_for_a_person_is_refused(published, client):
    """Does a manual match for someone already matched say they already have an open match?"""
    _, _, tutors, people = published
    choice = proposals_of(people[0])[0]
    client.post(f"/proposals/{choice.id}/approve")
    other = next(t for t in tutors if t.id != choice.tutor_id)
    reply = client.post(
        f"/proposals/beneficiary/{people[0].id}/manual",
        data={"tutor_id": other.id, "reason": "second try"},
    )
    assert reply.status_code == 400 and "already has an open match" in reply.text
