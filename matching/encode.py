"""Turn tutor and beneficiary records into column arrays (bitsets, radians, levels)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TypeVar

import numpy as np

from .model import ALL_SLOTS, GENDERS, ITALIAN, LEVEL_RANK, Beneficiary, Tutor
from .taxonomy import Taxonomy
from .weights import Weights

EARTH_RADIUS_KM = 6371.0088
GENDER_CODE: dict[str | None, int] = {None: 0, **{g: i for i, g in enumerate(GENDERS, start=1)}}
WORD = 64
Bits = tuple[np.ndarray, ...]
Person = TypeVar(
    "Person", Tutor, Beneficiary
)  # one uint64 array per 64-bit word of a bitset column


@dataclass(frozen=True)
class Vocab:
    """Bit positions for languages, skills and documents, shared by both sides of a run."""

    languages: dict[str, int]
    skills: dict[str, int]
    documents: dict[str, int]
    remote_skills: int  # bitset (Python int) of skills that can be helped remotely
    italian_skills: int
    skill_document: dict[str, str]  # skill -> document it requires

    @classmethod
    def build(
        cls, tutors: Iterable[Tutor], beneficiaries: Iterable[Beneficiary], taxonomy: Taxonomy
    ) -> Vocab:
        """Collect the codes used by both sides (taxonomy skills first, then any extras)."""
        languages: set[str] = set()
        skills: dict[str, None] = dict.fromkeys(taxonomy.codes)
        documents: dict[str, None] = dict.fromkeys(taxonomy.documents)
        extra: set[str] = set()
        for tutor in tutors:
            languages.update(tutor.languages)
            extra.update(tutor.skills)
            documents.update(dict.fromkeys(sorted(tutor.documents)))
        for beneficiary in beneficiaries:
            languages.update(beneficiary.languages)
            extra.update(beneficiary.needs)
        skills.update(dict.fromkeys(sorted(extra - skills.keys())))
        if len(documents) > WORD:
            raise ValueError(f"at most {WORD} document codes are supported")
        skill_index = {code: i for i, code in enumerate(skills)}
        italian = taxonomy.italian_skills
        return cls(
            languages={code: i for i, code in enumerate(sorted(languages))},
            skills=skill_index,
            documents={code: i for i, code in enumerate(documents)},
            remote_skills=sum(1 << skill_index[c] for c in taxonomy.remote_ok),
            italian_skills=sum(1 << skill_index[c] for c in italian if c in skill_index),
            skill_document=taxonomy.requires_document,
        )

    @property
    def language_words(self) -> int:
        """Number of 64-bit words of a language bitset."""
        return max(1, -(-len(self.languages) // WORD))

    @property
    def skill_words(self) -> int:
        """Number of 64-bit words of a skill bitset."""
        return max(1, -(-len(self.skills) // WORD))


def to_bits(values: Sequence[int], words: int) -> Bits:
    """Split Python-int bitsets into `words` uint64 columns."""
    mask = (1 << WORD) - 1
    if words == 1:
        try:  # bitsets are ≥ 0: only a value of 64 bits or more can fail
            return (np.array(values, dtype=np.uint64).reshape(-1),)
        except OverflowError:
            pass
    return tuple(
        np.fromiter((v >> (WORD * w) & mask for v in values), np.uint64, len(values))
        for w in range(words)
    )


def _skill_bits(codes: Iterable[str], vocab: Vocab) -> int:
    return sum(1 << vocab.skills[c] for c in codes if c in vocab.skills)


class _LevelCache(dict[tuple[tuple[str, str], ...], list[int]]):
    """Language bitsets by level of each distinct language profile (people share them)."""

    def __init__(self, vocab: Vocab) -> None:
        super().__init__()
        self.vocab = vocab

    def of(self, languages: Mapping[str, str], who: str) -> list[int]:
        key = tuple(languages.items())
        levels = self.get(key)
        if levels is None:
            levels = self[key] = _language_levels(languages, self.vocab, who)
        return levels


def _language_levels(languages: Mapping[str, str], vocab: Vocab, who: str) -> list[int]:
    """Return bitsets by level rank: entry r holds languages spoken at level ≥ r."""
    by_rank = [0] * 8
    for code, level in languages.items():
        rank = LEVEL_RANK.get(level)
        if rank is None:
            raise ValueError(f"{who}: language {code!r} has unknown level {level!r}")
        bit = vocab.languages.get(code)
        if bit is None:
            continue  # a language nobody on the other side speaks: it cannot match
        for r in range(1, rank + 1):
            by_rank[r] |= 1 << bit
    return by_rank


def _check_common(person: Tutor | Beneficiary, who: str) -> None:
    if not (-90 <= person.lat <= 90 and -180 <= person.lon <= 180):
        raise ValueError(f"{who}: coordinates out of range ({person.lat}, {person.lon})")
    if not 0 <= person.availability <= ALL_SLOTS:
        raise ValueError(f"{who}: availability mask out of range")
    if person.gender not in GENDER_CODE:
        raise ValueError(f"{who}: gender must be one of f, m, x or empty")


def _sorted_by_id(records: Sequence[Person], kind: str) -> list[Person]:
    ordered = sorted(records, key=lambda r: r.id)
    for a, b in pairwise(ordered):
        if a.id == b.id:
            raise ValueError(f"{kind} {a.id}: duplicate id")
    return ordered


def _radians(records: Sequence[Tutor] | Sequence[Beneficiary]) -> np.ndarray:
    coords = np.array([(r.lat, r.lon) for r in records], dtype=np.float64).reshape(-1, 2)
    return np.radians(coords)


def unit_vectors(coords: np.ndarray) -> np.ndarray:
    """Points on the unit sphere: Euclidean (chord) distance is monotone in great-circle km."""
    lat, lon = coords[:, 0], coords[:, 1]
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def km_to_chord(km: np.ndarray | float) -> np.ndarray:
    """Chord length on the unit sphere for a great-circle distance in km."""
    return 2 * np.sin(np.minimum(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, np.pi) / 2)


def distance_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between rows of unit vectors (the one distance used)."""
    chord = np.sqrt(((a - b) ** 2).sum(axis=1))
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))


