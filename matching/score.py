"""Hard constraints and score components, vectorised over arrays of candidate pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .encode import BeneficiaryArrays, Bits, TutorArrays, Vocab, to_bits
from .interests import InterestIndex
from .model import ITALIAN
from .weights import COMPONENTS, Weights

if TYPE_CHECKING:
    from .profiles import ProfileTable

MAX_RANK = 7  # native


@dataclass
class Pairs:
    """Candidate pairs as parallel arrays of tutor index, beneficiary index and distance."""

    t: np.ndarray
    b: np.ndarray
    km: np.ndarray
    remote: np.ndarray  # beyond the tutor's travel range: remote help only

    def take(self, keep: np.ndarray) -> Pairs:
        """Return the pairs selected by a mask or an index array."""
        return Pairs(self.t[keep], self.b[keep], self.km[keep], self.remote[keep])

    def __len__(self) -> int:
        return len(self.t)


def _and(left: Bits, li: np.ndarray, right: Bits, ri: np.ndarray) -> list[np.ndarray]:
    return [lw[li] & rw[ri] for lw, rw in zip(left, right, strict=True)]


def _any(words: list[np.ndarray]) -> np.ndarray:
    out = words[0] != 0
    for word in words[1:]:
        out |= word != 0
    return out


def _count(words: list[np.ndarray]) -> np.ndarray:
    out = np.bitwise_count(words[0]).astype(np.int32)
    for word in words[1:]:
        out += np.bitwise_count(word)
    return out


def in_reach(tutors: TutorArrays, beneficiaries: BeneficiaryArrays, pairs: Pairs) -> np.ndarray:
    """Within the tutor's travel range, or both remote-ok within remote range (checked later)."""
    return ~pairs.remote | (tutors.remote[pairs.t] & beneficiaries.remote[pairs.b])


def language_ok(
    tutors: TutorArrays, beneficiaries: BeneficiaryArrays, pairs: Pairs, weights: Weights
) -> np.ndarray:
    """At least one language both speak at the minimum usable level."""
    return language_pairs_ok(tutors, beneficiaries, pairs.t, pairs.b, weights)


def language_pairs_ok(
    tutors: TutorArrays,
    beneficiaries: BeneficiaryArrays,
    t: np.ndarray,
    b: np.ndarray,
    weights: Weights,
) -> np.ndarray:
    """language_ok on index arrays: a language both speak at `min_level`, or Italian both
    speak at `italian_min_level` (the rule of `Weights.usable_rank`)."""
    m = weights.min_rank
    ok = _any(_and(tutors.langs[m], t, beneficiaries.langs[m], b))
    if weights.usable_rank(ITALIAN) < m:
        ok |= shared_italian(tutors, beneficiaries, t, b, weights) > 0
    return ok


def shared_italian(
    tutors: TutorArrays,
    beneficiaries: BeneficiaryArrays,
    t: np.ndarray,
    b: np.ndarray,
    weights: Weights,
) -> np.ndarray:
    """The level rank of the Italian both speak where it counts as shared, else 0."""
    shared = np.minimum(tutors.italian[t], beneficiaries.italian[b])
    return np.where(shared >= weights.usable_rank(ITALIAN), shared, 0)


