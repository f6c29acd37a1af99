"""Property tests on random small instances: feasibility, capacity, optimality."""

from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import LEVELS, Beneficiary, Tutor, evaluate_pair, load_weights, match
from matching.assign import assign_greedy, assign_optimal
from matching.candidates import build_candidates
from matching.engine import prepare
from tests.unit.match_factories import NOW

SKILLS = [
    "housing_search",
    "work_cv",
    "italian_conversation",
    "school_homework",
    "documents_permit",
]
LANGUAGES = ["it", "en", "ar", "fr"]
WEIGHTS = load_weights(overrides={"min_score": 0.1})
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

levels = st.sampled_from(LEVELS)
spoken = st.dictionaries(st.sampled_from(LANGUAGES), levels, min_size=1, max_size=3)
place = st.tuples(st.floats(45.0, 45.15), st.floats(9.0, 9.2))
gender = st.sampled_from([None, "f", "m", "x"])


@st.composite
def tutors(draw: st.DrawFn, id: int) -> Tutor:
    lat, lon = draw(place)
    capacity = draw(st.integers(1, 3))
    return Tutor(
        id=id,
        lat=lat,
        lon=lon,
        max_km=draw(st.sampled_from([0.0, 5.0, 10.0, 25.0])),
        capacity=capacity,
        free_slots=draw(st.integers(0, capacity)),
        skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), min_size=1, max_size=3))),
        languages=draw(spoken),
        availability=draw(st.integers(0, (1 << 21) - 1)),
        gender=draw(gender),
        remote_ok=draw(st.booleans()),
        documents=draw(
            st.sampled_from(
                [
                    {},
                    {"background_check": NOW.replace(year=2026)},
                    {"background_check": NOW.replace(year=2024)},
                ]
            )
        ),
    )


@st.composite
def beneficiaries(draw: st.DrawFn, id: int) -> Beneficiary:
    lat, lon = draw(place)
    languages = draw(spoken)
    return Beneficiary(
        id=id,
        lat=lat,
        lon=lon,
        needs=draw(
            st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), min_size=1, max_size=3)
        ),
        languages=languages,
        first_language=draw(st.sampled_from([None, *languages])),
        availability=draw(st.integers(0, (1 << 21) - 1)),
        waiting_since=NOW.replace(year=draw(st.integers(2023, 2025)) if NOW.month > 1 else 2024),
        gender=draw(gender),
        preferred_tutor_gender=draw(gender),
        remote_ok=draw(st.booleans()),
    )


@st.composite
def instances(
    draw: st.DrawFn, most: int = 7
) -> tuple[list[Tutor], list[Beneficiary], list[tuple[int, int]]]:
    n_t, n_b = draw(st.integers(0, most)), draw(st.integers(0, most))
    side_t = [draw(tutors(i)) for i in range(1, n_t + 1)]
    side_b = [draw(beneficiaries(i)) for i in range(1, n_b + 1)]
    exclude = draw(st.lists(st.tuples(st.integers(1, most), st.integers(1, most)), max_size=3))
    return side_t, side_b, exclude


def brute_force(n_b: int, gains: dict[tuple[int, int], float], slots: tuple[int, ...]) -> float:
    """Best total gain by exhaustive search over every beneficiary's choice."""
    options = [[(t, g) for (b, t), g in gains.items() if b == i] for i in range(n_b)]

    @cache
    def best(i: int, left: tuple[int, ...]) -> float:
        if i == n_b:
            return 0.0
        value = best(i + 1, left)  # beneficiary i stays unmatched
        for t, gain in options[i]:
            if left[t] > 0:
                rest = (*left[:t], left[t] - 1, *left[t + 1 :])
                value = max(value, gain + best(i + 1, rest))
        return value

    return best(0, slots)


@SETTINGS
@given(instances())
def test_every_proposal_is_feasible_and_capacities_hold(instance) -> None:
    """Does every proposed pair pass every hard constraint, with no tutor over capacity?"""
    side_t, side_b, exclude = instance
    result = match(side_t, side_b, weights=WEIGHTS, now=NOW, exclude=exclude)
    by_id_t = {t.id: t for t in side_t}
    by_id_b = {b.id: b for b in side_b}
    taken: dict[int, int] = {}
    for proposal in result.assignment + [p for ps in result.alternatives.values() for p in ps]:
        verdict = evaluate_pair(
            by_id_t[proposal.tutor_id],
            by_id_b[proposal.beneficiary_id],
            weights=WEIGHTS,
            now=NOW,
            exclude=exclude,
        )
        assert verdict.broken == (), verdict.broken
        assert abs(verdict.score - proposal.score) < 1e-3
    for proposal in result.assignment:
        taken[proposal.tutor_id] = taken.get(proposal.tutor_id, 0) + 1
    assert all(taken[t] <= by_id_t[t].free_slots for t in taken)
    assigned = [p.beneficiary_id for p in result.assignment]
    assert len(assigned) == len(set(assigned))
    assert set(assigned).isdisjoint(result.unmatched)
    assert set(assigned) | set(result.unmatched) == set(by_id_b)
    assert all(reasons for reasons in result.unmatched.values())


@SETTINGS
@given(instances())
def test_optimal_equals_brute_force_and_beats_greedy(instance) -> None:
    """Is the run's total gain the exhaustive optimum, and never below greedy?"""
    side_t, side_b, exclude = instance
    result = match(side_t, side_b, weights=WEIGHTS, now=NOW, exclude=exclude)
    prep = prepare(side_t, side_b, WEIGHTS, NOW)
    from matching.engine import excluded_pair_keys

    graph = build_candidates(
        prep.tutors,
        prep.beneficiaries,
        prep.vocab,
        prep.interests,
        WEIGHTS,
        excluded_pair_keys(exclude, prep.tutors, prep.beneficiaries),
        per_beneficiary=100,
        per_tutor=100,
    )
    gains = {
        (int(b), int(t)): float(g) for b, t, g in zip(graph.b, graph.t, graph.gain, strict=True)
    }
    slots = tuple(int(s) for s in prep.tutors.free_slots)
    optimum = brute_force(len(side_b), gains, slots)
    assert abs(result.stats.total_gain - optimum) < 1e-5
    free = prep.tutors.free_slots
    greedy = graph.gain[assign_greedy(graph.t, graph.b, graph.gain, free)].sum()
    optimal = graph.gain[assign_optimal(graph.t, graph.b, graph.gain, free)].sum()
    assert optimal >= greedy - 1e-9
    assert abs(optimal - optimum) < 1e-5
    assert np.all(graph.score >= WEIGHTS.min_score)
