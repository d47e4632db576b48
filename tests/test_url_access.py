"""Every URL of the matching, pairs and enrolment screens sends anonymous users to login,
and malformed ids answer 404, never 500."""

import pytest
from django.urls import reverse

from evaluation.models import CheckIn
from pairs.models import PrivateNote
from tests.factories import (
    ActivePairingFactory,
    CohortFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingModuleFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client):
    cohort = CohortFactory()
    urls = [
        ("get", reverse("cohort_matching", args=[cohort.pk])),
        ("post", reverse("match_run_start", args=[cohort.pk])),
        ("post", reverse("pair_rule_create", args=[cohort.pk])),
        ("post", reverse("pair_rule_delete", args=[cohort.pk, 1])),
        ("get", reverse("match_run_status", args=[1])),
        ("get", reverse("match_candidates", args=[1, 1])),
        ("post", reverse("match_run_publish", args=[1])),
        ("get", reverse("pairing_detail", args=[1])),
        ("post", reverse("pairing_intro", args=[1])),
        ("post", reverse("pairing_answer", args=[1])),
        ("get", reverse("people_list")),
        ("get", reverse("people_import")),
        ("get", reverse("pairing_close", args=[1])),
        ("get", reverse("goal_create", args=[1])),
        ("get", reverse("session_list", args=[1])),
        ("get", reverse("session_create", args=[1])),
        ("get", reverse("session_log_new", args=[1])),
        ("post", reverse("private_note_create", args=[1])),
        ("get", reverse("goal_detail", args=[1])),
        ("get", reverse("goal_edit", args=[1])),
        ("post", reverse("goal_progress", args=[1])),
        ("get", reverse("goal_evidence", args=[1])),
        ("get", reverse("session_detail", args=[1])),
        ("get", reverse("session_edit", args=[1])),
        ("get", reverse("session_log", args=[1])),
        ("post", reverse("session_learned", args=[1])),
        ("get", reverse("session_ics", args=[1])),
        ("post", reverse("private_note_delete", args=[1])),
        ("get", reverse("calendar_settings")),
        ("post", reverse("calendar_renew")),
        ("get", reverse("programme_pairings", args=[1])),
        ("get", reverse("checkin_respond", args=[1])),
        ("get", reverse("closing_respond", args=[1])),
        ("get", reverse("assessment_respond", args=[1, "baseline"])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('account_login')}?next={url}", url


@pytest.mark.parametrize("bad", ["abc", "1.5", "-1", "", "9" * 30])
def test_malformed_ids_are_404(hr_client, bad):
    cohort = CohortFactory()
    programme = cohort.programme
    module = TrainingModuleFactory(programme=programme)
    mentee = ParticipantFactory(cohort=cohort, role="mentee")
    response = hr_client.post(
        reverse("pair_rule_create", args=[cohort.pk]),
        {"mentor": bad, "mentee": mentee.pk, "kind": "forbid"},
    )
    assert response.status_code == 404
    response = hr_client.get(reverse("training", args=[programme.pk]), {"participant": bad})
    assert response.status_code == (404 if bad else 200)
    response = hr_client.post(
        reverse("training_mark", args=[programme.pk, module.pk]), {"participant": bad, "done": "1"}
    )
    assert response.status_code == 404  # HR has no enrolment of their own to fall back on


@pytest.mark.parametrize("bad", ["abc", "1.5", "-1", "", "9" * 30])
def test_malformed_ids_in_pair_pages_are_404(client, bad):
    pairing = ActivePairingFactory()
    session = SessionFactory(pairing=pairing)
    client.force_login(pairing.mentor.user)
    pk = pairing.pk
    # An empty template or session means "none": the plain form, or a note on the pair.
    expected = 404 if bad else 200
    response = client.get(reverse("goal_create", args=[pk]), {"template": bad})
    assert response.status_code == expected
    response = client.get(reverse("session_create", args=[pk]), {"template": bad})
    assert response.status_code == expected
    response = client.get(reverse("session_edit", args=[session.pk]), {"template": bad})
    assert response.status_code == expected
    response = client.post(
        reverse("private_note_create", args=[pk]), {"body": "Note", "session": bad}
    )
    assert response.status_code == (404 if bad else 302)
    response = client.post(
        reverse("checkin_respond", args=[pk]),
        {"number": bad, "satisfaction": 4, "progress": 4, "confidence": 4},
    )
    assert response.status_code == 404  # the number is required
    assert not PrivateNote.objects.filter(session__isnull=False).exists()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/{}/",
        "/cohorts/{}/matching/",
        "/pairings/{}/",
        "/pairings/{}/sessions/",
        "/pairings/{}/checkin/",
        "/pairings/{}/assessment/baseline/",
        "/goals/{}/",
        "/goal-updates/{}/file/",
        "/sessions/{}/",
        "/sessions/{}/calendar.ics",
        "/programmes/{}/pairs/",
    ],
)
def test_ids_longer_than_a_bigint_are_404(hr_client, url):
    assert hr_client.get(url.format("9" * 30)).status_code == 404
    assert hr_client.get(url.format("9" * 18)).status_code == 404
