"""Closing a pair: completed or ended early, by a member or HR; what it does to the rest."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from pairs.models import Goal, Pairing, Session
from pairs.services import pairing_close
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    HeldSessionFactory,
    PairingFactory,
    SessionFactory,
    SkillAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CLOSING_STEP = "Answer the closing questionnaire"


@pytest.fixture
def pairing():
    return ActivePairingFactory(
        mentor__user=UserFactory(first_name="Léa", language="en"),
        mentee__user=UserFactory(first_name="Marc", language="en"),
    )


def as_user(client, user):
    client.force_login(user)
    return client


def outsider():
    return ActivePairingFactory(mentee__user=UserFactory(language="en")).mentee.user


def close_url(pairing):
    return reverse("pairing_close", args=[pairing.pk])


def test_pairing_close_by_a_member_as_completed(client, pairing):
    mentee = pairing.mentee.user

    response = as_user(client, mentee).post(close_url(pairing), {"outcome": "completed"})

    assert response.status_code == 302
    assert response.url == reverse("pairing_detail", args=[pairing.pk])
    pairing.refresh_from_db()
    assert (pairing.status, pairing.outcome, pairing.end_reason) == ("ended", "completed", "")
    assert pairing.ended_by == mentee
    assert timezone.now() - pairing.ended_at < timedelta(minutes=1)


def test_pairing_close_ended_early_without_reason_is_refused(client, pairing):
    response = as_user(client, pairing.mentor.user).post(
        close_url(pairing), {"outcome": "ended_early", "reason": "   "}
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "reason": ["Tell us briefly why the pair ended early."]
    }
    pairing.refresh_from_db()
    assert (pairing.status, pairing.outcome, pairing.ended_at) == ("active", "", None)


def test_pairing_close_ended_early_with_a_reason(client, pairing):
    response = as_user(client, pairing.mentor.user).post(
        close_url(pairing), {"outcome": "ended_early", "reason": "  Marc moved to Lyon.  "}
    )

    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.status, pairing.outcome, pairing.end_reason) == (
        "ended",
        "ended_early",
        "Marc moved to Lyon.",
    )


def test_pairing_close_service_ended_early_needs_a_reason(pairing):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="ended_early", reason=" ")

    assert (error.value.code, error.value.messages) == (
        "reason_needed",
        ["Tell us briefly why the pair ended early; it helps the next ones."],
    )
    pairing.refresh_from_db()
    assert pairing.status == "active"


def test_pairing_close_service_refuses_an_unknown_outcome(pairing):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="abandoned")

    assert (error.value.code, error.value.messages) == ("outcome", ["Choose how the pair ended."])


def test_pairing_close_cancels_planned_sessions_and_bumps_their_sequence(client, pairing):
    planned = SessionFactory(pairing=pairing, sequence=2)
    held = HeldSessionFactory(pairing=pairing)

    as_user(client, pairing.mentor.user).post(close_url(pairing), {"outcome": "completed"})

    planned.refresh_from_db()
    held.refresh_from_db()
    assert (planned.status, planned.sequence, planned.cancel_reason) == ("cancelled", 3, "")
    # The reason is worded on the page, in the reader's language.
    page = client.get(reverse("session_detail", args=[planned.pk])).content.decode()
    assert "Cancelled when the pair ended." in page
    assert (held.status, held.sequence, held.cancel_reason, held.held_minutes) == (
        "held",
        0,
        "",
        40,
    )


def test_pairing_close_by_hr(client, pairing, hr_admin):
    response = as_user(client, hr_admin).post(
        close_url(pairing), {"outcome": "ended_early", "reason": "Long-term sick leave."}
    )

    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.status, pairing.outcome, pairing.ended_by) == ("ended", "ended_early", hr_admin)


def test_pairing_close_by_an_outsider_or_a_manager_is_not_found(client, pairing, manager):
    for user in (outsider(), manager):
        response = as_user(client, user).post(close_url(pairing), {"outcome": "completed"})
        assert response.status_code == 404
    pairing.refresh_from_db()
    assert pairing.status == "active"


def test_pairing_close_anonymous_is_sent_to_login(client, pairing):
    response = client.post(close_url(pairing), {"outcome": "completed"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    pairing.refresh_from_db()
    assert pairing.status == "active"


def test_pairing_close_an_ended_pair_is_refused(client, pairing):
    pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")

    response = as_user(client, pairing.mentee.user).post(
        close_url(pairing), {"outcome": "ended_early", "reason": "Again"}
    )

    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["Only an active pair can be closed."]
    pairing.refresh_from_db()
    assert (pairing.outcome, pairing.ended_by) == ("completed", pairing.mentor.user)


def test_pairing_close_form_of_an_ended_pair_redirects(client, pairing):
    pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")

    response = as_user(client, pairing.mentee.user).get(close_url(pairing), follow=True)

    assert response.redirect_chain == [(reverse("pairing_detail", args=[pairing.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Only an active pair can be closed."]


def test_pairing_close_service_refuses_a_proposed_pair():
    pairing = PairingFactory()

    with translation.override("en"), pytest.raises(ValidationError) as error:
        pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")

    assert (error.value.code, error.value.messages) == (
        "not_active",
        ["Only an active pair can be closed."],
    )
    pairing.refresh_from_db()
    assert (pairing.status, pairing.outcome) == ("proposed", "")


def test_pairing_close_then_goals_and_sessions_cannot_be_added(client, pairing):
    area = SkillAreaFactory(category="digital")
    pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")
    as_user(client, pairing.mentee.user)

    goal_response = client.post(
        reverse("goal_create", args=[pairing.pk]),
        {
            "learner": "mentee",
            "skill_area": area.pk,
            "title": "Too late",
            "measure": "posts",
            "target_value": "1",
            "unit": "posts",
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    session_response = client.post(
        reverse("session_create", args=[pairing.pk]),
        {
            "starts_at": timezone.localtime(timezone.now() + timedelta(days=2)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "planned_minutes": "45",
            "format": "remote",
        },
    )
    log_response = client.post(
        reverse("session_log_new", args=[pairing.pk]),
        {
            "outcome": "held",
            "starts_at": timezone.localtime(timezone.now() - timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "held_minutes": "45",
        },
    )

    for response in (goal_response, session_response, log_response):
        assert response.status_code == 422
        assert response.context["form"].non_field_errors() == ["This pair is not active."]
    assert Goal.objects.count() == 0
    assert Session.objects.count() == 0


def test_pairing_close_then_each_member_is_asked_the_closing_questionnaire(client, pairing):
    pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")
    pair_url = reverse("pairing_detail", args=[pairing.pk])
    questionnaire = reverse("closing_respond", args=[pairing.pk])

    for member in (pairing.mentor.user, pairing.mentee.user):
        response = as_user(client, member).get(pair_url)
        html = response.content.decode()
        assert "closing" in response.context["next_steps"]
        assert f'<a href="{questionnaire}">{CLOSING_STEP}</a>' in html
        # Closed for good: no way to close it again from the page.
        assert close_url(pairing) not in html


def test_pairing_close_questionnaire_step_goes_once_answered(client, pairing, hr_admin):
    pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")
    CheckInFactory(pairing=pairing, respondent=pairing.mentor.user, kind="closing", number=1)
    pair_url = reverse("pairing_detail", args=[pairing.pk])

    mentor_page = as_user(client, pairing.mentor.user).get(pair_url)
    mentee_page = as_user(client, pairing.mentee.user).get(pair_url)
    hr_page = as_user(client, hr_admin).get(pair_url)

    assert "closing" not in mentor_page.context["next_steps"]
    assert CLOSING_STEP not in mentor_page.content.decode()
    assert "closing" in mentee_page.context["next_steps"]
    assert hr_page.context["next_steps"] == []
    assert CLOSING_STEP not in hr_page.content.decode()


def test_pairing_close_status_is_ended_for_the_page(client, pairing):
    pairing_close(pairing=pairing, by=pairing.mentor.user, outcome="completed")

    response = as_user(client, pairing.mentee.user).get(
        reverse("pairing_detail", args=[pairing.pk])
    )

    assert response.context["pairing"].status == Pairing.Status.ENDED
    assert "This pair ended on" in response.content.decode()
    assert "(Completed)." in response.content.decode()
