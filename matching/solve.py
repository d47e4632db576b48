"""The optimal assignment of a cohort's mentees to its mentors.

``solve()`` maximises the sum of ``ScoreMatrix.total`` over the chosen pairs, subject to: each
mentee gets at most one mentor, mentor j gets at most ``capacity - capacity_used[j]`` new
mentees, no blocked pair is chosen, and HR's locked pairs are kept. It is exact (the Hungarian
method of ``scipy.optimize.linear_sum_assignment``), never greedy: a greedy pass that takes the
best pair first can leave a mentee without anyone when another choice would have served both.

Capacity is handled by repeating mentor j's column once per free place ("slot"), so the
problem is an ordinary assignment of mentees to slots.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching.score import ScoreMatrix

# Rows copied at once into the solver's cost matrix: the temporaries stay small.
COPY_CHUNK = 512


@dataclass
class Assignment:
    pairs: list[tuple[int, int]]  # (mentee_index, mentor_index) into the ScoreMatrix lists; sorted
    total: float  # sum of matrix.total over pairs (locked pairs included)
    unmatched_mentees: list[int]  # mentee indexes without a pair
    # mentor indexes with no pair at all: no new pair, and no existing one (capacity_used == 0)
    unused_mentors: list[int]


def _check_locks(
    matrix: ScoreMatrix, locked: Iterable[tuple[int, int]], remaining: np.ndarray
) -> list[tuple[int, int]]:
    """The locked pairs as ints; takes their places from `remaining` (modified in place)."""
    n_s, n_m = matrix.total.shape
    pairs: list[tuple[int, int]] = []
    seen: set[int] = set()
    for mentee, mentor in locked:
        s, m = int(mentee), int(mentor)
        if not (0 <= s < n_s and 0 <= m < n_m):
            raise ValueError(f"Locked pair ({s}, {m}) is outside the {n_s} x {n_m} cohort.")
        if matrix.blocks[s, m]:
            raise ValueError(f"Locked pair ({s}, {m}) is blocked by a hard rule.")
        if s in seen:
            raise ValueError(f"Mentee {s} is locked to more than one mentor.")
        seen.add(s)
        remaining[m] -= 1
        if remaining[m] < 0:
            raise ValueError(f"Locked pairs exceed the remaining capacity of mentor {m}.")
        pairs.append((s, m))
    return pairs


def _negated_costs(total: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """-total[rows][:, cols] as one C-contiguous float64 matrix, never taller than wide.

    linear_sum_assignment copies its input when it must convert it, transpose it (tall
    matrices) or negate it (maximize=True). Handing it a float64 C-contiguous wide matrix of
    costs avoids all three: for 5,000 x 5,000 that is one 200 MB matrix instead of two or three.
    """
    transpose = len(rows) > len(cols)
    shape = (len(cols), len(rows)) if transpose else (len(rows), len(cols))
    cost = np.empty(shape, dtype=np.float64)
    for start in range(0, shape[0], COPY_CHUNK):
        stop = min(start + COPY_CHUNK, shape[0])
        if transpose:
            block = total[np.ix_(rows, cols[start:stop])].T
        else:
            block = total[np.ix_(rows[start:stop], cols)]
        np.negative(block, out=cost[start:stop])
    return cost


def solve(
    matrix: ScoreMatrix,
    *,
    locked: Iterable[tuple[int, int]] = (),
    capacity_used: Sequence[int] | None = None,
) -> Assignment:
    """The assignment of maximum total score, keeping `locked` pairs.

    `locked` are (mentee_index, mentor_index) pairs HR fixed: each takes one place of its
    mentor and its mentee is not matched again. `capacity_used[j]` is how many places of
    mentor j existing active pairs already take (more than its capacity counts as full).
    Raises ValueError if a locked pair is blocked, a mentee is locked twice, or locks exceed a
    mentor's remaining capacity.
    """
    n_s, n_m = matrix.total.shape
    capacity = np.array([mentor.capacity for mentor in matrix.mentors], dtype=np.int64)
    used = np.zeros(n_m, dtype=np.int64) if capacity_used is None else np.array(capacity_used)
    if used.shape != (n_m,) or (used < 0).any():
        raise ValueError(f"capacity_used must give {n_m} counts >= 0, got {capacity_used!r}.")
    remaining = np.maximum(capacity - used.astype(np.int64), 0)

    locked_pairs = _check_locks(matrix, locked, remaining)
    free = np.ones(n_s, dtype=bool)
    free[[s for s, _ in locked_pairs]] = False

    # Shrink the problem to what can matter: mentees with an allowed mentor who still has a
    # place, and for each such mentor no more slots than mentees it could take.
    feasible = matrix.feasible
    open_mentors = np.flatnonzero(remaining > 0)
    reachable = feasible[:, open_mentors]
    rows = np.flatnonzero(free & reachable.any(axis=1))
    takers = np.count_nonzero(reachable[rows], axis=0)
    del reachable
    slot_mentor = np.repeat(open_mentors, np.minimum(remaining[open_mentors], takers))

    new_pairs: list[tuple[int, int]] = []
    if len(rows) and len(slot_mentor):
        # Blocked cells weigh 0 and every allowed one is > 0. With no negative weight, a
        # best full assignment (every row, or every column, gets a partner) on this complete
        # matrix has the weight of a best matching that only uses allowed pairs: padding a
        # matching with 0-cells costs nothing, and dropping the 0-cells from an assignment
        # loses nothing. So no dummy "unmatched" columns are needed: a mentee the solver puts
        # on a 0-cell is simply left unmatched.
        cost = _negated_costs(matrix.total, rows, slot_mentor)
        transposed = len(rows) > len(slot_mentor)
        r_idx, c_idx = linear_sum_assignment(cost)
        del cost
        if transposed:
            r_idx, c_idx = c_idx, r_idx
        mentees, mentors = rows[r_idx], slot_mentor[c_idx]
        keep = feasible[mentees, mentors]
        new_pairs = list(zip(mentees[keep].tolist(), mentors[keep].tolist(), strict=True))

    pairs = sorted(locked_pairs + new_pairs)
    matched_mentees = {s for s, _ in pairs}
    matched_mentors = {m for _, m in pairs}
    return Assignment(
        pairs=pairs,
        total=math.fsum(float(matrix.total[s, m]) for s, m in pairs),
        unmatched_mentees=[s for s in range(n_s) if s not in matched_mentees],
        unused_mentors=[m for m in range(n_m) if m not in matched_mentors and used[m] == 0],
    )
