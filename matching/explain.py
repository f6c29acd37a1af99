"""Reason codes (a stable, documented set) and the reasons of each proposed pair.

The web layer translates each code and its parameters into a sentence; see
docs/matching.md for the parameters of every code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from .encode import WORD, BeneficiaryArrays, TutorArrays, Vocab, distance_km
from .groups import distinct
from .interests import InterestIndex
from .model import LEVEL_RANK, LEVELS, Beneficiary, Proposal, Reason, Tutor, mask_slots
from .score import MAX_RANK, Pairs, combine, components, usable_skills
from .taxonomy import Taxonomy
from .weights import COMPONENTS, Weights

# Why a pair fits (reasons of a proposal).
NEEDS_COVERED = "needs_covered"  # covered, total, skills, missing
LANGUAGE_SHARED = "language_shared"  # lang, level, first_language
ITALIAN_ONLY = "italian_only"  # level: the only usable shared language is Italian, below min_level
ITALIAN_PRACTICE = "italian_practice"  # level (tutor's Italian, for Italian needs)
DISTANCE_KM = "distance_km"  # km
REMOTE = "remote"  # km, max_km, skills (helped at a distance)
AVAILABILITY_OVERLAP = "availability_overlap"  # slots
NO_COMMON_AVAILABILITY = "no_common_availability"  # (none)
INTERESTS_SHARED = "interests_shared"  # terms
WAITING_DAYS = "waiting_days"  # days

# Hard constraints a pair breaks (evaluate_pair) and why a beneficiary stays unmatched.
TOO_FAR = "too_far"  # km, max_km, remote_max_km
NO_FREE_SLOT = "no_free_slot"  # capacity
NO_SHARED_LANGUAGE = "no_shared_language"  # languages, tutor_languages | tutors_in_reach, within_km
GENDER_PREFERENCE_UNMET = "gender_preference_unmet"  # preferred, tutor_gender | tutors
DOCUMENT_REQUIRED = "document_required"  # documents, skills, expired_on | tutors
NO_NEED_COVERED = "no_need_covered"  # needs | tutors
EXCLUDED_PAIR = "excluded_pair"  # (none): rejected or ended before
SCORE_BELOW_MINIMUM = "score_below_minimum"  # score, min_score

# Only for unmatched beneficiaries.
NO_TUTOR_WITHIN_REACH = "no_tutor_within_reach"  # nearest_km, nearest_max_km
NO_FREE_TUTOR = "no_free_tutor"  # tutors_in_reach
EXCLUDED_PAIRS = "excluded_pairs"  # count
ONLY_WEAK_CANDIDATES = "only_weak_candidates"  # candidates, best_score, min_score
ALL_CANDIDATES_TAKEN = "all_candidates_taken"  # candidates, best_score

PAIR_REASONS = (
    NEEDS_COVERED, LANGUAGE_SHARED, ITALIAN_ONLY, ITALIAN_PRACTICE, DISTANCE_KM, REMOTE,
    AVAILABILITY_OVERLAP, NO_COMMON_AVAILABILITY, INTERESTS_SHARED, WAITING_DAYS,
)  # fmt: skip
CONSTRAINT_REASONS = (
    TOO_FAR, NO_FREE_SLOT, NO_SHARED_LANGUAGE, GENDER_PREFERENCE_UNMET, DOCUMENT_REQUIRED,
    NO_NEED_COVERED, EXCLUDED_PAIR, SCORE_BELOW_MINIMUM,
)  # fmt: skip
UNMATCHED_REASONS = (
    NO_TUTOR_WITHIN_REACH, NO_FREE_TUTOR, NO_SHARED_LANGUAGE, GENDER_PREFERENCE_UNMET,
    DOCUMENT_REQUIRED, NO_NEED_COVERED, EXCLUDED_PAIRS, ONLY_WEAK_CANDIDATES,
    ALL_CANDIDATES_TAKEN,
)  # fmt: skip
ALL_REASONS = tuple(dict.fromkeys(PAIR_REASONS + CONSTRAINT_REASONS + UNMATCHED_REASONS))


def sorted_needs(beneficiary: Beneficiary) -> list[str]:
    """The beneficiary's needs, most important first."""
    return sorted(beneficiary.needs, key=lambda code: (-beneficiary.needs[code], code))


_T = TypeVar("_T")
# A proposal without its rank: beneficiary id, tutor id, score, components, reasons, gain.
Explained = tuple[int, int, float, dict[str, float], tuple[Reason, ...], float]


