from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from pairs.models import Pairing


class IntroForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["intro_at", "intro_place"]
        labels = {"intro_at": _("Date and time"), "intro_place": _("Place or video link")}
        widgets = {
            "intro_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intro_at"].required = True
        self.fields["intro_place"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Row(Column("intro_at"), Column("intro_place")))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("What did not work? (shared with HR only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
