"""The audit log page does a fixed number of queries, whatever the number of entries."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.factories import CohortFactory, PairingFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_pairings(n, cohort, actors):
    """Five entries a pairing: two people, their two enrolments and the pairing itself."""
    for i in range(n):
        with set_actor(actors[i % len(actors)]):
            PairingFactory(cohort=cohort)


def queries_for(client, params):
    url = reverse("audit_log")
    client.get(url, params)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["rows"])


@pytest.mark.parametrize("filtered", [False, True])
def test_audit_log_query_count_does_not_grow(hr_client, hr_admin, filtered):
    cohort = CohortFactory()
    other_hr = UserFactory(role=User.Role.HR_ADMIN)
    LogEntry.objects.all().delete()  # count from the pairings alone
    params = (
        {"programme": cohort.programme_id, "type": "pairs.pairing", "date_from": "2020-01-01"}
        if filtered
        else {}
    )
    add_pairings(1, cohort, [hr_admin])
    small, small_rows = queries_for(hr_client, params)
    add_pairings(9, cohort, [hr_admin, other_hr])
    large, large_rows = queries_for(hr_client, params)
    assert (small_rows, large_rows) == ((1, 10) if filtered else (5, 50))
    assert small == large


def test_audit_log_exact_query_count(hr_client, hr_admin, django_assert_num_queries):
    cohort = CohortFactory()
    with set_actor(hr_admin):
        PairingFactory(cohort=cohort)
    hr_client.get(reverse("audit_log"))
    # session, user, the people for the actor filter, the count, the page, the
    # names of the related objects (cohorts, enrolments with their people,
    # programmes), the programmes for the programme filter.
    with django_assert_num_queries(9):
        hr_client.get(reverse("audit_log"))