def ranked(explained: list[Explained], ranks: list[int]) -> list[Proposal]:
    """Proposals from explained pairs and their ranks."""
    return [
        Proposal(b_id, t_id, score, parts, reasons, rank, gain)
        for (b_id, t_id, score, parts, reasons, gain), rank in zip(explained, ranks, strict=True)
    ]


def round_tenths(values: np.ndarray) -> np.ndarray:
    """`round(value, 1)` of each value, as Python rounds (to the nearest tenth of the
    value's exact decimal expansion, halves to even)."""
    out = np.round(values, 1)
    # np.round scales by 10 first, which can move a value lying (almost) halfway between
    # two tenths to the other side; those few are rounded by Python itself
    tenths = values * 10
    halfway = np.flatnonzero(np.abs(tenths - np.floor(tenths) - 0.5) < 1e-6)
    out[halfway] = [round(value, 1) for value in values[halfway].tolist()]
    return out


def _spread(values: list[_T], groups: np.ndarray) -> list[_T]:
    """The value of each row's group."""
    return list(map(values.__getitem__, groups.tolist()))


def _person_groups(words: list[np.ndarray], index: np.ndarray) -> np.ndarray:
    """Group of each row of `index` such that equal people (by their words) share one."""
    people, inverse = np.unique(index, return_inverse=True)
    _, group = distinct(*(w[people] for w in words))
    return group[inverse.reshape(-1)]


