"""Italian at a lower level (`italian_min_level`) makes a pair possible, with a low language
value and reasons that say so; everywhere the engine decides, one rule."""

from __future__ import annotations

import pytest

from matching import LEVELS, evaluate_pair, load_weights, match, slots_mask
from matching.synth import generate
from tests.unit.match_factories import NOW, beneficiary, tutor

EVENINGS = slots_mask(["mon_evening", "wed_evening", "fri_evening"])


def arabic_speaker(id: int = 1, **fields):
    """The person of the report: Arabic (native) and Italian A1, three needs, free evenings."""
    values = {
        "languages": {"ar": "native", "it": "A1"},
        "first_language": "ar",
        "needs": {"housing_search": 3, "work_cv": 2, "italian_conversation": 1},
        "availability": EVENINGS,
    }
    return beneficiary(id, **{**values, **fields})


def italian_tutor(id: int = 1, **fields):
    """A tutor in the same town who speaks only Italian and covers all three needs."""
    values = {
        "languages": {"it": "native"},
        "skills": frozenset({"housing_search", "work_cv", "italian_conversation"}),
        "availability": EVENINGS,
    }
    return tutor(id, **{**values, **fields})


def codes(reasons) -> list[str]:
    return [reason.code for reason in reasons]


def test_arabic_and_italian_a1_gets_a_tutor(weights) -> None:
    """Is the beneficiary of the report (Arabic, Italian A1) matched with the Italian-only
    tutor, and does the proposal say they share only Italian, at A1?"""
    result = match([italian_tutor()], [arabic_speaker()], weights=weights, now=NOW)
    assert result.unmatched == {}
    (proposal,) = result.assignment
    assert "language_shared" not in codes(proposal.reasons)
    only = next(r for r in proposal.reasons if r.code == "italian_only")
    assert only.params == {"level": "A1"}
    assert proposal.score > 0.7


def test_match_by_hand_shows_the_pair_feasible(weights) -> None:
    """Does evaluate_pair (match by hand) find no broken rule for the same pair?"""
    verdict = evaluate_pair(italian_tutor(), arabic_speaker(), weights=weights, now=NOW)
    assert verdict.feasible and verdict.broken == ()
    assert "italian_only" in codes(verdict.reasons)
    assert verdict.score > 0.7


@pytest.mark.parametrize(("min_level", "below"), [("A2", "A1"), ("B1", "A2"), ("B2", "B1")])
def test_italian_only_is_worth_less_than_a_language_shared_at_min_level(min_level, below) -> None:
    """Is a pair sharing only Italian below min_level worth less, in the language component,
    than one sharing another language at min_level (the tutor's Italian being equal)?"""
    weights = load_weights(overrides={"min_level": min_level, "italian_min_level": "A1"})
    person = beneficiary(languages={"ar": "native", "en": min_level, "it": below})
    only_italian = evaluate_pair(
        tutor(languages={"it": "native"}), person, weights=weights, now=NOW
    )
    english = evaluate_pair(
        tutor(languages={"it": "native", "en": min_level}), person, weights=weights, now=NOW
    )
    assert only_italian.feasible and english.feasible
    low, shared = only_italian.components["language"], english.components["language"]
    assert 0 < low < shared
    assert "italian_only" in codes(only_italian.reasons)
    assert "language_shared" in codes(english.reasons)


def test_the_documented_language_value_of_italian_at_a1(weights) -> None:
    """Is Italian-only at A1 worth 1/12 before the first-language share (docs/matching.md)?"""
    person = beneficiary(languages={"ar": "native", "it": "A1"})
    verdict = evaluate_pair(tutor(languages={"it": "native"}), person, weights=weights, now=NOW)
    expected = (1 - weights.first_language_bonus) * (1 / 12)
    assert verdict.components["language"] == pytest.approx(expected, abs=1e-4)


