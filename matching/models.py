from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Participant


class MatchRun(models.Model):
    """One run of the matching engine over a cohort, and what it proposed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="match_runs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # What the run was computed with, so its proposals can be explained later
    # even if HR changes the programme's weights in between.
    settings_used = models.JSONField(_("settings used"), default=dict)
    n_mentors = models.PositiveIntegerField(default=0)
    n_mentees = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One run at a time per cohort: the database says no to a second one.
            models.UniqueConstraint(
                fields=["cohort"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_run_per_cohort",
            ),
        ]

    def __str__(self):
        return f"{self.cohort} #{self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Proposal(models.Model):
    """A mentor-mentee pair the engine proposes, with the parts of its score."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    total = models.FloatField()
    teach = models.FloatField()
    give_back = models.FloatField()
    availability = models.FloatField()
    format = models.FloatField()
    language = models.FloatField()
    details = models.JSONField(default=dict)
    locked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-total", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_proposal_per_mentee"),
        ]

    def __str__(self):
        return f"{self.mentor.user} → {self.mentee.user} ({self.total:.2f})"


class Unmatched(models.Model):
    """Someone the run could not pair, and why (a code and its parameters)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=30)
    params = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("unmatched participant")
        verbose_name_plural = _("unmatched participants")
        constraints = [
            models.UniqueConstraint(fields=["run", "participant"], name="unmatched_once_per_run"),
        ]

    def __str__(self):
        return f"{self.participant.user}: {self.code}"


class PairRule(models.Model):
    """HR's say over a pair: lock it into every run, or forbid it.

    A declined pairing leaves a forbid rule behind, so the two are never
    proposed to each other again.
    """

    class Kind(models.TextChoices):
        LOCK = "lock", _("Locked")
        FORBID = "forbid", _("Forbidden")

    class Source(models.TextChoices):
        HR = "hr", _("HR decision")
        DECLINED = "declined", _("Declined after the intro meeting")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pair_rules")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.HR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="one_rule_per_pair"),
            models.UniqueConstraint(
                fields=["mentee"], condition=models.Q(kind="lock"), name="one_lock_per_mentee"
            ),
        ]

    def __str__(self):
        return f"{self.mentor.user} – {self.mentee.user}: {self.get_kind_display()}"
