"""A participant's own progress page: their goals, sessions and skills, nobody else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Assessment
from tests.conftest import client_for
from tests.factories import (
    ActivePairingFactory,
    GoalFactory,
    HeldSessionFactory,
    SkillAreaFactory,
)

pytestmark = pytest.mark.django_db


def rate(pairing, side, skill, kind, level):
    Assessment.objects.create(
        pairing=pairing,
        respondent=getattr(pairing, side).user,
        side=side,
        kind=kind,
        skill_area=skill,
        level=level,
    )


def test_the_mentee_sees_their_goals_sessions_and_uplift(client):
    pairing = ActivePairingFactory()
    mentee = pairing.mentee.user
    mentee.language = "en"
    mentee.save()
    HeldSessionFactory(pairing=pairing, held_minutes=60)
    HeldSessionFactory(pairing=pairing, held_minutes=30)
    GoalFactory(pairing=pairing, learner="mentee", title="Automatiser mon reporting")
    GoalFactory(pairing=pairing, learner="mentee", title="Publier sur LinkedIn", status="achieved")
    GoalFactory(pairing=pairing, learner="mentor", title="Présenter au comité")
    skill = SkillAreaFactory(name="Power Automate", name_en="Power Automate")
    rate(pairing, "mentee", skill, "baseline", 2)
    rate(pairing, "mentee", skill, "final", 4)
    rate(pairing, "mentor", skill, "baseline", 1)

    response = client_for(client, mentee).get(reverse("my_progress"))

    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row["held"], row["hours"], row["goals_achieved"]) == (2, 1.5, 1)
    assert sorted(g.title for g in row["goals"]) == [
        "Automatiser mon reporting",
        "Publier sur LinkedIn",
    ]
    assert [(s["skill"].name, s["baseline"], s["final"], s["gain"]) for s in row["skills"]] == [
        ("Power Automate", 2, 4, 2)
    ]
    page = response.content.decode()
    assert "Présenter au comité" not in page  # the mentor's goal
    assert "What I am learning (digital skills)" in page
    assert len(response.context["recent"]) == 2


def test_someone_without_a_pair_is_told_what_will_come(client, participant):
    participant.language = "en"
    participant.save()
    response = client_for(client, participant).get(reverse("my_progress"))
    assert response.context["rows"] == []
    assert "Your progress will show here once you are in a pair." in response.content.decode()


def test_progress_queries_do_not_grow(client):
    pairing = ActivePairingFactory()
    user = pairing.mentor.user
    client_for(client, user)
    counts = []
    for extra in (0, 4):
        for _ in range(extra):
            HeldSessionFactory(pairing=pairing)
            GoalFactory(pairing=pairing, learner="mentor")
            rate(pairing, "mentor", SkillAreaFactory(), "baseline", 2)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("my_progress")).status_code == 200
        counts.append(len(queries))
    assert counts == [6, 6]  # session, user, pairings, goals, ratings, recent sessions
