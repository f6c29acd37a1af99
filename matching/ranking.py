"""Ranks inside groups of pairs (a beneficiary's or a tutor's candidates), and the cheaper
question most callers ask: is a pair among the first `limit` of its group?

Order inside a group: highest value first (compared to 1e-6), then lowest tie.
"""

from __future__ import annotations

import numpy as np

QUANTUM = 1e6  # values are compared after rounding to 1e-6 (gains become integer costs)


def rank_within(groups: np.ndarray, value: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Rank each element inside its group: highest value first (to 1e-6), then lowest tie.

    (group, tie) must be unique (a pair's other side, say), or equal elements get ranks
    in no set order.
    """
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    quantized = quantize(value)
    level = quantized.max() - quantized  # ≥ 0, smaller is better
    tie_bits = int(tie.max()).bit_length()
    level_bits = int(level.max()).bit_length()
    if int(groups.max()).bit_length() + level_bits + tie_bits <= 62:
        key = (groups.astype(np.int64) << (level_bits + tie_bits)) | (level << tie_bits) | tie
        order = np.argsort(key)  # one integer sort instead of a three-key lexsort
    else:
        order = np.lexsort((tie, level, groups))
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    lengths = np.diff(np.r_[starts, len(order)])
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - np.repeat(starts, lengths)
    return ranks


def top_within(
    groups: np.ndarray,
    n_groups: int,
    value: np.ndarray,
    tie: np.ndarray,
    limit: np.ndarray | int,
) -> np.ndarray:
    """`rank_within(groups, value, tie) < limit`, in about linear time (groups < n_groups).

    A bucket select: values are cut into a few buckets per group and counted; a pair in a
    bucket that fits whole under the group's limit is in, one in a bucket starting at or
    beyond the limit is out, and only the pairs of the one bucket straddling each group's
    limit are ranked exactly. `limit` is a number or one per pair, equal within a group;
    (group, tie) must be unique, as for `rank_within`.
    """
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=bool)
    quantized = quantize(value)
    low = int(quantized.min())
    span = int(quantized.max()) - low + 1
    wanted = int(np.clip(n // (2 * max(n_groups, 1)), 4, 64)).bit_length() - 1  # log2 buckets
    shift = max(0, span.bit_length() - wanted)
    buckets = ((span - 1) >> shift) + 1
    # a higher bucket holds strictly higher quantized values (a shift is monotone)
    cell = groups.astype(np.int64) * buckets + ((quantized - low) >> shift)
    counts = np.bincount(cell, minlength=n_groups * buckets).reshape(n_groups, buckets)
    at_or_above = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1].ravel()
    before = (at_or_above - counts.ravel())[cell]  # pairs in better buckets of the group
    through = at_or_above[cell]
    inside = through <= limit
    straddle = np.flatnonzero(~inside & (before < limit))
    if len(straddle):
        rank = rank_within(cell[straddle], value[straddle], tie[straddle])
        bound = limit[straddle] if isinstance(limit, np.ndarray) else limit
        inside[straddle] = before[straddle] + rank < bound
    return inside


def quantize(value: np.ndarray) -> np.ndarray:
    """Values as whole multiples of 1e-6: what ranks compare."""
    return np.rint(value * QUANTUM).astype(np.int64)
