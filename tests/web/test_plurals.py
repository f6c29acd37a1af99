"""Counts in sentences agree with their number; form errors say what is wrong, in good Italian."""

from __future__ import annotations

from datetime import date

from tests import factories
from tests.web.matching_helpers import login, parma_with_people, run_to_done
from tests.web.test_follow import open_match  # noqa: F401 - fixture
from tests.web.test_import import csv_bytes, upload
from web.extensions import db


def test_one_published_and_approved_proposal_is_singular_in_italian(app, client):
    """Do publishing and approving one proposal say "1 proposta pubblicata/approvata"?"""
    parma, coordinator, _, _ = parma_with_people(tutors=1, beneficiaries=1)
    coordinator.locale = "it"
    db.session.commit()
    login(client, coordinator)
    run_id = run_to_done(app, client, parma)
    page = client.post(f"/runs/{run_id}/publish", follow_redirects=True).text
    assert "1 proposta pubblicata." in page
    match_id = page.split('name="match_id" value="', 1)[1].split('"', 1)[0]
    reply = client.post(
        f"/proposals/territory/{parma.id}/approve", data={"match_id": match_id},
        follow_redirects=True,
    )  # fmt: skip
    assert "1 proposta approvata." in reply.text


def test_import_preview_counts_one_row_and_one_problem_in_the_singular(client):
    """Does a file with one good row and one bad one read "1 riga … 1 problema trovato"?"""
    login(client, factories.user("coordinator", territories=[factories.territory()]))
    content = csv_bytes([{}, {"first_name": ""}])
    reply = upload(client, content)
    if reply.status_code == 302:
        reply = client.get(reply.headers["Location"])
    text = " ".join(reply.text.split())
    assert "1 riga può essere creata; 1 problema trovato." in text, text
    assert "Importa 1 persona" in text


def test_tutor_home_counts_one_time_and_one_person_in_the_singular(client):
    """Does a tutor free once a week for one person read "1 momento … 1 persona"?"""
    profile = factories.tutor(availability=0b1, capacity=1)
    login(client, profile.user)
    text = " ".join(client.get("/tutor/").text.split())
    assert "1 momento a settimana · fino a 1 persona insieme" in text, text


def test_a_bad_choice_reads_as_good_italian(client):
    """Does a value outside a list get "Non è un'opzione valida", not WTForms' "una opzione"?"""
    parma = factories.territory()
    login(client, factories.user("coordinator", territories=[parma]))
    reply = client.post("/beneficiaries/new", data={"gender": "zz", "first_name": "Amina"})
    assert reply.status_code == 400
    assert "Non è un&#39;opzione valida" in reply.text and "una opzione" not in reply.text


def test_a_meeting_too_long_or_too_short_is_told_what_is_wrong(open_match, client):  # noqa: F811
    """Does a bad duration get an error about the number given, not the hint repeated?"""
    _, _, tutor, _, match = open_match
    tutor.user.locale = "it"
    db.session.commit()
    login(client, tutor.user)
    url = f"/matches/{match.id}/meetings/new"
    held_on = date.today().isoformat()
    long = client.post(url, data={"held_on": held_on, "duration_minutes": "1000"}).text
    assert "1000 minuti sono più di 12 ore" in long
    assert long.count("Tra 1 e 720 minuti.") == 1  # the hint, said once
    short = client.post(url, data={"held_on": held_on, "duration_minutes": "0"}).text
    assert "0 minuti non sono una durata" in short
