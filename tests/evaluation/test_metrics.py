"""Every metric on the hand-built programme of conftest.py, against figures worked out on paper."""

from datetime import timedelta

import pytest

from evaluation import formulas
from evaluation.metrics import engagement_documents, engagement_snapshot_take
from evaluation.models import EngagementSnapshot
from tests.evaluation.conftest import TODAY
from tests.factories import HeldSessionFactory

pytestmark = pytest.mark.django_db

EXPECTED_PROGRAMME = {
    "volunteers": 12,
    "volunteers_mentors": 6,
    "volunteers_mentees": 6,
    "approval_rate": 90.0,  # 9 approved of 10 decided (E3 pending, E5 withdrawn)
    "match_rate": 88.9,  # 8 in a pair of 9 eligible (M5 alone)
    "pairs_intro": 1,  # P3
    "pairs_active": 1,  # P1
    "pairs_stalled": 1,  # P1: E1's check-in of 14 Nov is past its grace
    "pairs_completed": 1,  # P5
    "pairs_ended_early": 1,  # P2
    "sessions_held": 6,  # 2 + 1 + 3; P3's and P4's do not count
    "hours_held": 5.8,  # 345 minutes
    "sessions_per_pair": 2.0,  # (2 + 2 + 1 + 1 + 3 + 3) / 6 members
    # 12 member-sessions over 2 x (3.023 + 2.004 + 3.318) months (92, 61 and 101 days)
    "sessions_per_month": 0.72,
    "goal_completion": 50.0,  # 3 achieved of 6 (the dropped one aside)
    "goals_on_time": 33.3,  # 2 of 6: P1's mentor goal was achieved after its deadline
    "checkin_response_rate": 75.0,  # 6 of 8 due (1 + 1 + 1 + 1 + 2 + 2)
    "satisfaction": 3.83,  # (4 + 2 + 3 + 5 + 5 + 4) / 6
    "progress": 3.5,  # (3 + 2 + 3 + 4 + 5 + 4) / 6
    "confidence": 4.0,  # (5 + 2 + 3 + 5 + 5 + 4) / 6
    "recommend_rate": 66.7,  # M6 and E2 yes, E6 no
    "skill_uplift": 1.6,  # (2 + 1 + 3 + 2 + 0) / 5
    "uplift_mentees": 2.0,  # (2 + 1 + 3) / 3
    "uplift_mentors": 1.0,  # (2 + 0) / 2
    "retention": 66.7,  # 4 of the 6 members of started pairs; P2 ended early
}
PEOPLE_BEHIND = {
    "volunteers": 12,
    "volunteers_mentors": 6,
    "volunteers_mentees": 6,
    "approval_rate": 10,
    "match_rate": 9,
    "pairs_intro": 2,
    "pairs_active": 2,
    "pairs_stalled": 2,
    "pairs_completed": 2,
    "pairs_ended_early": 2,
    "sessions_held": 6,
    "hours_held": 6,
    "sessions_per_pair": 6,
    "sessions_per_month": 6,
    "goal_completion": 5,  # E1, M1, E2, E6, M6 have goals
    "goals_on_time": 5,
    "checkin_response_rate": 6,
    "satisfaction": 5,  # E1 never answered
    "progress": 5,
    "confidence": 5,
    "recommend_rate": 3,
    "skill_uplift": 5,
    "uplift_mentees": 3,
    "uplift_mentors": 2,
    "retention": 6,
}


def test_every_metric_of_the_programme(built):
    document = engagement_documents(built.programme, TODAY)[None]
    assert document["people"] == 12
    assert document["values"] == EXPECTED_PROGRAMME
    assert document["n"] == PEOPLE_BEHIND
    assert set(document["values"]) == set(formulas.METRICS)


def test_funnel_from_volunteers_to_completed(built):
    document = engagement_documents(built.programme, TODAY)[None]
    assert document["funnel"] == [
        {"step": "volunteers", "people": 12},
        {"step": "eligible", "people": 9},
        {"step": "matched", "people": 8},
        {"step": "started", "people": 6},
        {"step": "completed", "people": 2},
    ]


def test_monthly_series(built):
    series = engagement_documents(built.programme, TODAY)[None]["series"]
    assert series == {
        "months": ["2026-10", "2026-11", "2026-12", "2027-01"],
        "sessions": [1, 3, 2, 0],
        "hours": [1.0, 2.5, 2.2, 0.0],  # 60; 60 + 30 + 60; 45 + 90 (2.25 rounds to even)
        "sessions_n": [2, 6, 4, 0],
        "satisfaction": [None, 3.6, None, 5.0],  # (4 + 2 + 3 + 5 + 4) / 5 in November
        "confidence": [None, 3.8, None, 5.0],
        "answers_n": [0, 5, 0, 1],
    }


