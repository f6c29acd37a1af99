"""Foundation: place autocomplete, health check, settings and database-level guards."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from config.settings import ProductionConfig
from tests import factories
from web.extensions import db
from web.models import Match, TutorLanguage, User


def test_places_autocomplete_is_accent_and_case_insensitive(client):
    """Does typing "forli" find Forlì, with larger places first?"""
    found = client.get("/places?q=FORLI").get_json()
    assert found[0]["name"] == "Forlì"
    assert found[0]["province_code"] == "FC"
    assert found[0]["label"] == "Forlì (FC)"


def test_places_autocomplete_returns_ten_larger_first(client):
    """Does a common prefix give the 10 largest matching municipalities?"""
    found = client.get("/places?q=san").get_json()
    assert len(found) == 10
    assert found[0]["name"] == "Sanremo"
    assert all(place["name"].lower().startswith("san") for place in found)


def test_places_autocomplete_finds_word_starts(client):
    """Does "emilia" find Reggio nell'Emilia even though it is not the first word?"""
    names = [place["name"] for place in client.get("/places?q=emilia").get_json()]
    assert "Reggio nell'Emilia" in names


@pytest.mark.parametrize("query", ["", "a", "%", "_", "zzzzzz", "'; drop table place; --"])
def test_places_autocomplete_odd_input_gives_an_empty_list(client, query):
    """Do short, wildcard or hostile queries give an empty list, not an error?"""
    reply = client.get("/places", query_string={"q": query})
    assert reply.status_code == 200
    assert reply.get_json() == []


def test_places_autocomplete_refuses_a_huge_query(client):
    """Does an over-long query get a clear 400 in JSON?"""
    reply = client.get("/places", query_string={"q": "x" * 101})
    assert reply.status_code == 400
    assert "100" in reply.get_json()["error"]


def test_health_reports_database_and_inprocess_tasks(client):
    """Does /healthz say the database is up and that tasks run in-process?"""
    reply = client.get("/healthz")
    assert reply.status_code == 200
    report = reply.get_json()
    assert report["database"]["status"] == "ok"
    assert report["worker"]["mode"] == "inprocess"
    assert report["status"] == "ok"


def test_health_is_503_when_the_database_is_down():
    """Does /healthz answer 503 (not crash) when the database cannot be reached?"""
    from tests.conftest import make_config
    from web import create_app

    app = create_app(make_config("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    reply = app.test_client().get("/healthz")
    assert reply.status_code == 503
    assert reply.get_json()["database"]["status"] == "down"


def test_production_refuses_the_default_secret_key(monkeypatch):
    """Does production refuse to start without a real SECRET_KEY?"""
    from web import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_email_is_unique_ignoring_case_in_the_database(app):
    """Can two accounts differ only by the case of their email? The database says no."""
    factories.user("tutor", email="Giulia@Example.org")
    db.session.add(User(email="giulia@example.org", role="tutor", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    ("column", "value"), [("capacity", 0), ("capacity", 4), ("max_travel_km", 500)]
)
def test_tutor_profile_bounds_are_enforced_by_the_database(app, column, value):
    """Does the database refuse a capacity outside 1–3 or a travel distance over 200 km?"""
    profile = factories.tutor()
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(type(profile)).where(type(profile).id == profile.id).values({column: value})
        )
        db.session.flush()
    db.session.rollback()


def test_language_level_must_be_cefr(app):
    """Does the database refuse a language level outside A1…C2/native?"""
    profile = factories.tutor()
    db.session.add(TutorLanguage(tutor_id=profile.id, lang="fr", level="fluent"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_at_most_one_open_match_per_beneficiary(app):
    """Can a beneficiary have two approved matches? The database says no."""
    beneficiary = factories.beneficiary()
    first, second = factories.tutor(), factories.tutor()
    db.session.add(Match(beneficiary_id=beneficiary.id, tutor_id=first.id, status="approved"))
    db.session.commit()
    db.session.add(Match(beneficiary_id=beneficiary.id, tutor_id=second.id, status="proposed"))
    db.session.commit()  # proposals may coexist with an open match
    db.session.add(Match(beneficiary_id=beneficiary.id, tutor_id=second.id, status="active"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_tutor_capacity_cannot_be_exceeded(app):
    """Does a conditional increment stop at capacity, and the CHECK refuse going past it?"""
    profile = factories.tutor(capacity=1)
    model = type(profile)
    grab = update(model).where(model.id == profile.id, model.open_matches < model.capacity)
    assert db.session.execute(grab.values(open_matches=model.open_matches + 1)).rowcount == 1
    assert db.session.execute(grab.values(open_matches=model.open_matches + 1)).rowcount == 0
    with pytest.raises(IntegrityError):
        db.session.execute(update(model).where(model.id == profile.id).values(open_matches=2))
    db.session.rollback()
