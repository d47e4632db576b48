"""Skill self-assessments: the baseline before the first session, the final one at the end."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from evaluation.models import Assessment
from evaluation.selectors import assessment_skills
from evaluation.services import assessment_submit
from tests.factories import (
    ActivePairingFactory,
    GoalFactory,
    HeldSessionFactory,
    SkillAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return {
        "excel": SkillAreaFactory(name="Excel", category="digital"),
        "linkedin": SkillAreaFactory(name="LinkedIn", category="digital"),
        "python": SkillAreaFactory(name="Python", category="digital"),
        "strategy": SkillAreaFactory(name="Stratégie", category="leadership"),
        "feedback": SkillAreaFactory(name="Feedback", category="leadership"),
    }


@pytest.fixture
def pairing(areas):
    """The mentee asked for Excel when enrolling and set a LinkedIn goal; the mentor
    offers Python (not learning it) and set a strategy goal."""
    pairing = ActivePairingFactory(
        mentor__user=UserFactory(language="en"),
        mentor__offers={areas["python"]: 4},
        mentee__user=UserFactory(language="en"),
        mentee__seeks={areas["excel"]: 1},
    )
    GoalFactory(pairing=pairing, learner="mentee", skill_area=areas["linkedin"])
    GoalFactory(pairing=pairing, learner="mentor", skill_area=areas["strategy"])
    return pairing


def as_user(client, user):
    client.force_login(user)
    return client


def url(pairing, kind="baseline"):
    return reverse("assessment_respond", args=[pairing.pk, kind])


def levels_for(*areas, level="3"):
    return {f"skill_{area.pk}": level for area in areas}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_assessment_skills_are_the_sought_ones_and_the_goals_ones(pairing, areas):
    state = assessment_skills(pairing, "mentee", timezone.localdate())

    assert state["skills"] == [areas["excel"], areas["linkedin"]]
    assert state["open"] == ["baseline"]
    assert state["done"] == []


def test_assessment_skills_of_the_mentor_are_their_own(pairing, areas):
    state = assessment_skills(pairing, "mentor", timezone.localdate())

    assert state["skills"] == [areas["strategy"]]


def test_baseline_form_lists_the_mentee_skills(client, pairing, areas):
    response = as_user(client, pairing.mentee.user).get(url(pairing))

    assert response.status_code == 200
    assert response.context["form"].skills == [areas["excel"], areas["linkedin"]]
    assert list(response.context["form"].fields) == [
        f"skill_{areas['excel'].pk}",
        f"skill_{areas['linkedin'].pk}",
    ]


def test_baseline_form_of_the_mentor_lists_only_their_leadership_goal(client, pairing, areas):
    response = as_user(client, pairing.mentor.user).get(url(pairing))

    assert response.status_code == 200
    assert response.context["form"].skills == [areas["strategy"]]


def test_baseline_saves_one_row_per_skill(client, pairing, areas):
    mentee = pairing.mentee.user
    data = {f"skill_{areas['excel'].pk}": "1", f"skill_{areas['linkedin'].pk}": "2"}

    response = as_user(client, mentee).post(url(pairing), data)

    assert response.status_code == 302
    assert response.url == pairing.get_absolute_url()
    rows = Assessment.objects.order_by("skill_area__name")
    assert [(a.skill_area, a.level, a.kind, a.side, a.respondent) for a in rows] == [
        (areas["excel"], 1, "baseline", "mentee", mentee),
        (areas["linkedin"], 2, "baseline", "mentee", mentee),
    ]
    assert messages_of(response) == ["Thank you! Your self-assessment is saved."]


def test_baseline_missing_a_skill_is_refused_and_nothing_saved(client, pairing, areas):
    response = as_user(client, pairing.mentee.user).post(url(pairing), levels_for(areas["excel"]))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [f"skill_{areas['linkedin'].pk}"]
    assert Assessment.objects.count() == 0


def test_baseline_level_out_of_range_is_refused(client, pairing, areas):
    data = levels_for(areas["excel"], areas["linkedin"], level="6")

    response = as_user(client, pairing.mentee.user).post(url(pairing), data)

    assert response.status_code == 422
    assert Assessment.objects.count() == 0


def test_assessment_submit_refuses_an_incomplete_set(pairing, areas):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        assessment_submit(
            pairing=pairing, by=pairing.mentee.user, kind="baseline", levels={areas["excel"].pk: 3}
        )

    assert error.value.code == "incomplete"
    assert error.value.messages == ["Rate every skill in the list."]
    assert Assessment.objects.count() == 0


def test_assessment_submit_refuses_a_skill_the_member_is_not_learning(pairing, areas):
    levels = {areas["excel"].pk: 3, areas["linkedin"].pk: 3, areas["python"].pk: 5}

    with pytest.raises(ValidationError) as error:
        assessment_submit(pairing=pairing, by=pairing.mentee.user, kind="baseline", levels=levels)

    assert error.value.code == "incomplete"
    assert Assessment.objects.count() == 0


def test_baseline_answered_twice_is_refused_with_409(client, pairing, areas):
    data = levels_for(areas["excel"], areas["linkedin"])
    as_user(client, pairing.mentee.user).post(url(pairing), data)

    response = client.post(url(pairing), levels_for(areas["excel"], areas["linkedin"], level="5"))

    assert response.status_code == 409
    assert "You have already answered this self-assessment." in response.content.decode()
    assert sorted(Assessment.objects.values_list("level", flat=True)) == [3, 3]


def test_baseline_already_answered_redirects_on_get(client, pairing, areas):
    as_user(client, pairing.mentee.user).post(
        url(pairing), levels_for(areas["excel"], areas["linkedin"])
    )

    response = client.get(url(pairing))

    assert response.status_code == 302
    assert messages_of(response)[-1] == "You have already answered this self-assessment."


def test_baseline_closes_once_a_session_is_held_on_get(client, pairing):
    HeldSessionFactory(pairing=pairing)

    response = as_user(client, pairing.mentee.user).get(url(pairing))

    assert response.status_code == 302
    assert response.url == pairing.get_absolute_url()
    assert messages_of(response) == ["This self-assessment is not open now."]


def test_baseline_closes_once_a_session_is_held_on_post(client, pairing, areas):
    HeldSessionFactory(pairing=pairing)

    response = as_user(client, pairing.mentee.user).post(
        url(pairing), levels_for(areas["excel"], areas["linkedin"])
    )

    assert response.status_code == 422
    assert (
        "The baseline is taken before your first session; it is closed now."
        in response.content.decode()
    )
    assert Assessment.objects.count() == 0


def test_final_is_closed_while_the_programme_runs_for_long(client, pairing, areas):
    as_user(client, pairing.mentee.user)

    shown = client.get(url(pairing, "final"))
    posted = client.post(url(pairing, "final"), levels_for(areas["excel"], areas["linkedin"]))

    assert shown.status_code == 302
    assert posted.status_code == 422
    assert "The final self-assessment opens at the end of the pair." in posted.content.decode()
    assert Assessment.objects.count() == 0


def test_final_opens_when_the_pair_has_ended(client, pairing, areas):
    pairing.status = "ended"
    pairing.ended_at = timezone.now() - timedelta(days=2)
    pairing.save()

    response = as_user(client, pairing.mentee.user).post(
        url(pairing, "final"), levels_for(areas["excel"], areas["linkedin"], level="4")
    )

    assert response.status_code == 302
    assert sorted(Assessment.objects.values_list("kind", "level")) == [("final", 4), ("final", 4)]


@pytest.mark.parametrize(("days_left", "open_kinds"), [(30, ["final"]), (31, [])])
def test_final_opens_in_the_last_30_days_of_the_programme(pairing, days_left, open_kinds):
    HeldSessionFactory(pairing=pairing)  # closes the baseline
    programme = pairing.cohort.programme
    today = timezone.localdate()
    programme.ends_on = today + timedelta(days=days_left)
    programme.save()

    assert assessment_skills(pairing, "mentor", today)["open"] == open_kinds


def test_final_in_the_last_month_saves_the_mentor_own_skills(client, pairing, areas):
    programme = pairing.cohort.programme
    programme.ends_on = timezone.localdate() + timedelta(days=10)
    programme.save()

    response = as_user(client, pairing.mentor.user).post(
        url(pairing, "final"), levels_for(areas["strategy"], level="4")
    )

    assert response.status_code == 302
    row = Assessment.objects.get()
    assert (row.kind, row.side, row.skill_area, row.level) == (
        "final",
        "mentor",
        areas["strategy"],
        4,
    )


def test_assessment_unknown_kind_is_404(client, pairing):
    assert as_user(client, pairing.mentee.user).get(url(pairing, "midterm")).status_code == 404


def test_assessment_is_forbidden_to_hr(client, pairing, hr_admin):
    assert as_user(client, hr_admin).get(url(pairing)).status_code == 403


def test_assessment_does_not_exist_for_an_outsider(client, pairing, areas):
    outsider = ActivePairingFactory().mentee.user

    response = as_user(client, outsider).post(
        url(pairing), levels_for(areas["excel"], areas["linkedin"])
    )

    assert response.status_code == 404
    assert Assessment.objects.count() == 0
