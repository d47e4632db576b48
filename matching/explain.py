"""Why someone was left out of an assignment.

``unmatched_reasons()`` gives every unmatched mentee and every unused mentor exactly one
``Reason``, the first of these that applies (read from the ScoreMatrix and the Assignment
only, so it is pure and cheap):

Mentee                                          Mentor
``no_mentors``   the cohort has no mentor       ``no_mentees``   the cohort has no mentee
``nothing_to_teach`` no mentor has a teach      ``nobody_seeks`` no mentee has a teach part
    part > 0 with them;                             > 0 with them;
    params {"skills": sorted sought skill ids}      params {"skills": sorted offered skill ids}
``blocked``  every candidate (teach > 0) is blocked by some other hard rule;
    params {"candidates": n, "counts": {Block name: candidates blocked by it}}, counts > 0 only,
    a candidate counting under each rule that blocks it
``taken``    allowed partners exist but the optimal assignment filled them (mentee: every
    allowed mentor's places went to others; mentor: every allowed mentee got a better-suited
    mentor); params {"candidates": number of allowed partners}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.score import Block, ScoreMatrix
from matching.solve import Assignment


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict  # JSON-serialisable


def _reason(teach: np.ndarray, blocks: np.ndarray, skills: list[int], none_code: str) -> Reason:
    """The reason for one person from their row (or column) of teach parts and block flags."""
    candidates = teach > 0
    n_candidates = int(np.count_nonzero(candidates))
    if n_candidates == 0:
        return Reason(none_code, {"skills": skills})
    candidate_blocks = blocks[candidates]
    n_allowed = int(np.count_nonzero(candidate_blocks == 0))
    if n_allowed == 0:
        counts = {}
        for flag in Block:
            n = int(np.count_nonzero(candidate_blocks & np.uint8(flag)))
            if n:
                counts[flag.name] = n
        return Reason("blocked", {"candidates": n_candidates, "counts": counts})
    return Reason("taken", {"candidates": n_allowed})


def unmatched_reasons(
    matrix: ScoreMatrix, assignment: Assignment
) -> tuple[dict[int, Reason], dict[int, Reason]]:
    """(reasons by unmatched mentee index, reasons by unused mentor index)."""
    teach = matrix.parts["teach"]
    mentees: dict[int, Reason] = {}
    for s in assignment.unmatched_mentees:
        if not matrix.mentors:
            mentees[s] = Reason("no_mentors", {})
        else:
            sought = sorted(matrix.mentees[s].seeks)
            mentees[s] = _reason(teach[s], matrix.blocks[s], sought, "nothing_to_teach")
    mentors: dict[int, Reason] = {}
    for m in assignment.unused_mentors:
        if not matrix.mentees:
            mentors[m] = Reason("no_mentees", {})
        else:
            offered = sorted(matrix.mentors[m].offers)
            mentors[m] = _reason(teach[:, m], matrix.blocks[:, m], offered, "nobody_seeks")
    return mentees, mentors
