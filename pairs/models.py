from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Participant


class Pairing(models.Model):
    """A mentor-mentee pair ("binôme"), from the published proposal to its end.

    proposed: published by HR; the two meet informally, then each accepts.
    active: both accepted. declined: one of them said no after the intro.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Intro meeting")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    LIVE = (Status.PROPOSED, Status.ACTIVE)

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="pairings"
    )
    mentor = models.ForeignKey(
        Participant, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="as_mentor"
    )
    mentee = models.ForeignKey(
        Participant, verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="as_mentee"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PROPOSED, db_index=True
    )
    proposal = models.ForeignKey(
        "matching.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intro_at = models.DateTimeField(_("intro meeting"), null=True, blank=True)
    intro_place = models.CharField(_("place or video link"), max_length=300, blank=True)
    intro_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-created_at"]
        constraints = [
            # A mentee has one live pairing at most; mentors may have several
            # (their capacity), which the services check.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="one_live_pairing_per_mentee",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.user} → {self.mentee.user}"

    def member_role(self, user) -> str | None:
        if self.mentor.user_id == user.pk:
            return "mentor"
        if self.mentee.user_id == user.pk:
            return "mentee"
        return None

    def partner_of(self, user):
        return self.mentee.user if self.mentor.user_id == user.pk else self.mentor.user
