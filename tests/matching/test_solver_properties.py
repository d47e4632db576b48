"""solve() against brute force on random small cohorts (Hypothesis)."""

from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.explain import unmatched_reasons
from matching.score import FORMATS, SLOTS, Person, Rules, ScoreMatrix, Weights, score
from matching.solve import solve

SPOKEN = st.sampled_from(
    [frozenset(x) for x in ({"fr", "en"}, {"fr"}, {"fr", "de"}, {"en"}, {"de", "en"})]
)
USERS = st.integers(0, 11)  # a small pool, so people share users and appear in chains
# Draws lean towards allowed pairs (everyone speaks and offers something, mentors are
# mostly juniors), otherwise most cohorts would have nothing for the solver to decide.
AREAS = st.integers(0, 3)
TEACHES = st.dictionaries(AREAS, st.integers(2, 4), min_size=2, max_size=4)
GIVES_BACK = st.dictionaries(AREAS, st.integers(1, 4), max_size=3)
WISHES = st.dictionaries(AREAS, st.integers(1, 4), min_size=1, max_size=2)


def people(draw, n: int, mentor: bool) -> list[Person]:
    user_ids = draw(st.lists(USERS, min_size=n, max_size=n, unique=True))
    found = []
    for i, user_id in enumerate(user_ids):
        languages = draw(SPOKEN)
        found.append(
            Person(
                id=i,
                user_id=user_id,
                seniority=draw(st.integers(0, 12) if mentor else st.integers(5, 25)),
                manager_chain=draw(st.frozensets(st.integers(0, 23), max_size=2)),
                offers=draw(TEACHES if mentor else GIVES_BACK),
                seeks=draw(WISHES | st.just({}) if mentor else WISHES),
                availability=draw(st.integers(0, (1 << SLOTS) - 1)),
                format=draw(st.sampled_from(FORMATS)),
                languages=languages,
                preferred_language=draw(st.sampled_from(sorted(languages))),
                capacity=draw(st.integers(1, 3)) if mentor else 1,
                trained=draw(st.sampled_from([True, True, False])),
            )
        )
    return found


@st.composite
def cohorts(draw) -> tuple[ScoreMatrix, list[int]]:
    """A scored cohort of 1..5 mentors and 0..6 mentees, and the places already used."""
    # Hypothesis favours small numbers; counting down makes the larger cohorts, where the
    # solver has choices to make, the common case (0 mentees still comes up).
    mentors = people(draw, 5 - draw(st.integers(0, 4)), mentor=True)
    mentees = people(draw, 6 - draw(st.integers(0, 6)), mentor=False)
    all_pairs = [(m.id, s.id) for m in mentors for s in mentees]
    rules = Rules(
        min_seniority_gap=draw(st.integers(-5, 3)),
        training_required=draw(st.booleans()),
        forbidden=frozenset(draw(st.lists(st.sampled_from(all_pairs), max_size=3)))
        if all_pairs
        else frozenset(),
    )
    weight = st.integers(0, 4).map(float)
    weights = Weights(
        teach=draw(st.integers(1, 4).map(float)),
        give_back=draw(weight),
        availability=draw(weight),
        format=draw(weight),
        language=draw(weight),
    )
    # Existing pairs are the exception: most mentors start with all their places free.
    capacity_used = [draw(st.just(0) | st.integers(0, m.capacity)) for m in mentors]
    return score(mentors, mentees, weights, rules), capacity_used


def places(matrix: ScoreMatrix, capacity_used: list[int]) -> list[int]:
    return [
        max(m.capacity - used, 0) for m, used in zip(matrix.mentors, capacity_used, strict=True)
    ]


def brute_force(matrix: ScoreMatrix, mentees: list[int], left: list[int]) -> float:
    """The best total over every way to give each of `mentees` one allowed place, or none."""
    feasible = matrix.feasible

    @cache
    def best(k: int, left: tuple[int, ...]) -> float:
        if k == len(mentees):
            return 0.0
        s = mentees[k]
        result = best(k + 1, left)  # this mentee left unmatched
        for m, free in enumerate(left):
            if free and feasible[s, m]:
                after = (*left[:m], free - 1, *left[m + 1 :])
                result = max(result, float(matrix.total[s, m]) + best(k + 1, after))
        return result

    return best(0, tuple(left))


