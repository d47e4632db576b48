"""A small programme built by hand, whose every metric was worked out on paper.

Today is 15 January 2027. The programme runs from 1 October 2026 to 30 June
2027 with a 14-day cadence and check-ins 30 days after a pair's start, then
every 60 days.

People (12): the pilot has M1, E1, M2, E2, M3 (declined), E3 (pending), M6,
E6; wave 2 has M4, E4, M5 (never matched) and E5 (withdrawn). Directions and
departments: DSI (Data: M1 M2 M3 M6; Web: M4 M5), DAF (Finance: E1 E3 E4 E5;
Achats: E2), DCM (Commercial: E6).

Pairs: P1 = M1-E1 active since 15 Oct (E1's first check-in is overdue, so it
is stalled); P2 = M2-E2 ended early on 15 Dec; P5 = M6-E6 from 1 Oct,
completed on 10 Jan; P3 = M4-E4 at the intro meeting; P4 = M5-E4, declined,
whose data must count nowhere.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import Assessment, CheckIn
from pairs.models import Goal, Pairing, Session
from tests.factories import (
    CheckInFactory,
    CohortFactory,
    GoalFactory,
    HeldSessionFactory,
    PairingFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SessionFactory,
    SkillAreaFactory,
    UserFactory,
)

TODAY = date(2027, 1, 15)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class Built:
    programme: object
    pilot: object
    wave: object
    people: dict
    pairs: dict
    skills: dict


def _person(cohort, name, role, direction, department, status="approved"):
    user = UserFactory(
        first_name=name, last_name="Test", direction=direction, department=department
    )
    return ParticipantFactory(cohort=cohort, user=user, role=role, status=status)


def _pair(cohort, mentor, mentee, status, start, **extra):
    return PairingFactory(
        cohort=cohort,
        mentor=mentor,
        mentee=mentee,
        status=status,
        activated_at=at(start) if status in ("active", "ended") else None,
        **extra,
    )


def _held(pairing, day, minutes):
    return HeldSessionFactory(pairing=pairing, starts_at=at(day), held_minutes=minutes)


def _answer(pairing, member, number, scores, day, kind="periodic", recommend=None):
    satisfaction, progress, confidence = scores
    checkin = CheckInFactory(
        pairing=pairing,
        respondent=member.user,
        side=member.role,
        kind=kind,
        number=number,
        due_on=day,
        satisfaction=satisfaction,
        progress=progress,
        confidence=confidence,
        would_recommend=recommend,
    )
    CheckIn.objects.filter(pk=checkin.pk).update(answered_at=at(day))
    return checkin


def _rate(pairing, member, skill, baseline=None, final=None):
    for kind, level in (("baseline", baseline), ("final", final)):
        if level is not None:
            Assessment.objects.create(
                pairing=pairing,
                respondent=member.user,
                side=member.role,
                kind=kind,
                skill_area=skill,
                level=level,
            )


def _goal(pairing, learner, status, skill, deadline, achieved_on=None):
    return GoalFactory(
        pairing=pairing,
        learner=learner,
        status=status,
        skill_area=skill,
        deadline=deadline,
        achieved_on=achieved_on,
        current_value=Decimal("3") if status == Goal.Status.ACHIEVED else Decimal("1"),
    )


@pytest.fixture
def built(db):
    programme = ProgrammeFactory(
        name="Mentorat inversé 2026",
        status="running",
        starts_on=date(2026, 10, 1),
        ends_on=date(2027, 6, 30),
        session_cadence_days=14,
        checkin_first_day=30,
        checkin_every_days=60,
    )
    pilot = CohortFactory(
        programme=programme,
        name="Pilote",
        is_pilot=True,
        starts_on=date(2026, 10, 1),
        ends_on=date(2027, 1, 31),
    )
    wave = CohortFactory(
        programme=programme,
        name="Vague 2",
        is_pilot=False,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
    )
    people = {
        "M1": _person(pilot, "M1", "mentor", "DSI", "Data"),
        "E1": _person(pilot, "E1", "mentee", "DAF", "Finance"),
        "M2": _person(pilot, "M2", "mentor", "DSI", "Data"),
        "E2": _person(pilot, "E2", "mentee", "DAF", "Achats"),
        "M3": _person(pilot, "M3", "mentor", "DSI", "Data", status="declined"),
        "E3": _person(pilot, "E3", "mentee", "DAF", "Finance", status="pending"),
        "M6": _person(pilot, "M6", "mentor", "DSI", "Data"),
        "E6": _person(pilot, "E6", "mentee", "DCM", "Commercial"),
        "M4": _person(wave, "M4", "mentor", "DSI", "Web"),
        "E4": _person(wave, "E4", "mentee", "DAF", "Finance"),
        "M5": _person(wave, "M5", "mentor", "DSI", "Web"),
        "E5": _person(wave, "E5", "mentee", "DAF", "Finance", status="withdrawn"),
    }
    p = people
    pairs = {
        "P1": _pair(pilot, p["M1"], p["E1"], "active", date(2026, 10, 15)),
        "P2": _pair(
            pilot,
            p["M2"],
            p["E2"],
            "ended",
            date(2026, 10, 15),
            outcome="ended_early",
            end_reason="Mutation",
            ended_at=at(date(2026, 12, 15)),
        ),
        "P5": _pair(
            pilot,
            p["M6"],
            p["E6"],
            "ended",
            date(2026, 10, 1),
            outcome="completed",
            ended_at=at(date(2027, 1, 10)),
        ),
        "P4": _pair(wave, p["M5"], p["E4"], "declined", date(2026, 12, 1)),
    }
    pairs["P3"] = _pair(wave, p["M4"], p["E4"], "proposed", date(2027, 1, 5))
    skills = {
        "D1": SkillAreaFactory(name="Test IA", name_en="Generative AI", category="digital"),
        "D2": SkillAreaFactory(name="Test BI", name_en="Power BI", category="digital"),
        "L1": SkillAreaFactory(name="Test stratégie", name_en="Strategy", category="leadership"),
    }
    P1, P2, P3, P4, P5 = (pairs[k] for k in ("P1", "P2", "P3", "P4", "P5"))
    d1, d2, l1 = skills["D1"], skills["D2"], skills["L1"]

    # Sessions: 6 held by the pairs that started (345 minutes), and some that do not count.
    _held(P1, date(2026, 11, 5), 60)
    _held(P1, date(2026, 12, 20), 45)
    SessionFactory(pairing=P1, starts_at=at(date(2027, 1, 25)))
    SessionFactory(pairing=P1, status=Session.Status.CANCELLED, starts_at=at(date(2026, 12, 1)))
    _held(P2, date(2026, 11, 10), 30)
    _held(P5, date(2026, 10, 20), 60)
    _held(P5, date(2026, 11, 20), 60)
    _held(P5, date(2026, 12, 10), 90)
    _held(P3, date(2027, 1, 8), 50)  # not started: not counted
    _held(P4, date(2026, 12, 5), 120)  # declined

    # Goals: 6 set (one dropped aside), 3 achieved, 2 of them on time.
    _goal(P1, "mentee", "achieved", d1, date(2026, 12, 31), date(2026, 12, 20))
    _goal(P1, "mentee", "in_progress", d2, date(2027, 2, 28))
    _goal(P1, "mentee", "dropped", d2, date(2027, 2, 28))
    _goal(P1, "mentor", "achieved", l1, date(2027, 1, 5), date(2027, 1, 10))
    _goal(P2, "mentee", "not_started", d1, date(2027, 1, 31))
    _goal(P5, "mentee", "achieved", d2, date(2026, 12, 15), date(2026, 12, 1))
    _goal(P5, "mentor", "in_progress", l1, date(2027, 1, 31))
    _goal(P4, "mentee", "achieved", d1, date(2027, 1, 31), date(2026, 12, 20))

    # Check-ins: 8 due past their grace, 6 answered.
    _answer(P1, p["M1"], 1, (4, 3, 5), date(2026, 11, 16))
    _answer(P2, p["M2"], 1, (2, 2, 2), date(2026, 11, 20))
    _answer(P2, p["E2"], 1, (3, 3, 3), date(2026, 11, 15))
    _answer(P5, p["M6"], 1, (5, 4, 5), date(2026, 11, 2))
    _answer(P5, p["M6"], 2, (5, 5, 5), date(2027, 1, 2))
    _answer(P5, p["E6"], 1, (4, 4, 4), date(2026, 11, 5))
    _answer(P5, p["M6"], 0, (5, 5, 5), date(2027, 1, 11), kind="closing", recommend=True)
    _answer(P5, p["E6"], 0, (1, 1, 1), date(2027, 1, 12), kind="closing", recommend=False)
    _answer(P2, p["E2"], 0, (4, 4, 4), date(2026, 12, 16), kind="closing", recommend=True)
    _answer(P4, p["M5"], 1, (1, 1, 1), date(2026, 12, 30))  # declined

    # Self-ratings: 5 skills rated twice (gains 2, 1, 3, 2, 0).
    _rate(P1, p["E1"], d1, 2, 4)
    _rate(P1, p["E1"], d2, baseline=1)
    _rate(P2, p["E2"], d1, 1, 2)
    _rate(P5, p["E6"], d2, 2, 5)
    _rate(P5, p["M6"], l1, 1, 3)
    _rate(P1, p["M1"], l1, 2, 2)
    _rate(P4, p["E4"], d1, 1, 5)  # declined

    # Another programme, busy, must not leak in.
    other = HeldSessionFactory(held_minutes=100).pairing
    assert other.cohort.programme_id != programme.pk
    assert Pairing.objects.filter(cohort__programme=programme).count() == 5
    return Built(programme, pilot, wave, people, pairs, skills)
