"""The solver on cohorts whose optimum is known by hand, and why people are left out."""

import numpy as np
import pytest

from bench.oracle import greedy_total, oracle_total
from matching.explain import Reason, unmatched_reasons
from matching.score import Block, Rules, ScoreMatrix, Weights, score
from matching.solve import solve
from tests.matching import person, random_cohort


def matrix_of(rows: list[list[float]], capacities: list[int]) -> ScoreMatrix:
    """A ScoreMatrix with the given totals (0 = blocked), for solver mechanics alone.

    The values are sums of powers of two, so float32 holds them and the totals are exact.
    """
    total = np.array(rows, dtype=np.float32).reshape(len(rows), len(capacities))
    blocks = np.where(total == 0, Block.NOTHING_TO_TEACH, 0).astype(np.uint8)
    return ScoreMatrix(
        mentors=[person(id=j, user_id=j, capacity=c) for j, c in enumerate(capacities)],
        mentees=[person(id=i, user_id=100 + i) for i in range(len(rows))],
        parts={"teach": total.copy()},
        total=total,
        blocks=blocks,
    )


# Mentor 0 takes two, mentor 1 one; mentee 2 can only have mentor 0.
CAPACITY_ROWS = [[0.875, 0.5], [0.75, 0.625], [0.625, 0.0]]


def greedy_trap():
    """Two mentors, two mentees; the best single pair (X, A) leaves Y with nobody.

    Default weights 4, 2, 2, 1, 1 (sum 10); nobody seeks anything back (give_back 0.5), all
    say "either" and prefer fr. X seeks skill 1, Y seeks skill 2, which only A offers.
    X-A: teach 1, two common half-days: (4 + 1 + 2 + 1 + 1) / 10 = 0.9
    X-B: teach 1, one common half-day:  (4 + 1 + 1 + 1 + 1) / 10 = 0.8
    Y-A: teach 1, no common half-day:   (4 + 1 + 0 + 1 + 1) / 10 = 0.7
    Y-B: nothing to teach, blocked.
    """
    a = person(id=1, user_id=1, offers={1: 2, 2: 2}, availability=0b11)
    b = person(id=2, user_id=2, offers={1: 2}, availability=0b01)
    x = person(id=1, user_id=11, seeks={1: 2}, availability=0b11)
    y = person(id=2, user_id=12, seeks={2: 2}, availability=0b100000)
    return score([a, b], [x, y], Weights(), Rules())


def test_solve_beats_greedy():
    matrix = greedy_trap()

    assignment = solve(matrix)

    expected = np.array([[0.9, 0.8], [0.7, 0.0]], dtype=np.float32)
    assert matrix.total.tolist() == expected.tolist()
    assert assignment.pairs == [(0, 1), (1, 0)]
    assert assignment.total == pytest.approx(1.5, abs=1e-6)
    assert assignment.unmatched_mentees == []
    assert assignment.unused_mentors == []
    assert greedy_total(matrix.total, [1, 1]) == pytest.approx(0.9, abs=1e-6)


def test_solve_capacity_two():
    assignment = solve(matrix_of(CAPACITY_ROWS, [2, 1]))

    # 0.875 + 0.625 + 0.625 beats 0.75 + 0.625 + 0.5 and 0.875 + 0.75
    assert assignment.pairs == [(0, 0), (1, 1), (2, 0)]
    assert assignment.total == 2.125


def test_solve_capacity_used_leaves_one_place():
    assignment = solve(matrix_of(CAPACITY_ROWS, [2, 1]), capacity_used=[1, 0])

    assert assignment.pairs == [(0, 0), (1, 1)]
    assert assignment.total == 1.5
    assert assignment.unmatched_mentees == [2]
    assert assignment.unused_mentors == []


