"""Group equal rows of integer columns with numpy (no Python loop over rows).

People sharing a language profile, pairs sharing a reason: the engine computes such
things once per group. `np.unique(..., axis=0)` would do it by sorting rows as opaque
bytes; packing the columns into one integer key is several times faster.
"""

from __future__ import annotations

import numpy as np

PACKED = 1 << 62  # keys stay below this, so products and offsets never overflow int64


def _group(key: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Group keys in [0, span): (the first row of each group, group of each row).

    Groups are numbered in increasing key order. A small span is grouped with a lookup
    table in linear time, a large one by sorting.
    """
    if span <= 8 * len(key) + 4096:
        present = np.zeros(span, dtype=bool)
        present[key] = True
        number = np.cumsum(present) - 1
        group = number[key]
        representative = np.full(int(number[-1]) + 1, len(key), dtype=np.int64)
        np.minimum.at(representative, group, np.arange(len(key)))  # first of each group
        return representative, group
    _, representative, group = np.unique(key, return_index=True, return_inverse=True)
    return representative, group.reshape(-1)


def distinct(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group equal rows of integer columns: (the first row of each group, group of each
    row)."""
    if len(columns[0]) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key, span = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        values = column.view(np.int64) if column.dtype == np.uint64 else column.astype(np.int64)
        low = int(values.min())
        width = int(values.max()) - low + 1
        if width <= PACKED:
            values = values - low
        else:  # a value range too wide to pack: number the distinct values instead
            representative, values = _group(values, PACKED + 1)
            width = len(representative)
        if span * width > PACKED:
            representative, key = _group(key, span)
            span = len(representative)
        if span * width > PACKED:
            representative, values = _group(values, width)
            width = len(representative)
        key, span = key * width + values, span * width
    return _group(key, span)
