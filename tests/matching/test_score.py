"""Scores computed by hand, one hard rule at a time, and score() against score_pair()."""

import numpy as np
import pytest

from matching.score import (
    PARTS,
    ROW_CHUNK,
    Block,
    Rules,
    Weights,
    coverage,
    pair_details,
    score,
    score_pair,
)
from tests.matching import person, random_cohort

TUESDAY_MORNING, TUESDAY_AFTERNOON, THURSDAY_MORNING = 2, 3, 6
NO_RULES = Rules()


def slots(*indexes: int) -> int:
    return sum(1 << i for i in indexes)


def lea(**fields):
    """The mentor of the module docstring's worked example."""
    base = {
        "id": 1,
        "user_id": 101,
        "seniority": 3,
        "offers": {1: 3, 2: 2},
        "seeks": {10: 3},
        "availability": slots(TUESDAY_MORNING, THURSDAY_MORNING),
        "format": "remote",
        "languages": frozenset({"fr", "en"}),
        "preferred_language": "fr",
    }
    return person(**{**base, **fields})


def marc(**fields):
    """The mentee of the module docstring's worked example."""
    base = {
        "id": 1,
        "user_id": 201,
        "seniority": 20,
        "offers": {10: 2},
        "seeks": {1: 3, 2: 3, 3: 2},
        "availability": slots(TUESDAY_MORNING, TUESDAY_AFTERNOON),
        "format": "either",
        "languages": frozenset({"fr"}),
        "preferred_language": "fr",
    }
    return person(**{**base, **fields})


def parts_of(mentor, mentee) -> dict[str, float]:
    return score_pair(mentor, mentee, Weights(), Rules())[1]


def blocks_of(mentor, mentee, rules=NO_RULES) -> Block:
    return score_pair(mentor, mentee, Weights(), rules)[2]


def test_score_pair_docstring_example():
    total, parts, blocks = score_pair(lea(), marc(), Weights(), Rules())

    assert parts == {
        "teach": 0.5,
        "give_back": 0.5,
        "availability": 0.5,
        "format": 1.0,
        "language": 1.0,
    }
    assert blocks == Block(0)
    assert total == 0.6


def test_score_docstring_example():
    matrix = score([lea()], [marc()], Weights(), Rules())

    assert matrix.total.shape == (1, 1)
    assert matrix.total[0, 0] == np.float32(0.6)
    assert {name: float(matrix.parts[name][0, 0]) for name in PARTS} == parts_of(lea(), marc())
    assert matrix.blocks[0, 0] == 0
    assert matrix.feasible.tolist() == [[True]]


def test_pair_details_docstring_example():
    assert pair_details(lea(), marc()) == {
        "taught": [
            {"skill": 1, "offered": 3, "wished": 3, "coverage": 1.0},
            {"skill": 2, "offered": 2, "wished": 3, "coverage": 0.5},
        ],
        "given_back": [{"skill": 10, "offered": 2, "wished": 3, "coverage": 0.5}],
        "common_slots": [TUESDAY_MORNING],
        "format": "remote",
        "languages": ["fr"],
    }


def test_pair_details_incompatible_format_is_none():
    details = pair_details(lea(), marc(format="in_person"))

    assert details["format"] is None


def test_coverage_levels():
    assert coverage(4, 3) == 1.0
    assert coverage(3, 3) == 1.0
    assert coverage(2, 3) == 0.5
    assert coverage(1, 3) == 0.0
    assert coverage(None, 3) == 0.0
    # One level short of beginner is "not offered", not half a beginner.
    assert coverage(None, 1) == 0.0


def test_teach_mean_over_sought_skills():
    mentor = person(offers={1: 4, 2: 3, 4: 1})
    mentee = person(seeks={1: 2, 2: 4, 3: 1, 4: 3})

    # (1 + 0.5 + 0 + 0) / 4
    assert parts_of(mentor, mentee)["teach"] == 0.375


def test_teach_zero_when_mentee_seeks_nothing():
    assert parts_of(person(offers={1: 4}), person(seeks={}))["teach"] == 0.0


