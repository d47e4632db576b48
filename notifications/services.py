"""The outbox: notifications are recorded once, claimed, then sent once."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.compose import compose
from notifications.models import Notification


@dataclass(frozen=True)
class Due:
    """A notification some planner wants sent."""

    kind: str
    recipient_id: int
    due_on: date
    object_id: int | None = None
    pairing_id: int | None = None

    @property
    def key(self) -> str:
        return Notification.make_key(self.kind, self.object_id, self.due_on, self.recipient_id)


def notifications_enqueue(dues: list[Due]) -> int:
    """Record the notifications not recorded yet and queue their sending after commit.

    Idempotent: a key already in the outbox is left alone, so a second beat
    tick or a re-run of a planner adds nothing. Returns how many were new.
    """
    if not dues:
        return 0
    by_key = {due.key: due for due in dues}
    existing = set(Notification.objects.filter(key__in=by_key).values_list("key", flat=True))
    rows = [
        Notification(
            key=key,
            kind=due.kind,
            recipient_id=due.recipient_id,
            due_on=due.due_on,
            object_id=due.object_id,
            pairing_id=due.pairing_id,
        )
        for key, due in by_key.items()
        if key not in existing
    ]
    # ignore_conflicts: a concurrent run may have inserted some keys meanwhile.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    new_ids = list(
        Notification.objects.filter(
            key__in=[row.key for row in rows], status=Notification.Status.PENDING
        ).values_list("pk", flat=True)
    )
    _queue(new_ids)
    return len(rows)


def _queue(ids: list[int]) -> None:
    from notifications.tasks import notification_send_task

    if not ids:
        return

    def send():
        for pk in ids:
            notification_send_task.delay(pk)

    transaction.on_commit(send)


def notification_send(*, notification_id: int) -> str:
    """Send one notification if nobody has: claim, compose, send, mark. Returns the outcome.

    The claim is one conditional UPDATE, so of two workers holding the same
    id only one sends. If sending fails the claim is released and the caller
    retries. A worker killed between the SMTP server's acceptance and the
    final UPDATE leaves the row "sending"; ``outbox_recover`` sends it again
    after OUTBOX_CLAIM_TIMEOUT, the one window where a duplicate is possible.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING
    ).update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "taken"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    with translation.override(recipient.language):
        message = compose(notification) if recipient.is_active else None
        if message is None:
            _mark(notification, Notification.Status.STALE)
            return "stale"
        notification.subject = message.subject[:200]
        notification.url = message.url[:300]
        if not notification.essential and not recipient.email_nudges:
            _mark(notification, Notification.Status.MUTED, subject=True)
            return "muted"
        try:
            _email(notification, message).send()
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.PENDING, claimed_at=None
            )
            raise
    _mark(notification, Notification.Status.SENT, subject=True, sent_at=timezone.now())
    return "sent"


def _mark(notification, status, *, subject=False, sent_at=None) -> None:
    notification.status = status
    notification.sent_at = sent_at
    fields = ["status", "sent_at"] + (["subject", "url"] if subject else [])
    notification.save(update_fields=fields)


def _email(notification: Notification, message) -> EmailMultiAlternatives:
    recipient = notification.recipient
    context = {
        "recipient": recipient,
        "message": message,
        "essential": notification.essential,
        "preferences_url": settings.SITE_URL.rstrip("/") + reverse("notification_list"),
    }
    email = EmailMultiAlternatives(
        # One line: names come from people, and a line break in a header is refused.
        " ".join(message.subject.split()),
        render_to_string("notifications/email/notification.txt", context),
        to=[recipient.email],
        # A stable Message-ID: a receiving server can drop the rare duplicate.
        headers={"Message-ID": f"<{notification.key.replace(':', '.')}@mentorat-inverse>"},
    )
    email.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    return email


def outbox_recover(*, claimed_before: datetime | None = None) -> int:
    """Give abandoned rows back to the queue: claimed by a worker that died, or never queued.

    Run by beat every few minutes with the default cutoff (now minus
    OUTBOX_CLAIM_TIMEOUT); a pending row older than a minute has lost its task
    (broker restarted, process killed before the on-commit hook) and is queued again.
    """
    now = timezone.now()
    cutoff = claimed_before or now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    with transaction.atomic():
        abandoned = list(
            Notification.objects.select_for_update()
            .filter(status=Notification.Status.SENDING, claimed_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=abandoned).update(
            status=Notification.Status.PENDING, claimed_at=None
        )
        lost = list(
            Notification.objects.filter(
                status=Notification.Status.PENDING, created_at__lt=now - timedelta(minutes=1)
            )
            .exclude(pk__in=abandoned)
            .values_list("pk", flat=True)
        )
        ids = abandoned + lost
        _queue(ids)
    return len(ids)


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
