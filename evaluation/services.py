"""Answers to check-ins, the closing questionnaire and the skill self-assessments."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import Assessment, CheckIn
from evaluation.selectors import assessment_skills, checkin_schedule
from pairs.models import Pairing
from pairs.services import member_side


def checkin_answer(*, pairing: Pairing, by, checkin: CheckIn, today=None) -> CheckIn:
    """Save one member's answer to a due check-in (or to the closing questionnaire).

    ``checkin`` carries the answers, its ``kind`` and, for a periodic one, its
    ``number`` in the schedule. Each is answered once: a second answer is
    refused, whether it comes from a double click or an old tab.
    """
    side = member_side(pairing, by)
    today = today or timezone.localdate()
    if checkin.kind == CheckIn.Kind.CLOSING:
        if pairing.status != Pairing.Status.ENDED:
            raise ValidationError(
                _("The closing questionnaire opens when the pair ends."), code="not_ended"
            )
        checkin.number = 0
        checkin.due_on = timezone.localdate(pairing.ended_at)
    else:
        if pairing.status != Pairing.Status.ACTIVE:
            raise ValidationError(_("This pair is not active."), code="not_active")
        due = checkin_schedule(pairing, today)
        if not 1 <= checkin.number <= len(due):
            raise ValidationError(_("This check-in is not due yet."), code="not_due")
        checkin.due_on = due[checkin.number - 1]
        checkin.would_recommend = None
    checkin.pairing = pairing
    checkin.respondent = by
    checkin.side = side
    checkin.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already answered this check-in. Thank you!"), code="answered_twice"
        ) from None
    return checkin


@transaction.atomic
def assessment_submit(*, pairing: Pairing, by, kind: str, levels: dict, today=None) -> list:
    """Save a member's self-ratings, one per skill they are learning, all or nothing.

    The baseline is taken before the first session is held; the final one when
    the pair has ended or the programme is in its last 30 days.
    """
    side = member_side(pairing, by)
    state = assessment_skills(pairing, side, today or timezone.localdate())
    # Answered kinds are never "open": say so before saying it is closed.
    if Assessment.objects.filter(pairing=pairing, respondent=by, kind=kind).exists():
        raise ValidationError(_("You have already answered this self-assessment."), code="twice")
    if kind not in state["open"]:
        if kind == Assessment.Kind.BASELINE:
            message = _("The baseline is taken before your first session; it is closed now.")
        else:
            message = _("The final self-assessment opens at the end of the pair.")
        raise ValidationError(message, code="closed")
    expected = {area.pk for area in state["skills"]}
    if set(levels) != expected:
        raise ValidationError(_("Rate every skill in the list."), code="incomplete")
    rows = [
        Assessment(
            pairing=pairing, respondent=by, side=side, kind=kind, skill_area_id=pk, level=level
        )
        for pk, level in levels.items()
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            return Assessment.objects.bulk_create(rows)
    except IntegrityError:
        # Two submissions at the same moment: the second meets the unique constraint.
        raise ValidationError(
            _("You have already answered this self-assessment."), code="twice"
        ) from None