def gender_ok(
    tutors: TutorArrays, beneficiaries: BeneficiaryArrays, t: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """The beneficiary's preferred tutor gender, when given, is the tutor's."""
    preferred = beneficiaries.preferred_gender[b]
    return (preferred == 0) | (tutors.gender[t] == preferred)


def documents_ok(
    tutors: TutorArrays, beneficiaries: BeneficiaryArrays, t: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """The tutor holds, valid today, every document the beneficiary's needs require."""
    return (beneficiaries.documents_required[b] & ~tutors.documents[t]) == 0


def usable_skills(tutors: TutorArrays, vocab: Vocab, pairs: Pairs) -> list[np.ndarray]:
    """The tutor's skills usable for the pair: only remote-able ones beyond travel range."""
    words = [w[pairs.t] for w in tutors.skills]
    if pairs.remote.any():
        remote_bits = to_bits([vocab.remote_skills], len(words))
        for word, remote_word in zip(words, remote_bits, strict=True):
            word[pairs.remote] &= remote_word[0]
    return words


def needs_ok(
    beneficiaries: BeneficiaryArrays, pairs: Pairs, skills: list[np.ndarray]
) -> np.ndarray:
    """The tutor covers at least one need (in person, or remotely beyond travel range)."""
    needs = [w[pairs.b] for w in beneficiaries.needs[0]]
    covered = _any([n & s for n, s in zip(needs, skills, strict=True)])
    return covered | ((beneficiaries.priority_total[pairs.b] == 0) & ~pairs.remote)


def pair_keys(t: np.ndarray, b: np.ndarray, n_tutors: int) -> np.ndarray:
    """Encode (beneficiary index, tutor index) as one sortable int64."""
    return b.astype(np.int64) * np.int64(n_tutors) + t


def not_excluded(pairs: Pairs, excluded_keys: np.ndarray, n_tutors: int) -> np.ndarray:
    """The pair was not rejected or ended before (`excluded_keys` sorted, from pair_keys)."""
    if len(excluded_keys) == 0:
        return np.ones(len(pairs), dtype=bool)
    keys = pair_keys(pairs.t, pairs.b, n_tutors)
    pos = np.minimum(np.searchsorted(excluded_keys, keys), len(excluded_keys) - 1)
    return excluded_keys[pos] != keys


def components(
    tutors: TutorArrays,
    beneficiaries: BeneficiaryArrays,
    pairs: Pairs,
    skills: list[np.ndarray],
    interests: InterestIndex,
    weights: Weights,
    tutor_text_rows: sp.csr_matrix | None = None,
    beneficiary_text_rows: sp.csr_matrix | None = None,
    table: ProfileTable | None = None,
) -> dict[str, np.ndarray]:
    """Return each score component (in [0, 1]) for every pair."""
    t, b = pairs.t, pairs.b
    # priority p = 1..3 written in binary over two bit planes: Σ p × |needs_p ∩ skills|
    low, high = beneficiaries.need_planes
    covered = _count([w[b] & s for w, s in zip(low, skills, strict=True)])
    covered += 2 * _count([w[b] & s for w, s in zip(high, skills, strict=True)])
    weighted = covered.astype(np.float64)
    total = beneficiaries.priority_total[b]
    coverage = np.divide(weighted, total, out=np.zeros_like(weighted), where=total > 0)
    if table is None:
        language = language_component(tutors, beneficiaries, t, b, weights)
    else:
        language = table.language[table.cells(t, b)]

    shared = np.bitwise_count(tutors.availability[t] & beneficiaries.availability[b])
    availability = np.minimum(1.0, shared / weights.target_slots)
    return {
        "need_coverage": coverage,
        "language": language,
        "proximity": np.exp(-pairs.km / weights.decay_km),
        "availability": availability,
        "interests": interests.cosine(t, b, tutor_text_rows, beneficiary_text_rows),
    }


def language_component(
    tutors: TutorArrays,
    beneficiaries: BeneficiaryArrays,
    t: np.ndarray,
    b: np.ndarray,
    weights: Weights,
) -> np.ndarray:
    """Best shared level, first-language bonus and Italian practice, in [0, 1].

    A language shared at level rank r ≥ `min_level` (rank m) is worth (r - m + 1) / (8 - m);
    a pair whose only usable shared language is Italian below `min_level`, at rank r < m, is
    worth r / (m × (8 - m)): less than any language shared at `min_level`.
    """
    m = weights.min_rank
    best = np.where(_any(_and(tutors.langs[m], t, beneficiaries.langs[m], b)), m, 0)
    for rank in range(m + 1, MAX_RANK + 1):  # levels nest: ≥ r implies ≥ r-1
        best += _any(_and(tutors.langs[rank], t, beneficiaries.langs[rank], b))
    steps = MAX_RANK - m + 1
    level = np.where(best > 0, (best - m + 1) / steps, 0.0)
    if weights.usable_rank(ITALIAN) < m:  # Italian may count below min_level
        italian_only = shared_italian(tutors, beneficiaries, t, b, weights) / (m * steps)
        level = np.where(best > 0, level, italian_only)
    first = _any(_and(tutors.langs[m], t, beneficiaries.first_language, b))
    bonus = weights.first_language_bonus
    language = (1 - bonus) * level + bonus * first
    share = weights.italian_practice_share
    italian = tutors.italian[t] / MAX_RANK
    return np.where(
        beneficiaries.italian_need[b], (1 - share) * language + share * italian, language
    )


def combine(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    """Return the weighted sum of the components (in [0, 1])."""
    score = np.zeros(len(parts[COMPONENTS[0]]), dtype=np.float64)
    for name, weight in weights.component_weights.items():
        if weight:
            score += weight * parts[name]
    return np.clip(score, 0.0, 1.0)
