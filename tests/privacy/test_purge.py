"""The notes of a pair are purged some months after its programme closed; the results stay."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from pairs.models import GoalUpdate, PrivateNote, Session
from privacy.services import (
    SESSION_NOTE_FIELDS,
    notes_purge,
    programme_closed_on,
    programme_notes_purge_on,
)
from privacy.tasks import purge_notes_task
from programmes.models import Programme
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    GoalFactory,
    HeldSessionFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

NOTES = {
    "agenda": "Questions sur Power BI",
    "shared_notes": "Premier tableau",
    "mentor_learned": "Lire un budget",
    "mentee_learned": "Les segments",
    "next_steps": "Refaire seul",
    "cancel_reason": "",
}


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def closed_programme(ends_on: date, closed_on: date, months: int = 6) -> Programme:
    programme = ProgrammeFactory(
        status="closed",
        starts_on=ends_on - timedelta(days=200),
        ends_on=ends_on,
        notes_retention_months=months,
    )
    # The status change moved updated_at: that is the day it closed.
    Programme.objects.filter(pk=programme.pk).update(updated_at=at(closed_on))
    programme.refresh_from_db()
    return programme


def pair_with_notes(programme: Programme, notes: int = 2, sessions: int = 2):
    pairing = ActivePairingFactory(cohort__programme=programme)
    for i in range(notes):
        PrivateNote.objects.create(pairing=pairing, author=pairing.mentor.user, body=f"Note {i}")
    for _ in range(sessions):
        HeldSessionFactory(pairing=pairing, **NOTES)
    goal = GoalFactory(pairing=pairing)
    GoalUpdate.objects.create(
        goal=goal,
        author=pairing.mentee.user,
        value=1,
        previous_value=0,
        status="in_progress",
        note="Fait en réunion",
        link="https://example.org/preuve",
    )
    CheckInFactory(pairing=pairing, comment="Très bien", hr_comment="Pour les RH")
    return pairing


def session_texts(pairing) -> list[tuple]:
    return list(
        Session.objects.filter(pairing=pairing)
        .order_by("pk")
        .values_list(*SESSION_NOTE_FIELDS, "held_minutes", "sequence")
    )


def test_a_programme_not_closed_has_no_close_date():
    running = ProgrammeFactory(status="running")

    assert (programme_closed_on(running), programme_notes_purge_on(running)) == (None, None)


def test_closed_early_counts_from_the_planned_end():
    programme = closed_programme(ends_on=date(2026, 6, 30), closed_on=date(2026, 5, 15))

    assert programme_closed_on(programme) == date(2026, 6, 30)
    assert programme_notes_purge_on(programme) == date(2026, 12, 30)


def test_closed_late_counts_from_the_close():
    programme = closed_programme(ends_on=date(2026, 6, 30), closed_on=date(2026, 8, 31), months=6)

    assert programme_closed_on(programme) == date(2026, 8, 31)
    assert programme_notes_purge_on(programme) == date(2027, 2, 28)  # no 31 February


def test_notes_are_purged_on_the_day_and_not_before():
    due = closed_programme(ends_on=date(2026, 1, 31), closed_on=date(2026, 2, 2))
    pairing = pair_with_notes(due, notes=3, sessions=2)
    before = session_texts(pairing)

    assert notes_purge(today=date(2026, 8, 1)) == notes_purge_result(0, 0, 0, 0)
    assert session_texts(pairing) == before
    assert PrivateNote.objects.count() == 3

    assert notes_purge(today=date(2026, 8, 2)) == notes_purge_result(1, 3, 2, 1)
    assert PrivateNote.objects.count() == 0
    # The length is kept, calendars are told the event changed.
    assert session_texts(pairing) == [
        ("", "", "", "", "", "", 40, before[0][-1] + 1),
        ("", "", "", "", "", "", 40, before[1][-1] + 1),
    ]
    update = GoalUpdate.objects.get()
    assert (update.note, update.link, str(update.value)) == (
        "",
        "https://example.org/preuve",
        "1.00",
    )
    checkin = pairing.checkins.get()
    assert (checkin.comment, checkin.hr_comment, checkin.satisfaction) == (
        "Très bien",
        "Pour les RH",
        4,
    )


def test_a_second_run_purges_nothing_more():
    due = closed_programme(ends_on=date(2026, 1, 31), closed_on=date(2026, 2, 2))
    pair_with_notes(due)
    notes_purge(today=date(2026, 9, 1))

    assert notes_purge(today=date(2026, 9, 1)) == notes_purge_result(1, 0, 0, 0)


def test_only_programmes_past_their_own_period_are_purged():
    due = closed_programme(ends_on=date(2026, 1, 31), closed_on=date(2026, 2, 2), months=3)
    kept_longer = closed_programme(ends_on=date(2026, 1, 31), closed_on=date(2026, 2, 2), months=12)
    running = ProgrammeFactory(
        status="running", starts_on=date(2025, 9, 1), ends_on=date(2026, 1, 31)
    )
    purged = pair_with_notes(due, notes=1, sessions=1)
    for programme in (kept_longer, running):
        pair_with_notes(programme, notes=2, sessions=3)
    # A session without notes is not counted.
    HeldSessionFactory(pairing=purged, agenda="", shared_notes="")

    assert notes_purge(today=date(2026, 6, 1)) == notes_purge_result(1, 1, 1, 1)
    assert PrivateNote.objects.count() == 4
    assert Session.objects.exclude(shared_notes="").count() == 6


def notes_purge_result(programmes, private_notes, sessions, goal_updates):
    from privacy.services import NotesPurge

    return NotesPurge(
        programmes=programmes,
        private_notes=private_notes,
        sessions=sessions,
        goal_updates=goal_updates,
    )


def test_task_purges_with_todays_date():
    today = timezone.localdate()
    due = closed_programme(
        ends_on=today - timedelta(days=400), closed_on=today - timedelta(days=400), months=6
    )
    not_yet = closed_programme(
        ends_on=today - timedelta(days=30), closed_on=today - timedelta(days=30), months=6
    )
    pair_with_notes(due, notes=2, sessions=1)
    pair_with_notes(not_yet, notes=5, sessions=1)

    assert purge_notes_task() == {
        "programmes": 1,
        "private_notes": 2,
        "sessions": 1,
        "goal_updates": 1,
    }
    assert purge_notes_task() == {
        "programmes": 1,
        "private_notes": 0,
        "sessions": 0,
        "goal_updates": 0,
    }
    assert PrivateNote.objects.count() == 5


def test_beat_runs_the_purge_every_night_paris_time():
    # The data migration's rows do not outlive a transactional test's flush
    # earlier in the run: apply its (idempotent) step again.
    from importlib import import_module

    from django.apps import apps

    import_module("privacy.migrations.0001_beat_schedule").create(apps, None)
    task = PeriodicTask.objects.get(task="privacy.tasks.purge_notes_task")

    assert task.name == "Purge des notes (durée de conservation)"
    assert task.enabled is True
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "30",
        "3",
        "*",
        "Europe/Paris",
    )


# The programme form ------------------------------------------------------------------------------


@pytest.fixture
def programme_data(default_skill_areas):
    from tests.programmes.test_programme_forms import programme_data

    return programme_data


def test_hr_sets_the_retention_on_the_programme(hr_client, programme_data):
    response = hr_client.post(
        reverse("programme_create"), programme_data(notes_retention_months="12")
    )

    assert response.status_code == 302
    assert Programme.objects.get().notes_retention_months == 12


def test_retention_defaults_to_six_months(hr_client, programme_data):
    hr_client.post(reverse("programme_create"), programme_data())

    assert Programme.objects.get().notes_retention_months == 6


def test_retention_left_empty_keeps_the_current_one(hr_client, programme_data):
    programme = ProgrammeFactory(notes_retention_months=9)

    response = hr_client.post(
        reverse("programme_edit", args=[programme.pk]),
        programme_data(notes_retention_months=""),
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.notes_retention_months == 9


@pytest.mark.parametrize("value", ["0", "61", "abc"])
def test_retention_out_of_range_is_refused(hr_client, hr_admin, programme_data, value):
    hr_admin.language = "en"
    hr_admin.save(update_fields=["language"])

    response = hr_client.post(
        reverse("programme_create"), programme_data(notes_retention_months=value)
    )

    assert response.status_code == 422
    assert Programme.objects.count() == 0
    form = response.context["form"]
    assert list(form.errors) == ["notes_retention_months"]


def test_programme_form_shows_the_retention_field(hr_client):
    response = hr_client.get(reverse("programme_create"))

    assert 'name="notes_retention_months"' in response.content.decode()
