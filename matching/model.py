"""The engine's records: tutors and beneficiaries in, proposals and reasons out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS, start=1)}  # A1=1 … native=7
ITALIAN = "it"  # the language a pair may share at the lower `italian_min_level`

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS = ("morning", "afternoon", "evening")
SLOTS = tuple(f"{day}_{part}" for day in DAYS for part in DAY_PARTS)  # bit i = SLOTS[i]
SLOT_BIT = {slot: 1 << i for i, slot in enumerate(SLOTS)}
ALL_SLOTS = (1 << len(SLOTS)) - 1

GENDERS = ("f", "m", "x")


def slots_mask(slots: Iterable[str]) -> int:
    """Return the availability mask of the named slots (raises KeyError on an unknown one)."""
    mask = 0
    for slot in slots:
        mask |= SLOT_BIT[slot]
    return mask


def mask_slots(mask: int) -> list[str]:
    """Return the slot names set in an availability mask, Monday morning first."""
    return list(_mask_slots(mask))


@cache
def _mask_slots(mask: int) -> tuple[str, ...]:
    return tuple(slot for i, slot in enumerate(SLOTS) if mask >> i & 1)


@dataclass(frozen=True, slots=True)
class Tutor:
    """A volunteer able to take `free_slots` more beneficiaries (out of `capacity`)."""

    id: int
    lat: float
    lon: float
    max_km: float
    capacity: int
    free_slots: int
    skills: frozenset[str]
    languages: Mapping[str, str]  # ISO 639 code -> level in LEVELS
    availability: int  # 21-bit mask over SLOTS
    interests: str = ""
    gender: str | None = None
    remote_ok: bool = False
    documents: Mapping[str, date] = field(default_factory=dict)  # document code -> expiry


@dataclass(frozen=True, slots=True)
class Beneficiary:
    """A person waiting for a tutor; `needs` maps skill codes to priority 1..3."""

    id: int
    lat: float
    lon: float
    needs: Mapping[str, int]
    languages: Mapping[str, str]
    first_language: str | None
    availability: int
    waiting_since: date
    interests: str = ""
    gender: str | None = None
    preferred_tutor_gender: str | None = None
    remote_ok: bool = False


@dataclass(frozen=True, slots=True)
class Reason:
    """A stable reason code with parameters; the web layer renders it in words."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        inner = ", ".join(f"{key}={_render(value)}" for key, value in self.params.items())
        return f"{self.code}({inner})"


def _render(value: object) -> str:
    if isinstance(value, list | tuple):
        return "[" + " ".join(_render(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A scored pair; rank 0 is the assignment, 1.. are alternatives."""

    beneficiary_id: int
    tutor_id: int
    score: float
    components: Mapping[str, float]
    reasons: tuple[Reason, ...]
    rank: int
    gain: float = 0.0  # score + waiting priority: what the assignment maximises


@dataclass(frozen=True, slots=True)
class PairEvaluation:
    """One pair judged in full: its score and reasons, and every hard constraint it breaks."""

    beneficiary_id: int
    tutor_id: int
    score: float
    gain: float
    components: Mapping[str, float]
    reasons: tuple[Reason, ...]
    broken: tuple[Reason, ...]

    @property
    def feasible(self) -> bool:
        """Whether the pair may be proposed (it breaks no hard constraint)."""
        return not self.broken


@dataclass
class RunStats:
    """Figures a coordinator sees for a run (and a dry run)."""

    beneficiaries: int = 0
    tutors: int = 0
    pairs_considered: int = 0  # pairs in reach: travel range, or remote help for a need
    scored_pairs: int = 0  # pairs passing every hard constraint, scored
    feasible_pairs: int = 0  # pairs passing every hard constraint and the minimum score
    candidate_pairs: int = 0  # pairs kept for the assignment after pruning
    proposals: int = 0  # assigned pairs
    alternatives: int = 0
    matched: int = 0
    unmatched: int = 0
    total_score: float = 0.0
    total_gain: float = 0.0  # the optimised objective: score + waiting priority
    coverage: float = 0.0  # matched / beneficiaries
    mean_waiting_days_matched: float = 0.0
    mean_waiting_days_unmatched: float = 0.0
    phase_seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class MatchResult:
    """The assignment, top-k alternatives per beneficiary, reasons for the unmatched, stats."""

    assignment: list[Proposal]
    alternatives: dict[int, list[Proposal]]
    unmatched: dict[int, list[Reason]]
    stats: RunStats
