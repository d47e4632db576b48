from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Assessment, CheckIn

SCALE_CHOICES = [
    (1, _("1 – not at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – fully")),
]


class CheckInForm(forms.ModelForm):
    """Three questions on 1 to 5 and two optional comments; the closing one adds a fourth."""

    class Meta:
        model = CheckIn
        fields = [
            "satisfaction",
            "progress",
            "confidence",
            "would_recommend",
            "comment",
            "hr_comment",
        ]
        labels = {
            "satisfaction": _("How satisfied are you with your sessions?"),
            "progress": _("How much are you progressing towards your goals?"),
            "confidence": _("How much do you trust your partner?"),
            "would_recommend": _("Would you recommend the programme to a colleague?"),
            "comment": _("A comment (optional)"),
            "hr_comment": _("A comment for HR only (optional)"),
        }
        help_texts = {
            "hr_comment": _("Only the HR team reads it; your partner never sees your answers."),
        }
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 2}),
            "hr_comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, closing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("satisfaction", "progress", "confidence"):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        if closing:
            self.fields["would_recommend"] = forms.TypedChoiceField(
                label=self.fields["would_recommend"].label,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
        else:
            del self.fields["would_recommend"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[InlineRadios(name) for name in ("satisfaction", "progress", "confidence")],
            *([InlineRadios("would_recommend")] if closing else []),
            "comment",
            "hr_comment",
        )


class AssessmentForm(forms.Form):
    """One 1-to-5 rating per skill the member is learning."""

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        for area in self.skills:
            self.fields[f"skill_{area.pk}"] = forms.TypedChoiceField(
                label=area.label,
                choices=Assessment.Level.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def levels(self) -> dict[int, int]:
        return {area.pk: self.cleaned_data[f"skill_{area.pk}"] for area in self.skills}
