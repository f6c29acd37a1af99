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
from .diagnose import hopeless_reasons, pair_violations, unmatched_reasons
from .encode import BeneficiaryArrays, TutorArrays, Vocab, encode_beneficiaries, encode_tutors
from .explain import Explained, Explainer, ranked
from .forking import Forked, second_core
from .interests import InterestIndex
from .model import Beneficiary, MatchResult, PairEvaluation, Proposal, Reason, RunStats, Tutor
from .ranking import rank_within
from .score import pair_keys
from .taxonomy import Taxonomy, load_taxonomy
from .weights import Weights

Progress = Callable[[str, float], None]
OVERLAP_MIN_PAIRS = 100_000  # candidate pairs from which the assignment is solved aside


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
    if progress:
        progress("assignment", 0.0)
    early = None
    if len(graph.t) >= OVERLAP_MIN_PAIRS and second_core():
        # the assignment is solved on the second core while the likely proposals are
        # explained here; phase times are then each phase's own work, not wall clock
        with Forked(_solve, graph.t, graph.b, graph.gain, prep.tutors.free_slots) as solver:
            early = explain_ahead(prep, graph, excluded)
            chosen, seconds["assignment"] = solver.result()
    else:
        chosen, seconds["assignment"] = _solve(graph.t, graph.b, graph.gain, prep.tutors.free_slots)
    if progress:
        progress("assignment", 1.0)
        progress("explain", 0.0)
    tick = time.perf_counter()
    result = explain_run(prep, graph, chosen, excluded, early)
    seconds["explain"] = time.perf_counter() - tick + (early.seconds if early else 0.0)
    if progress:
        progress("explain", 1.0)
    result.stats.phase_seconds = seconds
    return result


def _solve(
    t: np.ndarray, b: np.ndarray, gain: np.ndarray, free_slots: np.ndarray
) -> tuple[np.ndarray, float]:
    """The optimal assignment and the seconds it took."""
    tick = time.perf_counter()
    chosen = assign_optimal(t, b, gain, free_slots)
    return chosen, time.perf_counter() - tick


@dataclass
class Early:
    """What explaining a run needs that does not depend on the assignment."""

    score_rank: np.ndarray  # rank of each candidate pair in its beneficiary's, by score
    pairs: np.ndarray  # candidate pairs explained ahead (sorted indices)
    explained: list[Explained]
    hopeless: dict[int, list[Reason]]  # beneficiaries without any feasible pair
    seconds: float


def explain_ahead(prep: Prepared, graph: CandidateGraph, excluded: np.ndarray) -> Early:
    """Explain each beneficiary's top_k + 1 candidates by score (its alternatives whatever
    the assignment, and mostly its assigned pair) and say why the hopeless are."""
    tick = time.perf_counter()
    score_rank = rank_within(graph.b, graph.score, graph.t)
    likely = np.flatnonzero(score_rank <= prep.explainer.weights.top_k)
    explained = prep.explainer.explained(graph.t[likely], graph.b[likely])
    hopeless = np.flatnonzero(graph.feasible_per_beneficiary == 0)
    reasons = hopeless_reasons(prep.explainer, hopeless, excluded)
    return Early(score_rank, likely, explained, reasons, time.perf_counter() - tick)


def _explained(
    prep: Prepared, graph: CandidateGraph, pick: np.ndarray, early: Early | None
) -> list[Explained]:
    """The explained candidate pairs `pick`, reusing those explained ahead."""
    if early is None or len(early.pairs) == 0:
        return prep.explainer.explained(graph.t[pick], graph.b[pick])
    position = np.minimum(np.searchsorted(early.pairs, pick), len(early.pairs) - 1)
    found = early.pairs[position] == pick
    rows = list(map(early.explained.__getitem__, np.where(found, position, 0).tolist()))
    late = np.flatnonzero(~found)
    for i, row in zip(
        late.tolist(), prep.explainer.explained(graph.t[pick[late]], graph.b[pick[late]]),
        strict=True,
    ):  # fmt: skip
        rows[i] = row
    return rows


def explain_run(
    prep: Prepared,
    graph: CandidateGraph,
    chosen: np.ndarray,
    excluded: np.ndarray,
    early: Early | None = None,
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
    proposals = ranked(_explained(prep, graph, pick, early), ranks.tolist())
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
        score_rank = early.score_rank if early else rank_within(graph.b, graph.score, graph.t)
        top = np.flatnonzero(score_rank == 0)
        best = dict(zip(graph.b[top].tolist(), np.round(graph.score[top], 4).tolist(), strict=True))
    unmatched = unmatched_reasons(
        prep.explainer, unmatched_idx, graph.feasible_per_beneficiary, best, excluded,
        hopeless=early.hopeless if early else None,
    )  # fmt: skip
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
