"""Reason codes rendered as sentences in Italian and English, never crashing."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from matching.explain import ALL_REASONS
from tests.conftest import make_config
from web import create_app
from web.services import reasons


@pytest.fixture
def app():
    """An app for rendering only: no database is touched."""
    return create_app(make_config("sqlite://"))


EXAMPLES = {
    "needs_covered": {
        "covered": 3,
        "total": 4,
        "skills": ["housing_search", "work_cv"],
        "missing": [],
    },
    "language_shared": {"lang": "ar", "level": "C1", "first_language": True},
    "italian_only": {"level": "A1"},
    "distance_km": {"km": 6.0},
    "availability_overlap": {"slots": ["tue_evening", "thu_evening"]},
    "no_shared_language": {"languages": ["ti"], "tutors_in_reach": 4, "within_km": 25.0},
    "waiting_days": {"days": 1},
}


@pytest.mark.parametrize(
    ("locale", "code", "sentence"),
    [
        ("en", "needs_covered", "covers 3 of 4 needs: Finding a rental home, Writing a CV"),
        ("en", "language_shared", "speaks Arabic C1 (first language)"),
        ("en", "italian_only", "shares only Italian, at A1"),
        ("it", "italian_only", "condivide solo l'italiano, a livello A1"),
        ("en", "distance_km", "6 km away"),
        ("en", "availability_overlap", "both free Tue/Thu evening"),
        ("en", "no_shared_language", "no tutor within 25 km speaks Tigrinya"),
        ("en", "waiting_days", "waiting for 1 day"),
        ("it", "language_shared", "arabo"),
        ("it", "availability_overlap", "momenti liberi in comune: mar/gio sera"),
        ("it", "no_shared_language", "nessun tutor entro 25 km parla tigrino"),
        ("it", "needs_covered", "copre 3 bisogni su 4: Ricerca di una casa in affitto"),
    ],
)
def test_reasons_read_as_sentences(app, locale, code, sentence):
    """Does each reason code become the expected sentence in the reader's language?"""
    with app.test_request_context(), force_locale(locale):
        assert sentence in reasons.render({"code": code, "params": EXAMPLES[code]})


@pytest.mark.parametrize("code", ALL_REASONS)
def test_every_documented_code_renders_even_with_no_params(app, code):
    """Does every engine code have a renderer that survives missing parameters?"""
    with app.test_request_context(), force_locale("en"):
        sentence = reasons.render({"code": code, "params": {}})
    assert sentence and "other reason" not in sentence


@pytest.mark.parametrize("reason", [{"code": "brand_new"}, {"params": 3}, {}, "garbage", None])
def test_unknown_or_malformed_reasons_get_a_generic_sentence(app, reason):
    """Does an unknown code or a malformed entry render a generic sentence instead of crashing?"""
    with app.test_request_context(), force_locale("en"):
        rendered = reasons.render_all([reason])
    assert all(isinstance(line, str) for line in rendered)
