from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        # The service says "the file is empty" in the same words as the other
        # problems of the file; Django's own message would differ.
        allow_empty_file=True,
        help_text=_("One person per line, UTF-8, separated by commas or semicolons, 2 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Two people may share a name; their email tells them apart.
        return f"{obj} ({obj.email})" if obj.get_full_name() else obj.email


class PersonForm(forms.ModelForm):
    """A person added or edited by HR; the model's clean() guards the reporting line."""

    class Meta:
        model = User
        fields = [
            "email",
            "first_name",
            "last_name",
            "department",
            "direction",
            "job_title",
            "manager",
            "seniority_years",
            "language",
            "role",
        ]
        field_classes = {"manager": PersonChoiceField}

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        managers = User.objects.order_by("last_name", "first_name", "email")
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
            if self.instance.pk == by.pk:
                # An HR admin who demoted themselves could not undo it.
                self.fields["role"].disabled = True
                self.fields["role"].help_text = _("You cannot change your own role.")
        self.fields["manager"].queryset = managers
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Who"),
                "email",
                Row(Column("first_name"), Column("last_name")),
                "language",
            ),
            Fieldset(
                _("In the organisation"),
                Row(Column("department"), Column("direction"), Column("job_title")),
                Row(
                    Column("manager", css_class="col-md-8"),
                    Column("seniority_years", css_class="col-md-4"),
                ),
            ),
            Fieldset(_("On the platform"), "role"),
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Someone on the platform already has this email."))
        return email
