from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.HR_ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An employee of the organisation, identified by their work email.

    Seniority is stored as *years of professional experience*, not a grade:
    grades differ from one company (and one country) to the next and are not
    always ordered across job families, while years of experience compare
    across departments, can be imported from any HR system, and are what a
    programme's "minimum seniority gap" between mentee and mentor is
    naturally expressed in.
    """

    class Role(models.TextChoices):
        # Platform-wide rights. Whether someone mentors or is mentored is a
        # property of their enrolment in a programme, not of their account.
        PARTICIPANT = "participant", _("Participant")
        MANAGER = "manager", _("Manager (sponsor)")
        HR_ADMIN = "hr_admin", _("HR admin")

    username = None
    email = models.EmailField(_("email address"), unique=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    direction = models.CharField(
        pgettext_lazy("organisation", "direction"),
        max_length=100,
        blank=True,
        help_text=_("The division the department belongs to, such as « Direction financière »."),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    manager = models.ForeignKey(
        "self",
        verbose_name=_("line manager"),
        help_text=_("The person this employee reports to."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
    )
    seniority_years = models.PositiveSmallIntegerField(
        _("years of experience"),
        default=0,
        validators=[MaxValueValidator(60)],
        help_text=_("Years of professional experience."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTICIPANT)
    email_nudges = models.BooleanField(
        _("reminders and nudges by e-mail"),
        default=True,
        help_text=_(
            "Overdue check-ins, pairs without news, intro meetings to arrange, the weekly "
            "digest. Session reminders, due check-ins and your match are always sent."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_hr_admin(self) -> bool:
        return self.role == self.Role.HR_ADMIN

    @property
    def is_programme_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        if self.manager_id and self.pk and self.manager_id == self.pk:
            raise ValidationError({"manager": _("A person cannot be their own line manager.")})
        if self.manager_id and self.pk and self.pk in self.manager.reporting_chain_ids():
            raise ValidationError({"manager": _("This would create a loop in the reporting line.")})

    def reporting_chain_ids(self) -> list[int]:
        """Ids of this person's managers, nearest first, up to the top.

        Stops at a loop rather than spinning, so it is safe on bad data.
        """
        chain: list[int] = []
        seen = {self.pk}
        node = self.manager
        while node is not None and node.pk not in seen:
            chain.append(node.pk)
            seen.add(node.pk)
            node = node.manager
        return chain


class EmployeeImport(models.Model):
    """A CSV file of employees uploaded by HR, kept as text until someone confirms it.

    Nothing touches the people on the platform before the confirmation: the
    preview and the confirmation both parse ``content`` again against the
    people as they are at that moment.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.TextField(_("content"), help_text=_("The file's text, decoded."))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_count = models.PositiveIntegerField(_("people created"), default=0)
    updated_count = models.PositiveIntegerField(_("people updated"), default=0)

    class Meta:
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("people_import_preview", args=[self.pk])

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None
