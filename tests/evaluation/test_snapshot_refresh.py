"""HR asks for fresh engagement figures; a real worker computes them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import EngagementSnapshot
from tests.conftest import client_for, wait_for
from tests.factories import ActivePairingFactory, HeldSessionFactory


@pytest.mark.django_db(transaction=True)
def test_hr_refresh_computes_the_snapshot_on_the_worker(
    client, hr_admin, celery_worker, default_skill_areas
):
    pairing = ActivePairingFactory()
    HeldSessionFactory(pairing=pairing, held_minutes=45)
    HeldSessionFactory(pairing=pairing, held_minutes=75)
    programme = pairing.cohort.programme

    response = client_for(client, hr_admin).post(reverse("snapshot_refresh", args=[programme.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("programme_pairings", args=[programme.pk])
    wait_for(lambda: EngagementSnapshot.objects.filter(programme=programme).count() == 2)
    overall = EngagementSnapshot.objects.get(programme=programme, cohort=None)
    assert overall.taken_on == timezone.localdate()
    assert (
        overall.metrics["values"]["pairs_active"],
        overall.metrics["values"]["sessions_held"],
        overall.metrics["values"]["hours_held"],
        overall.metrics["values"]["sessions_per_pair"],
    ) == (1, 2, 2.0, 2.0)
    cohort = EngagementSnapshot.objects.get(programme=programme, cohort=pairing.cohort)
    assert cohort.metrics["values"] == overall.metrics["values"]


@pytest.mark.django_db
def test_only_hr_may_ask_for_a_refresh(client, participant, manager):
    programme = ActivePairingFactory().cohort.programme
    url = reverse("snapshot_refresh", args=[programme.pk])
    assert client_for(client, participant).post(url).status_code == 403
    assert client_for(client, manager).post(url).status_code == 403
    assert client.get(url).status_code == 405
