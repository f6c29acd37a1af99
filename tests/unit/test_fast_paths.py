"""The fast paths give exactly what the plain ones give: forked scan, profile tables."""

from __future__ import annotations

import numpy as np
import pytest

import matching.candidates as candidates
from matching import match
from matching.engine import prepare
from matching.profiles import build_table
from matching.score import (
    Pairs,
    components,
    documents_ok,
    gender_ok,
    language_pairs_ok,
    usable_skills,
)
from matching.synth import generate
from tests.unit.match_factories import NOW


def _view(result):
    rows = [(p.beneficiary_id, p.tutor_id, p.rank, p.score, p.gain, p.reasons)
            for p in result.assignment]  # fmt: skip
    rows += [(p.beneficiary_id, p.tutor_id, p.rank, p.score, p.gain, p.reasons)
             for alternatives in result.alternatives.values() for p in alternatives]  # fmt: skip
    return rows, result.unmatched, result.stats.total_gain, result.stats.feasible_pairs


@pytest.mark.parametrize("seed", [2, 9])
def test_forked_scan_gives_the_sequential_result(weights, monkeypatch, seed) -> None:
    """Does scoring half the tutors in a forked worker change nothing in the run?"""
    tutors, people = generate(700, 500, seed=seed, now=NOW)
    exclude = [(b.id, t.id) for b, t in zip(people[::5], tutors[::3], strict=False)]
    monkeypatch.setattr(candidates, "PARALLEL_MIN_TUTORS", 10**9)
    sequential = match(tutors, people, weights=weights, now=NOW, exclude=exclude)
    monkeypatch.setattr(candidates, "PARALLEL_MIN_TUTORS", 1)
    assert candidates._workers(500, 700) == 2
    parallel = match(tutors, people, weights=weights, now=NOW, exclude=exclude)
    assert _view(parallel) == _view(sequential)


@pytest.mark.parametrize("seed", [3, 4])
def test_profile_table_equals_the_per_pair_tests(weights, seed) -> None:
    """Do the table's lookups equal the bitset tests and language values of every pair?"""
    tutors, people = generate(300, 200, seed=seed, now=NOW)
    prep = prepare(tutors, people, weights, NOW)
    table = build_table(prep.tutors, prep.beneficiaries, weights)
    assert table is not None
    t = np.repeat(np.arange(len(prep.tutors)), len(prep.beneficiaries))
    b = np.tile(np.arange(len(prep.beneficiaries)), len(prep.tutors))
    ok = language_pairs_ok(prep.tutors, prep.beneficiaries, t, b, weights)
    ok &= gender_ok(prep.tutors, prep.beneficiaries, t, b)
    ok &= documents_ok(prep.tutors, prep.beneficiaries, t, b)
    assert np.array_equal(table.ok[table.cells(t, b)], ok)
    pairs = Pairs(t, b, np.zeros(len(t)), np.zeros(len(t), dtype=bool))
    skills = usable_skills(prep.tutors, prep.vocab, pairs)
    args = (prep.tutors, prep.beneficiaries, pairs, skills, prep.interests, weights)
    plain, fast = components(*args), components(*args, table=table)
    for name in plain:
        assert np.array_equal(plain[name], fast[name]), name
