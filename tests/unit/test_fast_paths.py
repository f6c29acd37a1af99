"""The fast paths give exactly what the plain ones give: forked scan, profile tables,
bucket select, grouping of equal rows, compaction of kept pairs, interest signatures,
the assignment solved aside while proposals are explained ahead, the language rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matching.candidates as candidates
import matching.engine as engine
from matching import LEVELS, evaluate_pair, load_taxonomy, load_weights, match
from matching.encode import Vocab, encode_beneficiaries, encode_tutors
from matching.engine import prepare
from matching.explain import Explainer, round_tenths
from matching.forking import Forked
from matching.groups import distinct
from matching.interests import InterestIndex
from matching.model import LEVEL_RANK
from matching.profiles import build_table
from matching.ranking import rank_within, top_within
from matching.score import (
    Pairs,
    components,
    documents_ok,
    gender_ok,
    language_component,
    language_pairs_ok,
    usable_skills,
)
from matching.synth import generate
from tests.unit.match_factories import NOW, beneficiary, tutor


def _view(result):
    rows = [(p.beneficiary_id, p.tutor_id, p.rank, p.score, p.gain, p.reasons)
            for p in result.assignment]  # fmt: skip
    rows += [(p.beneficiary_id, p.tutor_id, p.rank, p.score, p.gain, p.reasons)
             for alternatives in result.alternatives.values() for p in alternatives]  # fmt: skip
    return rows, result.unmatched, result.stats.total_gain, result.stats.feasible_pairs


@pytest.fixture
def may_fork(monkeypatch) -> None:
    """Let the engine fork although the test session may hold idle threads of its own
    (in-process task runners of earlier tests), which the engine rightly refuses to fork
    beside; `test_no_fork_while_other_threads_run` checks that refusal."""
    monkeypatch.setattr(candidates, "second_core", lambda: True)
    monkeypatch.setattr(engine, "second_core", lambda: True)


@pytest.mark.parametrize("seed", [2, 9])
def test_forked_scan_gives_the_sequential_result(weights, monkeypatch, may_fork, seed) -> None:
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


groups_values_ties = st.integers(1, 400).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 30), min_size=n, max_size=n),
        st.lists(st.sampled_from([0.2, 0.25, 0.5, 0.5000001, 0.75, 0.9999999, 1.0]), min_size=n,
                 max_size=n) | st.lists(st.floats(0, 1.3), min_size=n, max_size=n),
        st.permutations(range(n)),
    )
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(groups_values_ties, st.integers(1, 15), st.booleans())
def test_bucket_select_equals_ranking(drawn, limit, per_group_limit) -> None:
    """Is `top_within` exactly `rank_within < limit`, ties and equal values included?"""
    groups, values, ties = (np.array(column) for column in drawn)
    bound = (groups % 4 + limit) if per_group_limit else limit
    expected = rank_within(groups, values, ties) < bound
    assert np.array_equal(top_within(groups, 31, values, ties, bound), expected)


columns = st.lists(
    st.lists(st.integers(-(2**63), 2**63 - 1) | st.integers(0, 3), min_size=1, max_size=4),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(columns)
def test_distinct_groups_exactly_the_equal_rows(rows) -> None:
    """Does `distinct` give equal rows one group and different rows different groups?"""
    width = min(len(row) for row in rows)
    matrix = np.array([row[:width] for row in rows], dtype=np.int64)
    representative, group = distinct(*(matrix[:, j] for j in range(width)))
    for i in range(len(matrix)):
        for j in range(len(matrix)):
            assert (group[i] == group[j]) == bool((matrix[i] == matrix[j]).all())
    assert np.array_equal(matrix[representative[group]], matrix)
    for number, first in enumerate(representative.tolist()):
        assert first == np.flatnonzero(group == number)[0]  # the first row of its group


def test_compacting_the_kept_pairs_changes_nothing(weights, monkeypatch) -> None:
    """Does dropping beneficiaries' worst pairs along the way keep the same candidates?"""
    tutors, people = generate(900, 700, seed=5, now=NOW)
    monkeypatch.setattr(candidates, "PARALLEL_MIN_TUTORS", 10**9)
    once = match(tutors, people, weights=weights, now=NOW)
    monkeypatch.setattr(candidates, "COMPACT_PAIRS", 500)
    calls = []
    plain_compacted = candidates._Kept.compacted

    def counted(kept):
        calls.append(kept.size)
        return plain_compacted(kept)

    monkeypatch.setattr(candidates._Kept, "compacted", counted)
    compacted = match(tutors, people, weights=weights, now=NOW)
    assert len(calls) > 1  # compacted along the way, not only at the end
    assert _view(compacted) == _view(once)
    assert compacted.stats.candidate_pairs == once.stats.candidate_pairs


@pytest.mark.parametrize("seed", [6, 7])
def test_signature_filter_keeps_every_cosine(weights, seed) -> None:
    """Is the cosine with the signature pre-filter the plain TF-IDF cosine of every pair?"""
    tutors, people = generate(300, 200, seed=seed, now=NOW)
    prep = prepare(tutors, people, weights, NOW)
    interests = prep.interests
    t = np.repeat(np.arange(len(prep.tutors)), len(prep.beneficiaries))
    b = np.tile(np.arange(len(prep.beneficiaries)), len(prep.tutors))
    plain = np.asarray(interests.tutors[t].multiply(interests.beneficiaries[b]).sum(axis=1))
    fast = interests.cosine(t, b)
    assert np.array_equal(fast, np.minimum(plain.ravel(), 1.0))
    assert (fast > 0).any() and (fast == 0).any()


