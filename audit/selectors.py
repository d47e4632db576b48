"""Reading the audit log: the entries HR asked for, and their changes in words."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.registration import TRACKED

ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
}

# Pages an entry's object can be opened on, by model (label_lower).
OBJECT_URLS = {
    "programmes.programme": "programme_detail",
    "pairs.pairing": "pairing_detail",
    "accounts.employeeimport": "people_import_preview",
    "accounts.user": "people_edit",
}

# What a related object's name needs loaded with it, not to cost a query per row.
STR_NEEDS = {"programmes.participant": ("user",)}

# The order fields are listed in: the order of TRACKED, many-to-many last.
FIELD_ORDER = {
    item.model.lower(): {name: i for i, name in enumerate((*item.fields, *item.m2m))}
    for item in TRACKED
}

EMPTY = "–"  # an empty value, on either side of a change
SYSTEM = "system"  # the actor filter's value for entries without a person behind them


def log_entries(
    *,
    programme_id: int | None = None,
    content_type_id: int | None = None,
    actor: int | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[LogEntry]:
    """The audit log, newest first, narrowed by the filters given.

    ``actor`` is a user's id or ``SYSTEM`` (entries with no actor: the workers and
    commands). Dates are days in the site's time zone, both included.
    """
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if programme_id is not None:
        entries = entries.filter(additional_data__programme_id=programme_id)
    if content_type_id is not None:
        entries = entries.filter(content_type_id=content_type_id)
    if actor == SYSTEM:
        entries = entries.filter(actor__isnull=True, actor_email__isnull=True)
    elif actor is not None:
        entries = entries.filter(actor_id=actor)
    if date_from is not None:
        entries = entries.filter(timestamp__gte=_start_of(date_from))
    if date_to is not None:
        entries = entries.filter(timestamp__lt=_start_of(date_to + timedelta(days=1)))
    return entries


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def log_actors() -> QuerySet[User]:
    """Everyone who appears as the author of an entry, for the filter."""
    return User.objects.filter(
        pk__in=LogEntry.objects.filter(actor__isnull=False).values("actor_id")
    ).order_by("last_name", "first_name", "email")


@dataclass
class Change:
    """One field of an entry: its label, and its value before and after.

    On a creation only ``new`` is set, on a deletion only ``old``.
    """

    label: str
    old: str | None
    new: str | None
    many: bool = False  # a many-to-many change: ``new`` was added, ``old`` removed


@dataclass
class EntryRow:
    entry: LogEntry
    actor: str
    is_system: bool
    action: str
    type_label: str
    url: str | None
    changes: list[Change] = field(default_factory=list)


def entry_rows(entries: list[LogEntry]) -> list[EntryRow]:
    """The entries as the log page shows them, with related objects named in bulk.

    A changed foreign key is stored as an id: the objects are loaded with one
    query per related model for the whole page, never one per row.
    """
    names = _related_names(entries)
    return [_row(entry, names) for entry in entries]


def _model_of(entry: LogEntry) -> type[models.Model] | None:
    return entry.content_type.model_class()


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_names(entries: list[LogEntry]) -> dict[type[models.Model], dict[str, str]]:
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = _model_of(entry)
        if model is None:
            continue
        for name, values in entry.changes_dict.items():
            model_field = _field(model, name)
            if model_field is None or not model_field.many_to_one or isinstance(values, dict):
                continue
            related = model_field.related_model
            for raw in values:
                try:
                    pk = related._meta.pk.to_python(raw)
                except ValidationError:
                    continue
                if pk is not None:
                    wanted[related].add(pk)
    names = {}
    for related, pks in wanted.items():
        needs = STR_NEEDS.get(related._meta.label_lower, ())
        objects = related._default_manager.select_related(*needs).filter(pk__in=pks)
        names[related] = {str(obj.pk): str(obj) for obj in objects}
    return names


def _row(entry: LogEntry, names) -> EntryRow:
    model = _model_of(entry)
    label_lower = model._meta.label_lower if model else entry.content_type.model
    url = None
    if entry.action != LogEntry.Action.DELETE and label_lower in OBJECT_URLS and entry.object_id:
        url = reverse(OBJECT_URLS[label_lower], args=[entry.object_id])
    # An actor deleted since keeps their email on the entry; no actor at all is the system.
    actor = str(entry.actor) if entry.actor_id else entry.actor_email or _("System")
    return EntryRow(
        entry=entry,
        actor=actor,
        is_system=not entry.actor_id and not entry.actor_email,
        action=str(ACTION_LABELS.get(entry.action, entry.get_action_display())),
        type_label=capfirst(model._meta.verbose_name) if model else entry.content_type.model,
        url=url,
        changes=_changes(entry, model, names) if model else [],
    )


def _changes(entry: LogEntry, model, names) -> list[Change]:
    order = FIELD_ORDER.get(model._meta.label_lower, {})
    changes = []
    for name, values in sorted(
        entry.changes_dict.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
    ):
        model_field = _field(model, name)
        label = capfirst(model_field.verbose_name) if model_field else name
        if isinstance(values, dict):  # many-to-many: {"operation": "add", "objects": [...]}
            shown = ", ".join(values.get("objects", []))
            added = values.get("operation") == "add"
            changes.append(
                Change(label, old=None if added else shown, new=shown if added else None, many=True)
            )
            continue
        old, new = (_value(model_field, raw, names) for raw in values)
        if entry.action == LogEntry.Action.CREATE:
            old = None  # a new object: only what it was created with
        elif entry.action == LogEntry.Action.DELETE:
            new = None  # a deleted one: only what it had
        elif old is None or new is None:  # a value set or cleared
            old, new = old or EMPTY, new or EMPTY
        if old is None and new is None:
            continue
        changes.append(Change(label, old=old, new=new))
    return changes


def _value(model_field, raw: str, names) -> str | None:
    """A stored value (auditlog keeps them as text) as a person reads it; None if empty."""
    if raw in ("None", ""):
        return None
    if model_field is None:
        return raw
    if model_field.many_to_one:
        return names.get(model_field.related_model, {}).get(raw) or _("deleted (#%(id)s)") % {
            "id": raw
        }
    if model_field.choices:
        return str({str(k): v for k, v in model_field.flatchoices}.get(raw, raw))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if raw == "True" else _("no")
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(raw)
        if moment is None:
            return raw
        if timezone.is_naive(moment):  # auditlog stores UTC without the offset
            moment = moment.replace(tzinfo=UTC)
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        day = parse_date(raw)
        return formats.date_format(day, "SHORT_DATE_FORMAT") if day else raw
    if isinstance(model_field, models.DecimalField):
        try:
            return formats.localize(Decimal(raw))
        except InvalidOperation:
            return raw
    if isinstance(model_field, models.FloatField):
        try:
            return formats.number_format(float(raw), 2)
        except ValueError:
            return raw
    return raw
