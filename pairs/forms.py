from datetime import UTC
from decimal import Decimal

import filetype
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pairs.models import Goal, Outcome, Pairing, Session
from pairs.services import goal_deadline_check
from programmes.forms import DateInput, IdsChoiceField
from programmes.models import SkillArea


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*[part for part in layout if part is not None])
    return helper


class IntroForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["intro_at", "intro_place"]
        labels = {"intro_at": _("Date and time"), "intro_place": _("Place or video link")}
        widgets = {"intro_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intro_at"].required = True
        self.fields["intro_place"].required = True
        self.helper = _helper(Row(Column("intro_at"), Column("intro_place")))

    def clean_intro_at(self):
        when = self.cleaned_data["intro_at"]
        try:
            when.astimezone(UTC)  # year 1 in Paris is before year 1 in UTC: a 500 on save
        except OverflowError:
            raise ValidationError(forms.DateTimeField.default_error_messages["invalid"]) from None
        return when


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("What did not work? (shared with HR only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class GoalForm(forms.ModelForm):
    """A goal of either member; the skill areas on offer follow whose goal it is."""

    class Meta:
        model = Goal
        fields = ["learner", "skill_area", "title", "measure", "target_value", "unit", "deadline"]
        widgets = {"deadline": DateInput(), "learner": forms.RadioSelect}
        help_texts = {
            "title": _("Simple and concrete, e.g. “Post on Instagram on my own”."),
            "measure": _("What you count, e.g. “posts made without help”."),
        }

    def __init__(self, *args, pairing: Pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairing = pairing
        self.fields["skill_area"].queryset = SkillArea.objects.filter(is_active=True).order_by(
            "category", "name"
        )
        self.fields["target_value"].widget.attrs.update(min="0.01", step="any")
        self.helper = _helper(
            "learner",
            "skill_area",
            "title",
            "measure",
            Row(Column("target_value"), Column("unit"), Column("deadline")),
        )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        goal_deadline_check(self.pairing, deadline)
        return deadline

    def clean(self):
        cleaned = super().clean()
        learner, area = cleaned.get("learner"), cleaned.get("skill_area")
        if learner and area:
            digital = area.category == SkillArea.Category.DIGITAL
            if learner == Goal.Learner.MENTEE and not digital:
                self.add_error("skill_area", _("The mentee's goals are about digital skills."))
            elif learner == Goal.Learner.MENTOR and digital:
                self.add_error(
                    "skill_area",
                    _("The mentor's goals are about leadership, strategy or the business."),
                )
        return cleaned


# Evidence files: what people attach to show a goal's progress.
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def evidence_file_check(upload) -> str:
    """The file's real type, read from its content; the name and browser are not trusted."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = ", ".join(sorted({e.upper() for e in EVIDENCE_TYPES} - {"JPEG"}))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if extension not in EVIDENCE_TYPES or kind is None or kind.mime != EVIDENCE_TYPES[extension]:
        raise ValidationError(
            _("This type of file is not accepted. Accepted: %(types)s.") % {"types": allowed},
            code="file_type",
        )
    return kind.mime


class GoalProgressForm(forms.Form):
    value = forms.DecimalField(
        label=_("Where you are now"),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Follow the value")), *Goal.Status.choices],
        required=False,
        help_text=_("Reaching the target marks the goal achieved."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image or Office document, 5 MB at most."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx"}
        ),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault("initial", {"value": goal.current_value})
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("value"), Column("status")), "note", "link", "file")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            upload.content_type = evidence_file_check(upload)
        return upload


class SessionPlanForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "planned_minutes", "format", "place", "agenda"]
        widgets = {
            "starts_at": DateTimeInput(),
            "format": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_minutes"].widget.attrs.update(min=5, max=240, step=5)
        self.helper = _helper(
            Row(Column("starts_at"), Column("planned_minutes")),
            Row(Column("format"), Column("place")),
            "agenda",
        )


class SessionLogForm(forms.ModelForm):
    """How a session went. Goal fields are added per open goal of the pair."""

    HELD, CANCELLED = "held", "cancelled"

    outcome = forms.ChoiceField(
        label=_("The session"),
        choices=[(HELD, _("took place")), (CANCELLED, _("was cancelled"))],
        widget=forms.RadioSelect,
        initial=HELD,
    )
    learned = forms.CharField(
        label=_("What I learned"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your partner adds theirs on the session page."),
    )

    class Meta:
        model = Session
        fields = [
            "starts_at",
            "held_minutes",
            "topics",
            "shared_notes",
            "next_steps",
            "cancel_reason",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "topics": forms.CheckboxSelectMultiple,
            "shared_notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"shared_notes": _("Both of you and HR can read these notes.")}
        field_classes = {"topics": IdsChoiceField}

    def __init__(self, *args, goals=(), topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topics is not None:
            self.fields["topics"].queryset = topics
        self.fields["held_minutes"].widget.attrs.update(min=5, max=240, step=5)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.DecimalField(
                label=f"{goal.title} ({goal.unit})",
                min_value=Decimal("0"),
                max_value=Decimal("100000"),
                max_digits=8,
                decimal_places=2,
                initial=goal.current_value,
                required=False,
                widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
            )
        self.helper = _helper(
            "outcome",
            Row(Column("starts_at"), Column("held_minutes")),
            "topics",
            "shared_notes",
            "learned",
            "next_steps",
            Fieldset(_("Where your goals stand now"), *[f"goal_{goal.pk}" for goal in self.goals])
            if self.goals
            else None,
            "cancel_reason",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == self.HELD:
            if cleaned.get("held_minutes") is None and "held_minutes" not in self.errors:
                self.add_error("held_minutes", _("Say how long the session lasted."))
        elif cleaned.get("outcome") == self.CANCELLED and not cleaned.get("cancel_reason"):
            self.add_error("cancel_reason", _("Say briefly why it was cancelled."))
        return cleaned

    def goal_values(self) -> dict:
        values = {}
        for goal in self.goals:
            value = self.cleaned_data.get(f"goal_{goal.pk}")
            if value is not None:
                values[goal] = value
        return values


class LearnedForm(forms.Form):
    learned = forms.CharField(
        label=_("What I learned"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PrivateNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you can read it: not your partner, not HR."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why did the pair end early?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when it ended early; read by HR only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.ENDED_EARLY and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell us briefly why the pair ended early."))
        return cleaned
