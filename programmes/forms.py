from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mentoring.utils import MAX_ID_DIGITS
from programmes.availability import WEEK_SLOTS, mask_to_slots
from programmes.models import (
    Cohort,
    Participant,
    ParticipantSkill,
    Programme,
    SkillArea,
    TrainingModule,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by id, where a number too long to be an id is an invalid choice.

    Django checks each value with an exact lookup, which knows the integer
    range, but then fetches them with ``__in``, which does not: on SQLite an
    id beyond a bigint raised OverflowError, a 500 instead of a form error.
    """

    def _check_values(self, value):
        for pk in value:
            if isinstance(pk, str) and len(pk.strip()) > MAX_ID_DIGITS:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SkillAreaChoiceField(IdsChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ProgrammeForm(forms.ModelForm):
    skill_areas = SkillAreaChoiceField(
        label=_("Skill areas in scope"),
        queryset=SkillArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Digital skills the juniors teach, and what the seniors give back."),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "objectives",
            "skill_areas",
            "starts_on",
            "ends_on",
            "session_cadence_days",
            "session_minutes",
            "checkin_first_day",
            "checkin_every_days",
            "mentor_capacity",
            "min_seniority_gap",
            "mentor_training_required",
            "weight_teach",
            "weight_give_back",
            "weight_availability",
            "weight_format",
            "weight_language",
            "target_match_rate",
            "target_sessions_per_pair",
            "target_satisfaction",
            "target_goal_completion",
            "target_skill_uplift",
            "target_retention",
            "notes_retention_months",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Retired areas cannot be chosen, but stay ticked on a programme that has them.
        in_use = Q(pk__in=self.instance.skill_areas.all()) if self.instance.pk else Q(pk=None)
        self.fields["skill_areas"].queryset = SkillArea.objects.filter(
            Q(is_active=True) | in_use
        ).order_by("category", "name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("The programme"), "name", "objectives", "skill_areas"),
            Fieldset(
                _("Calendar"),
                Row(Column("starts_on"), Column("ends_on")),
                Row(Column("session_cadence_days"), Column("session_minutes")),
                Row(Column("checkin_first_day"), Column("checkin_every_days")),
            ),
            Fieldset(
                _("Matching rules"),
                Row(Column("mentor_capacity"), Column("min_seniority_gap")),
                "mentor_training_required",
                Row(
                    Column("weight_teach"),
                    Column("weight_give_back"),
                    Column("weight_availability"),
                    Column("weight_format"),
                    Column("weight_language"),
                ),
            ),
            Fieldset(
                _("Success criteria for the pilot"),
                Row(Column("target_sessions_per_pair"), Column("target_satisfaction")),
                Row(Column("target_goal_completion"), Column("target_skill_uplift")),
                Row(Column("target_match_rate"), Column("target_retention")),
            ),
            Fieldset(_("Personal data"), "notes_retention_months"),
        )
        # A form posted without the field (an older page still open) keeps the current period.
        self.fields["notes_retention_months"].required = False

    def clean_notes_retention_months(self):
        value = self.cleaned_data["notes_retention_months"]
        return self.instance.notes_retention_months if value is None else value

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            if ends_on <= starts_on:
                self.add_error("ends_on", _("The programme must end after it starts."))
            elif self.instance.pk:
                outside = self.instance.cohorts.filter(
                    Q(starts_on__lt=starts_on) | Q(ends_on__gt=ends_on)
                ).values_list("name", flat=True)
                if outside:
                    self.add_error(
                        None,
                        _("These cohorts would fall outside the programme's dates: %(names)s.")
                        % {"names": ", ".join(outside)},
                    )
        return cleaned


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "is_pilot", "target_pairs", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        if not self.instance.pk:
            # A new cohort runs for the whole programme unless told otherwise,
            # and the first one is the pilot.
            self.initial.update(
                starts_on=programme.starts_on,
                ends_on=programme.ends_on,
                is_pilot=not programme.cohorts.exists(),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("target_pairs", css_class="col-md-4")),
            Row(Column("starts_on"), Column("ends_on")),
            "is_pilot",
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        # The (programme, name) constraint is not checked by ModelForm because
        # programme is not a form field: check it here for a clear message.
        taken = Cohort.objects.filter(programme=self.programme, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This programme already has a cohort with this name."))
        return name

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            if ends_on <= starts_on:
                self.add_error("ends_on", _("The cohort must end after it starts."))
            elif starts_on < self.programme.starts_on or ends_on > self.programme.ends_on:
                self.add_error(
                    None,
                    _("A cohort must run within its programme's dates (%(start)s to %(end)s).")
                    % {
                        "start": date_format(self.programme.starts_on, "SHORT_DATE_FORMAT"),
                        "end": date_format(self.programme.ends_on, "SHORT_DATE_FORMAT"),
                    },
                )
        return cleaned


class SkillAreaForm(forms.ModelForm):
    class Meta:
        model = SkillArea
        fields = ["name", "name_en", "category", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name"), Column("name_en"), Column("category")),
            "description",
            "is_active",
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()


LANGUAGES_SPOKEN = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
]
LEVEL_CHOICES = [("", "—"), *ParticipantSkill.Level.choices]


class EnrolmentForm(forms.Form):
    """A volunteer's profile for one programme, in the role they chose.

    Mentors (juniors) offer digital skills and may seek leadership and
    strategy in return; mentees (seniors) seek digital skills and offer
    leadership, strategy and business knowledge back.
    """

    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    motivation = forms.CharField(
        label=_("Why do you volunteer?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    availability = forms.TypedMultipleChoiceField(
        label=_("When are you usually free for a session?"),
        choices=WEEK_SLOTS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one half-day when you are free.")},
    )
    format = forms.ChoiceField(
        label=_("Preferred format"), choices=Participant.Format.choices, widget=forms.RadioSelect
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can mentor in"),
        choices=LANGUAGES_SPOKEN,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    capacity = forms.IntegerField(
        label=_("How many mentees can you take?"),
        min_value=1,
        max_value=5,
        initial=1,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my profile is used to find my match and, in aggregate, to evaluate "
            "the programme."
        ),
        error_messages={"required": _("Your consent is needed to take part.")},
    )

    def __init__(self, *args, programme: Programme, role: str, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.role = role
        self.fields["cohort"].queryset = programme.cohorts.all()
        cohorts = list(programme.cohorts.all())
        if len(cohorts) == 1:
            self.fields["cohort"].initial = cohorts[0]
        is_mentor = role == Participant.Role.MENTOR
        if not is_mentor:
            del self.fields["capacity"]
        else:
            self.fields["capacity"].initial = programme.mentor_capacity
        areas = list(programme.skill_areas.all())
        digital = [a for a in areas if a.category == SkillArea.Category.DIGITAL]
        other = [a for a in areas if a.category != SkillArea.Category.DIGITAL]
        offered, sought = (digital, other) if is_mentor else (other, digital)
        self.offer_fields = self._level_fields("offer", offered)
        self.seek_fields = self._level_fields("seek", sought)
        if participant is not None:
            self._load(participant)

    def _level_fields(self, direction, areas):
        names = []
        for area in areas:
            name = f"{direction}_{area.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=area.label,
                choices=LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[name].skill_area = area
            names.append(name)
        return names

    def _load(self, participant):
        self.initial.update(
            cohort=participant.cohort_id,
            motivation=participant.motivation,
            availability=mask_to_slots(participant.availability),
            format=participant.format,
            languages=participant.languages,
            capacity=participant.capacity,
            consent=participant.consent_at is not None,
        )
        for skill in participant.skills.all():
            self.initial[f"{skill.direction}_{skill.skill_area_id}"] = skill.level

    def clean(self):
        cleaned = super().clean()
        if self.role == Participant.Role.MENTOR:
            if not any(cleaned.get(name) for name in self.offer_fields):
                raise forms.ValidationError(_("Choose at least one skill you can teach."))
        elif not any(cleaned.get(name) for name in self.seek_fields):
            raise forms.ValidationError(_("Choose at least one skill you want to learn."))
        return cleaned

    @property
    def offered(self):
        return [self[name] for name in self.offer_fields]

    @property
    def sought(self):
        return [self[name] for name in self.seek_fields]

    def skill_levels(self) -> list[tuple[SkillArea, str, int]]:
        """(skill area, direction, level) for every level the volunteer chose."""
        chosen = []
        for direction, names in (("offer", self.offer_fields), ("seek", self.seek_fields)):
            for name in names:
                level = self.cleaned_data.get(name)
                if level:
                    chosen.append((self.fields[name].skill_area, direction, level))
        return chosen


class TrainingModuleForm(forms.ModelForm):
    class Meta:
        model = TrainingModule
        fields = ["title", "content", "url", "duration_minutes", "position"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            "content",
            Row(
                Column("url", css_class="col-md-6"), Column("duration_minutes"), Column("position")
            ),
        )