def test_solve_capacity_used_full_mentor_is_not_unused():
    assignment = solve(matrix_of(CAPACITY_ROWS, [2, 1]), capacity_used=[2, 0])

    assert assignment.pairs == [(1, 1)]
    assert assignment.total == 0.625
    assert assignment.unmatched_mentees == [0, 2]
    # Mentor 0 has no new mentee but already has two pairs: not "unused".
    assert assignment.unused_mentors == []


def test_solve_capacity_used_above_capacity_counts_as_full():
    assignment = solve(matrix_of(CAPACITY_ROWS, [2, 1]), capacity_used=[3, 0])

    assert assignment.pairs == [(1, 1)]


def test_solve_locked_pair_kept_rest_optimal():
    matrix = matrix_of(CAPACITY_ROWS, [1, 1])

    assert solve(matrix).pairs == [(0, 0), (1, 1)]
    assignment = solve(matrix, locked=[(2, 0)])

    assert assignment.pairs == [(1, 1), (2, 0)]
    assert assignment.total == 1.25
    assert assignment.unmatched_mentees == [0]


def test_solve_locks_count_against_capacity():
    assignment = solve(matrix_of(CAPACITY_ROWS, [2, 1]), locked=[(1, 0), (2, 0)])

    assert assignment.pairs == [(0, 1), (1, 0), (2, 0)]
    assert assignment.total == 1.875


@pytest.mark.parametrize(
    ("locked", "capacity_used"),
    [
        ([(2, 1)], None),  # blocked pair
        ([(0, 0), (0, 1)], None),  # mentee locked twice
        ([(0, 0), (0, 0)], None),  # the same lock twice is still twice
        ([(0, 0), (1, 0)], None),  # mentor 0 has one place
        ([(0, 0)], [1, 0]),  # ... already taken by an existing pair
        ([(3, 0)], None),  # no such mentee
        ([(0, -1)], None),  # no such mentor
    ],
)
def test_solve_bad_locks_raise(locked, capacity_used):
    with pytest.raises(ValueError):
        solve(matrix_of(CAPACITY_ROWS, [1, 1]), locked=locked, capacity_used=capacity_used)


def test_solve_bad_capacity_used_raises():
    with pytest.raises(ValueError):
        solve(matrix_of(CAPACITY_ROWS, [1, 1]), capacity_used=[0])
    with pytest.raises(ValueError):
        solve(matrix_of(CAPACITY_ROWS, [1, 1]), capacity_used=[-1, 0])


def test_solve_more_mentees_than_places():
    rows = [[0.5, 0.25], [0.75, 0.5], [0.25, 0.875], [0.625, 0.125]]

    assignment = solve(matrix_of(rows, [1, 1]))

    assert assignment.pairs == [(1, 0), (2, 1)]
    assert assignment.total == 1.625
    assert assignment.unmatched_mentees == [0, 3]


def test_solve_more_places_than_mentees():
    rows = [[0.5, 0.25, 0.75], [0.75, 0.5, 0.0]]

    assignment = solve(matrix_of(rows, [3, 1, 2]))

    assert assignment.pairs == [(0, 2), (1, 0)]
    assert assignment.total == 1.5
    assert assignment.unused_mentors == [1]


def test_solve_everything_blocked_matches_nobody():
    assignment = solve(matrix_of([[0.0, 0.0], [0.0, 0.0]], [1, 2]))

    assert assignment.pairs == []
    assert assignment.total == 0.0
    assert assignment.unmatched_mentees == [0, 1]
    assert assignment.unused_mentors == [0, 1]


def test_solve_empty_cohort():
    assignment = solve(matrix_of([], [1]))

    assert assignment.pairs == []
    assert assignment.unused_mentors == [0]


def test_solve_same_input_same_answer():
    mentors, mentees, rules = random_cohort(3, n_mentors=20, n_mentees=25, max_capacity=2)
    matrix = score(mentors, mentees, Weights(), rules)
    # Many exact ties, where an unstable solver would wander.
    ties = matrix_of([[0.5] * 4] * 5, [1, 2, 1, 1])

    assert solve(matrix) == solve(matrix)
    assert solve(ties) == solve(ties)


