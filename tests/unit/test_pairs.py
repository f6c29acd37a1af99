"""Score components and hard constraints of single pairs (evaluate_pair)."""

from __future__ import annotations

from datetime import date

import pytest

from matching import evaluate_pair, load_weights, slots_mask
from tests.unit.match_factories import NOW, beneficiary, tutor


def codes(reasons) -> list[str]:
    return [reason.code for reason in reasons]


def test_good_pair_is_feasible_and_explained(weights) -> None:
    """Does a close pair sharing English, a need and an evening score well, with reasons?"""
    result = evaluate_pair(tutor(), beneficiary(), weights=weights, now=NOW)
    assert result.feasible
    assert 0 < result.score <= 1
    assert result.gain > result.score  # the beneficiary has waited, which adds priority
    assert result.components["need_coverage"] == 1.0
    assert result.components["proximity"] == 1.0
    assert codes(result.reasons)[:2] == ["needs_covered", "language_shared"]
    language = result.reasons[1].params
    assert language == {"lang": "en", "level": "B1", "first_language": False}
    overlap = next(r for r in result.reasons if r.code == "availability_overlap")
    assert overlap.params["slots"] == ["mon_evening"]


def test_need_coverage_is_priority_weighted(weights) -> None:
    """Does covering the priority-3 need count three times a priority-1 need?"""
    person = beneficiary(needs={"housing_search": 3, "legal_rights": 1})
    result = evaluate_pair(tutor(), person, weights=weights, now=NOW)
    assert result.components["need_coverage"] == pytest.approx(0.75)
    covered = result.reasons[0].params
    assert covered["covered"] == 1 and covered["total"] == 2
    assert covered["skills"] == ["housing_search"] and covered["missing"] == ["legal_rights"]


def test_first_language_and_italian_practice_raise_language(weights) -> None:
    """Is speaking the beneficiary's first language, or Italian for an Italian need, better?"""
    plain = evaluate_pair(tutor(), beneficiary(), weights=weights, now=NOW)
    arabic = evaluate_pair(
        tutor(languages={"it": "native", "ar": "B1"}), beneficiary(), weights=weights, now=NOW
    )
    assert arabic.components["language"] > plain.components["language"]
    assert arabic.reasons[1].params["first_language"] is True
    person = beneficiary(needs={"housing_search": 3, "italian_conversation": 2})
    practice = evaluate_pair(
        tutor(skills=frozenset({"housing_search"})), person, weights=weights, now=NOW
    )
    assert "italian_practice" in codes(practice.reasons)
    assert practice.components["language"] > plain.components["language"]


def test_proximity_decays_with_distance(weights) -> None:
    """Does the proximity component fall with km, and the reason report them?"""
    near = evaluate_pair(tutor(), beneficiary(), weights=weights, now=NOW)
    far = evaluate_pair(tutor(), beneficiary(lat=44.89), weights=weights, now=NOW)
    assert far.components["proximity"] < near.components["proximity"]
    km = next(r for r in far.reasons if r.code == "distance_km").params["km"]
    assert 9 < km < 11


def test_interests_shared_terms(weights) -> None:
    """Do shared interest words raise the score and appear as terms?"""
    result = evaluate_pair(
        tutor(interests="Calcio, cucina e teatro"),
        beneficiary(interests="mi piace il calcio e la musica"),
        weights=weights,
        now=NOW,
    )
    assert result.components["interests"] > 0
    shared = next(r for r in result.reasons if r.code == "interests_shared")
    assert shared.params["terms"] == ["calcio"]


@pytest.mark.parametrize(
    ("tutor_fields", "beneficiary_fields", "code"),
    [
        ({"max_km": 5.0}, {"lat": 44.95}, "too_far"),
        ({"languages": {"fr": "native"}}, {}, "no_shared_language"),
        ({"languages": {"fr": "native", "en": "A1"}}, {}, "no_shared_language"),
        ({"gender": "m"}, {"preferred_tutor_gender": "f"}, "gender_preference_unmet"),
        ({"free_slots": 0}, {}, "no_free_slot"),
        ({"skills": frozenset({"legal_rights"})}, {}, "no_need_covered"),
        (
            {"skills": frozenset({"school_homework"})},
            {"needs": {"school_homework": 3}},
            "document_required",
        ),
        (
            {
                "skills": frozenset({"school_homework"}),
                "documents": {"background_check": date(2024, 12, 31)},
            },
            {"needs": {"school_homework": 3}},
            "document_required",
        ),
    ],
)
def test_each_hard_constraint_is_reported(tutor_fields, beneficiary_fields, code, weights) -> None:
    """Does evaluate_pair name each broken hard constraint?"""
    result = evaluate_pair(
        tutor(**tutor_fields), beneficiary(**beneficiary_fields), weights=weights, now=NOW
    )
    assert not result.feasible
    assert code in codes(result.broken)