def test_uplift_per_skill_area_in_both_directions(built):
    uplift = engagement_documents(built.programme, TODAY)[None]["uplift"]
    d1, d2, l1 = (built.skills[k].pk for k in ("D1", "D2", "L1"))
    assert uplift == [
        {"skill_area": d1, "side": "mentee", "people": 2, "baseline": 1.5, "final": 3.0,
         "uplift": 1.5},
        {"skill_area": d2, "side": "mentee", "people": 1, "baseline": 2.0, "final": 5.0,
         "uplift": 3.0},
        {"skill_area": l1, "side": "mentor", "people": 2, "baseline": 1.5, "final": 2.5,
         "uplift": 1.0},
    ]  # fmt: skip


def test_each_cohort_pilot_against_later_waves(built):
    documents = engagement_documents(built.programme, TODAY)
    pilot, wave = documents[built.pilot.pk], documents[built.wave.pk]
    assert pilot["people"] == 8
    assert {k: pilot["values"][k] for k in ("match_rate", "sessions_held", "retention")} == {
        "match_rate": 100.0,  # 6 of the 6 eligible pilot volunteers
        "sessions_held": 6,
        "retention": 66.7,
    }
    assert wave["people"] == 4
    assert {k: wave["values"][k] for k in ("match_rate", "pairs_intro", "sessions_held")} == {
        "match_rate": 66.7,  # M4 and E4 of M4, E4, M5
        "pairs_intro": 1,
        "sessions_held": 0,
    }
    rows = documents[None]["groups"]["cohort"]
    assert [(r["label"], r["pilot"], r["people"]) for r in rows] == [
        ("Pilote", True, 8),
        ("Vague 2", False, 4),
    ]
    assert rows[0]["values"] == pilot["values"]


def test_by_direction_and_department(built):
    groups = engagement_documents(built.programme, TODAY)[None]["groups"]
    assert [(r["key"], r["people"]) for r in groups["direction"]] == [
        ("DAF", 5),
        ("DCM", 1),
        ("DSI", 6),
    ]
    assert [(r["parent"], r["label"], r["people"]) for r in groups["department"]] == [
        ("DAF", "Achats", 1),
        ("DAF", "Finance", 4),
        ("DCM", "Commercial", 1),
        ("DSI", "Data", 4),
        ("DSI", "Web", 2),
    ]
    dsi = groups["direction"][2]["values"]
    # DSI's people are the mentors: M1 (P1), M2 (P2), M6 (P5), M4 at the intro.
    assert dsi["satisfaction"] == 4.0  # (4 + 2 + 5 + 5) / 4
    assert dsi["uplift_mentors"] == 1.0
    assert dsi["uplift_mentees"] is None
    assert dsi["pairs_intro"] == 1


def test_pairs_needing_attention_are_listed(built):
    document = engagement_documents(built.programme, TODAY)[None]
    assert document["attention"] == {
        "count": 1,
        "pairings": [{"pairing": built.pairs["P1"].pk, "reasons": ["checkin_overdue"]}],
    }
    assert document["context"] == {"expected_sessions_per_month": 2.17, "today": "2027-01-15"}


def test_every_metric_has_a_definition_as_its_docstring():
    for key, item in formulas.METRICS.items():
        assert item.compute.__doc__ == item.definition, key
        assert len(item.definition) > 30, key
        assert item.unit in {"count", "average", "percent", "score", "points", "hours", "per_month"}


def test_an_empty_programme_has_no_rates(built):
    empty = formulas.summarise(formulas.Group([], []))
    assert empty["people"] == 0
    assert {k: v for k, v in empty["values"].items() if v not in (0, None)} == {}


def test_snapshot_stores_the_programme_and_each_cohort(built):
    assert engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY) == 3
    snapshots = {
        s.cohort_id: s for s in EngagementSnapshot.objects.filter(programme=built.programme)
    }
    assert set(snapshots) == {None, built.pilot.pk, built.wave.pk}
    assert snapshots[None].metrics["values"] == EXPECTED_PROGRAMME
    assert {s.taken_on for s in snapshots.values()} == {TODAY}
    assert EngagementSnapshot.objects.count() == 3  # nothing for the other programme


def test_a_second_snapshot_the_same_day_replaces_the_first(built):
    engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY)
    first = {s.pk: s.computed_at for s in EngagementSnapshot.objects.all()}
    HeldSessionFactory(
        pairing=built.pairs["P1"],
        held_minutes=60,
        starts_at=built.pairs["P1"].activated_at + timedelta(days=3),
    )
    assert engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY) == 3
    again = EngagementSnapshot.objects.all()
    assert {s.pk for s in again} == set(first)
    assert all(s.computed_at > first[s.pk] for s in again)
    overall = EngagementSnapshot.objects.get(programme=built.programme, cohort=None)
    assert (
        overall.metrics["values"]["sessions_held"],
        overall.metrics["values"]["hours_held"],
    ) == (
        7,
        6.8,
    )
    engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY + timedelta(days=1))
    assert EngagementSnapshot.objects.count() == 6
