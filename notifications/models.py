from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person, and the outbox row that makes sending it idempotent.

    ``key`` is (kind, object, due date, recipient): a second beat tick, a task
    run twice or a retry finds the row and sends nothing more. A worker claims
    a pending row (pending → sending) in one UPDATE before it sends, so two
    workers never both send it. The same rows are the list of notifications in
    the app.
    """

    class Kind(models.TextChoices):
        MATCH_PUBLISHED = "match_published", _("Your match")
        INTRO_NUDGE = "intro_nudge", _("Intro meeting to arrange")
        SESSION_REMINDER = "session_reminder", _("Session tomorrow")
        CHECKIN_DUE = "checkin_due", _("Check-in due")
        CHECKIN_OVERDUE = "checkin_overdue", _("Check-in overdue")
        STALLED_NUDGE = "stalled_nudge", _("A pair without news")
        STALLED_ALERT = "stalled_alert", _("Stalled pair")
        HR_DIGEST = "hr_digest", _("Weekly digest")

    # What a person cannot turn off: what they need to take part at all.
    ESSENTIAL = frozenset(
        {Kind.MATCH_PUBLISHED, Kind.SESSION_REMINDER, Kind.CHECKIN_DUE, Kind.STALLED_ALERT}
    )

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        MUTED = "muted", _("Not e-mailed (preferences)")
        STALE = "stale", _("No longer relevant")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    pairing = models.ForeignKey(
        "pairs.Pairing", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    due_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return self.key

    @property
    def essential(self) -> bool:
        return self.kind in self.ESSENTIAL

    @staticmethod
    def make_key(kind: str, object_id, due_on, recipient_id: int) -> str:
        return f"{kind}:{object_id or 0}:{due_on.isoformat()}:{recipient_id}"