def test_too_far_reports_km_and_limit(weights) -> None:
    """Does too_far carry the distance and the tutor's limit (for the match-by-hand screen)?"""
    result = evaluate_pair(tutor(max_km=5.0), beneficiary(lat=44.95), weights=weights, now=NOW)
    reason = next(r for r in result.broken if r.code == "too_far")
    assert reason.params["max_km"] == 5.0 and 16 < reason.params["km"] < 17


def test_valid_document_allows_the_need(weights) -> None:
    """Is a valid background check enough for a need that requires it?"""
    result = evaluate_pair(
        tutor(
            skills=frozenset({"school_homework"}), documents={"background_check": date(2025, 6, 30)}
        ),
        beneficiary(needs={"school_homework": 3}),
        weights=weights,
        now=NOW,
    )
    assert result.feasible


def test_remote_help_beyond_travel_range(weights) -> None:
    """Are far pairs allowed when both accept remote help and a need can be helped remotely?"""
    far = {"lat": 45.1}  # ~33 km north
    work = {"needs": {"work_cv": 3}}
    both = evaluate_pair(
        tutor(remote_ok=True), beneficiary(remote_ok=True, **far, **work), weights=weights, now=NOW
    )
    assert both.feasible
    assert "remote" in codes(both.reasons)
    only_one = evaluate_pair(
        tutor(remote_ok=True), beneficiary(**far, **work), weights=weights, now=NOW
    )
    assert "too_far" in codes(only_one.broken)
    in_person_need = evaluate_pair(
        tutor(remote_ok=True), beneficiary(remote_ok=True, **far), weights=weights, now=NOW
    )  # housing_search cannot be helped at a distance
    assert "no_need_covered" in codes(in_person_need.broken)
    beyond = evaluate_pair(
        tutor(remote_ok=True),
        beneficiary(remote_ok=True, lat=46.0, **work),
        weights=weights,
        now=NOW,
    )
    assert "too_far" in codes(beyond.broken)


def test_excluded_and_weak_pairs(weights) -> None:
    """Are excluded pairs and pairs below the minimum score reported?"""
    excluded = evaluate_pair(tutor(), beneficiary(), weights=weights, now=NOW, exclude=[(1, 1)])
    assert codes(excluded.broken) == ["excluded_pair"]
    strict = load_weights(overrides={"min_score": 0.99})
    weak = evaluate_pair(tutor(), beneficiary(), weights=strict, now=NOW)
    assert codes(weak.broken) == ["score_below_minimum"]


def test_no_common_availability_is_a_reason_not_a_constraint(weights) -> None:
    """Does a pair with no shared slot stay feasible but say so?"""
    result = evaluate_pair(
        tutor(availability=slots_mask(["sun_morning"])), beneficiary(), weights=weights, now=NOW
    )
    assert result.feasible
    assert "no_common_availability" in codes(result.reasons)
    assert result.components["availability"] == 0


@pytest.mark.parametrize(
    ("tutor_text", "beneficiary_text", "terms"),
    [
        ("<script>alert(1)</script> calcio", "calcio, script, alert", ["calcio"]),
        ('<img src=x onerror="alert(1)"> teatro', "teatro e img, src, onerror", ["teatro"]),
        ("javascript:void(0) cucina https://x.org", "cucina, javascript, org", ["cucina"]),
        ("I like cooking and the football", "I like the football, really", ["football"]),
        ("football every weekend", "every sport, football above all", ["football"]),
        ("disegno, come facevo da ragazzo", "disegno come facevo a scuola", ["disegno"]),
        ("Mi piace molto il calcio, nel tempo libero", "mi piace molto il calcio", ["calcio"]),
        ("<b>Calcio</b> &amp; cucina", "calcio; cucina", ["calcio", "cucina"]),
    ],
)
def test_interests_ignore_markup_and_stop_words(tutor_text, beneficiary_text, terms, weights):
    """Are markup, code and stop words (Italian and English) never shared interests, while
    the words inside plain tags still count?"""
    result = evaluate_pair(
        tutor(interests=tutor_text), beneficiary(interests=beneficiary_text),
        weights=weights, now=NOW,
    )  # fmt: skip
    shared = next(r for r in result.reasons if r.code == "interests_shared")
    assert sorted(shared.params["terms"]) == terms