def test_assignment_solved_aside_gives_the_same_run(weights, monkeypatch, may_fork) -> None:
    """Does solving the assignment in a forked worker while explaining ahead change nothing?"""
    tutors, people = generate(900, 700, seed=8, now=NOW)
    exclude = [(b.id, t.id) for b, t in zip(people[::4], tutors[::3], strict=False)]
    monkeypatch.setattr(engine, "OVERLAP_MIN_PAIRS", 10**12)
    serial = match(tutors, people, weights=weights, now=NOW, exclude=exclude)
    monkeypatch.setattr(engine, "OVERLAP_MIN_PAIRS", 0)
    forks = []
    monkeypatch.setattr(engine, "Forked", lambda *args: forks.append(args) or Forked(*args))
    aside = match(tutors, people, weights=weights, now=NOW, exclude=exclude)
    assert len(forks) == 1
    assert _view(aside) == _view(serial)
    assert list(aside.unmatched) == list(serial.unmatched)  # same order too
    codes = {reasons[0].code for reasons in serial.unmatched.values()}
    assert {"all_candidates_taken", "no_tutor_within_reach"} <= codes  # both kinds covered


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.floats(0, 600, allow_nan=False)
        | st.sampled_from([0.05, 0.15, 0.25, 0.35, 1.15, 2.675, 9.95, 10.05, 33.45]),
        min_size=1, max_size=50,
    )
)  # fmt: skip
def test_distances_round_as_python_rounds(values) -> None:
    """Do the vectorised distance reasons round exactly as `round(km, 1)` does?"""
    rounded = round_tenths(np.array(values, dtype=np.float64)).tolist()
    assert rounded == [round(value, 1) for value in values]


def test_needs_outside_the_vocabulary_keep_their_own_need_list(weights) -> None:
    """Do two beneficiaries whose needs differ only outside the vocabulary keep their own
    `needs_covered` lists when explained together?"""
    taxonomy = load_taxonomy()
    volunteer = tutor()
    people = [
        beneficiary(1, needs={"housing_search": 3, "falconry": 2}),
        beneficiary(2, needs={"housing_search": 3, "beekeeping": 1}),
    ]
    vocab = Vocab.build([volunteer], [], taxonomy)  # as a tutor pool builds it
    tutors = encode_tutors([volunteer], vocab, NOW)
    side = encode_beneficiaries(people, vocab, NOW, weights)
    interests = InterestIndex([volunteer.interests], [p.interests for p in people])
    explainer = Explainer(tutors, side, vocab, interests, weights, taxonomy, NOW)
    proposals = explainer.proposals(np.array([0, 0]), np.array([0, 1]), np.array([1, 1]))
    assert [p.reasons[0].params["missing"] for p in proposals] == [["falconry"], ["beekeeping"]]


spoken_languages = st.dictionaries(
    st.sampled_from(["it", "ar", "en", "ti"]), st.sampled_from(LEVELS), min_size=1, max_size=3
)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(spoken_languages, min_size=1, max_size=5),
    st.lists(spoken_languages, min_size=1, max_size=5),
    st.sampled_from(LEVELS),
    st.sampled_from(LEVELS),
)
def test_one_language_rule_everywhere(tutor_languages, people_languages, min_level, italian):
    """Do the bitset test, the profile table, the reasons and match by hand all decide
    language feasibility as `Weights.usable_rank` says, pair by pair?"""
    weights = load_weights(overrides={"min_level": min_level, "italian_min_level": italian})
    tutors = [tutor(i, languages=spoken) for i, spoken in enumerate(tutor_languages, start=1)]
    people = [
        beneficiary(i, languages=spoken, first_language=next(iter(spoken)))
        for i, spoken in enumerate(people_languages, start=1)
    ]
    prep = prepare(tutors, people, weights, NOW)
    t = np.repeat(np.arange(len(tutors)), len(people))
    b = np.tile(np.arange(len(people)), len(tutors))
    expected = [
        any(
            min(LEVEL_RANK[level], LEVEL_RANK[tutors[ti].languages[code]])
            >= weights.usable_rank(code)
            for code, level in people[bi].languages.items()
            if code in tutors[ti].languages
        )
        for ti, bi in zip(t.tolist(), b.tolist(), strict=True)
    ]
    plain = language_pairs_ok(prep.tutors, prep.beneficiaries, t, b, weights)
    assert plain.tolist() == expected
    table = build_table(prep.tutors, prep.beneficiaries, weights)
    assert table is not None
    assert table.ok[table.cells(t, b)].tolist() == expected  # no gender or document rule here
    value = language_component(prep.tutors, prep.beneficiaries, t, b, weights)
    assert np.array_equal(table.language[table.cells(t, b)], value)
    explained = prep.explainer.explained(t, b)
    spoken = [{r.code for r in row[4]} & {"language_shared", "italian_only"} for row in explained]
    assert [bool(codes) for codes in spoken] == expected
    for ti, bi, ok in zip(t.tolist(), b.tolist(), expected, strict=True):
        verdict = evaluate_pair(tutors[ti], people[bi], weights=weights, now=NOW)
        broken = {reason.code for reason in verdict.broken}
        assert ("no_shared_language" not in broken) == ok
