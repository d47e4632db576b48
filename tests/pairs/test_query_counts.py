"""The pages of a pair and HR's follow-up do a fixed number of queries, whatever the data size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from matching.models import MatchRun, Proposal
from pairs.models import GoalUpdate, PrivateNote
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    GoalFactory,
    HeldSessionFactory,
    SessionFactory,
    SkillAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    client.get(url)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def grow(pairing, goals, held, planned, notes):
    """Goals with updates, held sessions with topics, planned sessions, the mentor's notes."""
    mentor = pairing.mentor.user
    areas = [SkillAreaFactory(), SkillAreaFactory()]
    for i in range(goals):
        goal = GoalFactory(
            pairing=pairing,
            learner="mentee" if i % 2 else "mentor",
            skill_area=areas[i % 2],
        )
        GoalUpdate.objects.create(
            goal=goal, author=mentor, value=1, previous_value=0, status="in_progress", note="Bien"
        )
    for i in range(held):
        session = HeldSessionFactory(
            pairing=pairing, starts_at=timezone.now() - timedelta(days=5 + 3 * i)
        )
        session.topics.set(areas)
    for i in range(planned):
        SessionFactory(pairing=pairing, starts_at=timezone.now() + timedelta(days=3 + i))
    for i in range(notes):
        PrivateNote.objects.create(pairing=pairing, author=mentor, body=f"Note {i}")


@pytest.fixture
def pairing():
    return ActivePairingFactory()


@pytest.fixture
def hr():
    return UserFactory(role=User.Role.HR_ADMIN)


@pytest.mark.parametrize("who", ["mentor", "hr"])
def test_pairing_detail_query_count_does_not_grow(client, pairing, hr, who):
    client.force_login(pairing.mentor.user if who == "mentor" else hr)
    url = reverse("pairing_detail", args=[pairing.pk])
    grow(pairing, goals=1, held=1, planned=0, notes=1)
    small, response = queries_for(client, url)
    assert len(response.context["mentor_goals"]) == 1
    grow(pairing, goals=5, held=8, planned=4, notes=4)
    large, response = queries_for(client, url)
    assert len(response.context["mentor_goals"] + response.context["mentee_goals"]) == 6
    assert (len(response.context["upcoming"]), len(response.context["recent"])) == (3, 5)
    assert len(response.context["notes"]) == (5 if who == "mentor" else 0)
    assert small == large


def test_pairing_detail_exact_query_count(client, pairing):
    grow(pairing, goals=6, held=8, planned=4, notes=5)
    client.force_login(pairing.mentor.user)
    url = reverse("pairing_detail", args=[pairing.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    # session, user, the pair (members, cohort, programme; its proposal, when it has
    # one, by its key), goals with their skill areas, upcoming sessions, recent
    # sessions, held count and last date (which also tells whether the baseline is
    # still open), check-ins answered, self-assessments done, the viewer's private
    # notes with their sessions.
    assert len(ctx.captured_queries) == 10, [q["sql"] for q in ctx.captured_queries]


def test_pairing_detail_reads_the_proposal_by_its_key(client, pairing):
    """The pair's proposal is not joined to the pair (costly to plan): one lookup more."""
    area = SkillAreaFactory()
    run = MatchRun.objects.create(
        cohort=pairing.cohort, status=MatchRun.Status.DONE, published_at=timezone.now()
    )
    pairing.proposal = Proposal.objects.create(
        run=run,
        mentor=pairing.mentor,
        mentee=pairing.mentee,
        total=0.8,
        teach=0.9,
        give_back=0.5,
        availability=1,
        format=1,
        language=1,
        details={
            "taught": [{"skill": area.pk, "offered": 3, "wished": 3, "coverage": 1}],
            "common_slots": [0],
            "format": "remote",
            "languages": ["fr"],
        },
    )
    pairing.save(update_fields=["proposal"])
    grow(pairing, goals=6, held=8, planned=4, notes=5)
    client.force_login(pairing.mentor.user)
    count, response = queries_for(client, reverse("pairing_detail", args=[pairing.pk]))
    # The ten of a pair without a proposal, its proposal, and the skill areas it names.
    assert count == 12
    assert response.context["why"]
    assert area.label in response.content.decode()


def test_pairing_detail_exact_query_count_for_hr(client, pairing, hr):
    grow(pairing, goals=6, held=8, planned=4, notes=5)
    client.force_login(hr)
    url = reverse("pairing_detail", args=[pairing.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    # HR reads neither check-ins, self-assessments nor private notes: session, user,
    # the pair, goals, upcoming sessions, recent sessions, held count and last date.
    assert len(ctx.captured_queries) == 7, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("who", ["mentee", "hr"])
def test_session_list_query_count_does_not_grow(client, pairing, hr, who):
    client.force_login(pairing.mentee.user if who == "mentee" else hr)
    url = reverse("session_list", args=[pairing.pk])
    grow(pairing, goals=1, held=1, planned=0, notes=1)
    small, response = queries_for(client, url)
    assert len(response.context["sessions"]) == 1
    grow(pairing, goals=5, held=8, planned=4, notes=4)
    large, response = queries_for(client, url)
    assert len(response.context["sessions"]) == 13
    assert small == large


@pytest.mark.parametrize("who", ["mentor", "hr"])
def test_goal_detail_query_count_does_not_grow(client, pairing, hr, who):
    client.force_login(pairing.mentor.user if who == "mentor" else hr)
    goal = GoalFactory(pairing=pairing)
    url = reverse("goal_detail", args=[goal.pk])
    session = HeldSessionFactory(pairing=pairing)
    GoalUpdate.objects.create(
        goal=goal, author=pairing.mentee.user, value=1, previous_value=0, status="in_progress"
    )
    small, response = queries_for(client, url)
    assert len(response.context["updates"]) == 1
    for i in range(6):
        GoalUpdate.objects.create(
            goal=goal,
            author=pairing.mentor.user if i % 2 else pairing.mentee.user,
            session=session if i % 3 else None,
            value=i + 2,
            previous_value=i + 1,
            status="in_progress",
            note=f"Étape {i}",
            link="https://exemple.org/preuve",
        )
    grow(pairing, goals=5, held=3, planned=2, notes=2)
    large, response = queries_for(client, url)
    assert len(response.context["updates"]) == 7
    assert small == large


def busy_pair(cohort, **kwargs):
    """A pair with held and planned sessions, goals and an answered check-in."""
    pairing = ActivePairingFactory(cohort=cohort, **kwargs)
    grow(pairing, goals=2, held=2, planned=1, notes=1)
    CheckInFactory(pairing=pairing, respondent=pairing.mentor.user)
    return pairing


def test_programme_pairings_query_count_does_not_grow(client, hr):
    first = busy_pair(ActivePairingFactory().cohort)
    cohort = first.cohort
    client.force_login(hr)
    url = reverse("programme_pairings", args=[cohort.programme_id])
    small, response = queries_for(client, url)
    assert len(response.context["rows"]) == 2
    for _ in range(3):
        busy_pair(cohort)
    busy_pair(cohort, status="ended", outcome="completed", ended_at=timezone.now())
    busy_pair(cohort, status="proposed", activated_at=None)
    large, response = queries_for(client, url)
    rows = response.context["rows"]
    assert len(rows) == 7
    assert sorted(row.held for row in rows) == [0] + [2] * 6
    assert small == large
