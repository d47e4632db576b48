from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Programme, SkillArea


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SkillAreaChoiceField(forms.ModelMultipleChoiceField):
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
            "mentor_capacity",
            "min_seniority_gap",
            "mentor_training_required",
            "target_sessions_per_pair",
            "target_satisfaction",
            "target_goal_completion",
            "target_skill_uplift",
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
            ),
            Fieldset(
                _("Matching rules"),
                Row(Column("mentor_capacity"), Column("min_seniority_gap")),
                "mentor_training_required",
            ),
            Fieldset(
                _("Success criteria for the pilot"),
                Row(Column("target_sessions_per_pair"), Column("target_satisfaction")),
                Row(Column("target_goal_completion"), Column("target_skill_uplift")),
            ),
        )

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
