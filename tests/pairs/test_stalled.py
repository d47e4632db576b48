"""Which pairs HR should look at: no session for two cadences, or a check-in overdue."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.models import Pairing
from pairs.selectors import pairings_follow_up, stalled_pairings
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    GoalFactory,
    HeldSessionFactory,
    PairingFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days_ago(days: int) -> datetime:
    # Noon, so that the local date is exactly `days` ago whatever the time of the run.
    return timezone.make_aware(datetime.combine(today() - timedelta(days=days), time(12)))


def answer_first_checkin(pairing):
    for member in (pairing.mentor, pairing.mentee):
        CheckInFactory(pairing=pairing, respondent=member.user)


def follow_up(pairing):
    [row] = pairings_follow_up(Pairing.objects.filter(pk=pairing.pk), today())
    return row


@pytest.fixture
def pairing():
    # Activated 40 days ago, programme cadence 14 days, check-in #1 due at day 30.
    pairing = ActivePairingFactory()
    assert pairing.cohort.programme.session_cadence_days == 14
    return pairing


def test_follow_up_recent_session_and_answered_checkins_is_not_stalled(pairing):
    HeldSessionFactory(pairing=pairing, starts_at=days_ago(10))
    answer_first_checkin(pairing)

    row = follow_up(pairing)

    assert row.reasons == []
    assert row.stalled is False
    assert row.overdue_checkins == 0


def test_follow_up_session_exactly_two_cadences_ago_is_not_stalled_yet(pairing):
    HeldSessionFactory(pairing=pairing, starts_at=days_ago(28))
    answer_first_checkin(pairing)

    assert follow_up(pairing).reasons == []


def test_follow_up_last_session_29_days_ago_is_stalled(pairing):
    HeldSessionFactory(pairing=pairing, starts_at=days_ago(29))
    answer_first_checkin(pairing)

    row = follow_up(pairing)

    assert row.reasons == ["no_session"]
    assert row.stalled is True


def test_follow_up_never_met_since_activation_40_days_ago_is_stalled(pairing):
    answer_first_checkin(pairing)

    row = follow_up(pairing)

    assert row.reasons == ["no_session"]
    assert (row.held, row.last_held) == (0, None)


def test_follow_up_only_planned_or_cancelled_sessions_do_not_count(pairing):
    SessionFactory(pairing=pairing)  # in 3 days
    SessionFactory(pairing=pairing, status="cancelled", starts_at=days_ago(3))
    answer_first_checkin(pairing)

    assert follow_up(pairing).reasons == ["no_session"]


def test_follow_up_unanswered_checkin_of_both_members_is_overdue(pairing):
    HeldSessionFactory(pairing=pairing)  # 5 days ago: sessions are fine

    row = follow_up(pairing)

    assert row.reasons == ["checkin_overdue"]
    assert row.overdue_checkins == 2


def test_follow_up_checkin_answered_by_one_member_leaves_one_overdue(pairing):
    HeldSessionFactory(pairing=pairing)
    CheckInFactory(pairing=pairing, respondent=pairing.mentee.user)

    row = follow_up(pairing)

    assert row.reasons == ["checkin_overdue"]
    assert row.overdue_checkins == 1


def test_follow_up_checkin_within_its_grace_period_is_not_overdue():
    # Activated 37 days ago: check-in #1 was due 7 days ago, the last day of grace.
    pairing = ActivePairingFactory(activated_at=days_ago(37))
    HeldSessionFactory(pairing=pairing)

    row = follow_up(pairing)

    assert row.overdue_checkins == 0
    assert row.reasons == []


def test_follow_up_never_met_and_checkins_unanswered_gives_both_reasons(pairing):
    row = follow_up(pairing)

    assert row.reasons == ["no_session", "checkin_overdue"]
    assert row.overdue_checkins == 2


def test_follow_up_ended_pair_is_never_stalled(pairing):
    pairing.status = "ended"
    pairing.ended_at = days_ago(1)
    pairing.save()

    row = follow_up(pairing)

    assert row.reasons == []
    assert row.overdue_checkins == 0


def test_follow_up_proposed_pair_is_never_stalled():
    pairing = PairingFactory(cohort=ActivePairingFactory().cohort)
    # Published two months ago and never met: still the intro's business, not a stall.
    Pairing.objects.filter(pk=pairing.pk).update(created_at=days_ago(60))

    row = follow_up(pairing)

    assert row.reasons == []


def test_follow_up_counts_held_sessions_last_date_and_goals(pairing):
    HeldSessionFactory(pairing=pairing, starts_at=days_ago(20))
    HeldSessionFactory(pairing=pairing, starts_at=days_ago(6))
    SessionFactory(pairing=pairing)  # planned
    SessionFactory(pairing=pairing, status="cancelled", starts_at=days_ago(2))
    GoalFactory(pairing=pairing, status="achieved")
    GoalFactory(pairing=pairing, learner="mentor", status="achieved")
    GoalFactory(pairing=pairing, status="in_progress")
    GoalFactory(pairing=pairing, status="dropped")

    row = follow_up(pairing)

    assert row.held == 2
    assert row.last_held == today() - timedelta(days=6)
    assert (row.goals_achieved, row.goals) == (2, 3)


def test_follow_up_counts_are_per_pair():
    quiet = ActivePairingFactory()
    busy = ActivePairingFactory(cohort=quiet.cohort)
    HeldSessionFactory(pairing=busy)
    GoalFactory(pairing=busy, status="achieved")

    rows = {
        row.pairing: row
        for row in pairings_follow_up(Pairing.objects.filter(cohort=quiet.cohort), today())
    }

    assert (rows[busy].held, rows[busy].goals_achieved, rows[busy].goals) == (1, 1, 1)
    assert (rows[quiet].held, rows[quiet].goals_achieved, rows[quiet].goals) == (0, 0, 0)


def test_stalled_pairings_keeps_only_the_stalled_ones(pairing):
    fine = ActivePairingFactory(cohort=pairing.cohort)
    HeldSessionFactory(pairing=fine)
    answer_first_checkin(fine)

    rows = stalled_pairings(Pairing.objects.filter(cohort=pairing.cohort), today())

    assert [row.pairing for row in rows] == [pairing]


# The HR page ------------------------------------------------------------------------------


def pairs_url(programme, **query):
    url = reverse("programme_pairings", args=[programme.pk])
    return url + ("?stalled=1" if query.get("stalled") else "")


@pytest.fixture
def programme_pairs():
    """Three pairs of one programme: one fine, one stalled, one declined (not listed)."""
    fine = ActivePairingFactory()
    HeldSessionFactory(pairing=fine)
    answer_first_checkin(fine)
    stalled = ActivePairingFactory(cohort=fine.cohort)
    declined = PairingFactory(cohort=fine.cohort, status="declined")
    return fine, stalled, declined


def test_programme_pairings_lists_the_programme_pairs(hr_client, programme_pairs):
    fine, stalled, _declined = programme_pairs
    ActivePairingFactory()  # another programme

    response = hr_client.get(pairs_url(fine.cohort.programme))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.pairing for row in rows] == [fine, stalled]
    assert [row.reasons for row in rows] == [[], ["no_session", "checkin_overdue"]]
    assert response.context["only_stalled"] is False


def test_programme_pairings_stalled_filter(hr_client, programme_pairs):
    fine, stalled, _declined = programme_pairs

    response = hr_client.get(pairs_url(fine.cohort.programme, stalled=True))

    assert response.status_code == 200
    assert [row.pairing for row in response.context["rows"]] == [stalled]
    assert response.context["only_stalled"] is True


def test_programme_pairings_is_forbidden_to_participants(participant_client, programme_pairs):
    fine, _stalled, _declined = programme_pairs

    assert participant_client.get(pairs_url(fine.cohort.programme)).status_code == 403


def test_programme_pairings_is_forbidden_to_a_member_of_the_pairs(client, programme_pairs):
    fine, _stalled, _declined = programme_pairs
    client.force_login(fine.mentor.user)

    assert client.get(pairs_url(fine.cohort.programme)).status_code == 403


def test_programme_pairings_is_forbidden_to_managers(manager_client, programme_pairs):
    fine, _stalled, _declined = programme_pairs

    assert manager_client.get(pairs_url(fine.cohort.programme)).status_code == 403


def test_programme_pairings_sends_anonymous_users_to_login(client, programme_pairs):
    fine, _stalled, _declined = programme_pairs

    response = client.get(pairs_url(fine.cohort.programme))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_programme_pairings_of_an_unknown_programme_is_404(hr_client):
    assert hr_client.get(reverse("programme_pairings", args=[999999])).status_code == 404


def _queries_for_pairs(client, count: int) -> int:
    first = ActivePairingFactory()
    for index in range(count):
        pairing = first if index == 0 else ActivePairingFactory(cohort=first.cohort)
        HeldSessionFactory(pairing=pairing)
        GoalFactory(pairing=pairing)
        CheckInFactory(pairing=pairing)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(pairs_url(first.cohort.programme))
    assert len(response.context["rows"]) == count
    return len(queries)


def test_programme_pairings_query_count_does_not_grow_with_pairs(hr_client):
    one = _queries_for_pairs(hr_client, 1)
    three = _queries_for_pairs(hr_client, 3)

    assert one == three
