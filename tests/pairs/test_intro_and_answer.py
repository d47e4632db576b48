"""After publishing: the intro meeting, then each member accepts or declines."""

from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.models import PairRule
from notifications.models import Notification
from notifications.planning import plan_match_published
from notifications.services import notification_send, notifications_enqueue
from pairs.models import Pairing
from tests.factories import PairingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing():
    return PairingFactory(
        mentor__user=UserFactory(email="lea@example.org", first_name="Léa", last_name="Martin"),
        mentee__user=UserFactory(
            email="marc@example.org", first_name="Marc", last_name="Lefebvre", language="en"
        ),
    )


def as_user(client, user):
    client.force_login(user)
    return client


INTRO = {"intro_at": "2026-12-01T10:30", "intro_place": "https://visio.example/cafe"}


def test_members_see_their_match(client, pairing):
    response = as_user(client, pairing.mentor.user).get(
        reverse("pairing_detail", args=[pairing.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Votre binôme : Marc Lefebvre" in content


def test_intro_then_both_accept_makes_the_pair_active(client, pairing):
    mentor, mentee = pairing.mentor.user, pairing.mentee.user
    url = reverse("pairing_answer", args=[pairing.pk])

    response = as_user(client, mentor).post(url, {"answer": "accept"})
    assert response.status_code == 409
    assert "Convenez d’abord de votre rencontre" in response.content.decode()

    response = client.post(reverse("pairing_intro", args=[pairing.pk]), INTRO)
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.intro_at == timezone.make_aware(datetime(2026, 12, 1, 10, 30))
    assert (pairing.intro_place, pairing.intro_set_by) == (INTRO["intro_place"], mentor)

    client.post(url, {"answer": "accept"})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED
    assert pairing.mentor_accepted_at is not None

    as_user(client, mentee).post(url, {"answer": "accept"})
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.activated_at is not None


def test_a_decline_sends_both_back_and_forbids_the_pair(client, pairing):
    as_user(client, pairing.mentee.user).post(reverse("pairing_intro", args=[pairing.pk]), INTRO)
    response = client.post(
        reverse("pairing_answer", args=[pairing.pk]),
        {"answer": "decline", "reason": "Pas les mêmes attentes"},
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.status, pairing.declined_by, pairing.decline_reason) == (
        Pairing.Status.DECLINED,
        pairing.mentee.user,
        "Pas les mêmes attentes",
    )
    rule = PairRule.objects.get()
    assert (rule.mentor, rule.mentee, rule.kind, rule.source) == (
        pairing.mentor,
        pairing.mentee,
        "forbid",
        "declined",
    )
    # Answering again changes nothing.
    response = as_user(client, pairing.mentor.user).post(
        reverse("pairing_answer", args=[pairing.pk]), {"answer": "accept"}
    )
    assert response.status_code == 409
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.DECLINED


def test_bad_intro_is_refused(client, pairing):
    as_user(client, pairing.mentor.user)
    response = client.post(
        reverse("pairing_intro", args=[pairing.pk]), {"intro_at": "demain", "intro_place": ""}
    )
    assert response.status_code == 422
    form = response.context["intro_form"]
    assert form.errors["intro_at"] == ["Saisissez une date et une heure valides."]
    assert form.errors["intro_place"] == ["Ce champ est obligatoire."]
    pairing.refresh_from_db()
    assert pairing.intro_at is None


def test_unknown_answer_is_refused(client, pairing):
    response = as_user(client, pairing.mentor.user).post(
        reverse("pairing_answer", args=[pairing.pk]), {"answer": "perhaps"}
    )
    assert response.status_code == 409
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED


@pytest.mark.parametrize("who", ["outsider", "manager"])
def test_other_people_do_not_see_the_pair(client, pairing, who, manager):
    user = manager if who == "manager" else UserFactory()
    as_user(client, user)
    assert client.get(reverse("pairing_detail", args=[pairing.pk])).status_code == 404
    assert client.post(reverse("pairing_intro", args=[pairing.pk]), INTRO).status_code == 404
    response = client.post(reverse("pairing_answer", args=[pairing.pk]), {"answer": "decline"})
    assert response.status_code == 404
    pairing.refresh_from_db()
    assert (pairing.status, pairing.intro_at) == (Pairing.Status.PROPOSED, None)


def test_hr_reads_the_pair_but_cannot_answer_for_it(hr_client, pairing):
    assert hr_client.get(reverse("pairing_detail", args=[pairing.pk])).status_code == 200
    assert hr_client.post(reverse("pairing_intro", args=[pairing.pk]), INTRO).status_code == 403
    response = hr_client.post(reverse("pairing_answer", args=[pairing.pk]), {"answer": "accept"})
    assert response.status_code == 403


def test_anonymous_goes_to_login(client, pairing):
    url = reverse("pairing_detail", args=[pairing.pk])
    assert client.get(url)["Location"] == f"{reverse('account_login')}?next={url}"


def test_announcement_reaches_both_in_their_language(pairing, settings):
    settings.SITE_URL = "https://mentorat.example"
    notifications_enqueue(plan_match_published(pairing))
    for pk in Notification.objects.values_list("pk", flat=True):
        assert notification_send(notification_id=pk) == "sent"
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == ["lea@example.org", "marc@example.org"]
    fr, en = by_recipient["lea@example.org"], by_recipient["marc@example.org"]
    assert fr.subject == "[Mentorat inversé] Votre binôme : Marc Lefebvre"
    assert en.subject == "[Reverse mentoring] Meet your match: Léa Martin"
    assert "Hello Marc," in en.body
    assert "Your match in “" in en.body
    assert f"https://mentorat.example/pairings/{pairing.pk}/" in en.body
    assert f"https://mentorat.example/pairings/{pairing.pk}/" in fr.alternatives[0][0]
