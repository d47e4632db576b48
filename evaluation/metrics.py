"""Engagement snapshots: the facts of a programme read from the database, summarised.

The formulas live in ``evaluation.formulas``; this module gathers their
facts in a fixed number of queries whatever the size of the programme (the
sessions and check-ins are grouped by pair and month in the database), and
stores one document per programme and per cohort and day in
``EngagementSnapshot.metrics``. Dashboards read those documents only.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from evaluation import formulas
from evaluation.formulas import Group, Membership, Person
from evaluation.models import Assessment, CheckIn, EngagementSnapshot
from evaluation.schedule import GRACE_DAYS
from evaluation.selectors import checkin_schedule
from pairs.models import Goal, Pairing, Session
from pairs.selectors import pairings_follow_up
from programmes.models import Participant, Programme

# How many of the pairs needing attention a snapshot lists (the count is always exact).
ATTENTION_LISTED = 50


def _month(value) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _months(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def programme_facts(programme: Programme, today: date) -> tuple[list[Person], list[Membership]]:
    """Every enrolment of the programme and every person's place in a pair that was not declined.

    Eight queries whatever the number of pairs, sessions or answers.
    """
    people = [
        Person(
            participant=row["pk"],
            role=row["role"],
            status=row["status"],
            cohort=row["cohort_id"],
            department=row["user__department"].strip(),
            direction=row["user__direction"].strip(),
        )
        for row in Participant.objects.filter(programme=programme)
        .order_by()
        .values("pk", "role", "status", "cohort_id", "user__department", "user__direction")
    ]
    pairings = Pairing.objects.filter(cohort__programme=programme).exclude(
        status=Pairing.Status.DECLINED
    )
    follow_up = pairings_follow_up(pairings, today)
    ids = [row.pairing.pk for row in follow_up]

    sessions = defaultdict(dict)
    for row in (
        Session.objects.filter(pairing__in=ids, status=Session.Status.HELD)
        .annotate(month=TruncMonth("starts_at"))
        .order_by()
        .values("pairing", "month")
        .annotate(held=Count("id"), minutes=Sum("held_minutes"))
    ):
        sessions[row["pairing"]][_month(row["month"])] = (row["held"], row["minutes"] or 0)

    answers = defaultdict(lambda: defaultdict(dict))
    recommend = defaultdict(lambda: [0, 0])
    for row in (
        CheckIn.objects.filter(pairing__in=ids)
        .annotate(month=TruncMonth("answered_at"))
        .order_by()
        .values("pairing", "side", "kind", "month")
        .annotate(
            count=Count("id"),
            satisfaction=Sum("satisfaction"),
            progress=Sum("progress"),
            confidence=Sum("confidence"),
            yes=Count("id", filter=Q(would_recommend=True)),
            said=Count("id", filter=Q(would_recommend__isnull=False)),
        )
    ):
        key = (row["pairing"], row["side"])
        if row["kind"] == CheckIn.Kind.PERIODIC:
            answers[key][_month(row["month"])] = (
                row["count"],
                row["satisfaction"],
                row["progress"],
                row["confidence"],
            )
        recommend[key][0] += row["yes"]
        recommend[key][1] += row["said"]

    goals = {
        (row["pairing"], row["learner"]): row
        for row in Goal.objects.filter(pairing__in=ids)
        .exclude(status=Goal.Status.DROPPED)
        .order_by()
        .values("pairing", "learner")
        .annotate(
            total=Count("id"),
            achieved=Count("id", filter=Q(status=Goal.Status.ACHIEVED)),
            on_time=Count(
                "id", filter=Q(status=Goal.Status.ACHIEVED, achieved_on__lte=F("deadline"))
            ),
        )
    }

    levels = defaultdict(lambda: defaultdict(dict))
    for row in (
        Assessment.objects.filter(pairing__in=ids)
        .order_by()
        .values_list("pairing", "side", "skill_area", "kind", "level")
    ):
        pairing, side, skill, kind, level = row
        levels[(pairing, side)][skill][kind] = level

    memberships = []
    end_of_programme = min(today, programme.ends_on)
    for row in follow_up:
        pairing = row.pairing
        started = pairing.status in formulas.STARTED
        end = end_of_programme
        if pairing.ended_at:
            end = min(end, timezone.localdate(pairing.ended_at))
        months = max(0, (end - pairing.start_date()).days) / formulas.DAYS_PER_MONTH
        due = 0
        if started:
            due = sum(
                1
                for due_on in checkin_schedule(pairing, today)
                if due_on + timedelta(days=GRACE_DAYS) < today
            )
        by_month = sessions.get(pairing.pk, {})
        for side in ("mentor", "mentee"):
            key = (pairing.pk, side)
            monthly = answers.get(key, {})
            own_goals = goals.get(key, {})
            memberships.append(
                Membership(
                    participant=getattr(pairing, f"{side}_id"),
                    pairing=pairing.pk,
                    side=side,
                    status=pairing.status,
                    outcome=pairing.outcome,
                    stalled=row.stalled,
                    months=round(months, 3) if started else 0.0,
                    sessions_held=row.held,
                    minutes_held=sum(minutes for _, minutes in by_month.values()),
                    sessions_by_month=by_month,
                    checkins_due=due,
                    checkins_answered=sum(v[0] for v in monthly.values()),
                    satisfaction_sum=sum(v[1] for v in monthly.values()),
                    progress_sum=sum(v[2] for v in monthly.values()),
                    confidence_sum=sum(v[3] for v in monthly.values()),
                    answers_by_month={m: (v[0], v[1], v[3]) for m, v in monthly.items()},
                    recommend_yes=recommend[key][0] if key in recommend else 0,
                    recommend_answers=recommend[key][1] if key in recommend else 0,
                    goals=own_goals.get("total", 0),
                    goals_achieved=own_goals.get("achieved", 0),
                    goals_on_time=own_goals.get("on_time", 0),
                    ratings={
                        skill: (kinds["baseline"], kinds["final"])
                        for skill, kinds in levels.get(key, {}).items()
                        if len(kinds) == 2
                    },
                )
            )
    attention = sorted(
        ((row.pairing.pk, row.pairing.cohort_id, row.reasons) for row in follow_up if row.stalled),
        key=lambda item: item[0],
    )
    return people, memberships, attention


def _rows(parts: dict[str, Group], **extra) -> list[dict]:
    return [
        {"key": key, "label": key, **{k: f(key) for k, f in extra.items()}, **formulas.summarise(g)}
        for key, g in sorted(parts.items())
    ]


def _document(group: Group, months: list[str], attention: list, *, cohorts=None) -> dict:
    document = formulas.summarise(group)
    by_direction = formulas.split(group, lambda p: p.direction)
    by_department = formulas.split(group, lambda p: f"{p.direction} / {p.department}")
    document["groups"] = {
        "direction": _rows(by_direction),
        "department": [
            {**row, "label": row["key"].split(" / ", 1)[1], "parent": row["key"].split(" / ")[0]}
            for row in _rows(by_department)
        ],
    }
    if cohorts is not None:
        by_cohort = formulas.split(group, lambda p: p.cohort)
        document["groups"]["cohort"] = [
            {
                "key": cohort.pk,
                "label": cohort.name,
                "pilot": cohort.is_pilot,
                **formulas.summarise(by_cohort.get(cohort.pk, Group([], []))),
            }
            for cohort in cohorts
        ]
    document["funnel"] = formulas.funnel(group)
    document["series"] = formulas.series(group, months)
    document["uplift"] = formulas.uplift_by_skill(group)
    document["attention"] = {
        "count": len(attention),
        "pairings": [
            {"pairing": pk, "reasons": reasons} for pk, _, reasons in attention[:ATTENTION_LISTED]
        ],
    }
    return document


def engagement_documents(programme: Programme, today: date) -> dict:
    """The snapshot documents of a programme: {None: whole programme, cohort id: cohort}."""
    people, memberships, attention = programme_facts(programme, today)
    months = _months(programme.starts_on, max(programme.starts_on, min(today, programme.ends_on)))
    cohorts = list(programme.cohorts.all())
    whole = Group(people, memberships)
    documents = {None: _document(whole, months, attention, cohorts=cohorts)}
    by_cohort = formulas.split(whole, lambda p: p.cohort)
    for cohort in cohorts:
        documents[cohort.pk] = _document(
            by_cohort.get(cohort.pk, Group([], [])),
            months,
            [item for item in attention if item[1] == cohort.pk],
        )
    context = {
        "expected_sessions_per_month": round(
            formulas.DAYS_PER_MONTH / programme.session_cadence_days, 2
        ),
        "today": today.isoformat(),
    }
    for document in documents.values():
        document["context"] = context
    return documents


def engagement_snapshot_take(*, programme_id: int, today: date) -> int:
    """Compute and store today's snapshot of a programme and of each of its cohorts.

    Safe to run twice: the day's rows are replaced.
    """
    programme = Programme.objects.get(pk=programme_id)
    documents = engagement_documents(programme, today)
    for cohort_id, document in documents.items():
        EngagementSnapshot.objects.update_or_create(
            programme=programme,
            cohort_id=cohort_id,
            taken_on=today,
            defaults={"metrics": document},
        )
    return len(documents)
