from datetime import date

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.registration import tracked_models
from audit.selectors import SYSTEM, log_actors
from programmes.models import Programme


class AuditFilterForm(forms.Form):
    """The filters of the audit log page, read from the query string."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.only("pk", "name").order_by("-starts_on", "name"),
        required=False,
        empty_label=_("All"),
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    actor = forms.ChoiceField(label=_("By"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = ContentType.objects.get_for_models(*tracked_models())  # cached after the first
        self.content_types = {model._meta.label_lower: ct for model, ct in types.items()}
        self.fields["type"].choices = [
            ("", _("All")),
            *sorted(
                ((model._meta.label_lower, capfirst(model._meta.verbose_name)) for model in types),
                key=lambda choice: str(choice[1]),
            ),
        ]
        self.fields["actor"].choices = [
            ("", _("Anyone")),
            (SYSTEM, _("System")),
            *((str(user.pk), str(user)) for user in log_actors()),
        ]
        for bound in self.fields.values():
            css = "form-select" if isinstance(bound.widget, forms.Select) else "form-control"
            bound.widget.attrs["class"] = css

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
        return valid

    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            # The first and last days of the calendar have no start or end in UTC
            # (an OverflowError, a 500): not a date anyone filters on.
            if cleaned.get(name) in (date.min, date.max):
                self.add_error(name, forms.DateField.default_error_messages["invalid"])
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The keyword arguments of ``log_entries`` for the filters that are valid."""
        data = getattr(self, "cleaned_data", {})
        programme = data.get("programme")
        content_type = self.content_types.get(data.get("type") or "")
        actor = data.get("actor") or None
        return {
            "programme_id": programme.pk if programme else None,
            "content_type_id": content_type.pk if content_type else None,
            "actor": actor if actor in (None, SYSTEM) else int(actor),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
