from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from evaluation.models import Assessment, CheckIn
from evaluation.schedule import GRACE_DAYS, checkin_due_dates
from pairs.models import Goal, Pairing, Session
from programmes.models import ParticipantSkill, SkillArea

FINAL_WINDOW_DAYS = 30


def checkin_schedule(pairing: Pairing, today) -> list:
    """The due dates of the pair's periodic check-ins up to today (or the pair's end)."""
    programme = pairing.cohort.programme
    until = min(today, programme.ends_on)
    if pairing.ended_at:
        until = min(until, timezone.localdate(pairing.ended_at))
    return checkin_due_dates(
        pairing.start_date(), programme.checkin_first_day, programme.checkin_every_days, until
    )


def checkins_due(pairing: Pairing, user, today) -> list[dict]:
    """The user's unanswered periodic check-ins, oldest first, each with its number and date."""
    if pairing.status != Pairing.Status.ACTIVE:
        return []
    answered = set(
        CheckIn.objects.filter(
            pairing=pairing, respondent=user, kind=CheckIn.Kind.PERIODIC
        ).values_list("number", flat=True)
    )
    return [
        {
            "number": number,
            "due_on": due_on,
            "overdue": due_on + timedelta(days=GRACE_DAYS) < today,
        }
        for number, due_on in enumerate(checkin_schedule(pairing, today), start=1)
        if number not in answered
    ]


def assessment_skills(pairing: Pairing, side: str, today) -> dict:
    """The skills a member is learning, and which self-assessments are open for them.

    A member learns the skills they asked for when they enrolled and those of
    their goals. Returns {"skills": [SkillArea], "open": [kind], "done": [kind]}.
    """
    participant = getattr(pairing, side)
    sought = ParticipantSkill.objects.filter(
        participant=participant, direction=ParticipantSkill.Direction.SEEK
    ).values("skill_area")
    goals = Goal.objects.filter(pairing=pairing, learner=side).values("skill_area")
    skills = list(SkillArea.objects.filter(Q(pk__in=sought) | Q(pk__in=goals)).order_by("name"))
    done = set(
        Assessment.objects.filter(pairing=pairing, respondent=participant.user_id)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    open_kinds = []
    if (
        pairing.status == Pairing.Status.ACTIVE
        and not pairing.sessions.filter(status=Session.Status.HELD).exists()
    ):
        open_kinds.append(Assessment.Kind.BASELINE)
    ends_soon = pairing.cohort.programme.ends_on - today <= timedelta(days=FINAL_WINDOW_DAYS)
    if pairing.status == Pairing.Status.ENDED or (
        pairing.status == Pairing.Status.ACTIVE and ends_soon
    ):
        open_kinds.append(Assessment.Kind.FINAL)
    return {
        "skills": skills,
        "open": [kind for kind in open_kinds if kind not in done],
        "done": sorted(done),
    }
