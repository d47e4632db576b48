from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation import reports
from evaluation.formulas import METRICS
from evaluation.models import Assessment, CheckIn, EngagementSnapshot
from evaluation.schedule import GRACE_DAYS, checkin_due_dates, schedule_end
from evaluation.suppression import MINIMUM_GROUP
from evaluation.verdict import ADJUST, CRITERIA, SCALE_UP, STOP, pilot_verdict
from pairs.models import Goal, Pairing, Session
from programmes.models import ParticipantSkill, SkillArea

FINAL_WINDOW_DAYS = 30


def checkin_schedule(pairing: Pairing, today) -> list:
    """The due dates of the pair's periodic check-ins up to today (or the pair's end)."""
    programme = pairing.cohort.programme
    ended_on = timezone.localdate(pairing.ended_at) if pairing.ended_at else None
    until = schedule_end(today, programme.ends_on, ended_on)
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
    return {"skills": skills, **assessment_kinds(pairing, side, today)}


def assessment_kinds(pairing: Pairing, side: str, today, *, held: bool | None = None) -> dict:
    """Which self-assessments are open for a member, and which they answered.

    Returns {"open": [kind], "done": [kind]}. ``held``: whether the pair has held a
    session, when the caller has already counted them (the pair page has).
    """
    participant = getattr(pairing, side)
    done = set(
        Assessment.objects.filter(pairing=pairing, respondent=participant.user_id)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    open_kinds = []
    if pairing.status == Pairing.Status.ACTIVE:
        if held is None:
            held = pairing.sessions.filter(status=Session.Status.HELD).exists()
        if not held:
            open_kinds.append(Assessment.Kind.BASELINE)
    ends_soon = pairing.cohort.programme.ends_on - today <= timedelta(days=FINAL_WINDOW_DAYS)
    if pairing.status == Pairing.Status.ENDED or (
        pairing.status == Pairing.Status.ACTIVE and ends_soon
    ):
        open_kinds.append(Assessment.Kind.FINAL)
    return {
        "open": [kind for kind in open_kinds if kind not in done],
        "done": sorted(done),
    }


def latest_snapshot(programme, cohort=None) -> EngagementSnapshot | None:
    """The most recent snapshot of the programme (cohort None) or of one of its cohorts."""
    return (
        EngagementSnapshot.objects.filter(programme=programme, cohort=cohort)
        .order_by("-taken_on")
        .first()
    )


REASONS = {
    "no_session": _("No session for a long time"),
    "checkin_overdue": _("Check-in overdue"),
}


def dashboard_context(programme, cohort, *, protect: bool) -> dict:
    """What a dashboard page shows around its figures: a fixed number of queries.

    With ``protect`` (managers) groups under 5 people are hidden, and so is
    everything about single pairs. The figures themselves are rendered once
    per snapshot (``reports.dashboard_figures``).
    """
    snapshot = latest_snapshot(programme, cohort)
    document = snapshot.metrics if snapshot else {}
    attention, attention_count = [], 0
    if not protect and document.get("attention"):
        listed = document["attention"]["pairings"]
        attention_count = document["attention"]["count"]
        names = {
            row["pk"]: row
            for row in Pairing.objects.filter(pk__in=[item["pairing"] for item in listed]).values(
                "pk",
                "cohort__name",
                "mentor__user__first_name",
                "mentor__user__last_name",
                "mentee__user__first_name",
                "mentee__user__last_name",
            )
        }
        attention = [
            {
                "pk": item["pairing"],
                "cohort": row["cohort__name"],
                "mentor": f"{row['mentor__user__first_name']} {row['mentor__user__last_name']}",
                "mentee": f"{row['mentee__user__first_name']} {row['mentee__user__last_name']}",
                "reasons": [REASONS.get(reason, reason) for reason in item["reasons"]],
            }
            for item in listed
            if (row := names.get(item["pairing"]))
        ]
    return {
        "programme": programme,
        "cohort": cohort,
        "cohorts": [] if protect else list(programme.cohorts.all()),
        "protect": protect,
        "title": _("Results") if protect else _("Dashboard"),
        "snapshot": snapshot,
        "figures": reports.dashboard_figures(snapshot, protect=protect) if snapshot else "",
        "attention": attention,
        "attention_count": attention_count,
        "minimum_group": MINIMUM_GROUP,
    }


def verdict_context(cohort, today) -> dict:
    """The pilot verdict of a cohort from its latest snapshot, ready for the page and the PDF."""
    programme = cohort.programme
    snapshot = latest_snapshot(programme, cohort)
    context = {"programme": programme, "cohort": cohort, "snapshot": snapshot, "verdict": None}
    if snapshot is None:
        return context
    values = snapshot.metrics.get("values", {})
    targets = {field: getattr(programme, field) for _metric, field in CRITERIA}
    verdict = pilot_verdict(values, targets, ends_on=cohort.ends_on, today=today)
    rows = []
    for criterion in verdict.criteria:
        item = METRICS[criterion.metric]
        label = gettext(item.label)
        value = reports.format_value(criterion.value, item.unit)
        target = reports.format_value(criterion.target, item.unit)
        if not criterion.measured:
            reason = _("%(metric)s cannot be measured yet.") % {"metric": label}
        elif criterion.met:
            reason = _("%(metric)s is %(value)s, meeting the target of %(target)s.") % {
                "metric": label,
                "value": value,
                "target": target,
            }
        else:
            reason = _("%(metric)s is %(value)s, below the target of %(target)s.") % {
                "metric": label,
                "value": value,
                "target": target,
            }
        rows.append(
            {
                "label": label,
                "definition": gettext(item.definition),
                "target": target,
                "value": value,
                "met": criterion.met,
                "measured": criterion.measured,
                "reason": reason,
            }
        )
    key_figures = [
        reports.metric_card(key, {"value": values.get(key), "hidden": False})
        for key in (
            "volunteers",
            "pairs_active",
            "pairs_completed",
            "pairs_ended_early",
            "sessions_held",
            "hours_held",
            "checkin_response_rate",
            "recommend_rate",
        )
    ]
    context.update(
        verdict=verdict,
        criteria=rows,
        recommendation=RECOMMENDATIONS[verdict.recommendation],
        key_figures=key_figures,
        people=snapshot.metrics.get("people", 0),
    )
    return context


RECOMMENDATIONS = {
    SCALE_UP: {
        "code": SCALE_UP,
        "label": _("Scale up"),
        "explanation": _(
            "The pilot met all its success criteria: open the programme to the next waves."
        ),
    },
    ADJUST: {
        "code": ADJUST,
        "label": _("Adjust, then scale up"),
        "explanation": _(
            "The pilot works but misses some of its criteria: fix what the reasons below point "
            "to before the next wave."
        ),
    },
    STOP: {
        "code": STOP,
        "label": _("Stop"),
        "explanation": _(
            "The pilot missed most of its criteria, or people neither liked it nor stayed: stop, "
            "or rethink it before going further."
        ),
    },
}


def my_progress_context(user) -> dict:
    """A participant's own goals, sessions and self-ratings, over all their pairs.

    Four queries whatever the number of pairs, goals, sessions and ratings.
    """
    pairings = list(
        Pairing.objects.filter(Q(mentor__user=user) | Q(mentee__user=user))
        .exclude(status=Pairing.Status.DECLINED)
        .select_related("cohort__programme", "mentor__user", "mentee__user")
        .annotate(
            held=Count("sessions", filter=Q(sessions__status=Session.Status.HELD)),
            minutes=Sum("sessions__held_minutes", filter=Q(sessions__status=Session.Status.HELD)),
        )
        .order_by("-created_at")
    )
    sides = {p.pk: p.member_role(user) for p in pairings}
    goals = defaultdict(list)
    for goal in Goal.objects.filter(pairing__in=sides).select_related("skill_area"):
        if goal.learner == sides[goal.pairing_id]:
            goals[goal.pairing_id].append(goal)
    ratings = defaultdict(dict)
    for rating in Assessment.objects.filter(pairing__in=sides, respondent=user).select_related(
        "skill_area"
    ):
        row = ratings[rating.pairing_id].setdefault(
            rating.skill_area_id, {"skill": rating.skill_area, "baseline": None, "final": None}
        )
        row[rating.kind] = rating.level
    recent = list(
        Session.objects.filter(pairing__in=sides, status=Session.Status.HELD)
        .select_related("pairing")
        .order_by("-starts_at")[:10]
    )
    rows = []
    for pairing in pairings:
        skills = sorted(ratings[pairing.pk].values(), key=lambda r: r["skill"].label)
        for row in skills:
            both = row["baseline"] is not None and row["final"] is not None
            row["gain"] = row["final"] - row["baseline"] if both else None
        own = goals[pairing.pk]
        rows.append(
            {
                "pairing": pairing,
                "side": sides[pairing.pk],
                "partner": pairing.partner_of(user),
                "held": pairing.held,
                "hours": round((pairing.minutes or 0) / 60, 1),
                "goals": own,
                "goals_achieved": sum(1 for g in own if g.status == Goal.Status.ACHIEVED),
                "skills": skills,
            }
        )
    return {"rows": rows, "recent": recent}