@dataclass
class Explainer:
    """Builds proposals with components and reasons for pairs of a run.

    Reasons are computed per distinct value, not per pair: pairs whose reason would be
    equal (the same covered needs of the same need list, the same pair of language
    profiles, the same rounded distance, slots or waiting days) share one immutable
    Reason, so do not modify their `params`.
    """

    tutors: TutorArrays
    beneficiaries: BeneficiaryArrays
    vocab: Vocab
    interests: InterestIndex
    weights: Weights
    taxonomy: Taxonomy
    now: date
    tutor_rows: sp.csr_matrix | None = None  # interest rows (incremental mode: the newcomer)
    beneficiary_rows: sp.csr_matrix | None = None

    def __post_init__(self) -> None:
        self._italian = [None] + [Reason(ITALIAN_PRACTICE, {"level": lv}) for lv in LEVELS]

    def pairs(self, t: np.ndarray, b: np.ndarray) -> Pairs:
        """Pairs with their distance and remote flag."""
        km = distance_km(self.tutors.xyz[t], self.beneficiaries.xyz[b])
        return Pairs(t, b, km, km > self.tutors.max_km[t])

    def scores(self, pairs: Pairs) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Score and components of pairs."""
        return self._scores(pairs, usable_skills(self.tutors, self.vocab, pairs))

    def _scores(
        self, pairs: Pairs, skills: list[np.ndarray]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        parts = components(
            self.tutors, self.beneficiaries, pairs, skills, self.interests, self.weights,
            tutor_text_rows=self.tutor_rows, beneficiary_text_rows=self.beneficiary_rows,
        )  # fmt: skip
        return combine(parts, self.weights), parts

    def proposals(self, t: np.ndarray, b: np.ndarray, ranks: np.ndarray) -> list[Proposal]:
        """Return explained proposals for pairs (t[i], b[i]) with the given ranks."""
        return ranked(self.explained(t, b), np.asarray(ranks).tolist())

    def explained(self, t: np.ndarray, b: np.ndarray) -> list[Explained]:
        """Return everything a proposal of each pair (t[i], b[i]) holds but its rank."""
        pairs = self.pairs(t, b)
        skills = usable_skills(self.tutors, self.vocab, pairs)
        score, parts = self._scores(pairs, skills)
        gain = score + self.weights.waiting_weight * self.beneficiaries.waiting_term[b]
        rounded = {name: np.round(values, 4) for name, values in parts.items()}
        reasons = self.pair_reasons(pairs, skills, rounded["interests"])
        need, language, proximity, availability, interests = COMPONENTS
        rows = zip(*(rounded[name].tolist() for name in COMPONENTS), strict=True)
        return list(
            zip(
                self.beneficiaries.ids[b].tolist(),
                self.tutors.ids[t].tolist(),
                np.round(score, 4).tolist(),
                [
                    {need: n, language: la, proximity: p, availability: a, interests: i}
                    for n, la, p, a, i in rows
                ],
                reasons,
                np.round(gain, 4).tolist(),
                strict=True,
            )
        )

    def reasons(
        self, ti: int, bi: int, km: float, remote: bool, interests: float = 1.0
    ) -> tuple[Reason, ...]:
        """Return the reasons one pair fits, strongest evidence first."""
        pairs = Pairs(np.array([ti]), np.array([bi]), np.array([km]), np.array([remote]))
        skills = usable_skills(self.tutors, self.vocab, pairs)
        return self.pair_reasons(pairs, skills, np.array([interests]))[0]

    def pair_reasons(
        self, pairs: Pairs, skills: list[np.ndarray], interests: np.ndarray
    ) -> list[tuple[Reason, ...]]:
        """The reasons of each pair, strongest evidence first (`skills`: usable skills)."""
        needs, covered = self._needs_column(pairs, skills)
        columns = [
            needs,
            self._language_column(pairs),
            self._italian_column(pairs),
            self._place_column(pairs, covered),
            self._availability_column(pairs),
            self._interests_column(pairs, interests),
            self._waiting_column(pairs),
        ]
        return [tuple(filter(None, row)) for row in zip(*columns, strict=True)]

    def _needs_column(
        self, pairs: Pairs, skills: list[np.ndarray]
    ) -> tuple[list[Reason], list[list[str]]]:
        """NEEDS_COVERED of each pair, and the covered skills (for the remote reason)."""
        # Beneficiaries with equal needs by priority have equal need lists, unless a need
        # is missing from the bitsets (not in the vocabulary): those get a list each.
        people = self.beneficiaries
        need_list = _person_groups([w for p in (1, 2, 3) for w in people.needs[p]], pairs.b)
        unlisted = people.unlisted_needs[pairs.b]
        if unlisted.any():
            need_list = np.where(unlisted, len(people) + pairs.b, need_list)
        covered_words = [
            s & n[pairs.b] for s, n in zip(skills, self.beneficiaries.needs[0], strict=True)
        ]
        first, group = distinct(need_list, *covered_words)
        masks = covered_words[0][first].tolist()
        for w, word in enumerate(covered_words[1:], start=1):
            masks = [
                mask | (high << (WORD * w))
                for mask, high in zip(masks, word[first].tolist(), strict=True)
            ]
        records = self.beneficiaries.records
        bit = self.vocab.skills
        need_bits: dict[int, list[tuple[str, int]]] = {}  # need list -> (code, bit), in order
        reasons: list[Reason] = []
        covered_lists: list[list[str]] = []
        rows = zip(need_list[first].tolist(), masks, pairs.b[first].tolist(), strict=True)
        for need_id, mask, bi in rows:
            order = need_bits.get(need_id)
            if order is None:
                order = need_bits[need_id] = [
                    (code, 1 << bit[code] if code in bit else 0)
                    for code in sorted_needs(records[bi])
                ]
            covered = [code for code, code_bit in order if mask & code_bit]
            missing = [code for code, code_bit in order if not mask & code_bit]
            covered_lists.append(covered)
            reasons.append(
                Reason(
                    NEEDS_COVERED,
                    {"covered": len(covered), "total": len(order), "skills": covered,
                     "missing": missing},
                )
            )  # fmt: skip
        return _spread(reasons, group), _spread(covered_lists, group)

    def _language_column(self, pairs: Pairs) -> list[Reason | None]:
        """LANGUAGE_SHARED of each pair (the best language both speak), ITALIAN_ONLY, or None."""
        levels = range(self.weights.min_rank, MAX_RANK + 1)
        tutor_profile = _person_groups(
            [w for r in levels for w in self.tutors.langs[r]] + [self.tutors.italian], pairs.t
        )
        beneficiary_profile = _person_groups(
            [w for r in levels for w in self.beneficiaries.langs[r]]
            + list(self.beneficiaries.first_language)
            + [self.beneficiaries.italian],
            pairs.b,
        )
        first, group = distinct(tutor_profile, beneficiary_profile)
        tutors, people = self.tutors.records, self.beneficiaries.records
        spoken: dict[int, tuple[tuple[int, bool, str], ...]] = {}  # by beneficiary profile
        reasons = []
        for ti, bi, profile in zip(
            pairs.t[first].tolist(), pairs.b[first].tolist(),
            beneficiary_profile[first].tolist(), strict=True,
        ):  # fmt: skip
            languages = spoken.get(profile)
            if languages is None:
                languages = spoken[profile] = _spoken(people[bi])
            reasons.append(self._best_language(tutors[ti], languages))
        return _spread(reasons, group)

    def _italian_column(self, pairs: Pairs) -> list[Reason | None]:
        """ITALIAN_PRACTICE (the tutor's Italian level) where an Italian need is open."""
        level = np.where(self.beneficiaries.italian_need[pairs.b], self.tutors.italian[pairs.t], 0)
        return _spread(self._italian, level)

    def _place_column(self, pairs: Pairs, covered: list[list[str]]) -> list[Reason]:
        """DISTANCE_KM, or REMOTE with the needs helped at a distance beyond travel range."""
        km = round_tenths(pairs.km)
        first, group = distinct(np.rint(km * 10).astype(np.int64))
        reasons = _spread([Reason(DISTANCE_KM, {"km": d}) for d in km[first].tolist()], group)
        tutors = self.tutors.records
        for i in np.flatnonzero(pairs.remote).tolist():
            max_km = tutors[int(pairs.t[i])].max_km
            reasons[i] = Reason(
                REMOTE, {"km": float(km[i]), "max_km": max_km, "skills": covered[i]}
            )
        return reasons

    def _availability_column(self, pairs: Pairs) -> list[Reason]:
        """AVAILABILITY_OVERLAP with the shared weekly slots, or NO_COMMON_AVAILABILITY."""
        shared = self.tutors.availability[pairs.t] & self.beneficiaries.availability[pairs.b]
        first, group = distinct(shared)
        reasons = []
        for slots in shared[first].tolist():
            names = mask_slots(slots)
            reasons.append(
                Reason(AVAILABILITY_OVERLAP, {"slots": names})
                if names
                else Reason(NO_COMMON_AVAILABILITY, {})
            )
        return _spread(reasons, group)

    def _interests_column(self, pairs: Pairs, interests: np.ndarray) -> list[Reason | None]:
        """INTERESTS_SHARED with up to five terms both texts contain, strongest first."""
        column: list[Reason | None] = [None] * len(pairs)
        some = np.flatnonzero(interests > 0)
        if len(some) == 0 or len(self.interests.terms) == 0:
            return column
        found = self.shared_terms(pairs.t[some], pairs.b[some])
        for i, terms in zip(some.tolist(), found, strict=True):
            if terms:
                column[i] = Reason(INTERESTS_SHARED, {"terms": terms})
        return column

    def _waiting_column(self, pairs: Pairs) -> list[Reason]:
        """WAITING_DAYS of each pair's beneficiary."""
        days = self.beneficiaries.waiting_days[pairs.b].astype(np.int64)
        first, group = distinct(days)
        return _spread([Reason(WAITING_DAYS, {"days": d}) for d in days[first].tolist()], group)

    def _best_language(
        self, tutor: Tutor, spoken: tuple[tuple[int, bool, str], ...]
    ) -> Reason | None:
        """The best language both speak at a usable level (first language wins ties); Italian
        below `min_level` (allowed by `italian_min_level`) only when nothing else is shared."""
        best: tuple[int, bool, str] | None = None
        for rank, first, code in spoken:  # best of the beneficiary's first
            if best is not None and rank < best[0]:
                break
            level = tutor.languages.get(code)
            if level is None:
                continue
            shared = min(rank, LEVEL_RANK[level])
            if shared < self.weights.usable_rank(code):
                continue
            key = (shared, first, code)
            if best is None or (shared, first) > (best[0], best[1]):
                best = key
        if best is None:
            return None
        rank, first, code = best
        if rank < self.weights.min_rank:
            return Reason(ITALIAN_ONLY, {"level": LEVELS[rank - 1]})
        return Reason(
            LANGUAGE_SHARED, {"lang": code, "level": LEVELS[rank - 1], "first_language": first}
        )

    def shared_terms(self, t: np.ndarray, b: np.ndarray, limit: int = 5) -> list[list[str]]:
        """Interest terms both texts of each pair contain, strongest first."""
        if len(t) == 0 or len(self.interests.terms) == 0:
            return [[] for _ in range(len(t))]
        # products in float64 of the float32 weights: the order of terms by strength
        left, right = self.interests.rows(self.tutor_rows, self.beneficiary_rows)
        products = sp.csr_matrix(left[t].astype(np.float64).multiply(right[b].astype(np.float64)))
        counts = np.diff(products.indptr)
        rows = np.repeat(np.arange(len(t)), counts)
        order = np.lexsort((products.indices, -products.data, rows))
        starts = np.repeat(products.indptr[:-1], counts)
        keep = order[np.arange(len(order)) - starts < limit]
        names = self.interests.terms[products.indices[keep]].tolist()
        ends = np.cumsum(np.minimum(counts, limit)).tolist()
        out, start = [], 0
        for end in ends:
            out.append([str(name) for name in names[start:end]])
            start = end
        return out


def _spoken(person: Beneficiary) -> tuple[tuple[int, bool, str], ...]:
    """The beneficiary's languages as (level rank, is first, code), best first."""
    return tuple(
        sorted(
            ((LEVEL_RANK[level], code == person.first_language, code)
             for code, level in person.languages.items()),
            key=lambda item: (-item[0], not item[1], item[2]),
        )
    )  # fmt: skip