@settings(max_examples=200, deadline=None, database=None)
@given(cohorts())
def test_solve_total_equals_brute_force(cohort):
    matrix, capacity_used = cohort

    assignment = solve(matrix, capacity_used=capacity_used)

    everyone = list(range(len(matrix.mentees)))
    expected = brute_force(matrix, everyone, places(matrix, capacity_used))
    assert abs(assignment.total - expected) <= 1e-9


@settings(max_examples=200, deadline=None, database=None)
@given(cohorts())
def test_solve_pairs_allowed_and_within_capacity(cohort):
    matrix, capacity_used = cohort

    assignment = solve(matrix, capacity_used=capacity_used)

    mentees = [s for s, _ in assignment.pairs]
    assert len(mentees) == len(set(mentees))
    assert assignment.pairs == sorted(assignment.pairs)
    for s, m in assignment.pairs:
        assert matrix.blocks[s, m] == 0
    taken = np.bincount([m for _, m in assignment.pairs], minlength=len(matrix.mentors))
    assert (taken <= places(matrix, capacity_used)).all()


@settings(max_examples=200, deadline=None, database=None)
@given(cohorts())
def test_unmatched_reasons_one_per_person_left_out(cohort):
    matrix, capacity_used = cohort
    assignment = solve(matrix, capacity_used=capacity_used)

    by_mentee, by_mentor = unmatched_reasons(matrix, assignment)

    matched = {s for s, _ in assignment.pairs}
    with_pair = {m for _, m in assignment.pairs}
    left_out = [s for s in range(len(matrix.mentees)) if s not in matched]
    unused = [m for m in range(len(matrix.mentors)) if m not in with_pair and capacity_used[m] == 0]
    assert assignment.unmatched_mentees == left_out
    assert assignment.unused_mentors == unused
    assert sorted(by_mentee) == left_out
    assert sorted(by_mentor) == unused

    # "taken" must be true: the optimum filled every allowed partner.
    left = places(matrix, capacity_used)
    taken = np.bincount([m for _, m in assignment.pairs], minlength=len(matrix.mentors))
    for s, reason in by_mentee.items():
        allowed = np.flatnonzero(matrix.feasible[s])
        if reason.code == "taken":
            assert reason.params == {"candidates": len(allowed)}
            assert all(taken[m] == left[m] for m in allowed)
        else:
            assert len(allowed) == 0
    for m, reason in by_mentor.items():
        allowed = np.flatnonzero(matrix.feasible[:, m])
        if reason.code == "taken":
            assert reason.params == {"candidates": len(allowed)}
            assert all(s in matched for s in allowed)
        else:
            assert len(allowed) == 0


@settings(max_examples=200, deadline=None, database=None)
@given(cohorts(), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), max_size=4))
def test_solve_keeps_locks_and_optimises_the_rest(cohort, wished_locks):
    matrix, capacity_used = cohort
    left = places(matrix, capacity_used)
    locked = []
    for s, m in wished_locks:
        if s >= len(matrix.mentees) or m >= len(matrix.mentors) or not matrix.feasible[s, m]:
            continue
        if s in {ls for ls, _ in locked} or left[m] == 0:
            continue
        locked.append((s, m))
        left[m] -= 1

    assignment = solve(matrix, locked=locked, capacity_used=capacity_used)

    assert set(locked) <= set(assignment.pairs)
    locked_mentees = {s for s, _ in locked}
    rest = [s for s in range(len(matrix.mentees)) if s not in locked_mentees]
    locked_total = sum(float(matrix.total[s, m]) for s, m in locked)
    expected = locked_total + brute_force(matrix, rest, left)
    assert abs(assignment.total - expected) <= 1e-9
