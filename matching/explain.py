"""Reason codes (a stable, documented set) and the reasons of each proposed pair.

The web layer translates each code and its parameters into a sentence; see
docs/matching.md for the parameters of every code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp

from .encode import BeneficiaryArrays, TutorArrays, Vocab, distance_km
from .interests import InterestIndex
from .model import LEVEL_RANK, LEVELS, Beneficiary, Proposal, Reason, Tutor, mask_slots
from .score import Pairs, combine, components, usable_skills
from .taxonomy import Taxonomy
from .weights import Weights

# Why a pair fits (reasons of a proposal).
NEEDS_COVERED = "needs_covered"  # covered, total, skills, missing
LANGUAGE_SHARED = "language_shared"  # lang, level, first_language
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
    NEEDS_COVERED, LANGUAGE_SHARED, ITALIAN_PRACTICE, DISTANCE_KM, REMOTE,
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


@dataclass(frozen=True, slots=True)
class _BeneficiaryFacts:
    needs: list[str]  # most important first
    spoken: tuple[tuple[int, bool, str], ...]  # (level rank, is first, code), best first
    spoken_id: int  # equal for equal `spoken`: the key of the language-reason cache
    italian_need: bool
    waiting: Reason


@dataclass(frozen=True, slots=True)
class _TutorFacts:
    tutor: Tutor
    remote_skills: frozenset[str]  # skills usable at a distance
    languages_id: int  # equal for equal languages and levels
    italian: Reason | None  # ITALIAN_PRACTICE at the tutor's Italian level


@dataclass
class Explainer:
    """Builds proposals with components and reasons for pairs of a run."""

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
        self.remote_skills = self.taxonomy.remote_ok
        self.italian_skills = self.taxonomy.italian_skills
        self._tutor_terms: dict[int, dict[int, float]] = {}
        self._beneficiary_terms: dict[int, dict[int, float]] = {}
        self._facts: dict[int, _BeneficiaryFacts] = {}
        self._tutors: dict[int, _TutorFacts] = {}
        # Reasons are immutable values: equal ones are built once and shared.
        self._spoken_ids: dict[tuple[tuple[int, bool, str], ...], int] = {}
        self._language_ids: dict[tuple[tuple[str, str], ...], int] = {}
        self._languages: dict[tuple[int, int], Reason | None] = {}
        self._distances: dict[float, Reason] = {}
        self._overlaps: dict[int, Reason] = {}
        self._shared_reasons: dict[tuple[str, str], Reason] = {}

    def pairs(self, t: np.ndarray, b: np.ndarray) -> Pairs:
        """Pairs with their distance and remote flag."""
        km = distance_km(self.tutors.xyz[t], self.beneficiaries.xyz[b])
        return Pairs(t, b, km, km > self.tutors.max_km[t])

    def scores(self, pairs: Pairs) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Score and components of pairs."""
        skills = usable_skills(self.tutors, self.vocab, pairs)
        parts = components(
            self.tutors, self.beneficiaries, pairs, skills, self.interests, self.weights,
            tutor_text_rows=self.tutor_rows, beneficiary_text_rows=self.beneficiary_rows,
        )  # fmt: skip
        return combine(parts, self.weights), parts

    def proposals(self, t: np.ndarray, b: np.ndarray, ranks: np.ndarray) -> list[Proposal]:
        """Return explained proposals for pairs (t[i], b[i]) with the given ranks."""
        pairs = self.pairs(t, b)
        score, parts = self.scores(pairs)
        gain = score + self.weights.waiting_weight * self.beneficiaries.waiting_term[b]
        names = list(parts)
        interests_at = names.index("interests")
        rows = zip(*(np.round(parts[name], 4).tolist() for name in names), strict=True)
        shared = (self.tutors.availability[t] & self.beneficiaries.availability[b]).tolist()
        columns = zip(
            t.tolist(),
            b.tolist(),
            self.tutors.ids[t].tolist(),
            self.beneficiaries.ids[b].tolist(),
            np.round(score, 4).tolist(),
            np.round(gain, 4).tolist(),
            pairs.km.tolist(),
            pairs.remote.tolist(),
            np.asarray(ranks).tolist(),
            rows,
            shared,
            strict=True,
        )
        explain = self._reasons
        return [
            Proposal(
                beneficiary_id=b_id,
                tutor_id=t_id,
                score=pair_score,
                components=dict(zip(names, row, strict=True)),
                reasons=explain(ti, bi, km, remote, row[interests_at], slots),
                rank=rank,
                gain=pair_gain,
            )
            for ti, bi, t_id, b_id, pair_score, pair_gain, km, remote, rank, row, slots in columns
        ]

    def _beneficiary_facts(self, bi: int) -> _BeneficiaryFacts:
        facts = self._facts.get(bi)
        if facts is None:
            person = self.beneficiaries.records[bi]
            needs = sorted_needs(person)
            spoken = tuple(
                sorted(
                    ((LEVEL_RANK[level], code == person.first_language, code)
                     for code, level in person.languages.items()),
                    key=lambda item: (-item[0], not item[1], item[2]),
                )
            )  # fmt: skip
            facts = self._facts[bi] = _BeneficiaryFacts(
                needs=needs,
                spoken=spoken,
                spoken_id=self._spoken_ids.setdefault(spoken, len(self._spoken_ids)),
                italian_need=not self.italian_skills.isdisjoint(needs),
                waiting=Reason(WAITING_DAYS, {"days": int(self.beneficiaries.waiting_days[bi])}),
            )
        return facts

    def _tutor_facts(self, ti: int) -> _TutorFacts:
        facts = self._tutors.get(ti)
        if facts is None:
            tutor = self.tutors.records[ti]
            languages = tuple(sorted(tutor.languages.items()))
            italian = tutor.languages.get("it")
            facts = self._tutors[ti] = _TutorFacts(
                tutor=tutor,
                remote_skills=tutor.skills & self.remote_skills,
                languages_id=self._language_ids.setdefault(languages, len(self._language_ids)),
                italian=None if italian is None else self._italian(italian),
            )
        return facts

    def _italian(self, level: str) -> Reason:
        reason = self._shared_reasons.get((ITALIAN_PRACTICE, level))
        if reason is None:
            reason = Reason(ITALIAN_PRACTICE, {"level": level})
            self._shared_reasons[(ITALIAN_PRACTICE, level)] = reason
        return reason

    def reasons(
        self, ti: int, bi: int, km: float, remote: bool, interests: float = 1.0
    ) -> tuple[Reason, ...]:
        """Return the reasons one pair fits, strongest evidence first."""
        slots = self.tutors.records[ti].availability & self.beneficiaries.records[bi].availability
        return self._reasons(ti, bi, km, remote, interests, slots)

    def _reasons(
        self, ti: int, bi: int, km: float, remote: bool, interests: float, slots: int
    ) -> tuple[Reason, ...]:
        """The reasons of one pair; value-equal reasons are shared between pairs (immutable)."""
        tutor_facts = self._tutor_facts(ti)
        tutor = tutor_facts.tutor
        person = self._facts.get(bi) or self._beneficiary_facts(bi)
        usable = tutor_facts.remote_skills if remote else tutor.skills
        covered = [code for code in person.needs if code in usable]
        missing = [code for code in person.needs if code not in usable]
        reasons = [
            Reason(
                NEEDS_COVERED,
                {"covered": len(covered), "total": len(person.needs), "skills": covered,
                 "missing": missing},
            )
        ]  # fmt: skip
        key = (tutor_facts.languages_id, person.spoken_id)
        if key in self._languages:
            language = self._languages[key]
        else:
            language = self._languages[key] = self._best_language(tutor, person.spoken)
        if language is not None:
            reasons.append(language)
        if person.italian_need and tutor_facts.italian is not None:
            reasons.append(tutor_facts.italian)
        if remote:
            reasons.append(
                Reason(REMOTE, {"km": round(km, 1), "max_km": tutor.max_km, "skills": covered})
            )
        else:
            rounded = round(km, 1)
            distance = self._distances.get(rounded)
            if distance is None:
                distance = self._distances[rounded] = Reason(DISTANCE_KM, {"km": rounded})
            reasons.append(distance)
        overlap = self._overlaps.get(slots)
        if overlap is None:
            names = mask_slots(slots)
            overlap = self._overlaps[slots] = (
                Reason(AVAILABILITY_OVERLAP, {"slots": names})
                if names
                else Reason(NO_COMMON_AVAILABILITY, {})
            )
        reasons.append(overlap)
        terms = self.shared_terms(ti, bi) if interests > 0 else []
        if terms:
            reasons.append(Reason(INTERESTS_SHARED, {"terms": terms}))
        reasons.append(person.waiting)
        return tuple(reasons)

    def _best_language(
        self, tutor: Tutor, spoken: tuple[tuple[int, bool, str], ...]
    ) -> Reason | None:
        """The best language both speak at a usable level (first language wins ties)."""
        best: tuple[int, bool, str] | None = None
        for rank, first, code in spoken:  # best of the beneficiary's first
            if best is not None and rank < best[0]:
                break
            level = tutor.languages.get(code)
            if level is None:
                continue
            shared = min(rank, LEVEL_RANK[level])
            if shared < self.weights.min_rank:
                continue
            key = (shared, first, code)
            if best is None or (shared, first) > (best[0], best[1]):
                best = key
        if best is None:
            return None
        rank, first, code = best
        return Reason(
            LANGUAGE_SHARED, {"lang": code, "level": LEVELS[rank - 1], "first_language": first}
        )

    def shared_terms(self, ti: int, bi: int, limit: int = 5) -> list[str]:
        """Interest terms both texts contain, strongest first."""
        left = self.interests.tutors if self.tutor_rows is None else self.tutor_rows
        right = (
            self.interests.beneficiaries if self.beneficiary_rows is None else self.beneficiary_rows
        )
        if left.shape[1] == 0:
            return []
        lw = self._tutor_terms.get(ti)
        if lw is None:
            lw = self._tutor_terms[ti] = _row_terms(left, ti)
        rw = self._beneficiary_terms.get(bi)
        if rw is None:
            rw = self._beneficiary_terms[bi] = _row_terms(right, bi)
        if not lw or not rw:
            return []
        common = sorted(lw.keys() & rw.keys(), key=lambda j: (-lw[j] * rw[j], j))[:limit]
        return [str(self.interests.terms[j]) for j in common]


def _row_terms(matrix: sp.csr_matrix, row: int) -> dict[int, float]:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return dict(
        zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True)
    )