def pair_distance_km(a: np.ndarray, ai: np.ndarray, b: np.ndarray, bi: np.ndarray) -> np.ndarray:
    """distance_km(a[ai], b[bi]) bit for bit, from column gathers (no (n, 3) copies)."""
    square = np.zeros(len(ai))
    for axis in range(3):  # the same squares summed in the same order as distance_km
        column = a[:, axis][ai] - b[:, axis][bi]
        square += column * column
    chord = np.sqrt(square)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))


def italian_ranks(records: Sequence[Tutor] | Sequence[Beneficiary]) -> np.ndarray:
    """Italian level rank of each person (0: no Italian)."""
    return np.array(
        [LEVEL_RANK.get(r.languages.get(ITALIAN, ""), 0) for r in records], dtype=np.int64
    )


@dataclass
class TutorArrays:
    """Tutors as columns, sorted by id."""

    records: list[Tutor]
    ids: np.ndarray
    coords: np.ndarray  # (n, 2) latitude, longitude in radians
    xyz: np.ndarray  # (n, 3) unit vectors
    max_km: np.ndarray
    free_slots: np.ndarray
    skills: Bits
    langs: list[Bits]  # langs[r]: languages spoken at level ≥ r (r = 1..7)
    italian: np.ndarray  # Italian level rank 0..7
    availability: np.ndarray
    gender: np.ndarray
    remote: np.ndarray
    documents: np.ndarray  # uint64 bitset of documents valid on `now`

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class BeneficiaryArrays:
    """Beneficiaries as columns, sorted by id."""

    records: list[Beneficiary]
    ids: np.ndarray
    coords: np.ndarray
    xyz: np.ndarray
    needs: list[Bits]  # needs[p]: needs of priority p (p = 1..3); needs[0]: all needs
    need_planes: tuple[Bits, Bits]  # needs whose priority has bit 0 set (1, 3), bit 1 (2, 3)
    priority_total: np.ndarray
    langs: list[Bits]
    first_language: Bits
    italian: np.ndarray  # Italian level rank 0..7
    italian_need: np.ndarray
    availability: np.ndarray
    gender: np.ndarray
    preferred_gender: np.ndarray
    remote: np.ndarray
    documents_required: np.ndarray
    unlisted_needs: np.ndarray  # some need is not in the vocabulary (nobody offers it)
    waiting_days: np.ndarray
    waiting_term: np.ndarray  # min(1, days / horizon)

    def __len__(self) -> int:
        return len(self.records)


