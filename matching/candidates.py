"""Candidate pairs: tutors in spatial chunks, their feasible pairs (`reach`) scored with
numpy, and pruned to the best pairs of each side; two cores for large runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .encode import BeneficiaryArrays, TutorArrays, Vocab
from .forking import Forked, second_core
from .interests import InterestIndex
from .profiles import ProfileTable, build_table
from .ranking import quantize, top_within
from .reach import ReachQuery, feasible_pairs
from .score import combine, components
from .weights import Weights

SCAN_PHASES = ("candidates", "scoring", "pruning")  # timed separately in each chunk
TARGET_PAIRS_PER_CHUNK = 400_000  # keeps memory flat whatever the instance size
COMPACT_PAIRS = 4_000_000  # kept pairs at which beneficiaries' worst are first dropped
PARALLEL_MIN_TUTORS = 4000  # smaller runs stay in one process (a fork costs more)


@dataclass
class CandidateGraph:
    """Pairs kept for the assignment (sorted by beneficiary, then tutor) and run counters."""

    t: np.ndarray
    b: np.ndarray
    score: np.ndarray
    gain: np.ndarray
    feasible_per_beneficiary: np.ndarray
    pairs_considered: int = 0
    scored_pairs: int = 0
    feasible_pairs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def spatial_order(coords: np.ndarray) -> np.ndarray:
    """Order points by ~1° cells, then ~0.1° cells, so chunks are geographically compact."""
    degrees = np.degrees(coords)
    coarse = np.floor(degrees).astype(np.int64)
    fine = np.floor(degrees * 10).astype(np.int64)
    return np.lexsort((fine[:, 1], fine[:, 0], coarse[:, 1], coarse[:, 0]))


@dataclass
class _Scan:
    """What every chunk of a run needs (inherited as is by a forked worker)."""

    tutors: TutorArrays
    beneficiaries: BeneficiaryArrays
    vocab: Vocab
    interests: InterestIndex
    weights: Weights
    excluded_keys: np.ndarray
    per_beneficiary: int
    per_tutor: int
    query: ReachQuery
    table: ProfileTable | None


@dataclass
class _Part:
    """Pairs kept from some chunks, with counters (what a worker sends back)."""

    columns: tuple[np.ndarray, ...]  # t, b, score, gain, kept for the tutor side
    feasible_count: np.ndarray
    considered: int
    scored: int
    feasible: int
    seconds: dict[str, float]


class _Kept:
    """Pairs kept so far: each tutor's best (final, flagged) and beneficiaries' candidates.

    A beneficiary's pairs come from many chunks, so its best are chosen over the pile:
    whenever the pile has doubled since the last choice, the pairs that are neither their
    tutor's best nor among their beneficiary's best so far are dropped (they can never
    become a beneficiary's best later). The score of a beneficiary's last kept pair is
    then a floor: a new pair scoring below it can be dropped at once. Memory stays flat,
    in linear time.
    """

    def __init__(self, n_beneficiaries: int, per_beneficiary: int) -> None:
        self.n_beneficiaries, self.per_beneficiary = n_beneficiaries, per_beneficiary
        self.chunks: list[tuple[np.ndarray, ...]] = []
        self.size = 0
        self.next_compaction = COMPACT_PAIRS
        self.floor = np.full(n_beneficiaries, -1, dtype=np.int64)  # quantized score

    def add(self, t: np.ndarray, b: np.ndarray, score: np.ndarray, gain: np.ndarray,
            tutor_top: np.ndarray) -> None:  # fmt: skip
        """Add pairs (with whether each is among its tutor's best)."""
        keep = tutor_top | (quantize(score) >= self.floor[b])
        self.chunks.append((t[keep], b[keep], score[keep], gain[keep], tutor_top[keep]))
        self.size += int(keep.sum())
        if self.size >= self.next_compaction:
            self.chunks = [self.compacted()]
            self.size = len(self.chunks[0][0])
            self.next_compaction = max(COMPACT_PAIRS, 2 * self.size)

    def columns(self) -> tuple[np.ndarray, ...]:
        """All kept pairs, as one array per column."""
        if not self.chunks:
            empty = np.zeros(0, dtype=np.int64)
            return (empty, empty, np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool))
        if len(self.chunks) > 1:
            self.chunks = [tuple(np.concatenate(c) for c in zip(*self.chunks, strict=True))]
        return self.chunks[0]

    def compacted(self) -> tuple[np.ndarray, ...]:
        """The pairs that are their tutor's best or among their beneficiary's best."""
        t, b, score, gain, tutor_top = self.columns()
        best = top_within(b, self.n_beneficiaries, score, t, self.per_beneficiary)
        # beneficiaries with a full list: no later pair scoring below its last can enter
        full = np.bincount(b[best], minlength=self.n_beneficiaries) >= self.per_beneficiary
        last = np.full(self.n_beneficiaries, np.iinfo(np.int64).max)
        np.minimum.at(last, b[best], quantize(score[best]))
        self.floor[full] = np.maximum(self.floor[full], last[full])
        keep = tutor_top | best
        return t[keep], b[keep], score[keep], gain[keep], tutor_top[keep]


def _scan(
    scan: _Scan, active: np.ndarray, progress: Callable[[float], None] | None = None
) -> _Part:
    """Score the pairs of the given tutors chunk by chunk and keep the best of each side."""
    tutors, beneficiaries, weights = scan.tutors, scan.beneficiaries, scan.weights
    seconds = dict.fromkeys(SCAN_PHASES, 0.0)
    feasible_count = np.zeros(len(beneficiaries), dtype=np.int64)
    kept = _Kept(len(beneficiaries), scan.per_beneficiary)
    local = np.zeros(len(tutors), dtype=np.int64)  # a chunk's tutors numbered 0..
    considered = scored = feasible_total = 0
    size, start = 256, 0
    while start < len(active):
        tick = time.perf_counter()
        chunk = active[start : start + size]
        start += len(chunk)
        reach_t, reach_b, in_range = scan.query.pairs(tutors, chunk)
        considered += len(reach_t)
        pairs, skills = feasible_pairs(
            tutors, beneficiaries, scan.vocab, reach_t, reach_b, weights, scan.excluded_keys,
            scan.table, all_free=True, in_range=in_range,
        )  # fmt: skip
        scored += len(pairs)
        tock = time.perf_counter()
        seconds["candidates"] += tock - tick
        parts = components(
            tutors, beneficiaries, pairs, skills, scan.interests, weights, table=scan.table
        )
        score = combine(parts, weights)
        tick = time.perf_counter()
        seconds["scoring"] += tick - tock
        good = score >= weights.min_score
        pairs, score = pairs.take(good), score[good]
        gain = score + weights.waiting_weight * beneficiaries.waiting_term[pairs.b]
        feasible_total += len(pairs)
        feasible_count += np.bincount(pairs.b, minlength=len(beneficiaries))
        # every pair of a tutor is in this chunk: its best here are its best overall
        local[chunk] = np.arange(len(chunk))
        limit = scan.per_tutor * tutors.free_slots[pairs.t]
        tutor_top = top_within(local[pairs.t], len(chunk), gain, pairs.b, limit)
        kept.add(pairs.t, pairs.b, score, gain, tutor_top)
        seconds["pruning"] += time.perf_counter() - tick
        size = int(np.clip(size * TARGET_PAIRS_PER_CHUNK / max(len(reach_t), 1), 32, 8192))
        if progress is not None:
            progress(start / len(active))
    tick = time.perf_counter()
    columns = kept.compacted()
    seconds["pruning"] += time.perf_counter() - tick
    return _Part(columns, feasible_count, considered, scored, feasible_total, seconds)


def _scan_parallel(
    scan: _Scan, active: np.ndarray, progress: Callable[[float], None] | None
) -> list[_Part]:
    """Scan with a forked worker taking every other block of tutors (the parent the rest).

    Which chunk a pair is scored in does not change the result: each tutor is scored in
    one chunk, and the final pruning keeps, over all chunks, the best pairs of each side.
    """
    blocks = np.array_split(active, 8)
    mine = np.concatenate(blocks[0::2])
    theirs = np.concatenate(blocks[1::2])
    with Forked(_scan, scan, theirs) as worker:
        part = _scan(scan, mine, progress)
        return [part, worker.result()]


def _workers(active: int, beneficiaries: int) -> int:
    """Two processes for large runs on a machine with two free cores, else one."""
    if active < PARALLEL_MIN_TUTORS or beneficiaries < PARALLEL_MIN_TUTORS:
        return 1
    return 2 if second_core() else 1


def build_candidates(
    tutors: TutorArrays,
    beneficiaries: BeneficiaryArrays,
    vocab: Vocab,
    interests: InterestIndex,
    weights: Weights,
    excluded_keys: np.ndarray,
    *,
    per_beneficiary: int,
    per_tutor: int,
    progress: Callable[[str, float], None] | None = None,
) -> CandidateGraph:
    """Score every feasible pair chunk by chunk and keep the best of each side."""
    started = time.perf_counter()
    active = np.flatnonzero(tutors.free_slots > 0)
    if len(beneficiaries) == 0:
        active = active[:0]
    active = active[spatial_order(tutors.coords[active])]
    parts: list[_Part] = []
    setup = time.perf_counter() - started
    if len(active):
        table = build_table(tutors, beneficiaries, weights)
        scan = _Scan(
            tutors, beneficiaries, vocab, interests, weights, excluded_keys, per_beneficiary,
            per_tutor, ReachQuery(beneficiaries, vocab, weights), table,
        )  # fmt: skip
        setup = time.perf_counter() - started

        def report(fraction: float) -> None:
            if progress is not None:
                progress("candidates", fraction)
                progress("scoring", fraction)

        if _workers(len(active), len(beneficiaries)) > 1:
            parts = _scan_parallel(scan, active, report)
        else:
            parts = [_scan(scan, active, report)]
    span = time.perf_counter() - started - setup
    busy = dict.fromkeys(SCAN_PHASES, 0.0)
    for part in parts:
        for name in busy:
            busy[name] += part.seconds[name]
    total_busy = sum(busy.values()) or 1.0
    # wall-clock time, shared between the phases in proportion to the work done in each
    seconds = {name: value / total_busy * span for name, value in busy.items()}
    seconds["candidates"] += setup

    tick = time.perf_counter()
    feasible_count = np.zeros(len(beneficiaries), dtype=np.int64)
    for part in parts:
        feasible_count += part.feasible_count
    if parts:
        t, b, score, gain, tutor_top = (
            np.concatenate(column) for column in zip(*(p.columns for p in parts), strict=True)
        )
    else:
        t = b = np.zeros(0, dtype=np.int64)
        score = gain = np.zeros(0)
        tutor_top = np.zeros(0, dtype=bool)
    keep = tutor_top | top_within(b, len(beneficiaries), score, t, per_beneficiary)
    t, b, score, gain = t[keep], b[keep], score[keep], gain[keep]
    order = np.lexsort((t, b))
    seconds["pruning"] += time.perf_counter() - tick
    return CandidateGraph(
        t=t[order],
        b=b[order],
        score=score[order],
        gain=gain[order],
        feasible_per_beneficiary=feasible_count,
        pairs_considered=sum(p.considered for p in parts),
        scored_pairs=sum(p.scored for p in parts),
        feasible_pairs=sum(p.feasible for p in parts),
        seconds=seconds,
    )