@pytest.mark.parametrize(
    ("seed", "n_mentees", "n_mentors", "max_capacity"),
    [(0, 30, 30, 1), (1, 30, 30, 1), (2, 30, 30, 3), (3, 200, 150, 1), (4, 200, 150, 2)],
)
def test_oracle_total_equals_solve_on_random_cohorts(seed, n_mentees, n_mentors, max_capacity):
    mentors, mentees, rules = random_cohort(seed, n_mentors, n_mentees, max_capacity=max_capacity)
    capacities = [m.capacity for m in mentors]

    for cohort_rules in (rules, Rules(min_seniority_gap=-30)):
        matrix = score(mentors, mentees, Weights(), cohort_rules)
        best = solve(matrix).total

        assert best == pytest.approx(oracle_total(matrix.total, capacities), abs=1e-9)
        assert greedy_total(matrix.total, capacities) <= best + 1e-9


# --- Why someone is left out -------------------------------------------------------------------


NO_RULES = Rules()


def reasons(mentors, mentees, rules=NO_RULES):
    matrix = score(mentors, mentees, Weights(), rules)
    return unmatched_reasons(matrix, solve(matrix))


def test_reasons_no_mentors():
    assert reasons([], [person(seeks={1: 1})]) == ({0: Reason("no_mentors", {})}, {})


def test_reasons_no_mentees():
    assert reasons([person(offers={1: 1})], []) == ({}, {0: Reason("no_mentees", {})})


def test_reasons_nothing_to_teach_and_nobody_seeks():
    mentor = person(id=1, user_id=1, offers={3: 4, 1: 4})
    mentee = person(id=1, user_id=2, seeks={5: 3, 4: 1})

    assert reasons([mentor], [mentee]) == (
        {0: Reason("nothing_to_teach", {"skills": [4, 5]})},
        {0: Reason("nobody_seeks", {"skills": [1, 3]})},
    )


def test_reasons_blocked_counts_each_rule():
    mentee = person(id=1, user_id=10, seniority=20, seeks={1: 2}, manager_chain=frozenset({1}))
    boss_untrained = person(id=1, user_id=1, seniority=5, offers={1: 2}, trained=False)
    too_senior = person(id=2, user_id=2, seniority=25, offers={1: 3})
    off_topic = person(id=3, user_id=3, seniority=5, offers={9: 4})

    by_mentee, by_mentor = reasons(
        [boss_untrained, too_senior, off_topic], [mentee], Rules(training_required=True)
    )

    assert by_mentee == {
        0: Reason(
            "blocked",
            {
                "candidates": 2,
                "counts": {"REPORTING_LINE": 1, "SENIORITY_GAP": 1, "UNTRAINED": 1},
            },
        )
    }
    assert by_mentor == {
        0: Reason("blocked", {"candidates": 1, "counts": {"REPORTING_LINE": 1, "UNTRAINED": 1}}),
        1: Reason("blocked", {"candidates": 1, "counts": {"SENIORITY_GAP": 1}}),
        2: Reason("nobody_seeks", {"skills": [9]}),
    }


def test_reasons_taken_mentee():
    mentor = person(id=1, user_id=1, offers={1: 4})
    keen = person(id=1, user_id=11, seeks={1: 4}, availability=0b11)
    other = person(id=2, user_id=12, seeks={1: 4})

    assert reasons([mentor], [keen, other]) == ({1: Reason("taken", {"candidates": 1})}, {})


def test_reasons_taken_mentor():
    good = person(id=1, user_id=1, offers={1: 4}, availability=0b11)
    other = person(id=2, user_id=2, offers={1: 4})
    mentee = person(id=1, user_id=11, seeks={1: 4}, availability=0b11)

    assert reasons([good, other], [mentee]) == ({}, {1: Reason("taken", {"candidates": 1})})


def test_reasons_skip_matched_people():
    matrix = greedy_trap()

    assert reasons(matrix.mentors, matrix.mentees) == ({}, {})
