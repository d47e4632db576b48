"""What the audit log records when HR (or the system) acts, through the real views and tasks."""

from datetime import UTC

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import JSONField, TextField
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmployeeImport
from audit.registration import TRACKED
from matching.models import MatchRun
from matching.tasks import match_run_execute_task
from pairs.models import Goal, Pairing
from programmes.models import Cohort, Participant, Programme, SkillArea
from tests.factories import (
    ActivePairingFactory,
    CohortFactory,
    GoalFactory,
    PairingFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SkillAreaFactory,
    UserFactory,
)
from tests.programmes.test_programme_forms import programme_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_skill_areas")]

CREATE, UPDATE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE


def summary(entry):
    return (entry.action, entry.actor, entry.object_repr, entry.additional_data, entry.changes)


def test_creating_a_programme_records_the_hr_admin_and_every_setting(
    hr_client, hr_admin, new_entries
):
    new_entries.reset()
    hr_client.post(reverse("programme_create"), programme_data())
    programme = Programme.objects.get()
    scope = {"programme_id": programme.pk}
    created, scoped = new_entries(Programme)
    assert summary(created) == (
        CREATE,
        hr_admin,
        "Mentorat inversé 2027",
        scope,
        {
            "name": ["None", "Mentorat inversé 2027"],
            "status": ["None", "draft"],
            "starts_on": ["None", "2027-01-04"],
            "ends_on": ["None", "2027-06-30"],
            "session_cadence_days": ["None", "14"],
            "session_minutes": ["None", "45"],
            "checkin_first_day": ["None", "21"],
            "checkin_every_days": ["None", "45"],
            "mentor_capacity": ["None", "1"],
            "min_seniority_gap": ["None", "8"],
            "mentor_training_required": ["None", "True"],
            "target_match_rate": ["None", "75"],
            "target_sessions_per_pair": ["None", "6"],
            "target_satisfaction": ["None", "4.2"],
            "target_goal_completion": ["None", "75"],
            "target_skill_uplift": ["None", "1.5"],
            "target_retention": ["None", "85"],
            "weight_teach": ["None", "4"],
            "weight_give_back": ["None", "2"],
            "weight_availability": ["None", "2"],
            "weight_format": ["None", "1"],
            "weight_language": ["None", "1"],
        },
    )
    # The skill areas in scope are a many-to-many: a second entry, same actor.
    assert summary(scoped) == (
        UPDATE,
        hr_admin,
        "Mentorat inversé 2027",
        scope,
        {"skill_areas": {"type": "m2m", "operation": "add", "objects": ["IA générative"]}},
    )


def test_editing_a_programme_records_only_what_changed(hr_client, hr_admin, new_entries):
    hr_client.post(reverse("programme_create"), programme_data())
    programme = Programme.objects.get()
    vision = SkillArea.objects.get(name="Vision stratégique")
    new_entries.reset()
    response = hr_client.post(
        reverse("programme_edit", args=[programme.pk]),
        programme_data(
            name="Mentorat inversé 2027 – pilote",
            min_seniority_gap="10",
            objectives="Un autre texte, qui n'est pas journalisé.",
            skill_areas=[vision.pk],
        ),
    )
    assert response.status_code == 302
    assert [summary(entry) for entry in new_entries()] == [
        (
            UPDATE,
            hr_admin,
            "Mentorat inversé 2027 – pilote",
            {"programme_id": programme.pk},
            {
                "name": ["Mentorat inversé 2027", "Mentorat inversé 2027 – pilote"],
                "min_seniority_gap": ["8", "10"],
            },
        ),
        (
            UPDATE,
            hr_admin,
            "Mentorat inversé 2027 – pilote",
            {"programme_id": programme.pk},
            {"skill_areas": {"type": "m2m", "operation": "delete", "objects": ["IA générative"]}},
        ),
        (
            UPDATE,
            hr_admin,
            "Mentorat inversé 2027 – pilote",
            {"programme_id": programme.pk},
            {"skill_areas": {"type": "m2m", "operation": "add", "objects": ["Vision stratégique"]}},
        ),
    ]


def test_saving_a_programme_unchanged_records_nothing(hr_client, new_entries):
    hr_client.post(reverse("programme_create"), programme_data())
    programme = Programme.objects.get()
    new_entries.reset()
    hr_client.post(reverse("programme_edit", args=[programme.pk]), programme_data())
    assert new_entries() == []


