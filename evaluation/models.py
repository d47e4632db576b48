from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pairs.models import Pairing
from programmes.models import SkillArea

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class CheckIn(models.Model):
    """One member's answer to a short questionnaire on their pair.

    Periodic check-ins are due on the programme's schedule (see
    ``evaluation.schedule``); ``number`` is their rank in it, from 1. The
    closing questionnaire is the same form with ``kind`` closing, once per
    member. The partner never reads these answers; HR reads them, managers
    only their averages.
    """

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Check-in")
        CLOSING = "closing", _("Closing questionnaire")

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="checkins"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="checkins",
    )
    side = models.CharField(max_length=6, choices=[("mentor", "mentor"), ("mentee", "mentee")])
    kind = models.CharField(_("kind"), max_length=8, choices=Kind, default=Kind.PERIODIC)
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    due_on = models.DateField(_("due on"))
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), validators=SCALE)
    progress = models.PositiveSmallIntegerField(_("progress towards your goals"), validators=SCALE)
    confidence = models.PositiveSmallIntegerField(
        _("confidence in the relationship"), validators=SCALE
    )
    # Asked in the closing questionnaire only.
    would_recommend = models.BooleanField(_("would recommend the programme"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    hr_comment = models.TextField(_("comment for HR only"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["pairing", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "respondent", "kind", "number"], name="checkin_answered_once"
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__range=(1, 5))
                & models.Q(progress__range=(1, 5))
                & models.Q(confidence__range=(1, 5)),
                name="checkin_scales_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.pairing} · {self.respondent} · {self.kind} {self.number}"


class Assessment(models.Model):
    """A self-rating of one skill, before the first session (baseline) or at the end (final)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Before the first session")
        FINAL = "final", _("At the end")

    class Level(models.IntegerChoices):
        NONE = 1, _("1 – I am a beginner")
        BASICS = 2, _("2 – I know the basics")
        PRACTISE = 3, _("3 – I use it in my work")
        CONFIDENT = 4, _("4 – I am at ease")
        TEACH = 5, _("5 – I could teach it")

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="assessments"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    side = models.CharField(max_length=6, choices=[("mentor", "mentor"), ("mentee", "mentee")])
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    skill_area = models.ForeignKey(
        SkillArea, verbose_name=_("skill area"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["pairing", "respondent", "kind", "skill_area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "respondent", "kind", "skill_area"],
                name="one_rating_per_skill_and_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(level__range=(1, 5)), name="assessment_level_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.respondent} · {self.skill_area} · {self.kind}: {self.level}"


class EngagementSnapshot(models.Model):
    """A programme's (or one cohort's) engagement metrics on a given day, for the dashboards.

    Computed by a worker every night and on demand; recomputing a day
    replaces its row. ``metrics`` holds the figures of
    ``evaluation.metrics.engagement_metrics``.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="snapshots"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    taken_on = models.DateField(_("date"))
    metrics = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("engagement snapshot")
        verbose_name_plural = _("engagement snapshots")
        ordering = ["-taken_on", "programme", "cohort"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "taken_on"],
                condition=models.Q(cohort__isnull=True),
                name="one_programme_snapshot_a_day",
            ),
            models.UniqueConstraint(
                fields=["programme", "cohort", "taken_on"],
                condition=models.Q(cohort__isnull=False),
                name="one_cohort_snapshot_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.programme} · {self.cohort or '-'} · {self.taken_on}"
