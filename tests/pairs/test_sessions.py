"""Sessions of a pair: planned with an agenda, rescheduled, then logged as held or cancelled."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from pairs.models import AgendaTemplate, Goal, GoalUpdate, Session
from pairs.services import session_learned_set, session_log
from tests.factories import (
    ActivePairingFactory,
    GoalFactory,
    HeldSessionFactory,
    SessionFactory,
    SkillAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def digital():
    return SkillAreaFactory(name="Tableur", name_en="Spreadsheets", category="digital")


@pytest.fixture
def pairing(digital):
    pairing = ActivePairingFactory(
        mentor__user=UserFactory(first_name="Léa", language="en"),
        mentee__user=UserFactory(first_name="Marc", language="en"),
    )
    pairing.cohort.programme.skill_areas.set([digital])
    return pairing


@pytest.fixture
def goals(pairing, digital):
    leadership = SkillAreaFactory(category="leadership")
    return (
        GoalFactory(pairing=pairing, learner="mentee", skill_area=digital, target_value=3),
        GoalFactory(pairing=pairing, learner="mentor", skill_area=leadership, target_value=2),
    )


@pytest.fixture
def past_planned(pairing):
    """A session that was planned two days ago and not logged yet."""
    return planned(pairing, starts_at=timezone.now() - timedelta(days=2))


def planned(pairing, **fields):
    """A planned session, written by the mentee as session_plan would."""
    return SessionFactory(pairing=pairing, created_by=pairing.mentee.user, **fields)


def held(pairing, **fields):
    return HeldSessionFactory(pairing=pairing, created_by=pairing.mentee.user, **fields)


def as_user(client, user):
    client.force_login(user)
    return client


def outsider():
    return ActivePairingFactory(mentee__user=UserFactory(language="en")).mentee.user


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def at_minute(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def plan_data(**extra):
    return {
        "starts_at": local(timezone.now() + timedelta(days=3)),
        "planned_minutes": "45",
        "format": "in_person",
        "place": "Salle B12, 3e étage",
        "agenda": "10 min news\n30 min pivot tables\n5 min next steps",
        **extra,
    }


def log_data(session, **extra):
    return {
        "outcome": "held",
        "starts_at": local(session.starts_at),
        "held_minutes": "50",
        "shared_notes": "",
        "learned": "",
        "next_steps": "",
        "cancel_reason": "",
        **extra,
    }


# Planning --------------------------------------------------------------------------


def test_session_create_form_defaults_to_the_programme_length(client, pairing):
    pairing.cohort.programme.session_minutes = 60
    pairing.cohort.programme.save()

    response = as_user(client, pairing.mentee.user).get(
        reverse("session_create", args=[pairing.pk])
    )

    assert response.status_code == 200
    assert response.context["form"]["planned_minutes"].value() == 60


def test_session_create_plans_a_future_session(client, pairing):
    mentee = pairing.mentee.user
    data = plan_data()

    response = as_user(client, mentee).post(reverse("session_create", args=[pairing.pk]), data)

    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[session.pk])
    assert (session.pairing, session.status, session.created_by) == (pairing, "planned", mentee)
    assert session.starts_at == datetime.fromisoformat(data["starts_at"]).replace(
        tzinfo=timezone.get_current_timezone()
    )
    assert (session.planned_minutes, session.format, session.place) == (
        45,
        "in_person",
        "Salle B12, 3e étage",
    )
    assert session.agenda == "10 min news\n30 min pivot tables\n5 min next steps"
    assert (session.sequence, session.agenda_template, session.held_minutes) == (0, None, None)


@pytest.fixture
def agenda_template(digital):
    return AgendaTemplate.objects.create(
        skill_area=digital,
        minutes=30,
        title="Tableur express",
        title_en="Quick spreadsheet",
        agenda="5 min nouvelles\n20 min pratique\n5 min suite",
        agenda_en="5 min news\n20 min practice\n5 min next steps",
    )


def test_session_create_template_prefills_agenda_and_length(client, pairing, agenda_template):
    response = as_user(client, pairing.mentee.user).get(
        reverse("session_create", args=[pairing.pk]), {"template": agenda_template.pk}
    )

    form = response.context["form"]
    assert form["agenda"].value() == "5 min news\n20 min practice\n5 min next steps"
    assert form["planned_minutes"].value() == 30
    assert "Agenda taken from “Quick spreadsheet”: adjust it freely." in response.content.decode()


def test_session_create_from_template_keeps_the_template(client, pairing, agenda_template):
    url = reverse("session_create", args=[pairing.pk]) + f"?template={agenda_template.pk}"

    response = as_user(client, pairing.mentee.user).post(url, plan_data(planned_minutes="30"))

    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.agenda_template, session.planned_minutes) == (agenda_template, 30)


def test_session_edit_template_prefills_the_agenda_of_a_planned_session(
    client, pairing, agenda_template
):
    session = planned(pairing, agenda="", planned_minutes=60)

    response = as_user(client, pairing.mentee.user).get(
        reverse("session_edit", args=[session.pk]), {"template": agenda_template.pk}
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form["agenda"].value() == "5 min news\n20 min practice\n5 min next steps"
    assert form["planned_minutes"].value() == 30
    # Only shown: nothing is saved before the member submits.
    session.refresh_from_db()
    assert (session.agenda, session.planned_minutes) == ("", 60)


def test_session_create_in_the_past_is_refused(client, pairing):
    data = plan_data(starts_at=local(timezone.now() - timedelta(hours=1)))

    response = as_user(client, pairing.mentee.user).post(
        reverse("session_create", args=[pairing.pk]), data
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "starts_at": ["This date is in the past: log the session as held instead."]
    }
    assert Session.objects.count() == 0


def test_session_create_after_programme_end_is_refused(client, pairing):
    ends_on = pairing.cohort.programme.ends_on
    after = timezone.make_aware(datetime.combine(ends_on + timedelta(days=1), time(10, 0)))

    response = as_user(client, pairing.mentee.user).post(
        reverse("session_create", args=[pairing.pk]), plan_data(starts_at=local(after))
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "starts_at": [f"The programme ends on {ends_on:%d/%m/%Y}: plan the session before."]
    }
    assert Session.objects.count() == 0


def test_session_create_by_hr_is_forbidden_and_by_an_outsider_not_found(client, pairing, hr_admin):
    url = reverse("session_create", args=[pairing.pk])

    assert as_user(client, hr_admin).post(url, plan_data()).status_code == 403
    assert as_user(client, outsider()).post(url, plan_data()).status_code == 404
    assert Session.objects.count() == 0


def test_session_edit_reschedule_bumps_the_sequence(client, pairing):
    session = planned(pairing)
    new_start = timezone.now() + timedelta(days=5)

    response = as_user(client, pairing.mentor.user).post(
        reverse("session_edit", args=[session.pk]),
        plan_data(starts_at=local(new_start), agenda=session.agenda, place=session.place),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == at_minute(new_start)
    assert (session.sequence, session.status, session.format) == (1, "planned", "in_person")


def test_session_edit_reschedule_into_the_past_changes_nothing(client, pairing):
    session = planned(pairing)
    before = session.starts_at

    response = as_user(client, pairing.mentor.user).post(
        reverse("session_edit", args=[session.pk]),
        plan_data(starts_at=local(timezone.now() - timedelta(days=1))),
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "starts_at": ["This date is in the past: log the session as held instead."]
    }
    session.refresh_from_db()
    assert (session.starts_at, session.sequence, session.place) == (
        before,
        0,
        "https://visio.example/binome",
    )


# Logging -------------------------------------------------------------------------------


def test_session_log_held_with_notes_and_goal_progress(
    client, pairing, goals, digital, past_planned
):
    mentee_goal, mentor_goal = goals
    mentor = pairing.mentor.user
    data = log_data(
        past_planned,
        held_minutes="50",
        topics=[digital.pk],
        shared_notes="Pivot tables, then charts.",
        learned="How Marc prepares a budget meeting.",
        next_steps="Marc builds his own table.",
        **{f"goal_{mentee_goal.pk}": "2", f"goal_{mentor_goal.pk}": "0"},
    )

    response = as_user(client, mentor).post(reverse("session_log", args=[past_planned.pk]), data)

    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[past_planned.pk])
    session = Session.objects.get()
    assert (session.status, session.held_minutes, session.sequence) == ("held", 50, 1)
    assert list(session.topics.all()) == [digital]
    assert session.shared_notes == "Pivot tables, then charts."
    # What I learned goes to the logger's side; the partner writes theirs later.
    assert (session.mentor_learned, session.mentee_learned) == (
        "How Marc prepares a budget meeting.",
        "",
    )
    assert session.next_steps == "Marc builds his own table."
    assert (session.logged_by, session.cancel_reason) == (mentor, "")
    assert session.logged_at is not None
    # Only the goal whose value changed gets an update, tied to the session.
    update = GoalUpdate.objects.get()
    assert (update.goal, update.session, update.author) == (mentee_goal, session, mentor)
    assert (update.previous_value, update.value, update.status) == (
        Decimal("0"),
        Decimal("2"),
        Goal.Status.IN_PROGRESS,
    )
    mentee_goal.refresh_from_db()
    mentor_goal.refresh_from_db()
    assert (mentee_goal.current_value, mentee_goal.status) == (Decimal("2"), "in_progress")
    assert (mentor_goal.current_value, mentor_goal.status) == (Decimal("0"), "not_started")


def test_session_learned_partner_adds_their_own(client, pairing):
    session = held(pairing, mentor_learned="Delegating.")

    response = as_user(client, pairing.mentee.user).post(
        reverse("session_learned", args=[session.pk]), {"learned": "Conditional formatting."}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.mentor_learned, session.mentee_learned) == (
        "Delegating.",
        "Conditional formatting.",
    )


def test_session_learned_on_a_planned_session_is_refused(client, pairing):
    session = planned(pairing)

    response = as_user(client, pairing.mentee.user).post(
        reverse("session_learned", args=[session.pk]), {"learned": "Too early."}
    )

    assert response.status_code == 422
    assert response.context["learned_form"].non_field_errors() == [
        "The session has not been logged as held."
    ]
    session.refresh_from_db()
    assert session.mentee_learned == ""


def test_session_learned_by_hr_is_forbidden(client, pairing, hr_admin):
    session = held(pairing)

    response = as_user(client, hr_admin).post(
        reverse("session_learned", args=[session.pk]), {"learned": "HR writes"}
    )

    assert response.status_code == 403
    session.refresh_from_db()
    assert (session.mentor_learned, session.mentee_learned) == ("", "")


def test_session_log_new_records_an_unplanned_past_session(client, pairing, digital):
    mentee = pairing.mentee.user
    when = timezone.now() - timedelta(days=1)

    response = as_user(client, mentee).post(
        reverse("session_log_new", args=[pairing.pk]),
        {
            "outcome": "held",
            "starts_at": local(when),
            "held_minutes": "35",
            "topics": [digital.pk],
            "learned": "Shortcuts.",
        },
    )

    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.pairing, session.status, session.starts_at) == (
        pairing,
        "held",
        at_minute(when),
    )
    assert (session.held_minutes, session.planned_minutes) == (35, 35)
    assert (session.created_by, session.logged_by) == (mentee, mentee)
    assert (session.mentee_learned, session.mentor_learned) == ("Shortcuts.", "")
    assert list(session.topics.all()) == [digital]


def test_session_log_held_in_the_future_is_refused_and_nothing_changes(client, pairing, goals):
    session = planned(pairing)
    goal = goals[0]

    response = as_user(client, pairing.mentor.user).post(
        reverse("session_log", args=[session.pk]),
        log_data(session, shared_notes="Not yet", **{f"goal_{goal.pk}": "2"}),
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "starts_at": ["A session cannot be logged as held in the future."]
    }
    session.refresh_from_db()
    assert (session.status, session.held_minutes, session.shared_notes, session.sequence) == (
        "planned",
        None,
        "",
        0,
    )
    assert GoalUpdate.objects.count() == 0
    goal.refresh_from_db()
    assert goal.current_value == Decimal("0")


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 5."),
        ("600", "Ensure this value is less than or equal to 240."),
    ],
)
def test_session_log_held_minutes_out_of_range_is_refused(
    client, pairing, past_planned, minutes, message
):
    response = as_user(client, pairing.mentor.user).post(
        reverse("session_log", args=[past_planned.pk]), log_data(past_planned, held_minutes=minutes)
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {"held_minutes": [message]}
    past_planned.refresh_from_db()
    assert (past_planned.status, past_planned.held_minutes) == ("planned", None)


def test_session_log_held_without_duration_is_refused(client, pairing, past_planned):
    response = as_user(client, pairing.mentor.user).post(
        reverse("session_log", args=[past_planned.pk]), log_data(past_planned, held_minutes="")
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {"held_minutes": ["Say how long the session lasted."]}


def test_session_log_cancelled_without_reason_is_refused(client, pairing, past_planned):
    response = as_user(client, pairing.mentee.user).post(
        reverse("session_log", args=[past_planned.pk]),
        log_data(past_planned, outcome="cancelled"),
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "cancel_reason": ["Say briefly why it was cancelled."]
    }
    past_planned.refresh_from_db()
    assert past_planned.status == "planned"


def test_session_log_cancelled_has_no_duration_and_no_progress(client, pairing, goals):
    session = planned(pairing)
    goal = goals[0]

    response = as_user(client, pairing.mentee.user).post(
        reverse("session_log", args=[session.pk]),
        log_data(
            session,
            outcome="cancelled",
            held_minutes="45",
            cancel_reason="Marc was ill.",
            **{f"goal_{goal.pk}": "3"},
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.held_minutes, session.cancel_reason) == (
        "cancelled",
        None,
        "Marc was ill.",
    )
    assert (session.sequence, session.logged_by) == (1, pairing.mentee.user)
    assert GoalUpdate.objects.count() == 0
    goal.refresh_from_db()
    assert goal.current_value == Decimal("0")


def test_session_log_twice_is_refused(client, pairing):
    session = held(pairing, shared_notes="First log.")

    response = as_user(client, pairing.mentor.user).post(
        reverse("session_log", args=[session.pk]),
        log_data(session, held_minutes="90", shared_notes="Second log."),
    )

    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[session.pk])
    session.refresh_from_db()
    assert (session.held_minutes, session.shared_notes, session.sequence) == (40, "First log.", 0)


def test_session_log_service_twice_says_already_logged(pairing):
    session = held(pairing)
    stale = Session.objects.get(pk=session.pk)
    stale.status = Session.Status.PLANNED  # a copy read before the first log

    with translation.override("en"), pytest.raises(ValidationError) as error:
        session_log(session=stale, by=pairing.mentor.user, held=False)

    assert (error.value.code, error.value.messages) == (
        "logged",
        ["This session is already logged."],
    )
    session.refresh_from_db()
    assert (session.status, session.held_minutes) == ("held", 40)


def test_session_log_service_rolls_back_everything_when_a_goal_fails(pairing, goals, past_planned):
    own_goal = goals[0]
    foreign_goal = GoalFactory()
    past_planned.held_minutes = 45
    past_planned.shared_notes = "Half saved?"

    with pytest.raises(Goal.DoesNotExist):
        session_log(
            session=past_planned,
            by=pairing.mentor.user,
            held=True,
            learned="Something",
            goal_values={own_goal: Decimal("2"), foreign_goal: Decimal("1")},
        )

    session = Session.objects.get(pk=past_planned.pk)
    assert (session.status, session.held_minutes, session.shared_notes, session.sequence) == (
        "planned",
        None,
        "",
        0,
    )
    assert session.mentor_learned == ""
    assert GoalUpdate.objects.count() == 0
    own_goal.refresh_from_db()
    foreign_goal.refresh_from_db()
    assert (own_goal.current_value, own_goal.status) == (Decimal("0"), "not_started")
    assert foreign_goal.current_value == Decimal("0")


def test_session_log_service_held_without_duration(pairing, past_planned):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        session_log(session=past_planned, by=pairing.mentee.user, held=True)

    assert (error.value.code, error.value.messages) == (
        "no_duration",
        ["Say how long the session lasted."],
    )


def test_session_log_service_before_the_pair_started(pairing):
    start = pairing.start_date()
    session = Session(
        pairing=pairing,
        starts_at=timezone.now() - timedelta(days=60),
        held_minutes=45,
    )

    with translation.override("en"), pytest.raises(ValidationError) as error:
        session_log(session=session, by=pairing.mentee.user, held=True)

    assert error.value.code == "before_start"
    assert error.value.messages == [
        f"The pair started on {start:%d/%m/%Y}: a session cannot be before."
    ]
    assert Session.objects.count() == 0


def test_session_learned_service_writes_the_members_side(pairing):
    session = held(pairing)

    session_learned_set(session=session, by=pairing.mentor.user, learned="Budget cycles.")

    session.refresh_from_db()
    assert (session.mentor_learned, session.mentee_learned) == ("Budget cycles.", "")


def test_session_log_by_hr_is_forbidden_and_by_an_outsider_not_found(
    client, pairing, past_planned, hr_admin
):
    url = reverse("session_log", args=[past_planned.pk])

    assert as_user(client, hr_admin).post(url, log_data(past_planned)).status_code == 403
    assert as_user(client, outsider()).post(url, log_data(past_planned)).status_code == 404
    past_planned.refresh_from_db()
    assert past_planned.status == "planned"
