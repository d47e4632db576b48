"""What the audit log records: the models HR acts on, and the fields worth a line.

Each model lists the fields it records, an allow-list, so that a field added
later is not logged until someone decides it should be. Left out on purpose:
free text people write (a volunteer's motivation and profile, the reasons a
pair declined or ended, the imported CSV file), long texts (a programme's
objectives, a module's content, a skill area's description), bookkeeping that
moves on every save (``updated_at``, a run's progress and timings) and the
who-and-when columns the entry itself holds (``created_by``, ``decided_by``,
``ended_by``). Participants' own goals, sessions and notes are not HR actions
and are not registered.

An entry about a programme or about something inside one (a cohort, a module,
an enrolment, a matching run, a pair rule, a pairing) carries the programme's
id in ``LogEntry.additional_data`` as ``{"programme_id": 7}``, so the log can
be filtered by programme in SQL, even after the cohort or pairing is deleted.
"""

from collections.abc import Callable
from dataclasses import dataclass

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Model


def _own(instance) -> int | None:
    return instance.pk


def _programme_field(instance) -> int | None:
    return instance.programme_id


def _via_cohort(instance) -> int | None:
    # One query, unless the cohort is already loaded on the instance.
    try:
        return instance.cohort.programme_id
    except ObjectDoesNotExist:  # the cohort went first, in a cascade
        return None


def _via_module(instance) -> int | None:
    try:
        return instance.module.programme_id
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class Tracked:
    """A model to record: its fields, its many-to-many fields, how to find its programme."""

    model: str
    fields: tuple[str, ...]
    m2m: tuple[str, ...] = ()
    programme: Callable[[Model], int | None] | None = None


TRACKED = (
    Tracked(
        "programmes.Programme",
        (
            "name",
            "status",
            "starts_on",
            "ends_on",
            "session_cadence_days",
            "session_minutes",
            "checkin_first_day",
            "checkin_every_days",
            "mentor_capacity",
            "min_seniority_gap",
            "mentor_training_required",
            "target_match_rate",
            "target_sessions_per_pair",
            "target_satisfaction",
            "target_goal_completion",
            "target_skill_uplift",
            "target_retention",
            "weight_teach",
            "weight_give_back",
            "weight_availability",
            "weight_format",
            "weight_language",
        ),
        m2m=("skill_areas",),
        programme=_own,
    ),
    Tracked(
        "programmes.Cohort",
        ("programme", "name", "is_pilot", "target_pairs", "starts_on", "ends_on"),
        programme=_programme_field,
    ),
    Tracked("programmes.SkillArea", ("name", "name_en", "category", "is_active")),
    Tracked(
        "programmes.TrainingModule",
        ("title", "url", "duration_minutes", "position"),
        programme=_programme_field,
    ),
    Tracked(
        "programmes.TrainingCompletion",
        ("participant", "module"),
        programme=_via_module,
    ),
    # Enrolment and its approval; the volunteer's profile (motivation,
    # availability, languages) is theirs and stays out.
    Tracked(
        "programmes.Participant",
        ("cohort", "role", "status", "capacity"),
        programme=_programme_field,
    ),
    # A run is created by HR, then finished by the Celery worker outside any
    # request: that entry has no actor and reads "System". Publishing is HR's
    # (published_at and published_by); the pairings it creates are written in
    # bulk, without signals, so the run's entry stands for them.
    Tracked(
        "matching.MatchRun",
        (
            "cohort",
            "status",
            "n_mentors",
            "n_mentees",
            "total_score",
            "published_at",
            "published_by",
        ),
        programme=_via_cohort,
    ),
    Tracked(
        "matching.PairRule",
        ("cohort", "mentor", "mentee", "kind", "source"),
        programme=_via_cohort,
    ),
    Tracked(
        "pairs.Pairing",
        ("cohort", "mentor", "mentee", "status", "outcome"),
        programme=_via_cohort,
    ),
    Tracked(
        "accounts.EmployeeImport",
        ("filename", "applied_at", "created_count", "updated_count"),
    ),
    # Who holds which rights on the platform; nothing else of a person's account.
    Tracked("accounts.User", ("role", "is_active")),
)


def tracked_models() -> list[type[Model]]:
    return [apps.get_model(item.model) for item in TRACKED]


def _additional_data(programme: Callable[[Model], int | None]):
    def get_additional_data(self) -> dict | None:
        programme_id = programme(self)
        return None if programme_id is None else {"programme_id": programme_id}

    return get_additional_data


def register_tracked_models() -> None:
    """Register every model of TRACKED with auditlog (called once, from AuditConfig.ready)."""
    for item in TRACKED:
        model = apps.get_model(item.model)
        if item.programme is not None:
            # auditlog asks the instance itself for get_additional_data(); it is
            # attached here so that the other apps need not know about the log.
            if hasattr(model, "get_additional_data"):
                raise ImproperlyConfigured(f"{item.model} already has get_additional_data().")
            model.get_additional_data = _additional_data(item.programme)
        auditlog.register(model, include_fields=list(item.fields), m2m_fields=set(item.m2m))
