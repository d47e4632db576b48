"""Every URL of the matching, pairs and enrolment screens sends anonymous users to login,
and malformed ids answer 404, never 500."""

import pytest
from django.urls import reverse

from tests.factories import CohortFactory, ParticipantFactory, TrainingModuleFactory

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


@pytest.mark.parametrize("url", ["/programmes/{}/", "/cohorts/{}/matching/", "/pairings/{}/"])
def test_ids_longer_than_a_bigint_are_404(hr_client, url):
    assert hr_client.get(url.format("9" * 30)).status_code == 404
    assert hr_client.get(url.format("9" * 18)).status_code == 404
