"""Full runs: assignment, alternatives, unmatched reasons, determinism, incremental mode."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matching import (
    BeneficiaryPool,
    TutorPool,
    evaluate_pair,
    load_weights,
    match,
    match_one_beneficiary,
    match_one_tutor,
)
from matching.assign import assign_greedy, assign_optimal
from matching.encode import distance_km, unit_vectors
from matching.synth import generate
from tests.unit.match_factories import NOW, beneficiary, tutor


def test_assignment_prefers_the_better_total(weights) -> None:
    """Does the run give the scarce tutor to the pair that maximises the total?"""
    tutors = [tutor(1), tutor(2, skills=frozenset({"work_cv"}))]
    people = [beneficiary(1), beneficiary(2, needs={"housing_search": 3, "work_cv": 3})]
    result = match(tutors, people, weights=weights, now=NOW)
    assigned = {p.beneficiary_id: p.tutor_id for p in result.assignment}
    assert assigned == {1: 1, 2: 2}  # greedy would give tutor 1 to beneficiary 2
    assert result.stats.matched == 2 and result.stats.coverage == 1.0
    assert all(p.rank == 0 for p in result.assignment)


def test_alternatives_are_ranked_and_exclude_the_assignment(weights) -> None:
    """Does each beneficiary get up to top_k alternatives, ranked 1.., without its assignment?"""
    tutors = [tutor(i, max_km=30.0) for i in range(1, 6)]
    people = [beneficiary(1)]
    result = match(tutors, people, weights=weights, now=NOW)
    (assigned,) = result.assignment
    alternatives = result.alternatives[1]
    assert [p.rank for p in alternatives] == [1, 2, 3]
    assert assigned.tutor_id not in {p.tutor_id for p in alternatives}
    assert all(p.score <= assigned.score for p in alternatives)


def test_capacity_is_respected(weights) -> None:
    """Does a tutor with two free slots take at most two beneficiaries?"""
    result = match(
        [tutor(1, capacity=3, free_slots=2)],
        [beneficiary(i) for i in range(1, 5)],
        weights=weights,
        now=NOW,
    )
    assert len(result.assignment) == 2
    assert {r[0].code for r in result.unmatched.values()} == {"all_candidates_taken"}


def test_waiting_longest_wins_a_tie(weights) -> None:
    """Between two identical beneficiaries, does the one waiting longer get the tutor?"""
    from datetime import date

    people = [
        beneficiary(1, waiting_since=date(2024, 12, 1)),
        beneficiary(2, waiting_since=date(2024, 1, 1)),
    ]
    result = match([tutor(1)], people, weights=weights, now=NOW)
    assert [p.beneficiary_id for p in result.assignment] == [2]


@pytest.mark.parametrize(
    ("tutor_fields", "beneficiary_fields", "code", "params"),
    [
        ({"max_km": 5.0}, {"lat": 45.2}, "no_tutor_within_reach", {"nearest_max_km": 5.0}),
        ({"free_slots": 0}, {}, "no_free_tutor", {"tutors_in_reach": 1}),
        (
            {"languages": {"it": "native"}},
            {"languages": {"ti": "native", "en": "A1"}, "first_language": "ti"},
            "no_shared_language",
            {"languages": ["ti"], "tutors_in_reach": 1},
        ),
        (
            {"gender": "m"},
            {"preferred_tutor_gender": "f"},
            "gender_preference_unmet",
            {"preferred": "f"},
        ),
        (
            {"skills": frozenset({"school_homework"})},
            {"needs": {"school_homework": 3}},
            "document_required",
            {"documents": ["background_check"]},
        ),
        (
            {"skills": frozenset({"legal_rights"})},
            {},
            "no_need_covered",
            {"needs": ["housing_search"]},
        ),
    ],
)
def test_unmatched_reason_is_specific(
    weights, tutor_fields, beneficiary_fields, code, params
) -> None:
    """Does an unmatched beneficiary get the first constraint that left no tutor, with details?"""
    result = match(
        [tutor(1, **tutor_fields)], [beneficiary(1, **beneficiary_fields)], weights=weights, now=NOW
    )
    assert result.assignment == []
    (reason,) = result.unmatched[1]
    assert reason.code == code
    for key, value in params.items():
        assert reason.params[key] == value


def test_excluded_pairs_are_never_proposed(weights) -> None:
    """Is a rejected pair left out, and the beneficiary told why when nothing else remains?"""
    result = match([tutor(1)], [beneficiary(1)], weights=weights, now=NOW, exclude=[(1, 1), (9, 9)])
    assert result.assignment == []
    assert result.unmatched[1][0].code == "excluded_pairs"
    weak = match(
        [tutor(1)], [beneficiary(1)], weights=load_weights(overrides={"min_score": 0.99}), now=NOW
    )
    assert weak.unmatched[1][0].code == "only_weak_candidates"


def test_empty_sides() -> None:
    """Do runs with nobody on one side finish with everyone unmatched and a clear reason?"""
    weights = load_weights()
    assert match([], [], weights=weights, now=NOW).stats.matched == 0
    alone = match([], [beneficiary(1)], weights=weights, now=NOW)
    assert alone.unmatched[1][0].code == "no_tutor_within_reach"
    assert match([tutor(1)], [], weights=weights, now=NOW).assignment == []


def test_deterministic_and_independent_of_input_order(weights) -> None:
    """Does the same input, shuffled, give exactly the same proposals and reasons?"""
    tutors, people = generate(150, 120, seed=3, now=NOW)
    first = match(tutors, people, weights=weights, now=NOW)
    random.Random(1).shuffle(tutors)
    random.Random(2).shuffle(people)
    second = match(tutors, people, weights=weights, now=NOW)
    assert first.assignment == second.assignment
    assert first.alternatives == second.alternatives
    assert first.unmatched == second.unmatched


def test_progress_reports_every_phase(weights) -> None:
    """Is progress reported for each phase, ending at 1.0?"""
    seen: dict[str, float] = {}
    tutors, people = generate(60, 60, seed=4, now=NOW)
    result = match(
        tutors,
        people,
        weights=weights,
        now=NOW,
        progress=lambda phase, f: seen.__setitem__(phase, f),
    )
    assert seen == {"candidates": 1.0, "scoring": 1.0, "assignment": 1.0, "explain": 1.0}
    assert set(result.stats.phase_seconds) >= {"candidates", "scoring", "assignment", "explain"}


def test_optimal_beats_greedy_on_a_synthetic_instance(weights) -> None:
    """On a realistic instance, is the optimal total at least the greedy one?"""
    from matching.candidates import build_candidates
    from matching.engine import prepare

    tutors, people = generate(400, 300, seed=5, now=NOW)
    prep = prepare(tutors, people, weights, NOW)
    graph = build_candidates(
        prep.tutors,
        prep.beneficiaries,
        prep.vocab,
        prep.interests,
        weights,
        np.zeros(0, dtype=np.int64),
        per_beneficiary=12,
        per_tutor=12,
    )
    slots = prep.tutors.free_slots
    optimal = graph.gain[assign_optimal(graph.t, graph.b, graph.gain, slots)].sum()
    greedy = graph.gain[assign_greedy(graph.t, graph.b, graph.gain, slots)].sum()
    assert optimal >= greedy - 1e-6


def test_incremental_tutor_matches_the_batch_view(weights) -> None:
    """Does one new tutor get the feasible beneficiaries ranked by gain, pool or plain list?"""
    _, people = generate(300, 1, seed=6, now=NOW)
    newcomer = tutor(
        999,
        lat=people[0].lat,
        lon=people[0].lon,
        max_km=30.0,
        skills=frozenset({"housing_search", "work_cv", "italian_conversation", "documents_permit"}),
    )
    pool = BeneficiaryPool(people, weights=weights, now=NOW)
    from_pool = match_one_tutor(newcomer, pool, weights=weights, now=NOW, k=5)
    from_list = match_one_tutor(newcomer, people, weights=weights, now=NOW, k=5)
    assert from_pool == from_list
    assert [p.rank for p in from_pool] == list(range(1, len(from_pool) + 1))
    assert [p.gain for p in from_pool] == sorted((p.gain for p in from_pool), reverse=True)
    by_id = {b.id: b for b in people}
    for proposal in from_pool:
        assert (
            evaluate_pair(newcomer, by_id[proposal.beneficiary_id], weights=weights, now=NOW).broken
            == ()
        )
    excluded = match_one_tutor(
        newcomer, pool, weights=weights, now=NOW, k=5, exclude=[(from_pool[0].beneficiary_id, 999)]
    )
    assert from_pool[0].beneficiary_id not in {p.beneficiary_id for p in excluded}


def test_incremental_beneficiary(weights) -> None:
    """Does one new beneficiary get the best feasible tutors, honouring exclusions?"""
    tutors = [tutor(i, lat=44.80 + i / 1000) for i in range(1, 8)] + [tutor(50, free_slots=0)]
    pool = TutorPool(tutors, weights=weights, now=NOW)
    proposals = match_one_beneficiary(beneficiary(1), pool, weights=weights, now=NOW)
    assert [p.tutor_id for p in proposals] == [1, 2, 3]
    excluded = match_one_beneficiary(
        beneficiary(1), tutors, weights=weights, now=NOW, exclude=[(1, 1)]
    )
    assert [p.tutor_id for p in excluded] == [2, 3, 4]
    with pytest.raises(ValueError, match="pool"):
        match_one_beneficiary(
            beneficiary(1), pool, weights=load_weights(overrides={"top_k": 5}), now=NOW
        )


def test_bad_records_are_refused(weights) -> None:
    """Are duplicate ids and unknown levels refused with the record's id?"""
    with pytest.raises(ValueError, match="tutor 1: duplicate id"):
        match([tutor(1), tutor(1)], [], weights=weights, now=NOW)
    with pytest.raises(ValueError, match="beneficiary 4"):
        match([], [beneficiary(4, languages={"ar": "fluent"})], weights=weights, now=NOW)


