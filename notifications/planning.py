"""Who should hear what today: the planners beat runs. Each returns the notifications due;
``notifications_enqueue`` records the new ones and ignores those already in the outbox."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from evaluation.models import CheckIn
from evaluation.schedule import GRACE_DAYS
from evaluation.selectors import checkin_schedule
from notifications.models import Notification
from notifications.services import Due
from pairs.models import Pairing, Session
from pairs.selectors import pairings_follow_up
from programmes.models import Programme

Kind = Notification.Kind
INTRO_NUDGE_AFTER_DAYS = 3


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def plan_session_reminders(now: datetime) -> list[Due]:
    """Both members, the day before: sessions that start within the next 24 hours."""
    sessions = Session.objects.filter(
        status=Session.Status.PLANNED,
        pairing__status=Pairing.Status.ACTIVE,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).values("pk", "starts_at", "pairing_id", "pairing__mentor__user", "pairing__mentee__user")
    return [
        Due(
            Kind.SESSION_REMINDER,
            row[member],
            timezone.localdate(row["starts_at"]),
            object_id=row["pk"],
            pairing_id=row["pairing_id"],
        )
        for row in sessions
        for member in ("pairing__mentor__user", "pairing__mentee__user")
    ]


def _active_pairings():
    return Pairing.objects.filter(status=Pairing.Status.ACTIVE).select_related(
        "mentor", "mentee", "cohort__programme"
    )


def plan_checkin_reminders(today: date) -> list[Due]:
    """Each unanswered check-in: once when due, once more when past its grace period."""
    pairings = list(_active_pairings())
    answered = {
        (row["pairing"], row["respondent"], row["number"])
        for row in CheckIn.objects.filter(pairing__in=pairings, kind=CheckIn.Kind.PERIODIC).values(
            "pairing", "respondent", "number"
        )
    }
    dues = []
    for pairing in pairings:
        for number, due_on in enumerate(checkin_schedule(pairing, today), start=1):
            overdue = due_on + timedelta(days=GRACE_DAYS) < today
            for user_id in (pairing.mentor.user_id, pairing.mentee.user_id):
                if (pairing.pk, user_id, number) in answered:
                    continue
                kind = Kind.CHECKIN_OVERDUE if overdue else Kind.CHECKIN_DUE
                dues.append(Due(kind, user_id, due_on, object_id=number, pairing_id=pairing.pk))
    return dues


def plan_stalled(today: date) -> list[Due]:
    """Once a week at most: a nudge to both members of a stalled pair, an alert to HR."""
    week = _monday(today)
    hr_ids = list(
        User.objects.filter(role=User.Role.HR_ADMIN, is_active=True).values_list("pk", flat=True)
    )
    dues = []
    for row in pairings_follow_up(_active_pairings(), today):
        if not row.stalled:
            continue
        pairing = row.pairing
        for user_id in (pairing.mentor.user_id, pairing.mentee.user_id):
            dues.append(Due(Kind.STALLED_NUDGE, user_id, week, pairing.pk, pairing.pk))
        for hr_id in hr_ids:
            dues.append(Due(Kind.STALLED_ALERT, hr_id, week, pairing.pk, pairing.pk))
    return dues


def plan_intro_nudges(today: date) -> list[Due]:
    """A weekly nudge to whoever has not said yes, three days after the match was published."""
    week = _monday(today)
    cutoff = timezone.now() - timedelta(days=INTRO_NUDGE_AFTER_DAYS)
    dues = []
    for pairing in Pairing.objects.filter(
        status=Pairing.Status.PROPOSED, created_at__lt=cutoff
    ).select_related("mentor", "mentee"):
        for side in ("mentor", "mentee"):
            if getattr(pairing, f"{side}_accepted_at") is None:
                user_id = getattr(pairing, side).user_id
                dues.append(Due(Kind.INTRO_NUDGE, user_id, week, pairing.pk, pairing.pk))
    return dues


def plan_hr_digest(today: date) -> list[Due]:
    week = _monday(today)
    return [
        Due(Kind.HR_DIGEST, pk, week)
        for pk in User.objects.filter(role=User.Role.HR_ADMIN, is_active=True).values_list(
            "pk", flat=True
        )
    ]


def plan_match_published(pairing: Pairing) -> list[Due]:
    day = timezone.localdate(pairing.created_at)
    return [
        Due(Kind.MATCH_PUBLISHED, member.user_id, day, pairing.pk, pairing.pk)
        for member in (pairing.mentor, pairing.mentee)
    ]


def programme_health(today: date) -> list[dict]:
    """Per programme with pairs: active, stalled, sessions of the last 7 days, overdue check-ins."""
    week_ago = timezone.now() - timedelta(days=7)
    programmes = Programme.objects.annotate(
        active=Count(
            "cohorts__pairings",
            filter=Q(cohorts__pairings__status=Pairing.Status.ACTIVE),
            distinct=True,
        ),
        sessions=Count(
            "cohorts__pairings__sessions",
            filter=Q(
                cohorts__pairings__sessions__status=Session.Status.HELD,
                cohorts__pairings__sessions__starts_at__gte=week_ago,
            ),
            distinct=True,
        ),
    ).filter(active__gt=0)
    follow_up = {}
    for row in pairings_follow_up(_active_pairings(), today):
        stats = follow_up.setdefault(row.pairing.cohort.programme_id, [0, 0])
        stats[0] += row.stalled
        stats[1] += row.overdue_checkins
    return [
        {
            "programme": programme.name,
            "active": programme.active,
            "stalled": follow_up.get(programme.pk, [0, 0])[0],
            "sessions": programme.sessions,
            "overdue": follow_up.get(programme.pk, [0, 0])[1],
        }
        for programme in programmes.order_by("name")
    ]