def test_give_back_mean_over_mentor_sought_skills():
    mentor = person(offers={1: 1}, seeks={10: 3, 11: 2})
    mentee = person(seeks={1: 1}, offers={10: 4})

    # (1 + 0) / 2
    assert parts_of(mentor, mentee)["give_back"] == 0.5


def test_give_back_half_level_short():
    mentor = person(offers={1: 1}, seeks={10: 4, 11: 2, 12: 1})
    mentee = person(seeks={1: 1}, offers={10: 3, 11: 3, 12: 1})

    # (0.5 + 1 + 1) / 3
    assert parts_of(mentor, mentee)["give_back"] == pytest.approx(2.5 / 3, abs=1e-15)


def test_give_back_neutral_when_mentor_seeks_nothing():
    mentor = person(offers={1: 1}, seeks={})
    mentee = person(seeks={1: 1}, offers={10: 4})

    assert parts_of(mentor, mentee)["give_back"] == 0.5


@pytest.mark.parametrize(
    ("mentor_slots", "mentee_slots", "expected"),
    [
        (slots(0, 1), slots(2, 3), 0.0),
        (slots(0, 1), slots(1, 2), 0.5),
        (slots(0, 1, 9), slots(1, 9), 1.0),
        (slots(*range(10)), slots(*range(10)), 1.0),
    ],
)
def test_availability_by_common_half_days(mentor_slots, mentee_slots, expected):
    mentor = person(offers={1: 1}, availability=mentor_slots)
    mentee = person(seeks={1: 1}, availability=mentee_slots)

    assert parts_of(mentor, mentee)["availability"] == expected


@pytest.mark.parametrize(
    ("mentor_format", "mentee_format", "expected"),
    [
        ("in_person", "in_person", 1.0),
        ("remote", "remote", 1.0),
        ("either", "remote", 1.0),
        ("in_person", "either", 1.0),
        ("either", "either", 1.0),
        ("in_person", "remote", 0.0),
        ("remote", "in_person", 0.0),
    ],
)
def test_format_compatibility(mentor_format, mentee_format, expected):
    mentor = person(offers={1: 1}, format=mentor_format)
    mentee = person(seeks={1: 1}, format=mentee_format)

    assert parts_of(mentor, mentee)["format"] == expected


@pytest.mark.parametrize(
    ("mentor_languages", "mentor_preferred", "mentee_languages", "mentee_preferred", "expected"),
    [
        ({"fr", "en"}, "fr", {"fr"}, "fr", 1.0),
        ({"fr", "en"}, "en", {"fr", "en"}, "fr", 0.5),
        ({"de", "en"}, "de", {"fr", "en"}, "fr", 0.5),
        # Same preferred language, but one of them does not actually speak it.
        ({"en"}, "fr", {"fr", "en"}, "fr", 0.5),
        ({"de"}, "de", {"fr", "en"}, "fr", 0.0),
    ],
)
def test_language_preferred_shared_or_none(
    mentor_languages, mentor_preferred, mentee_languages, mentee_preferred, expected
):
    mentor = person(
        offers={1: 1}, languages=frozenset(mentor_languages), preferred_language=mentor_preferred
    )
    mentee = person(
        seeks={1: 1}, languages=frozenset(mentee_languages), preferred_language=mentee_preferred
    )

    assert parts_of(mentor, mentee)["language"] == expected
    matrix = score([mentor], [mentee], Weights(), Rules())
    assert matrix.parts["language"][0, 0] == expected


def allowed_pair(**mentee_fields):
    """A mentor and a mentee that no rule blocks, so each test can break exactly one rule."""
    mentor = person(id=7, user_id=1, seniority=2, offers={1: 2})
    mentee = person(**{"id": 8, "user_id": 2, "seniority": 20, "seeks": {1: 2}, **mentee_fields})
    return mentor, mentee


def test_allowed_pair_has_no_block():
    mentor, mentee = allowed_pair()

    assert blocks_of(mentor, mentee) == Block(0)


