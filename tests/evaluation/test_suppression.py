"""The suppression rule on its own: small groups hidden, and never recoverable by subtraction."""

from hypothesis import given
from hypothesis import strategies as st

from evaluation.formulas import METRICS
from evaluation.suppression import MINIMUM_GROUP, dashboard_view, hidden_siblings


def test_no_small_group_nothing_hidden():
    assert hidden_siblings({"a": 5, "b": 12, "c": 0}) == set()


def test_a_small_group_takes_the_smallest_sibling_with_it():
    # Alone, "b" would be the total minus a and c.
    assert hidden_siblings({"a": 9, "b": 3, "c": 6}) == {"b", "c"}


def test_small_groups_that_cover_each_other_need_no_complement():
    assert hidden_siblings({"a": 2, "b": 3, "c": 40}) == {"a", "b"}


def test_a_group_hidden_for_another_reason_counts_as_cover():
    assert hidden_siblings({"a": 2, "b": 7, "c": 40}, hidden={"b"}) == {"a", "b"}
    # A hidden sibling with nothing behind it covers nothing.
    assert hidden_siblings({"a": 2, "b": 0, "c": 40, "d": 8}, hidden={"b"}) == {"a", "b", "d"}


def test_when_every_sibling_is_needed_all_are_hidden():
    assert hidden_siblings({"a": 1, "b": 2}) == {"a", "b"}


@given(st.dictionaries(st.integers(0, 30), st.integers(0, 40), max_size=12))
def test_what_stays_hidden_can_never_be_worked_out(sizes):
    hidden = hidden_siblings(sizes)
    # Every small group is hidden...
    assert {k for k, n in sizes.items() if 0 < n < MINIMUM_GROUP} <= hidden
    # ...and what subtraction from the total gives (all hidden ones together) stands for
    # nobody or for at least 5 people, unless everything is hidden (then the whole is small
    # and hidden by its own parent's rule).
    covered = sum(sizes[k] for k in hidden)
    everything = {k for k, n in sizes.items() if n > 0} <= hidden
    assert covered == 0 or covered >= MINIMUM_GROUP or everything
    # Nothing more than needed: without the largest complement, the cover would be too small.
    complements = [k for k in hidden if sizes[k] >= MINIMUM_GROUP]
    if complements:
        largest = max(complements, key=lambda k: sizes[k])
        assert 0 < covered - sizes[largest] < MINIMUM_GROUP


def _row(key, people, parent=None, **n):
    return {
        "key": key,
        "label": key,
        "parent": parent,
        "people": people,
        "values": dict.fromkeys(METRICS, 1.0),
        "n": {k: n.get(k, people) for k in METRICS},
    }


def test_a_hidden_direction_hides_all_its_departments():
    document = {
        "people": 30,
        "values": dict.fromkeys(METRICS, 1.0),
        "n": dict.fromkeys(METRICS, 30),
        "groups": {
            "direction": [_row("A", 3), _row("B", 20), _row("C", 7)],
            "department": [
                _row("A / x", 3, "A"),
                _row("B / y", 10, "B"),
                _row("B / z", 10, "B"),
                _row("C / w", 7, "C"),
            ],
        },
    }
    view = dashboard_view(document, list(METRICS), protect=True)
    assert [r["hidden"] for r in view["groups"]["direction"]] == [True, False, True]
    # C / w has 7 people, but it would add up to its hidden direction C.
    assert [r["hidden"] for r in view["groups"]["department"]] == [True, False, False, True]


def test_departments_of_a_visible_direction_cover_each_other():
    document = {
        "people": 30,
        "groups": {
            "direction": [_row("B", 30)],
            "department": [_row("B / y", 4, "B"), _row("B / z", 6, "B"), _row("B / v", 20, "B")],
        },
    }
    view = dashboard_view(document, list(METRICS), protect=True)
    assert [r["hidden"] for r in view["groups"]["department"]] == [True, True, False]


def test_a_figure_with_few_people_behind_it_is_hidden_with_its_cover():
    document = {
        "people": 40,
        "groups": {
            "cohort": [
                _row(1, 20, satisfaction=3),
                _row(2, 12, satisfaction=8),
                _row(3, 8, satisfaction=9),
            ]
        },
    }
    rows = dashboard_view(document, list(METRICS), protect=True)["groups"]["cohort"]
    assert [r["hidden"] for r in rows] == [False, False, False]
    # 3 respondents in cohort 1; the smallest other one (8) covers it.
    assert [r["cells"]["satisfaction"]["hidden"] for r in rows] == [True, True, False]
    assert [r["cells"]["volunteers"]["hidden"] for r in rows] == [False, False, False]


def test_monthly_points_are_siblings_too():
    document = {
        "people": 40,
        "series": {
            "months": ["2026-10", "2026-11", "2026-12"],
            "sessions": [1, 10, 12],
            "hours": [1.0, 8.0, 9.5],
            "sessions_n": [2, 12, 14],
            "satisfaction": [4.0, 3.5, 4.2],
            "confidence": [4.0, 3.9, 4.1],
            "answers_n": [1, 9, 4],
        },
    }
    series = dashboard_view(document, list(METRICS), protect=True)["series"]
    # October's 2 people are covered by November, the smaller of the other months.
    assert series["sessions"] == [None, None, 12]
    # October's 1 respondent and December's 4 cover each other (5).
    assert series["satisfaction"] == [None, 3.5, None]
    assert dashboard_view(document, list(METRICS), protect=False)["series"]["sessions"] == [
        1,
        10,
        12,
    ]
