"""Thin tasks: ids in, one service call, safe to run twice (the outbox sees to it)."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import planning
from notifications.services import notification_send, notifications_enqueue, outbox_recover


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=8,
)
def notification_send_task(notification_id: int) -> str:
    return notification_send(notification_id=notification_id)


@shared_task
def session_reminders_task() -> int:
    return notifications_enqueue(planning.plan_session_reminders(timezone.now()))


@shared_task
def checkin_reminders_task() -> int:
    return notifications_enqueue(planning.plan_checkin_reminders(timezone.localdate()))


@shared_task
def stalled_pairs_task() -> int:
    return notifications_enqueue(planning.plan_stalled(timezone.localdate()))


@shared_task
def intro_nudges_task() -> int:
    return notifications_enqueue(planning.plan_intro_nudges(timezone.localdate()))


@shared_task
def hr_digest_task() -> int:
    return notifications_enqueue(planning.plan_hr_digest(timezone.localdate()))


@shared_task
def outbox_recover_task() -> int:
    return outbox_recover()