def test_block_same_person():
    mentor, mentee = allowed_pair(user_id=1)

    assert blocks_of(mentor, mentee) == Block.SAME_PERSON


def test_block_reporting_line_mentor_manages_mentee():
    mentor, mentee = allowed_pair(manager_chain=frozenset({50, 1}))

    assert blocks_of(mentor, mentee) == Block.REPORTING_LINE


def test_block_reporting_line_mentee_manages_mentor():
    mentor, mentee = allowed_pair()
    mentor = person(id=7, user_id=1, seniority=2, offers={1: 2}, manager_chain=frozenset({2, 60}))

    assert blocks_of(mentor, mentee) == Block.REPORTING_LINE


def test_block_reporting_line_not_for_a_shared_manager():
    mentor, mentee = allowed_pair(manager_chain=frozenset({50}))
    mentor = person(id=7, user_id=1, seniority=2, offers={1: 2}, manager_chain=frozenset({50}))

    assert blocks_of(mentor, mentee) == Block(0)


def test_block_seniority_gap_below_minimum():
    mentor, mentee = allowed_pair()  # gap 20 - 2 = 18

    assert blocks_of(mentor, mentee, Rules(min_seniority_gap=19)) == Block.SENIORITY_GAP
    assert blocks_of(mentor, mentee, Rules(min_seniority_gap=18)) == Block(0)


def test_block_seniority_gap_default_forbids_a_more_senior_mentor():
    mentor, mentee = allowed_pair(seniority=1)

    assert blocks_of(mentor, mentee) == Block.SENIORITY_GAP


def test_block_untrained_only_when_required():
    mentor, mentee = allowed_pair()
    mentor = person(id=7, user_id=1, seniority=2, offers={1: 2}, trained=False)

    assert blocks_of(mentor, mentee, Rules(training_required=True)) == Block.UNTRAINED
    assert blocks_of(mentor, mentee, Rules(training_required=False)) == Block(0)


def test_block_forbidden_pair_in_that_direction_only():
    mentor, mentee = allowed_pair()

    assert blocks_of(mentor, mentee, Rules(forbidden=frozenset({(7, 8)}))) == Block.FORBIDDEN
    assert blocks_of(mentor, mentee, Rules(forbidden=frozenset({(8, 7)}))) == Block(0)


def test_block_no_shared_language():
    mentor, mentee = allowed_pair(languages=frozenset({"en"}), preferred_language="en")

    assert blocks_of(mentor, mentee) == Block.NO_SHARED_LANGUAGE


def test_block_nothing_to_teach():
    mentor, mentee = allowed_pair(seeks={1: 4})  # offered 2, wished 4: two levels short

    assert blocks_of(mentor, mentee) == Block.NOTHING_TO_TEACH


def test_blocked_pair_total_zero_parts_kept():
    mentor, mentee = allowed_pair(user_id=1, manager_chain=frozenset({1}), seniority=0)

    total, parts, blocks = score_pair(mentor, mentee, Weights(), Rules())

    assert blocks == Block.SAME_PERSON | Block.REPORTING_LINE | Block.SENIORITY_GAP
    assert total == 0.0
    assert parts["teach"] == 1.0
    matrix = score([mentor], [mentee], Weights(), Rules())
    assert matrix.blocks[0, 0] == 7
    assert matrix.total[0, 0] == 0.0
    assert matrix.parts["teach"][0, 0] == 1.0
    assert not matrix.feasible[0, 0]