def test_a_pair_at_the_edge_of_the_travel_range_is_proposed_once(weights) -> None:
    """Is a remote pair just beyond the tutor's range one candidate, not assignment and
    alternative at once (the range query has a tolerance the remote query overlaps)?"""
    person = beneficiary(needs={"work_cv": 2}, remote_ok=True)
    here = unit_vectors(np.radians([[person.lat, person.lon]]))
    there = unit_vectors(np.radians([[44.85, 10.41]]))
    km = float(distance_km(there, here)[0])
    volunteer = tutor(lat=44.85, lon=10.41, max_km=float(np.nextafter(km, 0)), remote_ok=True,
                      capacity=2, free_slots=2)  # fmt: skip
    result = match([volunteer], [person], weights=weights, now=NOW)
    assert result.stats.candidate_pairs == 1
    assert [p.tutor_id for p in result.assignment] == [volunteer.id]
    assert result.alternatives == {}
    assert "remote" in [reason.code for reason in result.assignment[0].reasons]


def test_unmatched_reason_names_the_real_blocker(weights) -> None:
    """When the tutor who speaks the language covers no need and the one who covers it
    shares no language, does the reason say which tutors it speaks of (not "no tutor in
    reach covers it"); and when one rule alone leaves nobody, is that rule named plainly?"""
    person = beneficiary(1, languages={"ar": "native"})
    arabic = tutor(1, languages={"ar": "B1"}, skills=frozenset({"work_cv"}))
    italian = tutor(2, languages={"it": "native"}, skills=frozenset({"housing_search"}))
    (mixed,) = match([arabic, italian], [person], weights=weights, now=NOW).unmatched[1]
    assert mixed.code == "no_need_covered"
    assert mixed.params["narrowed_by"] == ["no_shared_language"] and mixed.params["tutors"] == 1
    busy = tutor(1, languages={"ar": "B1"}, free_slots=0)
    (language,) = match([busy, italian], [person], weights=weights, now=NOW).unmatched[1]
    assert language.code == "no_shared_language"
    assert language.params["narrowed_by"] == ["no_free_slot"]
    useless = tutor(2, languages={"it": "native"}, skills=frozenset({"legal_rights"}))
    (needs,) = match([arabic, useless], [person], weights=weights, now=NOW).unmatched[1]
    assert needs.code == "no_need_covered" and "narrowed_by" not in needs.params
    assert needs.params["tutors"] == 2
