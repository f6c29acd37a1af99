"""Benchmark on synthetic instances: time per phase, peak memory, throughput, and quality of
the optimal assignment against greedy and against the optimum over all feasible pairs.

Each size runs in a fresh process so that its peak memory is its own. Times exclude
interpreter start-up, instance generation and any database loading.
"""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from .assign import assign_greedy, assign_optimal
from .candidates import CandidateGraph, build_candidates
from .engine import match, prepare
from .incremental import BeneficiaryPool, match_one_tutor
from .model import LEVEL_RANK, Beneficiary, Tutor
from .synth import generate
from .weights import Weights, load_weights

DEFAULT_SIZES = "400x600,2000x3000,10000x10000,100000x50000"
NOW = date(2025, 1, 1)
FULL_LIMIT = 40_000_000  # feasible pairs up to which the unpruned optimum is computed
DENSE_LIMIT = 12_000_000  # cells up to which linear_sum_assignment checks the optimum


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the forked scan worker)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux ≥ 4.0)
        return True
    except OSError:
        return False


def _graph(prep: Any, weights: Weights, per_side: int | None) -> CandidateGraph:
    k_b = per_side or weights.candidates_per_beneficiary
    k_t = per_side or weights.candidates_per_tutor
    return build_candidates(
        prep.tutors, prep.beneficiaries, prep.vocab, prep.interests, weights,
        np.zeros(0, dtype=np.int64), per_beneficiary=k_b, per_tutor=k_t,
    )  # fmt: skip


def _dense_optimum(graph: CandidateGraph, free_slots: np.ndarray, n_b: int) -> float:
    """Optimum by linear_sum_assignment on the dense matrix (one column per tutor slot)."""
    slot_owner = np.repeat(np.arange(len(free_slots)), free_slots)
    first_slot = np.concatenate([[0], np.cumsum(free_slots)[:-1]])
    matrix = np.zeros((n_b, len(slot_owner)))
    for copy in range(int(free_slots.max(initial=0))):
        ok = free_slots[graph.t] > copy
        matrix[graph.b[ok], first_slot[graph.t[ok]] + copy] = graph.gain[ok]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def _python_pair_score(tutor: Tutor, beneficiary: Beneficiary, weights: Weights) -> float:
    """The same components computed one pair at a time in plain Python (for comparison)."""
    total = sum(beneficiary.needs.values())
    coverage = sum(p for s, p in beneficiary.needs.items() if s in tutor.skills) / total
    best = 0
    for code, level in beneficiary.languages.items():
        other = tutor.languages.get(code)
        if other:
            best = max(best, min(LEVEL_RANK[level], LEVEL_RANK[other]))
    language = best / 7
    dlat = math.radians(beneficiary.lat - tutor.lat)
    dlon = math.radians(beneficiary.lon - tutor.lon)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(tutor.lat))
        * math.cos(math.radians(beneficiary.lat))
        * math.sin(dlon / 2) ** 2
    )
    km = 2 * 6371.0088 * math.asin(math.sqrt(h))
    shared = bin(tutor.availability & beneficiary.availability).count("1")
    a, b = set(tutor.interests.lower().split()), set(beneficiary.interests.lower().split())
    interests = len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
    return (
        weights.need_coverage * coverage
        + weights.language * language
        + weights.proximity * math.exp(-km / weights.decay_km)
        + weights.availability * min(1.0, shared / weights.target_slots)
        + weights.interests * interests
    )


def repeats_for(n_b: int, n_t: int) -> int:
    """Timed runs of one size (the median is reported): more for small sizes, whose times
    are short and noisy."""
    cells = n_b * n_t
    return 5 if cells <= 10_000_000 else 3


