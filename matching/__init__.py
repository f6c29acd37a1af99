"""Tutor Match engine: pure numpy/scipy/scikit-learn/OR-Tools, no web framework.

Give it tutors and beneficiaries as plain records; get back an optimal, explained
assignment (`match`), proposals for one newcomer (`match_one_tutor`,
`match_one_beneficiary`) or the full judgement of one pair (`evaluate_pair`).
"""

from .engine import evaluate_pair, match
from .incremental import BeneficiaryPool, TutorPool, match_one_beneficiary, match_one_tutor
from .model import (
    LEVELS,
    SLOTS,
    Beneficiary,
    MatchResult,
    PairEvaluation,
    Proposal,
    Reason,
    RunStats,
    Tutor,
    mask_slots,
    slots_mask,
)
from .taxonomy import Skill, Taxonomy, load_taxonomy
from .weights import COMPONENTS, Weights, load_weights

__all__ = [
    "COMPONENTS",
    "LEVELS",
    "SLOTS",
    "Beneficiary",
    "BeneficiaryPool",
    "MatchResult",
    "PairEvaluation",
    "Proposal",
    "Reason",
    "RunStats",
    "Skill",
    "Taxonomy",
    "Tutor",
    "TutorPool",
    "Weights",
    "evaluate_pair",
    "load_taxonomy",
    "load_weights",
    "mask_slots",
    "match",
    "match_one_beneficiary",
    "match_one_tutor",
    "slots_mask",
]