def test_opening_enrolment_and_adding_a_cohort_are_recorded(hr_client, hr_admin, new_entries):
    programme = ProgrammeFactory(skill_areas=[SkillArea.objects.first()])
    new_entries.reset()
    hr_client.post(
        reverse("cohort_create", args=[programme.pk]),
        {
            "name": "Pilote",
            "is_pilot": "on",
            "target_pairs": "6",
            "starts_on": "2026-10-01",
            "ends_on": "2027-03-31",
        },
    )
    hr_client.post(reverse("programme_transition", args=[programme.pk]), {"to": "enrolment"})
    cohort = Cohort.objects.get()
    assert [summary(entry) for entry in new_entries()] == [
        (
            CREATE,
            hr_admin,
            "Pilote",
            {"programme_id": programme.pk},
            {
                "programme": ["None", str(programme.pk)],
                "name": ["None", "Pilote"],
                "is_pilot": ["None", "True"],
                "target_pairs": ["None", "6"],
                "starts_on": ["None", "2026-10-01"],
                "ends_on": ["None", "2027-03-31"],
            },
        ),
        (
            UPDATE,
            hr_admin,
            programme.name,
            {"programme_id": programme.pk},
            {"status": ["draft", "enrolment"]},
        ),
    ]
    assert cohort.programme == programme


def test_approving_a_volunteer_is_recorded_without_their_profile(
    client, hr_client, hr_admin, new_entries
):
    programme = ProgrammeFactory(status=Programme.Status.ENROLMENT)
    cohort = CohortFactory(programme=programme)
    volunteer = ParticipantFactory(cohort=cohort, status=Participant.Status.PENDING)
    new_entries.reset()
    hr_client.post(
        reverse("participant_decide", args=[programme.pk, volunteer.pk]), {"decision": "approve"}
    )
    assert [summary(entry) for entry in new_entries()] == [
        (
            UPDATE,
            hr_admin,
            str(Participant.objects.get()),
            {"programme_id": programme.pk},
            {"status": ["pending", "approved"]},
        )
    ]


def test_a_volunteers_own_enrolment_leaves_their_motivation_out(new_entries):
    cohort = CohortFactory()
    new_entries.reset()
    volunteer = ParticipantFactory(
        cohort=cohort, status=Participant.Status.PENDING, motivation="Ma fille m'a tout appris."
    )
    (entry,) = new_entries(Participant)
    assert entry.changes == {
        "cohort": ["None", str(cohort.pk)],
        "role": ["None", "mentor"],
        "status": ["None", "pending"],
        "capacity": ["None", "1"],
    }
    assert entry.additional_data == {"programme_id": cohort.programme_id}
    assert volunteer.motivation not in str(entry.changes)


def test_participants_goals_are_not_recorded(new_entries):
    pairing = ActivePairingFactory()
    area = SkillAreaFactory()
    new_entries.reset()
    goal = GoalFactory(pairing=pairing, skill_area=area)
    goal.current_value = 2
    goal.save()
    assert new_entries() == []
    assert Goal.objects.count() == 1


def test_a_role_change_is_recorded(hr_client, hr_admin, new_entries):
    person = UserFactory(email="nora@example.org", first_name="Nora", last_name="Benali")
    new_entries.reset()
    response = hr_client.post(
        reverse("people_edit", args=[person.pk]),
        {
            "email": "nora@example.org",
            "first_name": "Nora",
            "last_name": "Benali",
            "department": "Finance",
            "language": "fr",
            "seniority_years": "5",
            "role": "manager",
        },
    )
    assert response.status_code == 302
    # The department changed too, but only the rights on the platform are logged.
    assert [summary(entry) for entry in new_entries()] == [
        (UPDATE, hr_admin, "Nora Benali", None, {"role": ["participant", "manager"]})
    ]


def test_logging_in_records_nothing(client, hr_admin, new_entries):
    new_entries.reset()
    client.force_login(hr_admin)
    assert new_entries() == []


@pytest.fixture
def matchable_cohort(default_skill_areas):
    area = default_skill_areas["Visualisation de données"]
    cohort = CohortFactory(
        name="Pilote", programme=ProgrammeFactory(status="enrolment", skill_areas=[area])
    )
    ParticipantFactory(cohort=cohort, user=UserFactory(seniority_years=2), offers={area: 4})
    ParticipantFactory(
        cohort=cohort, role="mentee", user=UserFactory(seniority_years=25), seeks={area: 3}
    )
    return cohort