def test_italian_min_level_a2_restores_the_old_rule() -> None:
    """With italian_min_level = "A2", is Italian A1 no longer enough, and does the reason
    name only the languages usable at that threshold?"""
    weights = load_weights(overrides={"italian_min_level": "A2"})
    result = match([italian_tutor()], [arabic_speaker()], weights=weights, now=NOW)
    assert result.assignment == []
    (reason,) = result.unmatched[1]
    assert reason.code == "no_shared_language" and reason.params["languages"] == ["ar"]
    verdict = evaluate_pair(italian_tutor(), arabic_speaker(), weights=weights, now=NOW)
    broken = next(r for r in verdict.broken if r.code == "no_shared_language")
    assert broken.params["languages"] == ["ar"]
    assert broken.params["italian_min_level"] == "A2"


def test_old_rule_on_a_synthetic_territory() -> None:
    """With italian_min_level = min_level, does every proposal share a language at
    min_level (as before the setting existed), and none carry the Italian-only reason?"""
    weights = load_weights(overrides={"italian_min_level": "A2"})
    tutors, people = generate(300, 200, seed=11, now=NOW)
    result = match(tutors, people, weights=weights, now=NOW)
    by_id_t = {t.id: t for t in tutors}
    by_id_b = {b.id: b for b in people}
    proposals = result.assignment + [p for ps in result.alternatives.values() for p in ps]
    assert proposals
    rank = {level: i for i, level in enumerate(LEVELS, start=1)}
    for proposal in proposals:
        spoken = by_id_b[proposal.beneficiary_id].languages
        other = by_id_t[proposal.tutor_id].languages
        assert any(
            min(rank[level], rank[other[code]]) >= 2
            for code, level in spoken.items()
            if code in other
        )
        assert "italian_only" not in codes(proposal.reasons)
    lowered = match(tutors, people, weights=load_weights(), now=NOW)
    assert lowered.stats.feasible_pairs > result.stats.feasible_pairs


def test_the_unmatched_reason_names_italian_when_it_counts(weights) -> None:
    """When no tutor in reach shares Arabic or Italian, does the reason list both (Italian A1
    counts), never "speaks Arabic" alone; and does match by hand say the same?"""
    english_only = italian_tutor(languages={"en": "C1"})
    result = match([english_only], [arabic_speaker()], weights=weights, now=NOW)
    (reason,) = result.unmatched[1]
    assert reason.code == "no_shared_language"
    assert reason.params["languages"] == ["ar", "it"]
    verdict = evaluate_pair(english_only, arabic_speaker(), weights=weights, now=NOW)
    (broken,) = verdict.broken
    assert broken.code == "no_shared_language"
    assert broken.params["languages"] == ["ar", "it"]
    assert broken.params["tutor_languages"] == ["en"]
    assert (broken.params["min_level"], broken.params["italian_min_level"]) == ("A2", "A1")


def test_a_higher_italian_min_level_never_raises_the_bar() -> None:
    """Does Italian still count at min_level when italian_min_level is set above it?"""
    weights = load_weights(overrides={"italian_min_level": "B2"})
    person = arabic_speaker(languages={"ar": "native", "it": "A2"})
    verdict = evaluate_pair(italian_tutor(), person, weights=weights, now=NOW)
    assert verdict.feasible
    shared = next(r for r in verdict.reasons if r.code == "language_shared")
    assert shared.params == {"lang": "it", "level": "A2", "first_language": False}


def test_a_better_shared_language_wins_over_italian_a1(weights) -> None:
    """When the pair also shares Arabic, is the reason Arabic (not Italian only)?"""
    verdict = evaluate_pair(
        italian_tutor(languages={"it": "native", "ar": "B1"}), arabic_speaker(),
        weights=weights, now=NOW,
    )  # fmt: skip
    assert "italian_only" not in codes(verdict.reasons)
    shared = next(r for r in verdict.reasons if r.code == "language_shared")
    assert shared.params == {"lang": "ar", "level": "B1", "first_language": True}
