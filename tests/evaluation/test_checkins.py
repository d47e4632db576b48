"""Periodic check-ins and the closing questionnaire, answered through their pages."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CheckIn
from tests.factories import ActivePairingFactory, PairingFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "number": "1",
    "satisfaction": "4",
    "progress": "3",
    "confidence": "5",
    "comment": "Nos séances du mardi me plaisent beaucoup.",
    "hr_comment": "Mon binôme arrive souvent en retard, confidentiel.",
}


@pytest.fixture
def pairing():
    # Activated 40 days ago: with the programme's defaults (first check-in at
    # day 30, then every 60 days) check-in #1 is due, #2 is not.
    return ActivePairingFactory(
        mentor__user=UserFactory(first_name="Léa", last_name="Martin", language="en"),
        mentee__user=UserFactory(first_name="Marc", last_name="Lefebvre", language="en"),
    )


def as_user(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def checkin_url(pairing):
    return reverse("checkin_respond", args=[pairing.pk])


def closing_url(pairing):
    return reverse("closing_respond", args=[pairing.pk])


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_checkin_form_offers_number_one_to_each_member(client, pairing, side):
    user = getattr(pairing, side).user

    response = as_user(client, user).get(checkin_url(pairing))

    assert response.status_code == 200
    assert response.context["number"] == 1
    assert response.context["due_on"] == pairing.start_date() + timedelta(days=30)
    assert '<input type="hidden" name="number" value="1">' in response.content.decode()


def test_checkin_answer_saves_every_field_with_respondent_and_side(client, pairing):
    mentee = pairing.mentee.user

    response = as_user(client, mentee).post(checkin_url(pairing), ANSWERS)

    assert response.status_code == 302
    assert response.url == pairing.get_absolute_url()
    checkin = CheckIn.objects.get()
    assert (checkin.pairing, checkin.respondent, checkin.side) == (pairing, mentee, "mentee")
    assert (checkin.kind, checkin.number) == ("periodic", 1)
    assert checkin.due_on == pairing.start_date() + timedelta(days=30)
    assert (checkin.satisfaction, checkin.progress, checkin.confidence) == (4, 3, 5)
    assert checkin.comment == ANSWERS["comment"]
    assert checkin.hr_comment == ANSWERS["hr_comment"]
    assert checkin.would_recommend is None
    assert messages_of(response) == ["Thank you! Your answers help the programme."]


def test_checkin_answered_twice_is_refused_with_409(client, pairing):
    mentor = pairing.mentor.user
    as_user(client, mentor).post(checkin_url(pairing), ANSWERS)

    response = client.post(checkin_url(pairing), {**ANSWERS, "satisfaction": "1"})

    assert response.status_code == 409
    assert "You have already answered this check-in. Thank you!" in response.content.decode()
    checkin = CheckIn.objects.get()
    assert checkin.satisfaction == 4


def test_checkin_after_answering_has_nothing_due(client, pairing):
    mentor = pairing.mentor.user
    as_user(client, mentor).post(checkin_url(pairing), ANSWERS)

    response = client.get(checkin_url(pairing))

    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "No check-in is due. We will tell you when the next one is."
    )


def test_checkin_not_yet_due_is_refused_and_nothing_saved(client, pairing):
    response = as_user(client, pairing.mentor.user).post(
        checkin_url(pairing), {**ANSWERS, "number": "2"}
    )

    assert response.status_code == 422
    assert "This check-in is not due yet." in response.content.decode()
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("value", ["0", "6"])
def test_checkin_scale_out_of_range_is_refused(client, pairing, value):
    response = as_user(client, pairing.mentor.user).post(
        checkin_url(pairing), {**ANSWERS, "satisfaction": value}
    )

    assert response.status_code == 422
    assert "satisfaction" in response.context["form"].errors
    assert CheckIn.objects.count() == 0


def test_checkin_answers_never_reach_the_partner(client, pairing):
    as_user(client, pairing.mentee.user).post(checkin_url(pairing), ANSWERS)
    client.logout()
    mentor_client = as_user(client, pairing.mentor.user)

    page = mentor_client.get(pairing.get_absolute_url())
    form = mentor_client.get(checkin_url(pairing))

    assert page.status_code == 200
    assert form.status_code == 200
    for response in (page, form):
        content = response.content.decode()
        assert ANSWERS["comment"] not in content
        assert ANSWERS["hr_comment"] not in content
    # The mentor still has their own check-in #1 to answer.
    assert form.context["number"] == 1


def test_checkin_form_is_forbidden_to_hr(client, pairing, hr_admin):
    assert as_user(client, hr_admin).get(checkin_url(pairing)).status_code == 403
    assert client.post(checkin_url(pairing), ANSWERS).status_code == 403
    assert CheckIn.objects.count() == 0


def test_checkin_form_does_not_exist_for_an_outsider(client, pairing):
    outsider = ActivePairingFactory().mentor.user

    assert as_user(client, outsider).get(checkin_url(pairing)).status_code == 404
    assert client.post(checkin_url(pairing), ANSWERS).status_code == 404
    assert CheckIn.objects.count() == 0


def test_checkin_form_sends_anonymous_users_to_login(client, pairing):
    response = client.get(checkin_url(pairing))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_checkin_on_a_pair_not_active_is_refused(client):
    proposed = PairingFactory(mentor__user=UserFactory(language="en"))
    as_user(client, proposed.mentor.user)

    shown = client.get(checkin_url(proposed))
    posted = client.post(checkin_url(proposed), ANSWERS)

    assert shown.status_code == 302
    assert posted.status_code == 422
    assert "This pair is not active." in posted.content.decode()
    assert CheckIn.objects.count() == 0


# Closing questionnaire ---------------------------------------------------------

CLOSING = {"satisfaction": "5", "progress": "4", "confidence": "5", "would_recommend": "yes"}


def end(pairing):
    pairing.status = "ended"
    pairing.outcome = "completed"
    pairing.ended_at = timezone.now() - timedelta(days=1)
    pairing.save()


def test_closing_questionnaire_is_refused_before_the_pair_ends(client, pairing):
    response = as_user(client, pairing.mentor.user).post(closing_url(pairing), CLOSING)

    assert response.status_code == 422
    assert "The closing questionnaire opens when the pair ends." in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_closing_questionnaire_form_asks_would_recommend_once_ended(client, pairing):
    end(pairing)

    response = as_user(client, pairing.mentee.user).get(closing_url(pairing))

    assert response.status_code == 200
    assert "would_recommend" in response.context["form"].fields
    assert 'name="number"' not in response.content.decode()


def test_closing_questionnaire_saves_a_closing_checkin(client, pairing):
    end(pairing)
    mentee = pairing.mentee.user

    response = as_user(client, mentee).post(closing_url(pairing), CLOSING)

    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.kind, checkin.number, checkin.side) == ("closing", 0, "mentee")
    assert checkin.respondent == mentee
    assert checkin.would_recommend is True
    assert checkin.due_on == timezone.localdate(pairing.ended_at)
    assert messages_of(response) == ["Thank you for your feedback on the whole journey."]


def test_closing_questionnaire_answered_twice_is_refused_with_409(client, pairing):
    end(pairing)
    as_user(client, pairing.mentor.user).post(closing_url(pairing), CLOSING)

    response = client.post(closing_url(pairing), {**CLOSING, "would_recommend": "no"})

    assert response.status_code == 409
    assert "You have already answered this check-in. Thank you!" in response.content.decode()
    assert list(CheckIn.objects.values_list("kind", "would_recommend")) == [("closing", True)]


def test_closing_questionnaire_is_answered_once_per_member(client, pairing):
    end(pairing)
    as_user(client, pairing.mentor.user).post(closing_url(pairing), CLOSING)
    client.logout()

    response = as_user(client, pairing.mentee.user).post(
        closing_url(pairing), {**CLOSING, "would_recommend": "no"}
    )

    assert response.status_code == 302
    assert sorted(CheckIn.objects.values_list("side", "would_recommend")) == [
        ("mentee", False),
        ("mentor", True),
    ]


def test_closing_questionnaire_is_forbidden_to_hr(client, pairing, hr_admin):
    end(pairing)

    assert as_user(client, hr_admin).post(closing_url(pairing), CLOSING).status_code == 403
    assert CheckIn.objects.count() == 0


def test_closing_questionnaire_does_not_exist_for_an_outsider(client, pairing):
    end(pairing)
    outsider = ActivePairingFactory().mentee.user

    assert as_user(client, outsider).get(closing_url(pairing)).status_code == 404
