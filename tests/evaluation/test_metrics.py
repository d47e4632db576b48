"""Engagement metrics: exact figures on a small hand-built programme, and the nightly snapshots."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.metrics import engagement_metrics, engagement_snapshot_take
from evaluation.models import Assessment, EngagementSnapshot
from pairs.models import Pairing
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    CohortFactory,
    GoalFactory,
    HeldSessionFactory,
    PairingFactory,
    SessionFactory,
    SkillAreaFactory,
)

pytestmark = pytest.mark.django_db


def rate(pairing, side, skill, baseline=None, final=None):
    user = getattr(pairing, side).user
    for kind, level in (("baseline", baseline), ("final", final)):
        if level is not None:
            Assessment.objects.create(
                pairing=pairing,
                respondent=user,
                side=side,
                kind=kind,
                skill_area=skill,
                level=level,
            )


def checkin(pairing, side, satisfaction, progress, confidence, kind="periodic", number=1):
    return CheckInFactory(
        pairing=pairing,
        respondent=getattr(pairing, side).user,
        kind=kind,
        number=number,
        satisfaction=satisfaction,
        progress=progress,
        confidence=confidence,
    )


@pytest.fixture
def programme():
    """Cohort A: two active pairs, one stalled; cohort B: an ended pair, a declined one and a
    proposal; cohort C: empty. Declined and proposed pairs have data that must not count."""
    s1, s2, s3 = SkillAreaFactory(), SkillAreaFactory(), SkillAreaFactory()
    # Cohort A, pair 1: meets, answers, reaches one goal of two (a third dropped).
    p1 = ActivePairingFactory()
    cohort_a = p1.cohort
    programme = cohort_a.programme
    HeldSessionFactory(pairing=p1, held_minutes=40)
    HeldSessionFactory(pairing=p1, held_minutes=50, starts_at=timezone.now() - timedelta(days=20))
    SessionFactory(pairing=p1)  # planned: not held
    SessionFactory(
        pairing=p1,
        status="cancelled",
        starts_at=timezone.now() - timedelta(days=2),
        held_minutes=None,
    )
    GoalFactory(pairing=p1, status="achieved")
    GoalFactory(pairing=p1, status="in_progress")
    GoalFactory(pairing=p1, status="dropped")
    checkin(p1, "mentor", 4, 3, 5)
    checkin(p1, "mentee", 5, 4, 4)
    rate(p1, "mentee", s1, baseline=2, final=4)  # +2
    rate(p1, "mentee", s2, baseline=1, final=2)  # +1
    rate(p1, "mentor", s3, baseline=3)  # no final rating yet: not counted
    # Cohort A, pair 2: met five days ago but nobody answered the check-in: stalled.
    p2 = ActivePairingFactory(cohort=cohort_a)
    HeldSessionFactory(pairing=p2, held_minutes=30)
    GoalFactory(pairing=p2, status="achieved")
    # Cohort B, an ended pair.
    cohort_b = CohortFactory(
        programme=programme, starts_on=cohort_a.starts_on, ends_on=cohort_a.ends_on
    )
    p3 = ActivePairingFactory(cohort=cohort_b, status="ended", ended_at=timezone.now())
    HeldSessionFactory(pairing=p3, held_minutes=60)
    GoalFactory(pairing=p3, status="not_started")
    checkin(p3, "mentor", 3, 4, 4)
    checkin(p3, "mentee", 1, 1, 1, kind="closing", number=0)  # closing: not a check-in
    rate(p3, "mentee", s1, baseline=2, final=3)  # +1
    # Cohort B, a declined pair and a proposal, with data that must not count.
    p4 = ActivePairingFactory(cohort=cohort_b, status="declined")
    HeldSessionFactory(pairing=p4, held_minutes=120)
    GoalFactory(pairing=p4, status="achieved")
    checkin(p4, "mentor", 1, 1, 1)
    rate(p4, "mentee", s1, baseline=1, final=5)
    p5 = PairingFactory(cohort=cohort_b)
    HeldSessionFactory(pairing=p5, held_minutes=90)
    # Cohort C, empty; and another programme, busy.
    CohortFactory(programme=programme)
    HeldSessionFactory(held_minutes=100)
    return programme


EXPECTED_PROGRAMME = {
    "pairs_active": 2,
    "pairs_ended": 1,
    "pairs_stalled": 1,
    "sessions_held": 4,
    "hours_held": 3.0,  # 40 + 50 + 30 + 60 minutes
    "sessions_per_pair": 1.33,  # 4 held sessions, 3 pairs that started
    "goals": 4,  # the dropped one aside
    "goals_achieved": 2,
    "goal_completion": 50.0,
    "checkins_answered": 3,
    "satisfaction": 4.0,  # (4 + 5 + 3) / 3
    "progress": 3.67,  # (3 + 4 + 4) / 3
    "confidence": 4.33,  # (5 + 4 + 4) / 3
    "skill_uplift": 1.33,  # (2 + 1 + 1) / 3
}
EXPECTED_A = {
    "pairs_active": 2,
    "pairs_ended": 0,
    "pairs_stalled": 1,
    "sessions_held": 3,
    "hours_held": 2.0,
    "sessions_per_pair": 1.5,
    "goals": 3,
    "goals_achieved": 2,
    "goal_completion": 66.7,
    "checkins_answered": 2,
    "satisfaction": 4.5,
    "progress": 3.5,
    "confidence": 4.5,
    "skill_uplift": 1.5,
}
EXPECTED_B = {
    "pairs_active": 0,
    "pairs_ended": 1,
    "pairs_stalled": 0,
    "sessions_held": 1,
    "hours_held": 1.0,
    "sessions_per_pair": 1.0,
    "goals": 1,
    "goals_achieved": 0,
    "goal_completion": 0.0,
    "checkins_answered": 1,
    "satisfaction": 3.0,
    "progress": 4.0,
    "confidence": 4.0,
    "skill_uplift": 1.0,
}
EXPECTED_EMPTY = {
    "pairs_active": 0,
    "pairs_ended": 0,
    "pairs_stalled": 0,
    "sessions_held": 0,
    "hours_held": 0.0,
    "sessions_per_pair": None,
    "goals": 0,
    "goals_achieved": 0,
    "goal_completion": None,
    "checkins_answered": 0,
    "satisfaction": None,
    "progress": None,
    "confidence": None,
    "skill_uplift": None,
}


def test_engagement_metrics_of_a_programme(programme):
    pairings = Pairing.objects.filter(cohort__programme=programme)
    assert engagement_metrics(pairings, timezone.localdate()) == EXPECTED_PROGRAMME


def test_engagement_metrics_of_each_cohort(programme):
    cohorts = list(programme.cohorts.order_by("pk"))
    today = timezone.localdate()
    figures = [
        engagement_metrics(Pairing.objects.filter(cohort=cohort), today) for cohort in cohorts
    ]
    assert figures == [EXPECTED_A, EXPECTED_B, EXPECTED_EMPTY]


def test_snapshot_stores_the_programme_and_each_cohort(programme):
    today = timezone.localdate()
    assert engagement_snapshot_take(programme_id=programme.pk, today=today) == 4
    snapshots = {
        snapshot.cohort.name if snapshot.cohort else None: snapshot
        for snapshot in EngagementSnapshot.objects.filter(programme=programme)
    }
    a, b, c = programme.cohorts.order_by("pk")
    assert {name: s.metrics for name, s in snapshots.items()} == {
        None: EXPECTED_PROGRAMME,
        a.name: EXPECTED_A,
        b.name: EXPECTED_B,
        c.name: EXPECTED_EMPTY,
    }
    assert {s.taken_on for s in snapshots.values()} == {today}
    assert EngagementSnapshot.objects.count() == 4  # nothing for the other programme


def test_a_second_snapshot_the_same_day_replaces_the_first(programme):
    today = timezone.localdate()
    engagement_snapshot_take(programme_id=programme.pk, today=today)
    first = {s.pk: s.computed_at for s in EngagementSnapshot.objects.all()}
    pairing = Pairing.objects.filter(cohort__programme=programme, status="active").first()
    HeldSessionFactory(pairing=pairing, held_minutes=60)
    assert engagement_snapshot_take(programme_id=programme.pk, today=today) == 4
    again = EngagementSnapshot.objects.all()
    assert {s.pk for s in again} == set(first)
    assert all(s.computed_at > first[s.pk] for s in again)
    overall = EngagementSnapshot.objects.get(programme=programme, cohort=None)
    assert (overall.metrics["sessions_held"], overall.metrics["hours_held"]) == (5, 4.0)
    engagement_snapshot_take(programme_id=programme.pk, today=today + timedelta(days=1))
    assert EngagementSnapshot.objects.count() == 8
    assert EngagementSnapshot.objects.filter(taken_on=today).count() == 4