def test_a_run_computed_by_the_worker_is_the_systems_and_the_publish_is_hrs(
    matchable_cohort, hr_client, hr_admin, new_entries
):
    cohort = matchable_cohort
    scope = {"programme_id": cohort.programme_id}
    new_entries.reset()
    hr_client.post(reverse("match_run_start", args=[cohort.pk]))
    run = MatchRun.objects.get()
    # The Celery task itself, outside any request, as a worker runs it.
    match_run_execute_task.apply(args=[run.pk])
    run.refresh_from_db()
    hr_client.post(reverse("match_run_publish", args=[run.pk]))
    run.refresh_from_db()
    assert run.published_at is not None
    published_at = str(timezone.make_naive(run.published_at, UTC))
    assert [summary(entry) for entry in new_entries(MatchRun)] == [
        (
            CREATE,
            hr_admin,
            f"Pilote #{run.pk}",
            scope,
            # auditlog compares a new object's empty dates and links as text with
            # None, so they appear here; the log page leaves them out.
            {
                "cohort": ["None", str(cohort.pk)],
                "status": ["None", "queued"],
                "n_mentors": ["None", "0"],
                "n_mentees": ["None", "0"],
                "published_at": ["None", "None"],
                "published_by": ["None", "None"],
            },
        ),
        (
            UPDATE,
            None,  # the worker: shown as "System"
            f"Pilote #{run.pk}",
            scope,
            {
                "status": ["running", "done"],
                "n_mentors": ["0", "1"],
                "n_mentees": ["0", "1"],
                "total_score": ["None", str(run.total_score)],
            },
        ),
        (
            UPDATE,
            hr_admin,
            f"Pilote #{run.pk}",
            scope,
            {"published_at": ["None", published_at], "published_by": ["None", str(hr_admin.pk)]},
        ),
    ]
    # The pairings are created in bulk by the publish: the run's entry stands for them.
    assert Pairing.objects.filter(cohort=cohort).count() == 1
    assert new_entries(Pairing) == []


def test_closing_a_pairing_is_recorded_without_the_reason(hr_client, hr_admin, new_entries):
    pairing = ActivePairingFactory()
    new_entries.reset()
    response = hr_client.post(
        reverse("pairing_close", args=[pairing.pk]),
        {"outcome": "ended_early", "reason": "Mutation de Marc à Lyon."},
    )
    assert response.status_code == 302
    assert [summary(entry) for entry in new_entries()] == [
        (
            UPDATE,
            hr_admin,
            str(pairing),
            {"programme_id": pairing.cohort.programme_id},
            {"status": ["active", "ended"], "outcome": ["", "ended_early"]},
        )
    ]


def test_a_member_declining_is_recorded_as_theirs(client, new_entries):
    pairing = PairingFactory()
    mentee = pairing.mentee.user
    new_entries.reset()
    client.force_login(mentee)
    client.post(
        reverse("pairing_answer", args=[pairing.pk]),
        {"answer": "decline", "reason": "Pas le temps."},
    )
    assert [(e.actor, e.content_type.model, e.changes) for e in new_entries()] == [
        (mentee, "pairing", {"status": ["proposed", "declined"]}),
        (
            mentee,
            "pairrule",
            {
                "cohort": ["None", str(pairing.cohort_id)],
                "mentor": ["None", str(pairing.mentor_id)],
                "mentee": ["None", str(pairing.mentee_id)],
                "kind": ["None", "forbid"],
                "source": ["None", "declined"],
            },
        ),
    ]


def test_an_import_is_recorded_without_the_file(hr_client, hr_admin, new_entries):
    new_entries.reset()
    upload = SimpleUploadedFile(
        "personnes.csv",
        b"email;first_name;last_name;language\nnora@example.org;Nora;Benali;en\n",
        content_type="text/csv",
    )
    hr_client.post(reverse("people_import"), {"file": upload})
    employee_import = EmployeeImport.objects.get()
    hr_client.post(reverse("people_import_confirm", args=[employee_import.pk]))
    employee_import.refresh_from_db()
    applied_at = str(timezone.make_naive(employee_import.applied_at, UTC))
    # People created by the import are written in bulk: the import's entry stands for them.
    assert [summary(entry) for entry in new_entries()] == [
        (
            CREATE,
            hr_admin,
            "personnes.csv",
            None,
            {
                "filename": ["None", "personnes.csv"],
                "applied_at": ["None", "None"],
                "created_count": ["None", "0"],
                "updated_count": ["None", "0"],
            },
        ),
        (
            UPDATE,
            hr_admin,
            "personnes.csv",
            None,
            {
                "applied_at": ["None", applied_at],
                "created_count": ["0", "1"],
            },
        ),
    ]


def test_no_long_or_free_text_field_is_recorded():
    for item in TRACKED:
        model = apps.get_model(item.model)
        for name in item.fields:
            field = model._meta.get_field(name)
            assert not isinstance(field, TextField | JSONField), f"{item.model}.{name}"
