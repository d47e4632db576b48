from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentoring.utils import in_reader_language


class SkillArea(models.Model):
    """A subject people teach or learn: a digital skill, or leadership and strategy.

    Names are data, not UI strings: ``name`` is in the organisation's main
    language and ``name_en`` is shown to people reading the site in English.
    """

    class Category(models.TextChoices):
        # Juniors teach the digital areas; seniors give back the other two.
        DIGITAL = "digital", _("Digital skills")
        LEADERSHIP = "leadership", _("Leadership and strategy")
        BUSINESS = "business", _("Business and company knowledge")

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired areas stay on past programmes but cannot be chosen for new ones."),
    )

    class Meta:
        verbose_name = _("skill area")
        verbose_name_plural = _("skill areas")
        ordering = ["category", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_reader_language(self.name, self.name_en)


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ENROLMENT = "enrolment", _("Enrolment open")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    # The life of a programme. Enrolment can be paused back to draft to fix the
    # set-up; once pairs are running there is no way back, only to the close.
    TRANSITIONS = {
        Status.DRAFT: (Status.ENROLMENT,),
        Status.ENROLMENT: (Status.DRAFT, Status.RUNNING),
        Status.RUNNING: (Status.CLOSED,),
        Status.CLOSED: (),
    }

    name = models.CharField(_("name"), max_length=150)
    objectives = models.TextField(
        _("objectives"),
        max_length=5000,
        help_text=_("What the organisation expects from the programme, in a few lines."),
    )
    skill_areas = models.ManyToManyField(
        SkillArea, verbose_name=_("skill areas in scope"), related_name="programmes"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    session_cadence_days = models.PositiveSmallIntegerField(
        _("session cadence (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Expected days between two sessions of a pair; two weeks is usual."),
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("default session length (minutes)"),
        default=45,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )
    checkin_first_day = models.PositiveSmallIntegerField(
        _("first check-in (days after the start)"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
    )
    checkin_every_days = models.PositiveSmallIntegerField(
        _("then a check-in every (days)"),
        default=60,
        validators=[MinValueValidator(14), MaxValueValidator(180)],
    )
    mentor_capacity = models.PositiveSmallIntegerField(
        _("mentees per mentor (default)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    min_seniority_gap = models.PositiveSmallIntegerField(
        _("minimum seniority gap (years)"),
        default=5,
        validators=[MaxValueValidator(40)],
        help_text=_("How many more years of experience the mentee must have than the mentor."),
    )
    mentor_training_required = models.BooleanField(
        _("mentor training required"),
        default=True,
        help_text=_("Mentors must finish the training modules before they can be matched."),
    )

    # Success criteria: what the pilot will be judged on (see evaluation/verdict.py).
    target_match_rate = models.PositiveSmallIntegerField(
        _("target match rate (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of approved volunteers who get a partner; a common target is 7 in 10."),
    )
    target_sessions_per_pair = models.PositiveSmallIntegerField(
        _("target sessions per pair"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    target_satisfaction = models.DecimalField(
        _("target satisfaction (1 to 5)"),
        max_digits=2,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("5.0"))],
    )
    target_goal_completion = models.PositiveSmallIntegerField(
        _("target goal completion (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    target_skill_uplift = models.DecimalField(
        _("target skill uplift (points on 1 to 5)"),
        max_digits=2,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("4.0"))],
        help_text=_("Average gain between the baseline and the final self-assessment."),
    )
    target_retention = models.PositiveSmallIntegerField(
        _("target retention (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of people whose pair went to the end rather than stopping early."),
    )

    # Matching weights: how much each part of the score counts (see matching/score.py).
    weight_teach = models.PositiveSmallIntegerField(
        _("weight: what the mentor teaches"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("The digital skills the mentee wants, at the level asked."),
    )
    weight_give_back = models.PositiveSmallIntegerField(
        _("weight: what the mentee gives back"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("The leadership and strategy the mentor wants in return."),
    )
    weight_availability = models.PositiveSmallIntegerField(
        _("weight: common availability"), default=2, validators=[MaxValueValidator(10)]
    )
    weight_format = models.PositiveSmallIntegerField(
        _("weight: meeting format"), default=1, validators=[MaxValueValidator(10)]
    )
    weight_language = models.PositiveSmallIntegerField(
        _("weight: shared language"), default=1, validators=[MaxValueValidator(10)]
    )

    # Personal data: see privacy.services.notes_purge for what counts as notes.
    notes_retention_months = models.PositiveSmallIntegerField(
        _("notes kept after the close (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Private notes, session notes and progress notes are deleted this many months "
            "after the programme closes. Figures, goals and check-in answers are kept."
        ),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme_detail", args=[self.pk])

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.CLOSED


class Cohort(models.Model):
    """A wave of pairs inside a programme; the first one is usually the pilot."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=100)
    is_pilot = models.BooleanField(_("pilot"), default=False)
    target_pairs = models.PositiveSmallIntegerField(
        _("target number of pairs"),
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("A pilot usually has 5 to 10 pairs."),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="cohort_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(target_pairs__gte=1), name="cohort_target_pairs_positive"
            ),
        ]

    def __str__(self):
        return self.name


class TrainingModule(models.Model):
    """A short module young mentors take before they start: coaching, didactics, trust."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="training_modules",
    )
    title = models.CharField(_("title"), max_length=150)
    content = models.TextField(_("content"), blank=True, max_length=10000)
    url = models.URLField(_("link"), blank=True, max_length=500)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Participant(models.Model):
    """A volunteer's enrolment and profile in one programme, as mentor or mentee."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor (teaches digital skills)")
        MENTEE = "mentee", _("Mentee (learns digital skills)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        EITHER = "either", _("Either")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    motivation = models.TextField(_("motivation"), max_length=2000, blank=True)
    availability = models.PositiveSmallIntegerField(
        _("weekly availability"),
        default=0,
        validators=[MaxValueValidator(2**10 - 1)],
        help_text=_("Half-days of the working week, as a bit mask (bit 0 = Monday morning)."),
    )
    format = models.CharField(
        _("meeting format"), max_length=10, choices=Format, default=Format.EITHER
    )
    languages = models.JSONField(_("languages"), default=list)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at most"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"], name="one_enrolment_per_programme"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_mentor(self) -> bool:
        return self.role == self.Role.MENTOR


class ParticipantSkill(models.Model):
    """A skill a participant offers (can teach or give back) or seeks, with a level."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("Offers")
        SEEK = "seek", _("Seeks")

    class Level(models.IntegerChoices):
        BEGINNER = 1, _("Beginner")
        INTERMEDIATE = 2, _("Intermediate")
        ADVANCED = 3, _("Advanced")
        EXPERT = 4, _("Expert")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="skills", verbose_name=_("participant")
    )
    skill_area = models.ForeignKey(
        SkillArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill area")
    )
    direction = models.CharField(_("direction"), max_length=5, choices=Direction)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)

    class Meta:
        verbose_name = _("participant skill")
        verbose_name_plural = _("participant skills")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "skill_area", "direction"], name="one_level_per_skill"
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.skill_area} ({self.level})"


class TrainingCompletion(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        constraints = [
            models.UniqueConstraint(fields=["participant", "module"], name="module_done_once"),
        ]

    def __str__(self):
        return f"{self.participant} – {self.module}"
