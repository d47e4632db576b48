"""HR's export of the pairs, one row each, with names: never for managers."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import reports
from evaluation.models import CheckIn
from evaluation.selectors import REASONS
from pairs.models import Pairing, Session
from pairs.selectors import pairings_follow_up


def pairs_export_rows(programme, today) -> tuple[list[str], list[list]]:
    """One row per pair of the programme, with names and figures: HR's export."""
    follow_up = pairings_follow_up(
        Pairing.objects.filter(cohort__programme=programme).order_by("cohort__starts_on", "pk"),
        today,
    )
    ids = [row.pairing.pk for row in follow_up]
    minutes = dict(
        Session.objects.filter(pairing__in=ids, status=Session.Status.HELD)
        .order_by()
        .values("pairing")
        .annotate(total=Sum("held_minutes"))
        .values_list("pairing", "total")
    )
    answers = defaultdict(lambda: defaultdict(int))
    for pairing, side, count in (
        CheckIn.objects.filter(pairing__in=ids, kind=CheckIn.Kind.PERIODIC)
        .order_by()
        .values("pairing", "side")
        .annotate(n=Count("id"))
        .values_list("pairing", "side", "n")
    ):
        answers[pairing][side] = count
    header = [
        _("Pair"),
        _("Cohort"),
        _("Mentor"),
        _("Mentor's email"),
        _("Mentor's department"),
        _("Mentee"),
        _("Mentee's email"),
        _("Mentee's department"),
        _("Status"),
        _("Outcome"),
        _("Started on"),
        _("Ended on"),
        _("Sessions held"),
        _("Hours"),
        _("Goals"),
        _("Goals achieved"),
        _("Check-ins answered by the mentor"),
        _("Check-ins answered by the mentee"),
        _("To watch"),
    ]
    rows = []
    for row in follow_up:
        pairing = row.pairing
        mentor, mentee = pairing.mentor.user, pairing.mentee.user
        started = pairing.activated_at
        rows.append(
            [
                pairing.pk,
                pairing.cohort.name,
                mentor.get_full_name(),
                mentor.email,
                mentor.department,
                mentee.get_full_name(),
                mentee.email,
                mentee.department,
                pairing.get_status_display(),
                pairing.get_outcome_display() if pairing.outcome else "",
                timezone.localdate(started).isoformat() if started else "",
                timezone.localdate(pairing.ended_at).isoformat() if pairing.ended_at else "",
                row.held,
                round((minutes.get(pairing.pk) or 0) / 60, 1),
                row.goals,
                row.goals_achieved,
                answers[pairing.pk]["mentor"],
                answers[pairing.pk]["mentee"],
                ", ".join(str(REASONS[reason]) for reason in row.reasons),
            ]
        )
    return header, [[reports.spreadsheet_safe(v) for v in r] for r in rows]
