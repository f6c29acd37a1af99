"""Pairs within reach and the hard constraints: spatial radius queries (BallTree over unit
vectors), then the cheap tests first, so that only feasible pairs are scored."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import BallTree

from .encode import (
    BeneficiaryArrays,
    TutorArrays,
    Vocab,
    km_to_chord,
    pair_distance_km,
    to_bits,
)
from .profiles import ProfileTable
from .score import (
    Pairs,
    _any,
    documents_ok,
    gender_ok,
    language_pairs_ok,
    needs_ok,
    not_excluded,
    usable_skills,
)
from .weights import Weights


def _radius_pairs(
    tree: BallTree, points: np.ndarray, chunk: np.ndarray, radius_km: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    indices = tree.query_radius(points[chunk], r=km_to_chord(radius_km) * (1 + 1e-12))
    counts = np.fromiter((len(x) for x in indices), np.int64, len(indices))
    if counts.sum() == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.repeat(chunk, counts), np.concatenate(indices).astype(np.int64)


class ReachQuery:
    """Pairs within each tutor's travel range, plus remote candidates within remote range.

    A BallTree over unit vectors with the Euclidean metric: the chord length is a monotone
    function of the great-circle (haversine) distance, so a chord radius query returns the
    same pairs as a haversine one, without trigonometry per visited point. Remote
    candidates are only pairs where both accept remote help and the tutor offers a skill
    the beneficiary needs that can be helped at a distance (otherwise remote help is void).
    """

    def __init__(self, beneficiaries: BeneficiaryArrays, vocab: Vocab, weights: Weights):
        self.weights = weights
        self.beneficiaries = beneficiaries
        self.tree = BallTree(beneficiaries.xyz if len(beneficiaries) else np.zeros((1, 3)))
        self.remote_skills = [word[0] for word in to_bits([vocab.remote_skills], vocab.skill_words)]
        needs = beneficiaries.needs[0]
        remote_needs = [w & r for w, r in zip(needs, self.remote_skills, strict=True)]
        self.remote_index = np.flatnonzero(beneficiaries.remote & _any(remote_needs))
        self.remote_tree = (
            BallTree(beneficiaries.xyz[self.remote_index]) if len(self.remote_index) else None
        )

    def pairs(self, tutors: TutorArrays, chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """Return (tutor, beneficiary) index arrays of the reachable pairs of a chunk, and
        how many of them (the first ones) come from the travel-range query."""
        t, b = _radius_pairs(self.tree, tutors.xyz, chunk, tutors.max_km[chunk])
        in_range = len(t)
        if self.remote_tree is None:
            return t, b, in_range
        remote_skills = [
            w[chunk] & r for w, r in zip(tutors.skills, self.remote_skills, strict=True)
        ]
        far = chunk[
            tutors.remote[chunk]
            & (tutors.max_km[chunk] < self.weights.remote_max_km)
            & _any(remote_skills)
        ]
        if len(far):
            radius = np.full(len(far), self.weights.remote_max_km)
            rt, rb = _radius_pairs(self.remote_tree, tutors.xyz, far, radius)
            rb = self.remote_index[rb]
            needs = self.beneficiaries.needs[0]
            helps = _any([
                w[rt] & r & n[rb]
                for w, r, n in zip(tutors.skills, self.remote_skills, needs, strict=True)
            ])  # fmt: skip
            rt, rb = rt[helps], rb[helps]
            # in-range pairs are already in (t, b); feasible_pairs drops those the travel
            # range query returned (it has a tolerance) beyond the range: each pair once
            points = self.beneficiaries.xyz
            beyond = pair_distance_km(tutors.xyz, rt, points, rb) > tutors.max_km[rt]
            t = np.concatenate([t, rt[beyond]])
            b = np.concatenate([b, rb[beyond]])
        return t, b, in_range


def feasible_pairs(
    tutors: TutorArrays,
    beneficiaries: BeneficiaryArrays,
    vocab: Vocab,
    t: np.ndarray,
    b: np.ndarray,
    weights: Weights,
    excluded_keys: np.ndarray,
    table: ProfileTable | None = None,
    *,
    all_free: bool = False,
    in_range: int | None = None,
) -> tuple[Pairs, list[np.ndarray]]:
    """Drop pairs that break a hard constraint, cheap tests first; return usable skills.

    `all_free`: the caller passes only tutors with a free slot. `in_range`: the first so
    many pairs come from a travel-range query (`ReachQuery.pairs`), and any of them beyond
    the tutor's range is dropped: if remote help can make it feasible, the remote query
    returned it too.
    """
    if table is None:
        keep = gender_ok(tutors, beneficiaries, t, b)
        keep &= documents_ok(tutors, beneficiaries, t, b)
        keep &= language_pairs_ok(tutors, beneficiaries, t, b, weights)
    else:  # language, gender and documents in one lookup per pair
        keep = table.ok[table.cells(t, b)]
    if not all_free:
        keep &= tutors.free_slots[t] > 0
    t, b = t[keep], b[keep]
    if in_range is not None:  # the filters keep the order: count the survivors
        in_range = int(np.count_nonzero(keep[:in_range]))
    # covering a need in person is necessary for covering it at all (remote skills are a
    # subset): test it before the distance; needs_ok decides exactly afterwards
    maybe = _any([s[t] & n[b] for s, n in zip(tutors.skills, beneficiaries.needs[0], strict=True)])
    maybe |= beneficiaries.priority_total[b] == 0
    t, b = t[maybe], b[maybe]
    km = pair_distance_km(tutors.xyz, t, beneficiaries.xyz, b)
    remote = km > tutors.max_km[t]
    if in_range is not None:
        beyond = remote[: int(np.count_nonzero(maybe[:in_range]))]
        if beyond.any():
            keep = np.ones(len(t), dtype=bool)
            keep[: len(beyond)] = ~beyond
            t, b, km, remote = t[keep], b[keep], km[keep], remote[keep]
    far = np.flatnonzero(remote)
    if len(far):  # beyond travel range: both remote-ok and within remote range
        tf, bf = t[far], b[far]
        keep = np.ones(len(t), dtype=bool)
        keep[far] = (
            tutors.remote[tf] & beneficiaries.remote[bf] & (km[far] <= weights.remote_max_km)
        )
        t, b, km, remote = t[keep], b[keep], km[keep], remote[keep]
    pairs = Pairs(t, b, km, remote)
    if len(excluded_keys):
        pairs = pairs.take(not_excluded(pairs, excluded_keys, len(tutors)))
    skills = usable_skills(tutors, vocab, pairs)
    keep = needs_ok(beneficiaries, pairs, skills)
    return pairs.take(keep), [word[keep] for word in skills]
