"""Reason codes rendered as sentences in Italian and English, never crashing."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from matching.explain import ALL_REASONS
from tests.conftest import make_config
from web import create_app
from web.services import reasons
from web.tutors.reasons import reason_sentence


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
        ("it", "needs_covered", "copre 3 dei 4 bisogni: Ricerca di una casa in affitto"),
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


@pytest.mark.parametrize(
    ("locale", "reason", "sentence"),
    [
        (
            "en",
            {"code": "needs_covered", "params": {
                "covered": 2, "total": 3, "skills": ["housing_search", "work_cv"],
                "missing": ["italian_conversation"]}},
            "covers 2 of 3 needs: Finding a rental home, Writing a CV; "
            "not: Italian conversation practice",
        ),
        (
            "it",
            {"code": "needs_covered", "params": {
                "covered": 1, "total": 2, "skills": ["work_cv"], "missing": ["housing_search"]}},
            "copre 1 dei 2 bisogni: Scrivere il curriculum; "
            "non copre: Ricerca di una casa in affitto",
        ),
        (
            "it",
            {"code": "needs_covered", "params": {
                "covered": 1, "total": 1, "skills": ["work_cv"], "missing": []}},
            "copre 1 bisogno su 1: Scrivere il curriculum",
        ),
        (
            "en",
            {"code": "needs_covered", "params": {
                "covered": 0, "total": 2, "skills": [], "missing": ["work_cv", "housing_search"]}},
            "covers none of the 2 needs: Writing a CV, Finding a rental home",
        ),
        ("en", {"code": "no_common_availability", "params": {}}, "no common free time in the week"),
        (
            "it",
            {"code": "no_common_availability", "params": {}},
            "nessun momento libero in comune nella settimana",
        ),
        (
            "it",
            {"code": "availability_overlap", "params": {"slots": ["tue_evening"]}},
            "momenti liberi in comune: mar sera",
        ),
        (
            "en",
            {"code": "no_shared_language", "params": {
                "languages": ["ar", "it"], "tutors_in_reach": 3, "within_km": 22.0}},
            "no tutor within 22 km speaks Arabic or Italian",
        ),
        (
            "it",
            {"code": "no_shared_language", "params": {
                "languages": ["ar", "it"], "tutors_in_reach": 3, "within_km": 22.0}},
            "nessun tutor entro 22 km parla arabo o italiano",
        ),
        (
            "en",
            {"code": "no_shared_language", "params": {
                "languages": ["ar", "it"], "tutor_languages": ["en"], "min_level": "A2",
                "italian_min_level": "A1"}},
            "no shared language: the person speaks Arabic and Italian, the tutor English",
        ),
        (
            "en",
            {"code": "no_need_covered", "params": {
                "needs": ["housing_search"], "tutors": 1, "narrowed_by": ["no_shared_language"]}},
            "no tutor in reach covers: Finding a rental home (considering only the 1 tutor "
            "within reach who shares a language with them)",
        ),
        (
            "it",
            {"code": "no_shared_language", "params": {
                "languages": ["ar"], "tutors_in_reach": 2, "within_km": 9.0,
                "narrowed_by": ["no_free_slot"]}},
            "nessun tutor entro 9 km parla arabo (considerando solo i 2 tutor raggiungibili "
            "che hanno un posto libero)",
        ),
        (
            "en",
            {"code": "document_required", "params": {
                "documents": ["background_check"], "skills": ["school_homework"], "tutors": 2,
                "narrowed_by": ["no_free_slot", "no_shared_language"]}},
            "(considering only the 2 tutors within reach who have a free place and share a "
            "language with them)",
        ),
        (
            "en",
            {"code": "all_candidates_taken", "params": {"candidates": 1, "best_score": 0.6}},
            "their possible tutor went to someone waiting longer or to a better pair",
        ),
        (
            "it",
            {"code": "all_candidates_taken", "params": {"candidates": 2, "best_score": 0.6}},
            "i suoi 2 tutor possibili vanno a chi aspetta da più tempo o a coppie migliori",
        ),
    ],
)  # fmt: skip
def test_counts_missing_needs_and_free_time_read_right(app, locale, reason, sentence):
    """Are counts in the right plural, the missing needs named, and "no common free time"
    said plainly, in Italian and English?"""
    with app.test_request_context(), force_locale(locale):
        rendered = reasons.render(reason)
    assert rendered == sentence or (sentence.startswith("(") and rendered.endswith(sentence))


RICH = {
    "needs_covered": {"covered": 1, "total": 2, "skills": ["work_cv"], "missing": ["legal_rights"]},
    "language_shared": {"lang": "ar", "level": "B1", "first_language": True},
    "italian_only": {"level": "A1"},
    "italian_practice": {"level": "native"},
    "distance_km": {"km": 3.5},
    "remote": {"km": 33.0, "max_km": 10.0, "skills": ["work_cv"]},
    "availability_overlap": {"slots": ["mon_evening", "thu_evening"]},
    "interests_shared": {"terms": ["calcio"]},
    "waiting_days": {"days": 12},
    "too_far": {"km": 40.0, "max_km": 10.0},
    "no_free_slot": {"capacity": 2},
    "gender_preference_unmet": {"preferred": "f", "tutors": 3},
    "document_required": {"documents": ["background_check"], "skills": ["school_homework"],
                          "tutors": 2},
    "no_need_covered": {"needs": ["legal_rights"], "tutors": 2},
    "score_below_minimum": {"score": 0.1, "min_score": 0.2},
    "no_tutor_within_reach": {"nearest_km": 30.0, "nearest_max_km": 10.0},
    "no_free_tutor": {"tutors_in_reach": 3},
    "excluded_pairs": {"count": 1},
    "only_weak_candidates": {"candidates": 2, "best_score": 0.15, "min_score": 0.2},
    "all_candidates_taken": {"candidates": 1, "best_score": 0.5},
}  # fmt: skip
GENDERED = ("entrambi", "siete liberi", "abbinat", "propost", "adatt", "rifiutato", "lontano",
            "candidati", "il più vicino")  # fmt: skip


@pytest.mark.parametrize("code", ALL_REASONS)
@pytest.mark.parametrize("count", [1, 2])
def test_italian_reasons_are_gender_neutral(app, code, count):
    """Do the Italian sentences avoid gendered words about people whose gender is unknown
    (both singular and plural counts)?"""
    params = {key: count if isinstance(value, int) and key != "capacity" else value
              for key, value in RICH.get(code, {}).items()}  # fmt: skip
    with app.test_request_context(), force_locale("it"):
        sentence = reasons.render({"code": code, "params": params})
    assert not [word for word in GENDERED if word in sentence], sentence


@pytest.mark.parametrize(
    ("locale", "reason", "sentence"),
    [
        (
            "en",
            {"code": "needs_covered", "params": {
                "covered": 1, "total": 2, "skills": ["housing_search"], "missing": ["work_cv"]}},
            "You can help with 1 of 2 needs: Finding a rental home; not with: Writing a CV",
        ),
        (
            "it",
            {"code": "needs_covered", "params": {
                "covered": 1, "total": 2, "skills": ["housing_search"], "missing": ["work_cv"]}},
            "Puoi aiutare con 1 dei 2 bisogni: Ricerca di una casa in affitto; "
            "non con: Scrivere il curriculum",
        ),
        (
            "en",
            {"code": "availability_overlap", "params": {"slots": ["tue_evening"]}},
            "Free time in common: Tue evening",
        ),
        (
            "it",
            {"code": "no_common_availability", "params": {}},
            "Ancora nessun momento libero in comune nella settimana: trovatene uno insieme",
        ),
        ("it", {"code": "italian_only", "params": {"level": "A1"}},
         "Avete in comune solo l'italiano, a livello A1"),
        ("it", {"code": "language_shared", "params": {"lang": "ar", "level": "B1"}},
         "Lingua in comune: arabo (B1)"),
    ],
)  # fmt: skip
def test_tutor_reads_counts_and_free_time_right(app, locale, reason, sentence):
    """Does the tutor's page say the needs (covered and not), the common free time (or its
    absence) and the shared language in the right words, in Italian and English?"""
    with app.test_request_context(), force_locale(locale):
        assert reason_sentence(reason) == sentence
