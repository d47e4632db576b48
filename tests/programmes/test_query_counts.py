"""List and dashboard pages do a fixed number of queries, whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Programme
from tests.factories import CohortFactory, ProgrammeFactory, SkillAreaFactory

pytestmark = pytest.mark.django_db


def make_programmes(n):
    areas = [SkillAreaFactory(), SkillAreaFactory()]
    for _ in range(n):
        programme = ProgrammeFactory(skill_areas=areas, status=Programme.Status.ENROLMENT)
        CohortFactory(programme=programme)
        CohortFactory(programme=programme)


def queries_for(client, url, expected_rows=None):
    client.get(url)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("who", ["hr_client", "manager_client", "participant_client"])
def test_programme_list_query_count_does_not_grow(request, who):
    client = request.getfixturevalue(who)
    make_programmes(1)
    small, response = queries_for(client, reverse("programme_list"))
    assert len(response.context["programmes"]) == 1
    make_programmes(3)
    large, response = queries_for(client, reverse("programme_list"))
    assert len(response.context["programmes"]) == 4
    assert small == large


def test_programme_list_exact_query_count(hr_client, django_assert_num_queries):
    make_programmes(3)
    hr_client.get(reverse("programme_list"))
    # session, user, programmes with their counts
    with django_assert_num_queries(3):
        hr_client.get(reverse("programme_list"))


def test_home_query_count_does_not_grow(hr_client):
    make_programmes(1)
    small, _ = queries_for(hr_client, reverse("home"))
    make_programmes(5)
    large, _ = queries_for(hr_client, reverse("home"))
    assert small == large


def test_programme_detail_query_count_does_not_grow(hr_client):
    programme = ProgrammeFactory(skill_areas=[SkillAreaFactory()])
    CohortFactory(programme=programme)
    small, _ = queries_for(hr_client, reverse("programme_detail", args=[programme.pk]))
    programme.skill_areas.add(*[SkillAreaFactory() for _ in range(4)])
    for _ in range(4):
        CohortFactory(programme=programme)
    large, response = queries_for(hr_client, reverse("programme_detail", args=[programme.pk]))
    assert response.content.decode().count("list-group-item d-flex") == 5  # the cohorts
    assert small == large


def test_skill_area_list_query_count_does_not_grow(hr_client):
    small, _ = queries_for(hr_client, reverse("skill_area_list"))
    for _ in range(6):
        SkillAreaFactory()
    make_programmes(2)
    large, _ = queries_for(hr_client, reverse("skill_area_list"))
    assert small == large
