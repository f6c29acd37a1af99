"""Step 4 of the tutor's journey: the profile wizard, its bad input, pause and withdraw."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.tutor_journey import PROFILE_STEPS, complete_tutor, fill_profile, verified_tutor
from web.extensions import db
from web.models import TutorProfile


def profile() -> TutorProfile:
    """Return the (only) tutor profile as the database holds it."""
    return db.session.scalar(select(TutorProfile))


def test_wizard_saves_each_step_and_completes_the_profile(client):
    """Does each step save and lead on, until the profile is complete and in a territory?"""
    territory = factories.territory()
    verified_tutor(client)
    first = client.post("/tutor/profile/place", data=PROFILE_STEPS["place"])
    assert first.headers["Location"].endswith("/tutor/profile/skills")
    saved = profile()
    assert saved.place.name == "Fidenza" and saved.territory_id == territory.id
    assert saved.max_travel_km == 15 and saved.remote_ok and saved.profile_completed_at is None
    fill_profile(client)
    saved = profile()
    assert {s.skill_code for s in saved.skills} == {"work_cv", "housing_search"}
    assert {(lang.lang, lang.level) for lang in saved.languages} == {("it", "native"), ("ar", "B1")}
    assert saved.availability == (1 << 2) | (1 << 11) | (1 << 15)  # Mon, Thu eve; Sat morning
    assert saved.capacity == 2 and saved.gender == "f" and saved.profile_completed_at
    page = client.get("/tutor/")
    assert "Fidenza (PR)" in page.text and "Scrivere il curriculum" in page.text
    assert "In attesa che un coordinatore" in page.text


def test_steps_are_prefilled_and_editable_any_time(client):
    """Does reopening a step show what was saved, and can it be changed later?"""
    complete_tutor(client)
    page = client.get("/tutor/profile/place")
    assert 'value="Fidenza (PR)"' in page.text and 'list="place-options"' in page.text
    assert "js/place-autocomplete.js" in page.text
    client.post("/tutor/profile/place", data={"place": "Parma", "max_travel_km": "0"})
    assert profile().place.name == "Parma" and profile().max_travel_km == 0
    assert not profile().remote_ok


def test_place_autocomplete_answers_with_labels_the_form_accepts(client):
    """Do /places suggestions come back as labels that the place step accepts as is?"""
    verified_tutor(client)
    [first, *_] = client.get("/places?q=fiden").json
    assert first["label"] == "Fidenza (PR)"
    reply = client.post(
        "/tutor/profile/place", data={"place": first["label"], "max_travel_km": "5"}
    )
    assert reply.status_code == 302


@pytest.mark.parametrize(
    ("step", "form", "message"),
    [
        ("place", {"place": "Atlantide (XX)", "max_travel_km": "10"}, "Scegli un comune"),
        ("place", {"place": "", "max_travel_km": "10"}, "Scegli un comune"),
        ("place", {"place": "Parma (PR)", "max_travel_km": "201"}, "tra 0 e 200 km"),
        ("place", {"place": "Parma (PR)", "max_travel_km": "-1"}, "tra 0 e 200 km"),
        ("place", {"place": "Parma (PR)", "max_travel_km": "far"}, "tra 0 e 200 km"),
        ("skills", {}, "Scegli almeno una cosa"),
        ("skills", {"skills": ["work_cv", "hacking"]}, "Competenza sconosciuta: hacking."),
        ("languages", {"languages-0-lang": "ar", "languages-0-level": ""}, "Scegli il tuo livello"),
        ("languages", {"languages-0-lang": "", "languages-0-level": "B2"}, "Scegli una lingua"),
        ("languages", {"languages-0-lang": "zz-klingon", "languages-0-level": "B2"}, "Scegli una"),
        (
            "languages",
            {"languages-0-lang": "ar", "languages-0-level": "Z9"},
            "Scegli il tuo livello",
        ),
        ("languages", {"languages-0-lang": "", "languages-0-level": ""}, "Aggiungi almeno"),
        ("availability", {"capacity": "2"}, "Spunta almeno un momento"),
        ("availability", {"slots": ["mon_night"], "capacity": "2"}, "Fascia oraria sconosciuta."),
        ("availability", {"slots": ["mon_evening"], "capacity": "0"}, "Scegli 1, 2 o 3 persone."),
        ("availability", {"slots": ["mon_evening"], "capacity": "4"}, "Scegli 1, 2 o 3 persone."),
        ("availability", {"slots": ["mon_evening"], "capacity": "x"}, "Scegli 1, 2 o 3 persone."),
        ("about", {"display_name": "G", "motivation": "m" * 2001}, "Al massimo 2000 caratteri."),
        ("about", {"display_name": "G", "motivation": "ok", "interests": "i" * 2001}, "Al massimo"),
        ("about", {"display_name": "G", "motivation": ""}, "Raccontaci in poche parole"),
        ("about", {"display_name": "G", "motivation": "ok", "gender": "q"}, "Scegli una delle"),
    ],
)
def test_bad_profile_input_is_explained_and_saved_data_is_kept(client, step, form, message):
    """Does each kind of bad input get a message next to the field, keeping what was saved?"""
    complete_tutor(client)
    before = profile()
    kept = (
        before.place_id,
        before.max_travel_km,
        before.availability,
        before.capacity,
        before.motivation,
        [s.skill_code for s in before.skills],
        [(lang.lang, lang.level) for lang in before.languages],
    )
    page = client.post(f"/tutor/profile/{step}", data=form)
    assert page.status_code == 400
    assert message in html.unescape(page.text)
    after = profile()
    assert kept == (
        after.place_id,
        after.max_travel_km,
        after.availability,
        after.capacity,
        after.motivation,
        [s.skill_code for s in after.skills],
        [(lang.lang, lang.level) for lang in after.languages],
    )


def test_html_in_text_is_stored_as_text_and_shown_escaped(client):
    """Is <script> in the motivation kept verbatim and rendered harmlessly?"""
    complete_tutor(client)
    attack = '<script>alert("x")</script> & <b>bold</b>'
    client.post(
        "/tutor/profile/about",
        data={"display_name": "<i>Giu</i>", "motivation": attack, "interests": ""},
    )
    assert profile().motivation == attack
    for page in (client.get("/tutor/").text, client.get("/tutor/profile/about").text):
        assert "<script>alert" not in page and "&lt;script&gt;" in page
        assert "<i>Giu</i>" not in page


def test_unknown_step_is_404(client):
    """Does a made-up wizard step give a 404 page?"""
    verified_tutor(client)
    assert client.get("/tutor/profile/password").status_code == 404


def test_other_roles_cannot_open_the_tutor_pages(client):
    """Does a coordinator get 403 on the tutor's own pages?"""
    coordinator = factories.user("coordinator", territories=[factories.territory()])
    client.post("/login", data={"email": coordinator.email, "password": factories.PASSWORD})
    assert client.get("/tutor/").status_code == 403


def test_active_tutor_pauses_resumes_and_withdraws(client, monkeypatch):
    """Can an active tutor pause (no new proposals), resume, then leave the programme?"""
    queued = []
    monkeypatch.setattr("web.services.tutor_profile.enqueue", lambda *a: queued.append(a))
    complete_tutor(client)
    client.post("/tutor/status/pause")
    assert profile().status == "pending"  # not vetted yet: nothing to pause
    saved = profile()
    saved.status = "active"
    db.session.commit()
    client.post("/tutor/status/pause")
    assert profile().status == "paused"
    client.post("/tutor/status/resume")
    assert profile().status == "active" and queued == [("matching.incremental_tutor", saved.id)]
    client.post("/tutor/status/withdraw")
    assert profile().status == "withdrawn"
    assert client.post("/tutor/profile/place", data=PROFILE_STEPS["place"]).status_code == 302
    assert client.get("/tutor/status/withdraw").status_code == 405
    assert client.post("/tutor/status/explode").status_code == 404
