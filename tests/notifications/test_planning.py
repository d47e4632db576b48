"""The planners: who should hear what, from the data alone, keyed so that re-runs add nothing."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.planning import (
    plan_checkin_reminders,
    plan_hr_digest,
    plan_intro_nudges,
    plan_session_reminders,
    plan_stalled,
)
from notifications.services import Due
from pairs.models import Pairing
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    HeldSessionFactory,
    PairingFactory,
    SessionFactory,
    UserFactory,
)

Kind = Notification.Kind


def members(pairing):
    return pairing.mentor.user_id, pairing.mentee.user_id


def monday_of(day):
    return day - timedelta(days=day.weekday())


def fresh_pairing(**kwargs):
    """An active pair that met a week ago: neither stalled nor with a check-in due."""
    pairing = ActivePairingFactory(
        activated_at=timezone.now() - timedelta(days=10),
        mentor_accepted_at=timezone.now() - timedelta(days=11),
        mentee_accepted_at=timezone.now() - timedelta(days=10),
        **kwargs,
    )
    HeldSessionFactory(pairing=pairing, starts_at=timezone.now() - timedelta(days=7))
    return pairing


# Session reminders


def test_a_session_within_24_hours_is_reminded_to_both_members(db):
    now = timezone.now()
    session = SessionFactory(starts_at=now + timedelta(hours=20))
    SessionFactory(starts_at=now + timedelta(hours=30))  # the day after: a later tick
    mentor, mentee = members(session.pairing)
    day = timezone.localdate(session.starts_at)
    assert plan_session_reminders(now) == [
        Due(
            Kind.SESSION_REMINDER, mentor, day, object_id=session.pk, pairing_id=session.pairing_id
        ),
        Due(
            Kind.SESSION_REMINDER, mentee, day, object_id=session.pk, pairing_id=session.pairing_id
        ),
    ]
    assert plan_session_reminders(now + timedelta(minutes=5)) == plan_session_reminders(now)


def test_the_session_30_hours_ahead_is_reminded_the_next_day(db):
    now = timezone.now()
    session = SessionFactory(starts_at=now + timedelta(hours=30))
    assert plan_session_reminders(now) == []
    later = plan_session_reminders(now + timedelta(hours=7))
    assert [(due.kind, due.object_id) for due in later] == [
        (Kind.SESSION_REMINDER, session.pk),
        (Kind.SESSION_REMINDER, session.pk),
    ]


def test_no_reminder_for_past_cancelled_held_sessions_or_pairs_not_active(db):
    now = timezone.now()
    soon = now + timedelta(hours=20)
    SessionFactory(starts_at=now - timedelta(hours=1))
    SessionFactory(starts_at=soon, status="cancelled", cancel_reason="Malade")
    HeldSessionFactory(starts_at=soon, held_minutes=30)
    for status in ("ended", "declined"):
        SessionFactory(starts_at=soon, pairing=ActivePairingFactory(status=status))
    assert plan_session_reminders(now) == []


# Check-ins


def test_a_due_checkin_is_planned_for_both_members(db):
    # 40 days in, with the first check-in on day 35: due five days ago, within its grace.
    pairing = ActivePairingFactory(cohort__programme__checkin_first_day=35)
    due_on = pairing.start_date() + timedelta(days=35)
    assert due_on == timezone.localdate() - timedelta(days=5)
    mentor, mentee = members(pairing)
    assert plan_checkin_reminders(timezone.localdate()) == [
        Due(Kind.CHECKIN_DUE, mentor, due_on, object_id=1, pairing_id=pairing.pk),
        Due(Kind.CHECKIN_DUE, mentee, due_on, object_id=1, pairing_id=pairing.pk),
    ]


def test_once_a_member_answered_only_the_other_is_reminded(db):
    pairing = ActivePairingFactory(cohort__programme__checkin_first_day=35)
    CheckInFactory(pairing=pairing, respondent=pairing.mentee.user, number=1)
    dues = plan_checkin_reminders(timezone.localdate())
    assert [(due.kind, due.recipient_id, due.object_id) for due in dues] == [
        (Kind.CHECKIN_DUE, pairing.mentor.user_id, 1)
    ]


def test_a_closing_questionnaire_does_not_count_as_the_periodic_checkin(db):
    pairing = ActivePairingFactory(cohort__programme__checkin_first_day=35)
    CheckInFactory(pairing=pairing, respondent=pairing.mentee.user, kind="closing", number=0)
    dues = plan_checkin_reminders(timezone.localdate())
    assert sorted(due.recipient_id for due in dues) == sorted(members(pairing))


def test_a_checkin_past_its_grace_period_is_overdue(db):
    # 40 days in, first check-in on day 30: due ten days ago, grace of seven days spent.
    pairing = ActivePairingFactory()
    due_on = timezone.localdate() - timedelta(days=10)
    mentor, mentee = members(pairing)
    assert plan_checkin_reminders(timezone.localdate()) == [
        Due(Kind.CHECKIN_OVERDUE, mentor, due_on, object_id=1, pairing_id=pairing.pk),
        Due(Kind.CHECKIN_OVERDUE, mentee, due_on, object_id=1, pairing_id=pairing.pk),
    ]
    # The last day of grace it is still only due.
    last_day = due_on + timedelta(days=7)
    assert {due.kind for due in plan_checkin_reminders(last_day)} == {Kind.CHECKIN_DUE}


def test_no_checkin_before_the_first_is_due_nor_for_pairs_not_active(db):
    ActivePairingFactory(
        activated_at=timezone.now() - timedelta(days=29),
        mentor_accepted_at=timezone.now() - timedelta(days=29),
        mentee_accepted_at=timezone.now() - timedelta(days=29),
    )
    for status in ("ended", "declined"):
        ActivePairingFactory(status=status)
    assert plan_checkin_reminders(timezone.localdate()) == []


# Stalled pairs


def test_a_stalled_pair_nudges_both_members_and_alerts_each_active_hr_admin(db):
    claire = UserFactory(role=User.Role.HR_ADMIN)
    paul = UserFactory(role=User.Role.HR_ADMIN)
    UserFactory(role=User.Role.HR_ADMIN, is_active=False)
    UserFactory(role=User.Role.MANAGER)
    pairing = ActivePairingFactory()  # 40 days without a session
    fresh_pairing()
    today = timezone.localdate()
    week = monday_of(today)
    mentor, mentee = members(pairing)
    dues = plan_stalled(today)
    assert sorted(dues, key=lambda due: (due.kind, due.recipient_id)) == [
        Due(Kind.STALLED_ALERT, claire.pk, week, pairing.pk, pairing.pk),
        Due(Kind.STALLED_ALERT, paul.pk, week, pairing.pk, pairing.pk),
        Due(Kind.STALLED_NUDGE, mentor, week, pairing.pk, pairing.pk),
        Due(Kind.STALLED_NUDGE, mentee, week, pairing.pk, pairing.pk),
    ]
    assert {due.key for due in dues} == {
        f"stalled_alert:{pairing.pk}:{week.isoformat()}:{claire.pk}",
        f"stalled_alert:{pairing.pk}:{week.isoformat()}:{paul.pk}",
        f"stalled_nudge:{pairing.pk}:{week.isoformat()}:{mentor}",
        f"stalled_nudge:{pairing.pk}:{week.isoformat()}:{mentee}",
    }


def test_stalled_keys_are_those_of_the_week(db):
    UserFactory(role=User.Role.HR_ADMIN)
    ActivePairingFactory()
    today = timezone.localdate()
    week = monday_of(today)
    keys = {due.key for due in plan_stalled(today)}
    assert len(keys) == 3
    assert {due.key for due in plan_stalled(week)} == keys
    assert {due.key for due in plan_stalled(week + timedelta(days=6))} == keys
    next_week = {due.key for due in plan_stalled(week + timedelta(days=7))}
    assert len(next_week) == 3
    assert next_week.isdisjoint(keys)


def test_a_pair_that_meets_is_not_stalled(db):
    UserFactory(role=User.Role.HR_ADMIN)
    fresh_pairing()
    PairingFactory()  # proposed: not followed yet
    assert plan_stalled(timezone.localdate()) == []


# Intro nudges


def proposed(days_ago, **kwargs):
    pairing = PairingFactory(**kwargs)
    Pairing.objects.filter(pk=pairing.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return pairing


def test_intro_nudge_goes_to_whoever_has_not_accepted_after_three_days(db):
    today = timezone.localdate()
    week = monday_of(today)
    nobody = proposed(4)
    mentor_only = proposed(5, mentor_accepted_at=timezone.now())
    proposed(2)  # too early
    ActivePairingFactory()  # both said yes
    dues = plan_intro_nudges(today)
    assert sorted(dues, key=lambda due: (due.pairing_id, due.recipient_id)) == sorted(
        [
            Due(Kind.INTRO_NUDGE, nobody.mentor.user_id, week, nobody.pk, nobody.pk),
            Due(Kind.INTRO_NUDGE, nobody.mentee.user_id, week, nobody.pk, nobody.pk),
            Due(Kind.INTRO_NUDGE, mentor_only.mentee.user_id, week, mentor_only.pk, mentor_only.pk),
        ],
        key=lambda due: (due.pairing_id, due.recipient_id),
    )


def test_declined_proposals_are_not_nudged(db):
    proposed(10, status="declined", declined_at=timezone.now())
    assert plan_intro_nudges(timezone.localdate()) == []


# HR digest


def test_one_digest_per_active_hr_admin_and_week(db):
    claire = UserFactory(role=User.Role.HR_ADMIN)
    paul = UserFactory(role=User.Role.HR_ADMIN)
    UserFactory(role=User.Role.HR_ADMIN, is_active=False)
    UserFactory(role=User.Role.PARTICIPANT)
    today = timezone.localdate()
    week = monday_of(today)
    dues = plan_hr_digest(today)
    assert sorted(dues, key=lambda due: due.recipient_id) == [
        Due(Kind.HR_DIGEST, claire.pk, week),
        Due(Kind.HR_DIGEST, paul.pk, week),
    ]
    assert dues[0].key == f"hr_digest:0:{week.isoformat()}:{dues[0].recipient_id}"
    assert {due.key for due in plan_hr_digest(week + timedelta(days=6))} == {
        due.key for due in dues
    }
