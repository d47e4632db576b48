"""When check-ins fall due, and when an unanswered one becomes overdue (pure functions)."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.schedule import GRACE_DAYS, checkin_due_dates, overdue_count

START = date(2026, 3, 1)


def test_due_dates_follow_the_docstring_example():
    dates = checkin_due_dates(START, 30, 60, date(2026, 8, 31))

    assert dates == [date(2026, 3, 31), date(2026, 5, 30), date(2026, 7, 29)]


def test_due_dates_include_until_when_it_is_a_due_date():
    assert checkin_due_dates(START, 30, 60, date(2026, 5, 30)) == [
        date(2026, 3, 31),
        date(2026, 5, 30),
    ]


def test_due_dates_exclude_a_due_date_one_day_after_until():
    assert checkin_due_dates(START, 30, 60, date(2026, 5, 29)) == [date(2026, 3, 31)]


def test_due_dates_are_empty_before_the_first_one():
    assert checkin_due_dates(START, 30, 60, date(2026, 3, 30)) == []


def test_due_dates_are_empty_when_until_is_before_the_start():
    assert checkin_due_dates(START, 30, 60, date(2026, 2, 1)) == []


@pytest.mark.parametrize(("first_day", "every_days"), [(0, 60), (30, 0), (-1, 60), (30, -5)])
def test_due_dates_refuse_a_non_positive_rhythm(first_day, every_days):
    with pytest.raises(ValueError, match="first_day and every_days must be positive"):
        checkin_due_dates(START, first_day, every_days, date(2027, 1, 1))


def test_overdue_count_waits_for_the_grace_period():
    due = [date(2026, 3, 31)]

    assert GRACE_DAYS == 7
    assert overdue_count(due, answered=0, today=date(2026, 4, 7)) == 0  # due + 7: still in grace
    assert overdue_count(due, answered=0, today=date(2026, 4, 8)) == 1  # due + 8: overdue


def test_overdue_count_subtracts_the_answered_ones():
    due = [date(2026, 3, 31), date(2026, 5, 30), date(2026, 7, 29)]
    today = date(2026, 8, 1)  # the third is still in its grace period

    assert overdue_count(due, answered=0, today=today) == 2
    assert overdue_count(due, answered=1, today=today) == 1
    assert overdue_count(due, answered=2, today=today) == 0


def test_overdue_count_is_never_negative():
    # Answering the third one early, inside its grace period, is no credit.
    due = [date(2026, 3, 31), date(2026, 5, 30), date(2026, 7, 29)]

    assert overdue_count(due, answered=3, today=date(2026, 8, 1)) == 0


def test_overdue_count_of_no_due_date_is_zero():
    assert overdue_count([], answered=0, today=date(2030, 1, 1)) == 0


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    first_day=st.integers(min_value=1, max_value=400),
    every_days=st.integers(min_value=1, max_value=400),
    span=st.integers(min_value=-10, max_value=3000),
)
def test_due_dates_increase_by_every_days_up_to_until(start, first_day, every_days, span):
    until = start + timedelta(days=span)

    dates = checkin_due_dates(start, first_day, every_days, until)

    assert all(due <= until for due in dates)
    assert all(a < b for a, b in pairwise(dates))
    assert all(b - a == timedelta(days=every_days) for a, b in pairwise(dates))
    if dates:
        assert dates[0] == start + timedelta(days=first_day)
        # Nothing left out at the end: the next one would be past until.
        assert dates[-1] + timedelta(days=every_days) > until
    else:
        assert start + timedelta(days=first_day) > until
