"""Engagement snapshots: the facts of a programme read from the database, summarised.

The formulas live in ``evaluation.formulas``; this module gathers their
facts in a fixed number of queries whatever the size of the programme (the
sessions and check-ins are grouped by pair and month in the database), and
stores one document per programme and per cohort and day in
``EngagementSnapshot.metrics``. Dashboards read those documents only.
"""

from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from evaluation import formulas
from evaluation.formulas import Group, Membership, Person
from evaluation.models import Assessment, CheckIn, EngagementSnapshot
from evaluation.schedule import GRACE_DAYS, checkin_due_dates, schedule_end
from pairs.models import Goal, Pairing, Session
from pairs.selectors import stall_reasons
from programmes.models import Participant, Programme

# How many of the pairs needing attention a snapshot lists (the count is always exact).
ATTENTION_LISTED = 50


def _months(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@contextmanager
def _hash_aggregates():
    """Let PostgreSQL group a million sessions by pair and month with a hash, not a sort.

    Sessions come out of their pairing index already ordered by pair, so the
    planner sorts each pair's rows by month rather than hashing them: about
    2.3 s against 1 s for a million sessions (bench/dashboard.py). It cannot
    know the month expression has few values; ``SET LOCAL`` lasts until the
    end of this transaction only.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort = off")
        yield


def programme_facts(programme: Programme, today: date) -> tuple[list, list, list]:
    """Every enrolment of the programme and every person's place in a pair that was not declined.

    Seven queries whatever the number of pairs, sessions or answers. Sessions
    and check-ins are grouped by pair and month in the database and read as
    plain tuples: a programme of a million sessions comes back in tens of
    thousands of rows. Returns (people, memberships, pairs needing attention).
    """
    people = [
        Person(
            participant=pk,
            role=role,
            status=status,
            cohort=cohort,
            department=department.strip(),
            direction=direction.strip(),
        )
        for pk, role, status, cohort, department, direction in Participant.objects.filter(
            programme=programme
        )
        .order_by()
        .values_list("pk", "role", "status", "cohort_id", "user__department", "user__direction")
    ]
    in_programme = {"pairing__cohort__programme": programme}
    pairings = list(
        Pairing.objects.filter(cohort__programme=programme)
        .exclude(status=Pairing.Status.DECLINED)
        .order_by("pk")
        .values_list(
            "pk",
            "cohort_id",
            "mentor_id",
            "mentee_id",
            "status",
            "outcome",
            "activated_at",
            "created_at",
            "ended_at",
        )
    )

    sessions = defaultdict(dict)
    last_held = {}
    with _hash_aggregates():
        held_by_month = list(
            Session.objects.filter(status=Session.Status.HELD, **in_programme)
            .annotate(month=TruncMonth("starts_at", output_field=DateField()))
            .order_by()
            .values_list("pairing", "month")
            .annotate(held=Count("id"), minutes=Sum("held_minutes"), last=Max("starts_at"))
        )
        answered_by_month = list(
            CheckIn.objects.filter(**in_programme)
            .annotate(month=TruncMonth("answered_at", output_field=DateField()))
            .order_by()
            .values_list("pairing", "side", "kind", "month")
            .annotate(
                count=Count("id"),
                satisfaction=Sum("satisfaction"),
                progress=Sum("progress"),
                confidence=Sum("confidence"),
                yes=Count("id", filter=Q(would_recommend=True)),
                said=Count("id", filter=Q(would_recommend__isnull=False)),
            )
        )
    for pairing, month, held, minutes, last in held_by_month:
        sessions[pairing][f"{month:%Y-%m}"] = (held, minutes or 0)
        if pairing not in last_held or last > last_held[pairing]:
            last_held[pairing] = last

    answers = defaultdict(dict)
    recommend = defaultdict(lambda: [0, 0])
    for row in answered_by_month:
        pairing, side, kind, month, count, sat, prog, conf, yes, said = row
        if kind == CheckIn.Kind.PERIODIC:
            answers[(pairing, side)][f"{month:%Y-%m}"] = (count, sat, prog, conf)
        recommend[(pairing, side)][0] += yes
        recommend[(pairing, side)][1] += said

    goals = {
        (pairing, learner): (total, achieved, on_time)
        for pairing, learner, total, achieved, on_time in Goal.objects.filter(**in_programme)
        .exclude(status=Goal.Status.DROPPED)
        .order_by()
        .values_list("pairing", "learner")
        .annotate(
            total=Count("id"),
            achieved=Count("id", filter=Q(status=Goal.Status.ACHIEVED)),
            on_time=Count(
                "id", filter=Q(status=Goal.Status.ACHIEVED, achieved_on__lte=F("deadline"))
            ),
        )
    }

    levels = defaultdict(lambda: defaultdict(dict))
    for pairing, side, skill, kind, level in (
        Assessment.objects.filter(**in_programme)
        .order_by()
        .values_list("pairing", "side", "skill_area", "kind", "level")
    ):
        levels[(pairing, side)][skill][kind] = level

    memberships, attention = [], []
    for pk, cohort, mentor, mentee, status, outcome, activated, created, ended in pairings:
        started = status in formulas.STARTED
        start = timezone.localdate(activated or created)
        ended_on = timezone.localdate(ended) if ended else None
        until = schedule_end(today, programme.ends_on, ended_on)
        due_dates = []
        if started:
            due_dates = checkin_due_dates(
                start, programme.checkin_first_day, programme.checkin_every_days, until
            )
        due = sum(1 for due_on in due_dates if due_on + timedelta(days=GRACE_DAYS) < today)
        months = max(0, (until - start).days) / formulas.DAYS_PER_MONTH if started else 0.0
        answered = {
            side: sum(v[0] for v in answers.get((pk, side), {}).values())
            for side in ("mentor", "mentee")
        }
        reasons = []
        if status == Pairing.Status.ACTIVE:
            last = last_held.get(pk)
            reasons, _overdue = stall_reasons(
                start=start,
                last_held=timezone.localdate(last) if last else None,
                cadence_days=programme.session_cadence_days,
                due_dates=due_dates,
                answered=list(answered.values()),
                today=today,
            )
            if reasons:
                attention.append((pk, cohort, reasons))
        by_month = sessions.get(pk, {})
        for side, participant in (("mentor", mentor), ("mentee", mentee)):
            key = (pk, side)
            monthly = answers.get(key, {})
            total, achieved, on_time = goals.get(key, (0, 0, 0))
            memberships.append(
                Membership(
                    participant=participant,
                    pairing=pk,
                    side=side,
                    status=status,
                    outcome=outcome,
                    stalled=bool(reasons),
                    months=round(months, 3),
                    sessions_held=sum(held for held, _ in by_month.values()),
                    minutes_held=sum(minutes for _, minutes in by_month.values()),
                    sessions_by_month=by_month,
                    checkins_due=due,
                    checkins_answered=answered[side],
                    satisfaction_sum=sum(v[1] for v in monthly.values()),
                    progress_sum=sum(v[2] for v in monthly.values()),
                    confidence_sum=sum(v[3] for v in monthly.values()),
                    answers_by_month={m: (v[0], v[1], v[3]) for m, v in monthly.items()},
                    recommend_yes=recommend.get(key, (0, 0))[0],
                    recommend_answers=recommend.get(key, (0, 0))[1],
                    goals=total,
                    goals_achieved=achieved,
                    goals_on_time=on_time,
                    ratings={
                        skill: (kinds["baseline"], kinds["final"])
                        for skill, kinds in levels.get(key, {}).items()
                        if len(kinds) == 2
                    },
                )
            )
    return people, memberships, attention


def _document(group: Group, months: list[str], attention: list, *, cohorts=None) -> dict:
    document = formulas.summarise(group)
    by_direction = formulas.split(group, lambda p: p.direction)
    by_department = formulas.split(group, lambda p: (p.direction, p.department))
    document["groups"] = {
        "direction": [
            {"key": direction, "label": direction, **formulas.summarise(part)}
            for direction, part in sorted(by_direction.items())
        ],
        "department": [
            {
                "key": f"{direction} / {department}",
                "label": department,
                "parent": direction,
                **formulas.summarise(part),
            }
            for (direction, department), part in sorted(by_department.items())
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
