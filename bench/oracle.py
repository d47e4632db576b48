"""Reference totals to check and compare matching.solve on benchmark cohorts.

``oracle_total`` finds the optimum by a different method than the solver, so a shared mistake
is unlikely: LAPJVsp (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``) on a sparse
graph of the positive cells only. ``greedy_total`` is what a naive "best pair first" matcher
would reach, to show what the optimal solver gains.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def oracle_total(total: np.ndarray, capacities: Sequence[int]) -> float:
    """The best sum of `total` over pairs, mentor j taking at most capacities[j] mentees.

    `total` is (n_mentees, n_mentors) with 0 on blocked cells, > 0 elsewhere. Each mentee is a
    row; the columns are one per place of each mentor (a mentor never needs more places than
    there are mentees), plus one private "unmatched" column per mentee. Every mentee can then
    be matched, so a full matching exists, and a best full matching is a best assignment.
    LAPJVsp ignores zero weights, so every edge gets +1 (n_mentees of them are chosen, so the
    optimum moves by exactly n_mentees).
    """
    total = np.asarray(total, dtype=np.float64)
    n_s, n_m = total.shape
    if n_s == 0:
        return 0.0
    places = np.minimum(np.asarray(capacities, dtype=np.int64), n_s)
    slot_mentor = np.repeat(np.arange(n_m), places)
    slot_cols = np.arange(len(slot_mentor))

    rows, cols, weights = [], [], []
    for mentor in range(n_m):
        mentees = np.flatnonzero(total[:, mentor] > 0)
        for col in slot_cols[slot_mentor == mentor]:
            rows.append(mentees)
            cols.append(np.full(len(mentees), col))
            weights.append(total[mentees, mentor] + 1.0)
    rows.append(np.arange(n_s))
    cols.append(len(slot_mentor) + np.arange(n_s))
    weights.append(np.ones(n_s))
    graph = coo_array(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_s, len(slot_mentor) + n_s),
    ).tocsr()
    row_ind, col_ind = min_weight_full_bipartite_matching(graph, maximize=True)
    return float(graph[row_ind, col_ind].sum()) - n_s


def greedy_total(total: np.ndarray, capacities: Sequence[int]) -> float:
    """The sum reached by taking positive cells best first while both sides have room."""
    total = np.asarray(total)
    left = np.asarray(capacities, dtype=np.int64).copy()
    taken = np.zeros(total.shape[0], dtype=bool)
    flat = np.flatnonzero(total > 0)
    # Stable sort: ties are taken in row-major order, so the result is reproducible.
    order = flat[np.argsort(-total.ravel()[flat], kind="stable")]
    result = 0.0
    for mentee, mentor in zip(*np.unravel_index(order, total.shape), strict=True):
        if not taken[mentee] and left[mentor] > 0:
            taken[mentee] = True
            left[mentor] -= 1
            result += float(total[mentee, mentor])
    return result
