from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AnonymiseForm(forms.Form):
    """HR types the person's e-mail address: a deliberate act, not a stray click."""

    email = forms.CharField(
        label=_("Their e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.person.email.lower():
            raise ValidationError(
                _("This is not their e-mail address; nothing was changed."), code="mismatch"
            )
        return email
