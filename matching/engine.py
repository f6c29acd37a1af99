"""A full matching run: encode, candidates and scores, optimal assignment, explanations."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import numpy as np

from .assign import assign_optimal
from .candidates import CandidateGraph, build_candidates
from .diagnose import pair_violations, unmatched_reasons
from .encode import BeneficiaryArrays, TutorArrays, Vocab, encode_beneficiaries, encode_tutors
from .explain import Explainer
from .interests import InterestIndex
from .model import Beneficiary, MatchResult, PairEvaluation, Proposal, Reason, RunStats, Tutor
from .ranking import rank_within
from .score import pair_keys
from .taxonomy import Taxonomy, load_taxonomy
from .weights import Weights

Progress = Callable[[str, float], None]


@dataclass
class Prepared:
    """Both sides of a run as arrays, with the shared vocabulary and interest index."""

    tutors: TutorArrays
    beneficiaries: BeneficiaryArrays
    vocab: Vocab
    interests: InterestIndex
    explainer: Explainer


def prepare(
    tutors: Sequence[Tutor],
    beneficiaries: Sequence[Beneficiary],
    weights: Weights,
    now: date,
    taxonomy: Taxonomy | None = None,
) -> Prepared:
    """Encode both sides of a run."""
    taxonomy = taxonomy or load_taxonomy()
    vocab = Vocab.build(tutors, beneficiaries, taxonomy)
    tutor_arrays = encode_tutors(tutors, vocab, now)
    beneficiary_arrays = encode_beneficiaries(beneficiaries, vocab, now, weights)
    interests = InterestIndex(
        [t.interests for t in tutor_arrays.records],
        [b.interests for b in beneficiary_arrays.records],
    )
    explainer = Explainer(
        tutor_arrays, beneficiary_arrays, vocab, interests, weights, taxonomy, now
    )
    return Prepared(tutor_arrays, beneficiary_arrays, vocab, interests, explainer)


def excluded_pair_keys(
    exclude: Iterable[tuple[int, int]], tutors: TutorArrays, beneficiaries: BeneficiaryArrays
) -> np.ndarray:
    """Sorted pair keys of the excluded (beneficiary id, tutor id) pairs present in the run."""
    pairs = np.array(list(exclude), dtype=np.int64).reshape(-1, 2)
    if len(pairs) == 0 or len(tutors) == 0 or len(beneficiaries) == 0:
        return np.zeros(0, dtype=np.int64)
    b = np.searchsorted(beneficiaries.ids, pairs[:, 0])
    t = np.searchsorted(tutors.ids, pairs[:, 1])
    b_ok = b < len(beneficiaries)
    t_ok = t < len(tutors)
    known = b_ok & t_ok
    known[known] = (beneficiaries.ids[b[known]] == pairs[known, 0]) & (
        tutors.ids[t[known]] == pairs[known, 1]
    )
    return np.unique(pair_keys(t[known], b[known], len(tutors)))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a run builds many small acyclic objects.

    Encoding lists and hundreds of thousands of proposals and reasons would otherwise
    trigger repeated full collections over every live record (the caller's included);
    nothing built here forms a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def match(
    tutors: Sequence[Tutor],
    beneficiaries: Sequence[Beneficiary],
    *,
    weights: Weights,
    now: date,
    exclude: Iterable[tuple[int, int]] = (),
    taxonomy: Taxonomy | None = None,
    progress: Progress | None = None,
) -> MatchResult:
    """Propose the assignment with the highest total gain, alternatives and reasons."""
    with gc_paused():
        return _match(tutors, beneficiaries, weights, now, exclude, taxonomy, progress)


def _match(
    tutors: Sequence[Tutor],
    beneficiaries: Sequence[Beneficiary],
    weights: Weights,
    now: date,
    exclude: Iterable[tuple[int, int]],
    taxonomy: Taxonomy | None,
    progress: Progress | None,
) -> MatchResult:
    seconds: dict[str, float] = {}
    tick = time.perf_counter()
    if progress:
        progress("candidates", 0.0)
    prep = prepare(tutors, beneficiaries, weights, now, taxonomy)
    excluded = excluded_pair_keys(exclude, prep.tutors, prep.beneficiaries)
    seconds["encode"] = time.perf_counter() - tick
    graph = build_candidates(
        prep.tutors, prep.beneficiaries, prep.vocab, prep.interests, weights, excluded,
        per_beneficiary=weights.candidates_per_beneficiary,
        per_tutor=weights.candidates_per_tutor,
        progress=progress,
    )  # fmt: skip
    seconds.update(graph.seconds)
    tick = time.perf_counter()
    if progress:
        progress("assignment", 0.0)
    chosen = assign_optimal(graph.t, graph.b, graph.gain, prep.tutors.free_slots)
    seconds["assignment"] = time.perf_counter() - tick
    if progress:
        progress("assignment", 1.0)
        progress("explain", 0.0)
    tick = time.perf_counter()
    result = explain_run(prep, graph, chosen, excluded)
    seconds["explain"] = time.perf_counter() - tick
    if progress:
        progress("explain", 1.0)
    result.stats.phase_seconds = seconds
    return result


def explain_run(
    prep: Prepared, graph: CandidateGraph, chosen: np.ndarray, excluded: np.ndarray
) -> MatchResult:
    """Build proposals, alternatives, unmatched reasons and statistics of a solved run."""
    weights = prep.explainer.weights
    others = ~chosen
    alt_rank = rank_within(graph.b[others], graph.score[others], graph.t[others])
    alt = np.flatnonzero(others)[alt_rank < weights.top_k]
    pick = np.concatenate([np.flatnonzero(chosen), alt])
    ranks = np.concatenate(
        [np.zeros(int(chosen.sum()), np.int64), alt_rank[alt_rank < weights.top_k] + 1]
    )
    proposals = prep.explainer.proposals(graph.t[pick], graph.b[pick], ranks)
    assignment: list[Proposal] = []
    alternatives: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.rank == 0:
            assignment.append(proposal)
        else:
            alternatives.setdefault(proposal.beneficiary_id, []).append(proposal)
    assignment.sort(key=lambda p: p.beneficiary_id)
    alternatives = {k: sorted(v, key=lambda p: p.rank) for k, v in sorted(alternatives.items())}

    beneficiaries = prep.beneficiaries
    matched = np.zeros(len(beneficiaries), dtype=bool)
    matched[graph.b[chosen]] = True
    unmatched_idx = np.flatnonzero(~matched)
    best: dict[int, float] = {}
    if len(graph.b):
        top = np.flatnonzero(rank_within(graph.b, graph.score, graph.t) == 0)
        best = dict(zip(graph.b[top].tolist(), np.round(graph.score[top], 4).tolist(), strict=True))
    unmatched = unmatched_reasons(
        prep.explainer, unmatched_idx, graph.feasible_per_beneficiary, best, excluded
    )
    waiting = beneficiaries.waiting_days
    stats = RunStats(
        beneficiaries=len(beneficiaries),
        tutors=len(prep.tutors),
        pairs_considered=graph.pairs_considered,
        scored_pairs=graph.scored_pairs,
        feasible_pairs=graph.feasible_pairs,
        candidate_pairs=len(graph.t),
        proposals=len(assignment),
        alternatives=len(alt),
        matched=int(matched.sum()),
        unmatched=len(unmatched_idx),
        total_score=float(graph.score[chosen].sum()),
        total_gain=float(graph.gain[chosen].sum()),
        coverage=float(matched.mean()) if len(beneficiaries) else 0.0,
        mean_waiting_days_matched=float(waiting[matched].mean()) if matched.any() else 0.0,
        mean_waiting_days_unmatched=(
            float(waiting[~matched].mean()) if len(unmatched_idx) else 0.0
        ),
    )
    return MatchResult(assignment, alternatives, unmatched, stats)


def evaluate_pair(
    tutor: Tutor,
    beneficiary: Beneficiary,
    *,
    weights: Weights,
    now: date,
    taxonomy: Taxonomy | None = None,
    exclude: Iterable[tuple[int, int]] = (),
) -> PairEvaluation:
    """Score one pair and list every hard constraint it breaks (the "match by hand" view)."""
    prep = prepare([tutor], [beneficiary], weights, now, taxonomy)
    excluded = excluded_pair_keys(exclude, prep.tutors, prep.beneficiaries)
    zero = np.zeros(1, dtype=np.int64)
    pairs = prep.explainer.pairs(zero, zero)
    score_array, parts = prep.explainer.scores(pairs)
    score = float(score_array[0])
    gain = score + weights.waiting_weight * float(prep.beneficiaries.waiting_term[0])
    reasons: tuple[Reason, ...] = prep.explainer.reasons(
        0, 0, float(pairs.km[0]), bool(pairs.remote[0])
    )
    return PairEvaluation(
        beneficiary_id=beneficiary.id,
        tutor_id=tutor.id,
        score=round(score, 4),
        gain=round(gain, 4),
        components={name: round(float(values[0]), 4) for name, values in parts.items()},
        reasons=reasons,
        broken=pair_violations(prep.explainer, 0, 0, excluded, score),
    )
