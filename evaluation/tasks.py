from celery import shared_task
from django.utils import timezone

from evaluation.metrics import engagement_snapshot_take
from programmes.models import Programme


@shared_task
def engagement_snapshot_task(programme_id: int) -> int:
    return engagement_snapshot_take(programme_id=programme_id, today=timezone.localdate())


@shared_task
def engagement_snapshots_task() -> int:
    """Every night: one snapshot task per programme that has started."""
    ids = Programme.objects.filter(
        status__in=[Programme.Status.RUNNING, Programme.Status.ENROLMENT]
    ).values_list("pk", flat=True)
    for pk in ids:
        engagement_snapshot_task.delay(pk)
    return len(ids)
