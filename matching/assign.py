"""Assignment: optimal min-cost flow on the candidate graph (OR-Tools), greedy baseline.

Network: every beneficiary supplies one unit; it flows either along a candidate arc to a
tutor (cost = -gain, integer-scaled) and on to the sink through the tutor's arc whose
capacity is the tutor's free slots, or straight to the sink at cost 0 (stays unmatched).
Gains are positive, so the minimum-cost flow is a maximum-gain assignment: provably
optimal on the candidate graph, and it never forces a pair (leaving someone unmatched is
always allowed). The arc order is canonical (beneficiary id, then tutor id), so the result
is deterministic for the same input.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

COST_SCALE = 1_000_000  # gains are rounded to 1e-6


def assign_optimal(
    t: np.ndarray, b: np.ndarray, gain: np.ndarray, free_slots: np.ndarray
) -> np.ndarray:
    """Return a mask of the candidate pairs in a maximum-gain assignment under capacities."""
    chosen = np.zeros(len(t), dtype=bool)
    if len(t) == 0:
        return chosen
    uniq_b, b_node = np.unique(b, return_inverse=True)
    uniq_t, t_node = np.unique(t, return_inverse=True)
    n_b, n_t = len(uniq_b), len(uniq_t)
    sink = n_b + n_t
    t_node = t_node + n_b
    slots = free_slots[uniq_t].astype(np.int64)
    tails = np.concatenate([b_node, np.arange(n_b, sink), np.arange(n_b)])
    heads = np.concatenate([t_node, np.full(n_t, sink), np.full(n_b, sink)])
    capacities = np.concatenate([np.ones(len(t), np.int64), slots, np.ones(n_b, np.int64)])
    costs = np.concatenate(
        [-np.rint(gain * COST_SCALE).astype(np.int64), np.zeros(n_t + n_b, np.int64)]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    supplies = np.concatenate([np.ones(n_b, np.int64), np.zeros(n_t, np.int64), [-n_b]])
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: the bypass arcs make every instance feasible
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return flow.flows(arcs[: len(t)]) > 0


def assign_greedy(
    t: np.ndarray, b: np.ndarray, gain: np.ndarray, free_slots: np.ndarray
) -> np.ndarray:
    """Return the greedy assignment (best remaining pair first); a baseline only."""
    chosen = np.zeros(len(t), dtype=bool)
    order = np.lexsort((t, b, -gain))
    slots = free_slots.astype(np.int64).copy()
    taken: set[int] = set()
    t_list, b_list = t.tolist(), b.tolist()
    for i in order.tolist():
        tutor, beneficiary = t_list[i], b_list[i]
        if slots[tutor] > 0 and beneficiary not in taken:
            slots[tutor] -= 1
            taken.add(beneficiary)
            chosen[i] = True
    return chosen
