"""Reads about pairs: what the pair page shows, and which pairs HR should look at."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from evaluation.models import CheckIn
from evaluation.schedule import overdue_count
from evaluation.selectors import assessment_kinds, checkin_schedule, checkins_due
from pairs.models import Goal, Pairing, PrivateNote, Session

# A pair is stalled after this many cadences without a held session.
STALLED_CADENCES = 2


def next_session_due(pairing: Pairing, last_held: date | None) -> date:
    """The day the next session is due by the programme's cadence."""
    reference = last_held or pairing.start_date()
    return reference + timedelta(days=pairing.cohort.programme.session_cadence_days)


@dataclass
class PairFollowUp:
    """Where a pair stands, for HR's list of pairs."""

    pairing: Pairing
    held: int = 0
    last_held: date | None = None
    goals: int = 0
    goals_achieved: int = 0
    overdue_checkins: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def stalled(self) -> bool:
        return bool(self.reasons)


def stall_reasons(
    *,
    start: date,
    last_held: date | None,
    cadence_days: int,
    due_dates: list[date],
    answered: list[int],
    today: date,
) -> tuple[list[str], int]:
    """Why an active pair is stalled (no reason: it is not), and its overdue check-ins.

    Stalled: no held session for twice the cadence (since its start when it
    never met), or a member's check-in unanswered past its grace period.
    ``answered`` is how many check-ins each member answered.
    """
    reasons = []
    if (today - (last_held or start)).days > STALLED_CADENCES * cadence_days:
        reasons.append("no_session")
    overdue = sum(overdue_count(due_dates, count, today) for count in answered)
    if overdue:
        reasons.append("checkin_overdue")
    return reasons, overdue


def pairings_follow_up(pairings: QuerySet[Pairing], today: date) -> list[PairFollowUp]:
    """Each pair with its counts, and why it is stalled if it is (see ``stall_reasons``).

    Four queries whatever the number of pairs.
    """
    pairings = list(pairings.select_related("mentor__user", "mentee__user", "cohort__programme"))
    ids = [p.pk for p in pairings]
    sessions = {
        row["pairing"]: row
        for row in Session.objects.filter(pairing__in=ids, status=Session.Status.HELD)
        .values("pairing")
        .annotate(held=Count("id"), last=Max("starts_at"))
    }
    goals = {
        row["pairing"]: row
        for row in Goal.objects.filter(pairing__in=ids)
        .exclude(status=Goal.Status.DROPPED)
        .values("pairing")
        .annotate(total=Count("id"), achieved=Count("id", filter=Q(status=Goal.Status.ACHIEVED)))
    }
    answered = {
        (row["pairing"], row["respondent"]): row["n"]
        for row in CheckIn.objects.filter(pairing__in=ids, kind=CheckIn.Kind.PERIODIC)
        .values("pairing", "respondent")
        .annotate(n=Count("id"))
    }
    rows = []
    for pairing in pairings:
        held = sessions.get(pairing.pk, {})
        last = held.get("last")
        row = PairFollowUp(
            pairing=pairing,
            held=held.get("held", 0),
            last_held=timezone.localdate(last) if last else None,
            goals=goals.get(pairing.pk, {}).get("total", 0),
            goals_achieved=goals.get(pairing.pk, {}).get("achieved", 0),
        )
        if pairing.status == Pairing.Status.ACTIVE:
            row.reasons, row.overdue_checkins = stall_reasons(
                start=pairing.start_date(),
                last_held=row.last_held,
                cadence_days=pairing.cohort.programme.session_cadence_days,
                due_dates=checkin_schedule(pairing, today),
                answered=[
                    answered.get((pairing.pk, member.user_id), 0)
                    for member in (pairing.mentor, pairing.mentee)
                ],
                today=today,
            )
        rows.append(row)
    return rows


def stalled_pairings(pairings: QuerySet[Pairing], today: date) -> list[PairFollowUp]:
    return [row for row in pairings_follow_up(pairings, today) if row.stalled]


def pairing_page(pairing: Pairing, user, today: date) -> dict:
    """What the pair page shows a member (or HR): goals, sessions, what is due, what next.

    Private notes are the viewer's own; check-in answers are never read here.
    """
    side = pairing.member_role(user)
    goals = list(pairing.goals.select_related("skill_area"))
    sessions = pairing.sessions.all()
    now = timezone.now()
    upcoming = list(
        sessions.filter(status=Session.Status.PLANNED, starts_at__gte=now).order_by("starts_at")[:3]
    )
    recent = list(sessions.exclude(status=Session.Status.PLANNED, starts_at__gte=now)[:5])
    stats = sessions.filter(status=Session.Status.HELD).aggregate(
        held=Count("id"), last=Max("starts_at")
    )
    last_held = timezone.localdate(stats["last"]) if stats["last"] else None
    context = {
        "side": side,
        "mentee_goals": [g for g in goals if g.learner == Goal.Learner.MENTEE],
        "mentor_goals": [g for g in goals if g.learner == Goal.Learner.MENTOR],
        "upcoming": upcoming,
        "recent": recent,
        "held_count": stats["held"],
        "last_held": last_held,
        "due_by": None,
        "checkins_due": [],
        "assessments": None,
        "notes": [],
        "to_log": [],
    }
    if pairing.status == Pairing.Status.ACTIVE:
        context["due_by"] = next_session_due(pairing, last_held)
        context["to_log"] = [
            s for s in recent if s.status == Session.Status.PLANNED and s.starts_at < now
        ]
    if side:
        context["checkins_due"] = checkins_due(pairing, user, today)
        context["assessments"] = assessment_kinds(pairing, side, today, held=bool(stats["held"]))
        context["closing_done"] = (
            pairing.status == Pairing.Status.ENDED
            and CheckIn.objects.filter(
                pairing=pairing, respondent=user, kind=CheckIn.Kind.CLOSING
            ).exists()
        )
        context["notes"] = list(
            PrivateNote.objects.filter(pairing=pairing, author=user).select_related("session")[:5]
        )
    context["next_steps"] = _next_steps(pairing, context, today)
    return context


def _next_steps(pairing: Pairing, page: dict, today: date) -> list[str]:
    """Codes of what the viewer should do next, most urgent first; the template words them."""
    if not page["side"]:
        return []
    steps = []
    if pairing.status == Pairing.Status.ACTIVE:
        if page["checkins_due"]:
            steps.append("checkin")
        if "baseline" in page["assessments"]["open"]:
            steps.append("baseline")
        if page["to_log"]:
            steps.append("log")
        if not page["mentee_goals"] or not page["mentor_goals"]:
            steps.append("goals")
        if not page["upcoming"]:
            steps.append("plan")
        elif not page["upcoming"][0].agenda:
            steps.append("agenda")
        if "final" in page["assessments"]["open"]:
            steps.append("final")
    elif pairing.status == Pairing.Status.ENDED:
        if "final" in page["assessments"]["open"]:
            steps.append("final")
        if not page["closing_done"]:
            steps.append("closing")
    return steps
