"""Profile tables: the pair tests and the language component depend only on a few columns
(languages by level, Italian level, gender, documents; on the other side languages, first
language, Italian level, Italian need, preferred gender, required documents). People
sharing those columns share a profile, and a run has few profiles, so both are computed
once per pair of profiles (with the same vectorised functions as per pair) and looked up
per pair with one gather.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .encode import BeneficiaryArrays, TutorArrays
from .groups import distinct
from .score import documents_ok, gender_ok, language_component, language_pairs_ok
from .weights import Weights

MAX_CELLS = 1 << 21  # beyond this many profile pairs the per-pair bitset path is used


@dataclass(frozen=True)
class ProfileTable:
    """Per profile pair: whether language, gender and documents allow it; language value."""

    tutor_profile: np.ndarray  # int64 per tutor
    beneficiary_profile: np.ndarray  # int64 per beneficiary
    width: int  # number of beneficiary profiles
    ok: np.ndarray  # bool per cell (tutor profile * width + beneficiary profile)
    language: np.ndarray  # float64 per cell

    def cells(self, t: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The table cell of each pair."""
        return self.tutor_profile[t] * self.width + self.beneficiary_profile[b]


def _profiles(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(a member of each profile, profile of each person) for rows of equal columns."""
    first, profile = distinct(*(np.asarray(c) for c in columns))
    return first, profile.astype(np.int64, copy=False)


def build_table(
    tutors: TutorArrays, beneficiaries: BeneficiaryArrays, weights: Weights
) -> ProfileTable | None:
    """Build the table, or return None when there are too many profile pairs."""
    if len(tutors) == 0 or len(beneficiaries) == 0:
        return None
    m = weights.min_rank
    levels = range(m, len(tutors.langs))
    t_first, t_profile = _profiles(
        [w.view(np.int64) for r in levels for w in tutors.langs[r]]
        + [tutors.italian, tutors.gender, tutors.documents.view(np.int64)]
    )
    b_first, b_profile = _profiles(
        [w.view(np.int64) for r in levels for w in beneficiaries.langs[r]]
        + [w.view(np.int64) for w in beneficiaries.first_language]
        + [
            beneficiaries.italian,
            beneficiaries.italian_need,
            beneficiaries.preferred_gender,
            beneficiaries.documents_required.view(np.int64),
        ]
    )
    if len(t_first) * len(b_first) > MAX_CELLS:
        return None
    t = np.repeat(t_first, len(b_first))
    b = np.tile(b_first, len(t_first))
    ok = language_pairs_ok(tutors, beneficiaries, t, b, weights)
    ok &= gender_ok(tutors, beneficiaries, t, b) & documents_ok(tutors, beneficiaries, t, b)
    language = language_component(tutors, beneficiaries, t, b, weights)
    return ProfileTable(t_profile, b_profile, len(b_first), ok, language)