def encode_tutors(tutors: Sequence[Tutor], vocab: Vocab, now: date) -> TutorArrays:
    """Encode tutors (sorted by id) against a vocabulary."""
    records: list[Tutor] = _sorted_by_id(tutors, "tutor")
    levels: list[list[int]] = []
    documents: list[int] = []
    cache = _LevelCache(vocab)
    for t in records:
        who = f"tutor {t.id}"
        _check_common(t, who)
        if t.max_km < 0 or t.free_slots < 0 or t.free_slots > t.capacity:
            raise ValueError(f"{who}: need max_km ≥ 0 and 0 ≤ free_slots ≤ capacity")
        levels.append(cache.of(t.languages, who))
        documents.append(
            sum(1 << vocab.documents[d] for d, exp in t.documents.items() if exp >= now)
        )
    words = vocab.language_words
    coords = _radians(records)
    return TutorArrays(
        records=records,
        ids=np.array([t.id for t in records], dtype=np.int64),
        coords=coords,
        xyz=unit_vectors(coords),
        max_km=np.array([t.max_km for t in records], dtype=np.float64),
        free_slots=np.array([t.free_slots for t in records], dtype=np.int64),
        skills=to_bits([_skill_bits(t.skills, vocab) for t in records], vocab.skill_words),
        langs=[to_bits([lv[r] for lv in levels], words) for r in range(8)],
        italian=italian_ranks(records),
        availability=np.array([t.availability for t in records], dtype=np.int64),
        gender=np.array([GENDER_CODE[t.gender] for t in records], dtype=np.int8),
        remote=np.array([t.remote_ok for t in records], dtype=bool),
        documents=np.array(documents, dtype=np.uint64),
    )


def encode_beneficiaries(
    beneficiaries: Sequence[Beneficiary], vocab: Vocab, now: date, weights: Weights
) -> BeneficiaryArrays:
    """Encode beneficiaries (sorted by id) against a vocabulary."""
    records: list[Beneficiary] = _sorted_by_id(beneficiaries, "beneficiary")
    by_priority: list[list[int]] = [[], [], [], []]
    levels: list[list[int]] = []
    first: list[int] = []
    required: list[int] = []
    unlisted: list[bool] = []
    cache = _LevelCache(vocab)
    for b in records:
        who = f"beneficiary {b.id}"
        _check_common(b, who)
        if b.preferred_tutor_gender not in GENDER_CODE:
            raise ValueError(f"{who}: preferred tutor gender must be one of f, m, x or empty")
        row = [0, 0, 0, 0]
        docs = 0
        missing = False
        for code, priority in b.needs.items():
            if priority not in (1, 2, 3):
                raise ValueError(f"{who}: need {code!r} has priority {priority!r}, not 1..3")
            missing |= code not in vocab.skills
            bit = 1 << vocab.skills[code] if code in vocab.skills else 0  # 0: nobody offers it
            row[0] |= bit
            row[priority] |= bit
            document = vocab.skill_document.get(code)
            if document is not None:
                docs |= 1 << vocab.documents[document]
        for p in range(4):
            by_priority[p].append(row[p])
        required.append(docs)
        unlisted.append(missing)
        levels.append(cache.of(b.languages, who))
        bit_first = vocab.languages.get(b.first_language or "")
        first.append(0 if bit_first is None else 1 << bit_first)
    skill_words, words = vocab.skill_words, vocab.language_words
    needs = [to_bits(by_priority[p], skill_words) for p in range(4)]
    waiting = np.array([(now - b.waiting_since).days for b in records], dtype=np.float64)
    waiting = np.maximum(waiting, 0.0)
    coords = _radians(records)
    return BeneficiaryArrays(
        records=records,
        ids=np.array([b.id for b in records], dtype=np.int64),
        coords=coords,
        xyz=unit_vectors(coords),
        needs=needs,
        need_planes=(
            tuple(w1 | w3 for w1, w3 in zip(needs[1], needs[3], strict=True)),
            tuple(w2 | w3 for w2, w3 in zip(needs[2], needs[3], strict=True)),
        ),
        priority_total=np.array([sum(b.needs.values()) for b in records], dtype=np.float64),
        langs=[to_bits([lv[r] for lv in levels], words) for r in range(8)],
        first_language=to_bits(first, words),
        italian=italian_ranks(records),
        italian_need=np.array([bool(v & vocab.italian_skills) for v in by_priority[0]]),
        availability=np.array([b.availability for b in records], dtype=np.int64),
        gender=np.array([GENDER_CODE[b.gender] for b in records], dtype=np.int8),
        preferred_gender=np.array(
            [GENDER_CODE[b.preferred_tutor_gender] for b in records], dtype=np.int8
        ),
        remote=np.array([b.remote_ok for b in records], dtype=bool),
        documents_required=np.array(required, dtype=np.uint64),
        unlisted_needs=np.array(unlisted, dtype=bool),
        waiting_days=waiting,
        waiting_term=np.minimum(1.0, waiting / weights.waiting_horizon_days),
    )
