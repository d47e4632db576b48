"""Engagement metrics of a set of pairs, as stored in EngagementSnapshot.metrics."""

from datetime import date

from django.db.models import Avg, Count, Q, Sum

from evaluation.models import Assessment, CheckIn, EngagementSnapshot
from pairs.models import Goal, Pairing, Session
from pairs.selectors import pairings_follow_up
from programmes.models import Programme


def _round(value, digits=2):
    return None if value is None else round(float(value), digits)


def engagement_metrics(pairings, today: date) -> dict:
    """Figures over the given pairings (declined ones excluded).

    pairs: active, ended, stalled; sessions_held and hours_held; sessions per
    pair (held sessions / pairs that started); goal completion (achieved /
    goals not dropped, in %); check-ins answered with average satisfaction,
    progress and confidence (1 to 5); skill uplift: average final minus
    baseline self-rating over the (person, skill) pairs rated both times.
    """
    pairings = pairings.exclude(status__in=[Pairing.Status.DECLINED, Pairing.Status.PROPOSED])
    ids = list(pairings.values_list("pk", flat=True))
    counts = pairings.aggregate(
        active=Count("pk", filter=Q(status=Pairing.Status.ACTIVE)),
        ended=Count("pk", filter=Q(status=Pairing.Status.ENDED)),
    )
    sessions = Session.objects.filter(pairing__in=ids, status=Session.Status.HELD).aggregate(
        held=Count("pk"), minutes=Sum("held_minutes")
    )
    goals = (
        Goal.objects.filter(pairing__in=ids)
        .exclude(status=Goal.Status.DROPPED)
        .aggregate(total=Count("pk"), achieved=Count("pk", filter=Q(status=Goal.Status.ACHIEVED)))
    )
    checkins = CheckIn.objects.filter(pairing__in=ids, kind=CheckIn.Kind.PERIODIC).aggregate(
        answered=Count("pk"),
        satisfaction=Avg("satisfaction"),
        progress=Avg("progress"),
        confidence=Avg("confidence"),
    )
    ratings = {}
    for row in Assessment.objects.filter(pairing__in=ids).values(
        "pairing", "respondent", "skill_area", "kind", "level"
    ):
        key = (row["pairing"], row["respondent"], row["skill_area"])
        ratings.setdefault(key, {})[row["kind"]] = row["level"]
    gains = [r["final"] - r["baseline"] for r in ratings.values() if len(r) == 2]
    stalled = sum(row.stalled for row in pairings_follow_up(pairings, today))
    started = counts["active"] + counts["ended"]
    return {
        "pairs_active": counts["active"],
        "pairs_ended": counts["ended"],
        "pairs_stalled": stalled,
        "sessions_held": sessions["held"],
        "hours_held": _round((sessions["minutes"] or 0) / 60, 1),
        "sessions_per_pair": _round(sessions["held"] / started) if started else None,
        "goals": goals["total"],
        "goals_achieved": goals["achieved"],
        "goal_completion": _round(100 * goals["achieved"] / goals["total"], 1)
        if goals["total"]
        else None,
        "checkins_answered": checkins["answered"],
        "satisfaction": _round(checkins["satisfaction"]),
        "progress": _round(checkins["progress"]),
        "confidence": _round(checkins["confidence"]),
        "skill_uplift": _round(sum(gains) / len(gains)) if gains else None,
    }


def engagement_snapshot_take(*, programme_id: int, today: date) -> int:
    """Compute and store today's snapshot of a programme and of each of its cohorts."""
    programme = Programme.objects.get(pk=programme_id)
    pairings = Pairing.objects.filter(cohort__programme=programme)
    EngagementSnapshot.objects.update_or_create(
        programme=programme,
        cohort=None,
        taken_on=today,
        defaults={"metrics": engagement_metrics(pairings, today)},
    )
    cohorts = list(programme.cohorts.all())
    for cohort in cohorts:
        EngagementSnapshot.objects.update_or_create(
            programme=programme,
            cohort=cohort,
            taken_on=today,
            defaults={"metrics": engagement_metrics(pairings.filter(cohort=cohort), today)},
        )
    return 1 + len(cohorts)
