"""When check-ins fall due: a pure function of the pair's start and the programme's rhythm."""

from datetime import date, timedelta

# Days after its due date before an unanswered check-in counts as overdue.
GRACE_DAYS = 7


def schedule_end(today: date, programme_ends_on: date, ended_on: date | None = None) -> date:
    """The last day check-ins can fall due: today, the programme's end or the pair's end."""
    return min(today, programme_ends_on, ended_on or programme_ends_on)


def checkin_due_dates(start: date, first_day: int, every_days: int, until: date) -> list[date]:
    """Due dates of the periodic check-ins from ``start`` up to ``until`` included.

    The first falls ``first_day`` days after the start, then one every
    ``every_days`` days: with 30 and 60, a pair started on 1 March answers on
    31 March, 30 May, 29 July...
    """
    if first_day < 1 or every_days < 1:
        raise ValueError("first_day and every_days must be positive")
    dates = []
    due = start + timedelta(days=first_day)
    while due <= until:
        dates.append(due)
        due += timedelta(days=every_days)
    return dates


def overdue_count(due_dates: list[date], answered: int, today: date) -> int:
    """How many check-ins past their grace period are still unanswered.

    Check-ins are answered in order, so the first ``answered`` due dates are done.
    """
    late = sum(1 for due in due_dates if due + timedelta(days=GRACE_DAYS) < today)
    return max(0, late - answered)