def run_size(n_b: int, n_t: int, seed: int = 1, full: bool = True) -> dict[str, Any]:
    """Benchmark one size in this process and return the figures."""
    weights = load_weights()
    tutors, beneficiaries = generate(n_b, n_t, seed=seed, now=NOW)
    baseline = _rss_kb("VmRSS")
    peak_reset = _reset_peak()
    runs = []
    for _ in range(repeats_for(n_b, n_t)):
        started, cpu = time.perf_counter(), _cpu_seconds()
        result = match(tutors, beneficiaries, weights=weights, now=NOW)
        runs.append((time.perf_counter() - started, _cpu_seconds() - cpu, result.stats))
        del result
    peak = _rss_kb("VmHWM")
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB; 0: no worker
    total, cpu, stats = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    phases = stats.phase_seconds
    out: dict[str, Any] = {
        "size": f"{n_b}x{n_t}", "beneficiaries": n_b, "tutors": n_t, "seconds": phases,
        "runs": len(runs), "total_seconds": total, "cpu_seconds": cpu,
        "all_total_seconds": sorted(run[0] for run in runs),
        "peak_rss_mb": peak / 1024 if peak_reset else None,
        "rss_before_mb": baseline / 1024, "worker_peak_rss_mb": worker_peak / 1024,
        "pairs_considered": stats.pairs_considered, "scored_pairs": stats.scored_pairs,
        "feasible_pairs": stats.feasible_pairs, "candidate_pairs": stats.candidate_pairs,
        "considered_per_second": stats.pairs_considered
        / max(phases["candidates"] + phases["scoring"] + phases["pruning"], 1e-9),
        "scored_per_second": stats.scored_pairs / max(phases["scoring"], 1e-9),
        "matched_fraction": stats.coverage, "total_gain": stats.total_gain,
    }  # fmt: skip

    prep = prepare(tutors, beneficiaries, weights, NOW)
    slots = prep.tutors.free_slots
    graph = _graph(prep, weights, None)
    optimal = float(graph.gain[assign_optimal(graph.t, graph.b, graph.gain, slots)].sum())
    greedy = float(graph.gain[assign_greedy(graph.t, graph.b, graph.gain, slots)].sum())
    out.update(optimal_gain=optimal, greedy_gain=greedy)
    if full and stats.feasible_pairs <= FULL_LIMIT:
        everything = _graph(prep, weights, 10**9)
        chosen = assign_optimal(everything.t, everything.b, everything.gain, slots)
        out["full_optimum_gain"] = float(everything.gain[chosen].sum())
        if n_b * int(slots.sum()) <= DENSE_LIMIT:
            out["dense_lsa_gain"] = _dense_optimum(everything, slots, len(prep.beneficiaries))
        sample = np.random.default_rng(0).choice(len(everything.t), min(20000, len(everything.t)))
        records_t, records_b = prep.tutors.records, prep.beneficiaries.records
        pairs = [
            (records_t[t], records_b[b])
            for t, b in zip(
                everything.t[sample].tolist(), everything.b[sample].tolist(), strict=True
            )
        ]
        tick = time.perf_counter()
        for tutor, beneficiary in pairs:
            _python_pair_score(tutor, beneficiary, weights)
        out["python_loop_pairs_per_second"] = len(pairs) / (time.perf_counter() - tick)

    pool = BeneficiaryPool(beneficiaries[:10000], weights=weights, now=NOW)
    timings = []
    for tutor in tutors[:50]:
        tick = time.perf_counter()
        match_one_tutor(tutor, pool, weights=weights, now=NOW)
        timings.append(time.perf_counter() - tick)
    out["incremental_ms"] = 1000 * statistics.median(timings)
    out["incremental_pool"] = len(pool.arrays)
    return out


def _pct(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return "—"
    return f"{100 * value / reference:.2f}"


def format_table(rows: list[dict[str, Any]]) -> str:
    """Render benchmark rows as a text table."""
    header = (
        "size", "encode", "cand", "score", "prune", "assign", "explain", "total s", "cpu s",
        "peak MB",
        "considered/s", "scored/s", "opt/full %", "greedy/full %", "lsa=opt", "matched",
        "py loop/s", "incr ms",
    )  # fmt: skip
    lines = [" | ".join(header)]
    for r in rows:
        s = r["seconds"]
        full = r.get("full_optimum_gain")
        lsa = r.get("dense_lsa_gain")
        lsa_ok = (
            "—"
            if lsa is None or full is None
            else ("yes" if abs(lsa - full) < 1e-3 * max(1, full) else f"no ({lsa:.3f})")
        )
        lines.append(
            " | ".join([
                r["size"], f"{s['encode']:.3f}", f"{s['candidates']:.3f}", f"{s['scoring']:.3f}",
                f"{s['pruning']:.3f}", f"{s['assignment']:.3f}", f"{s['explain']:.3f}",
                f"{r['total_seconds']:.3f}",
                f"{r['cpu_seconds']:.3f}",
                f"{r['peak_rss_mb']:.0f}" if r["peak_rss_mb"] else "—",
                f"{r['considered_per_second'] / 1e6:.1f} M",
                f"{r['scored_per_second'] / 1e6:.1f} M",
                _pct(r["optimal_gain"], full), _pct(r["greedy_gain"], full), lsa_ok,
                f"{100 * r['matched_fraction']:.1f} %",
                f"{r.get('python_loop_pairs_per_second', math.nan) / 1e6:.2f} M",
                f"{r['incremental_ms']:.2f}",
            ])
        )  # fmt: skip
    lines.append(
        "Times (wall clock; cpu s = process CPU time) exclude interpreter start-up, instance "
        "generation and database loading; each size runs match() 5 times up to 10 M cells "
        "(beneficiaries x tutors), else 3 times, and shows the median run; "
        "scored/s = pairs passing the hard constraints / scoring time (components and sum); "
        "considered/s = pairs in reach / candidates + scoring + pruning time; "
        "peak MB is the process's peak RSS during match() (interpreter and records included); "
        "opt/greedy/full compare total gain (score + waiting priority); "
        "incr = one new tutor against a prepared pool of up to 10,000 open beneficiaries."
    )
    return "\n".join(lines)


def run(sizes: str = DEFAULT_SIZES, as_json: bool = False, full: bool = True) -> int:
    """Benchmark each size in a fresh process and print a table (or JSON)."""
    rows = []
    for size in sizes.split(","):
        command = [sys.executable, "-m", "matching", "bench", "--one", size.strip(), "--json"]
        if not full:
            command.append("--no-full")
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            print(f"size {size}: failed\n{done.stderr}", file=sys.stderr)
            return 1
        rows.append(json.loads(done.stdout))
        if not as_json:
            print(format_table(rows[-1:]).splitlines()[1], file=sys.stderr, flush=True)
    print(json.dumps(rows, indent=2) if as_json else format_table(rows))
    return 0
