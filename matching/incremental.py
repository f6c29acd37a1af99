"""Incremental mode: one newcomer scored against the open side of a territory.

Encoding thousands of records costs more than scoring them, so the open side can be
prepared once as a pool (`BeneficiaryPool`, `TutorPool`) and reused for every newcomer;
passing a plain sequence works too (it is encoded on the fly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
from sklearn.neighbors import BallTree

from .encode import Vocab, distance_km, encode_beneficiaries, encode_tutors, km_to_chord
from .explain import Explainer
from .interests import InterestIndex
from .model import Beneficiary, Proposal, Tutor
from .reach import ReachQuery, feasible_pairs
from .score import combine, components
from .taxonomy import Taxonomy, load_taxonomy
from .weights import Weights


class BeneficiaryPool:
    """Open beneficiaries of a territory, encoded and indexed once."""

    def __init__(
        self,
        beneficiaries: Sequence[Beneficiary],
        *,
        weights: Weights,
        now: date,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.weights, self.now = weights, now
        self.taxonomy = taxonomy or load_taxonomy()
        self.vocab = Vocab.build([], beneficiaries, self.taxonomy)
        self.arrays = encode_beneficiaries(beneficiaries, self.vocab, now, weights)
        self.interests = InterestIndex([], [b.interests for b in self.arrays.records])
        self.query = ReachQuery(self.arrays, self.vocab, weights)


class TutorPool:
    """Open tutors of a territory, encoded and indexed once."""

    def __init__(
        self,
        tutors: Sequence[Tutor],
        *,
        weights: Weights,
        now: date,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.weights, self.now = weights, now
        self.taxonomy = taxonomy or load_taxonomy()
        self.vocab = Vocab.build(tutors, [], self.taxonomy)
        self.arrays = encode_tutors(tutors, self.vocab, now)
        self.interests = InterestIndex([t.interests for t in self.arrays.records], [])
        self.tree = BallTree(self.arrays.xyz) if len(tutors) else None
        self.widest_km = float(self.arrays.max_km.max()) if len(tutors) else 0.0


def _indices_of(sorted_ids: np.ndarray, wanted: list[int]) -> np.ndarray:
    """Sorted indices of the wanted ids present in `sorted_ids` (excluded-pair keys)."""
    ids = np.array(wanted, dtype=np.int64)
    position = np.searchsorted(sorted_ids, ids)
    found = position < len(sorted_ids)
    found[found] = sorted_ids[position[found]] == ids[found]
    return np.unique(position[found]).astype(np.int64)


def _check_pool(pool: BeneficiaryPool | TutorPool, weights: Weights, now: date) -> None:
    if pool.weights != weights or pool.now != now:
        raise ValueError("the pool was prepared with other weights or another date")


def match_one_tutor(
    tutor: Tutor,
    open_beneficiaries: Sequence[Beneficiary] | BeneficiaryPool,
    *,
    weights: Weights,
    now: date,
    exclude: Iterable[tuple[int, int]] = (),
    k: int | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Proposal]:
    """Return the best beneficiaries for a new tutor, ranked 1.. by gain (nothing assigned)."""
    if isinstance(open_beneficiaries, BeneficiaryPool):
        pool = open_beneficiaries
        _check_pool(pool, weights, now)
    else:
        pool = BeneficiaryPool(open_beneficiaries, weights=weights, now=now, taxonomy=taxonomy)
    k = weights.top_k if k is None else k
    beneficiaries = pool.arrays
    if len(beneficiaries) == 0:
        return []
    tutors = encode_tutors([tutor], pool.vocab, now)
    rows = pool.interests.transform([tutor.interests])
    excluded = _indices_of(beneficiaries.ids, [b for b, t in exclude if t == tutor.id])
    reach_t, reach_b, in_range = pool.query.pairs(tutors, np.zeros(1, dtype=np.int64))
    pairs, skills = feasible_pairs(
        tutors, beneficiaries, pool.vocab, reach_t, reach_b, weights, excluded,
        in_range=in_range,
    )  # fmt: skip
    parts = components(tutors, beneficiaries, pairs, skills, pool.interests, weights, rows)
    score = combine(parts, weights)
    good = score >= weights.min_score
    pairs, score = pairs.take(good), score[good]
    gain = score + weights.waiting_weight * beneficiaries.waiting_term[pairs.b]
    best = np.lexsort((pairs.b, -gain))[:k]
    explainer = Explainer(
        tutors, beneficiaries, pool.vocab, pool.interests, weights, pool.taxonomy, now,
        tutor_rows=rows,
    )  # fmt: skip
    return explainer.proposals(pairs.t[best], pairs.b[best], np.arange(1, len(best) + 1))


def match_one_beneficiary(
    beneficiary: Beneficiary,
    open_tutors: Sequence[Tutor] | TutorPool,
    *,
    weights: Weights,
    now: date,
    exclude: Iterable[tuple[int, int]] = (),
    k: int | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Proposal]:
    """Return the best tutors for a new beneficiary, ranked 1.. by score (nothing assigned)."""
    if isinstance(open_tutors, TutorPool):
        pool = open_tutors
        _check_pool(pool, weights, now)
    else:
        pool = TutorPool(open_tutors, weights=weights, now=now, taxonomy=taxonomy)
    k = weights.top_k if k is None else k
    tutors = pool.arrays
    if pool.tree is None:
        return []
    beneficiaries = encode_beneficiaries([beneficiary], pool.vocab, now, weights)
    rows = pool.interests.transform([beneficiary.interests])
    radius = max(pool.widest_km, weights.remote_max_km if beneficiary.remote_ok else 0.0)
    found = pool.tree.query_radius(beneficiaries.xyz, r=km_to_chord(radius) * (1 + 1e-12))
    t = found[0].astype(np.int64)
    km = distance_km(tutors.xyz[t], beneficiaries.xyz[np.zeros(len(t), dtype=np.int64)])
    near = (km <= tutors.max_km[t]) | (km <= weights.remote_max_km)
    t = t[near]
    excluded = _indices_of(tutors.ids, [t for b, t in exclude if b == beneficiary.id])
    zeros = np.zeros(len(t), dtype=np.int64)
    pairs, skills = feasible_pairs(tutors, beneficiaries, pool.vocab, t, zeros, weights, excluded)
    parts = components(tutors, beneficiaries, pairs, skills, pool.interests, weights, None, rows)
    score = combine(parts, weights)
    good = score >= weights.min_score
    pairs, score = pairs.take(good), score[good]
    best = np.lexsort((tutors.ids[pairs.t], -score))[:k]
    explainer = Explainer(
        tutors, beneficiaries, pool.vocab, pool.interests, weights, pool.taxonomy, now,
        beneficiary_rows=rows,
    )  # fmt: skip
    return explainer.proposals(pairs.t[best], pairs.b[best], np.arange(1, len(best) + 1))