def test_score_blocks_each_rule_in_the_matrix():
    mentors = [
        person(id=1, user_id=1, seniority=2, offers={1: 2}),
        person(id=2, user_id=2, seniority=2, offers={1: 2}, trained=False),
        person(id=3, user_id=3, seniority=2, offers={1: 2}, languages=frozenset({"en"})),
        person(id=4, user_id=4, seniority=30, offers={1: 2}),
        person(id=5, user_id=5, seniority=2, offers={2: 2}),
    ]
    mentees = [
        person(id=1, user_id=1, seniority=20, seeks={1: 2}),
        person(id=2, user_id=6, seniority=20, seeks={1: 2}, manager_chain=frozenset({1, 3})),
        person(id=3, user_id=7, seniority=20, seeks={1: 2}),
    ]
    rules = Rules(training_required=True, forbidden=frozenset({(1, 3), (5, 3), (9, 9)}))

    matrix = score(mentors, mentees, Weights(), rules)

    same, line, gap, untrained = 1, 2, 4, 8
    forbidden, no_language, nothing = 16, 32, 64
    assert matrix.blocks.tolist() == [
        [same, untrained, no_language, gap, nothing],
        [line, untrained, line | no_language, gap, nothing],
        [forbidden, untrained, no_language, gap, forbidden | nothing],
    ]
    assert (matrix.total[matrix.blocks != 0] == 0).all()
    assert matrix.total[1, 0] == 0.0


def test_weights_change_the_mean():
    only_teach = Weights(teach=1, give_back=0, availability=0, format=0, language=0)
    teach_and_slots = Weights(teach=1, give_back=0, availability=3, format=0, language=0)

    assert score_pair(lea(), marc(), only_teach, Rules())[0] == 0.5
    # (1 * 0.5 + 3 * 0.5) / 4
    assert score_pair(lea(), marc(), teach_and_slots, Rules())[0] == 0.5
    heavy_format = Weights(teach=1, give_back=0, availability=0, format=3, language=0)
    # (1 * 0.5 + 3 * 1) / 4
    assert score_pair(lea(), marc(), heavy_format, Rules())[0] == 0.875
    assert score([lea()], [marc()], heavy_format, Rules()).total[0, 0] == 0.875


@pytest.mark.parametrize(
    "weights",
    [Weights(teach=0), Weights(give_back=-1), Weights(language=float("nan"))],
)
def test_weights_invalid_raise(weights):
    with pytest.raises(ValueError):
        score_pair(lea(), marc(), weights, Rules())
    with pytest.raises(ValueError):
        score([lea()], [marc()], weights, Rules())


def test_score_invalid_level_raises():
    with pytest.raises(ValueError):
        score([person(offers={1: 5})], [marc()], Weights(), Rules())


def test_score_duplicate_participant_ids_raise():
    with pytest.raises(ValueError):
        score([lea(), lea()], [marc()], Weights(), Rules())


def test_score_empty_sides_give_empty_matrices():
    no_mentees = score([lea()], [], Weights(), Rules())
    no_mentors = score([], [marc()], Weights(), Rules())

    assert no_mentees.total.shape == (0, 1)
    assert no_mentors.total.shape == (1, 0)
    assert no_mentors.parts["teach"].shape == (1, 0)
    assert no_mentors.blocks.shape == (1, 0)


def assert_agrees_with_score_pair(mentors, mentees, weights, rules):
    matrix = score(mentors, mentees, weights, rules)

    for s, mentee in enumerate(mentees):
        for m, mentor in enumerate(mentors):
            total, parts, blocks = score_pair(mentor, mentee, weights, rules)
            assert matrix.blocks[s, m] == blocks
            assert matrix.total[s, m] == pytest.approx(total, abs=1e-6)
            for name in PARTS:
                assert matrix.parts[name][s, m] == pytest.approx(parts[name], abs=1e-6)
    for name in PARTS:
        assert matrix.parts[name].dtype == np.float32
        assert matrix.parts[name].shape == (len(mentees), len(mentors))


@pytest.mark.parametrize("seed", range(5))
def test_score_agrees_with_score_pair_on_random_cohorts(seed):
    mentors, mentees, rules = random_cohort(seed, n_mentors=17, n_mentees=23)
    weights = Weights(teach=3, give_back=1.5, availability=0.5, format=2, language=0)

    assert_agrees_with_score_pair(mentors, mentees, weights, rules)
    assert_agrees_with_score_pair(mentors, mentees, Weights(), Rules())


def test_score_agrees_with_score_pair_across_row_chunks():
    mentors, mentees, rules = random_cohort(99, n_mentors=3, n_mentees=ROW_CHUNK + 5)

    assert_agrees_with_score_pair(mentors, mentees, Weights(), rules)
