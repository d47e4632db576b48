import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.utils import in_reader_language
from programmes.models import Cohort, Participant, SkillArea


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


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
    # The end: completed at the end of the programme, or ended early with a reason.
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, blank=True)
    end_reason = models.TextField(_("why it ended"), max_length=2000, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

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

    def get_absolute_url(self):
        return reverse("pairing_detail", args=[self.pk])

    def member_role(self, user) -> str | None:
        if self.mentor.user_id == user.pk:
            return "mentor"
        if self.mentee.user_id == user.pk:
            return "mentee"
        return None

    def partner_of(self, user):
        return self.mentee.user if self.mentor.user_id == user.pk else self.mentor.user

    def start_date(self):
        """The day the pair started working: activation, or creation for older rows."""
        return timezone.localdate(self.activated_at or self.created_at)


class GoalTemplate(models.Model):
    """A suggested goal for a skill area, so that a good goal is one click away.

    Like skill areas these are data in two languages; the form is prefilled in
    the reader's language.
    """

    skill_area = models.ForeignKey(
        SkillArea,
        verbose_name=_("skill area"),
        on_delete=models.CASCADE,
        related_name="goal_templates",
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    measure = models.CharField(_("measure"), max_length=200)
    measure_en = models.CharField(_("measure in English"), max_length=200, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)
    unit_en = models.CharField(_("unit in English"), max_length=40, blank=True)
    weeks = models.PositiveSmallIntegerField(
        _("weeks to reach it"), default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )

    class Meta:
        verbose_name = _("goal template")
        verbose_name_plural = _("goal templates")
        ordering = ["skill_area__name", "title"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def measure_label(self) -> str:
        return in_reader_language(self.measure, self.measure_en)

    @property
    def unit_label(self) -> str:
        return in_reader_language(self.unit, self.unit_en)


class Goal(models.Model):
    """A simple, measurable, dated goal of one member of a pair.

    Goals go both ways: the mentee learns digital skills from the mentor, the
    mentor learns leadership and strategy from the mentee. ``learner`` says
    whose goal it is.
    """

    class Learner(models.TextChoices):
        MENTEE = "mentee", _("Mentee's goal")
        MENTOR = "mentor", _("Mentor's goal")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="goals"
    )
    learner = models.CharField(_("whose goal"), max_length=6, choices=Learner)
    skill_area = models.ForeignKey(
        SkillArea, verbose_name=_("skill area"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("goal"), max_length=200)
    measure = models.CharField(
        _("measure"), max_length=200, help_text=_("What you count to know you got there.")
    )
    target_value = models.DecimalField(
        _("target"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100000"))],
    )
    unit = models.CharField(_("unit"), max_length=40)
    current_value = models.DecimalField(
        _("where you are"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.NOT_STARTED, db_index=True
    )
    # The day the goal was last marked achieved, for "achieved on time".
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    template = models.ForeignKey(
        GoalTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_value__gt=0), name="goal_target_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(current_value__gte=0), name="goal_current_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goal_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        """Progress towards the target, capped at 100."""
        return min(100, int(self.current_value * 100 / self.target_value))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())


def evidence_path(instance, filename: str) -> str:
    # A random name: the original one is kept in the row, never trusted on disk.
    suffix = Path(filename).suffix.lower()
    return f"evidence/{instance.goal.pairing_id}/{uuid.uuid4().hex}{suffix}"


class GoalUpdate(models.Model):
    """One step of a goal's history: the new value and status, with optional evidence."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="goal_updates"
    )
    value = models.DecimalField(_("new value"), max_digits=8, decimal_places=2)
    previous_value = models.DecimalField(max_digits=8, decimal_places=2)
    status = models.CharField(_("status"), max_length=12, choices=Goal.Status)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("goal update")
        verbose_name_plural = _("goal updates")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.goal}: {self.value}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.note or self.link or self.file)


class AgendaTemplate(models.Model):
    """A ready-made session plan for 30, 45 or 60 minutes, for a skill area or any (blank)."""

    skill_area = models.ForeignKey(
        SkillArea,
        verbose_name=_("skill area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_templates",
    )
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), choices=[(30, "30"), (45, "45"), (60, "60")]
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000)
    agenda_en = models.TextField(_("agenda in English"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("agenda template")
        verbose_name_plural = _("agenda templates")
        ordering = ["skill_area__name", "minutes"]
        constraints = [
            models.UniqueConstraint(
                fields=["skill_area", "minutes"], name="one_agenda_template_per_length"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def agenda_label(self) -> str:
        return in_reader_language(self.agenda, self.agenda_en)


class Session(models.Model):
    """A working session of a pair: planned with an agenda, then logged as held or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")

    MIN_MINUTES = 5
    MAX_MINUTES = 240

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="sessions"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PLANNED, db_index=True
    )
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    planned_minutes = models.PositiveSmallIntegerField(
        _("planned length (minutes)"),
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.REMOTE)
    place = models.CharField(_("place or video link"), max_length=300, blank=True)
    agenda = models.TextField(
        _("agenda"),
        max_length=4000,
        blank=True,
        help_text=_("Prepared by the mentee: what you want to learn and practise this time."),
    )
    agenda_template = models.ForeignKey(
        AgendaTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What happened, once logged.
    held_minutes = models.PositiveSmallIntegerField(
        _("actual length (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)],
    )
    topics = models.ManyToManyField(
        SkillArea, verbose_name=_("topics covered"), blank=True, related_name="+"
    )
    shared_notes = models.TextField(_("shared notes"), max_length=5000, blank=True)
    mentor_learned = models.TextField(_("what the mentor learned"), max_length=2000, blank=True)
    mentee_learned = models.TextField(_("what the mentee learned"), max_length=2000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change that calendars must pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_minutes__gte=5, planned_minutes__lte=240),
                name="session_planned_minutes_range",
            ),
            models.CheckConstraint(
                condition=models.Q(held_minutes__isnull=True)
                | models.Q(held_minutes__gte=5, held_minutes__lte=240),
                name="session_held_minutes_range",
            ),
        ]

    def __str__(self):
        return f"{self.pairing} · {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("session_detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.held_minutes or self.planned_minutes)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class PrivateNote(models.Model):
    """A member's own notes on the pair; nobody else reads them, not even HR."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="private_notes")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_notes"
    )
    body = models.TextField(_("private note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.author} · {self.created_at:%Y-%m-%d}"


class CalendarFeed(models.Model):
    """A personal calendar subscription: a secret URL that shows the user's sessions.

    Calendar apps cannot log in, so the token is the credential; renewing it
    replaces the row's token and the old URL answers 404 at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
