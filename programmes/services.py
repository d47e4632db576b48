"""Writes on programmes that carry rules beyond a single form save."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programmes.models import Programme


@transaction.atomic
def programme_transition(*, programme: Programme, to: str, by) -> Programme:
    """Move a programme to the status ``to``, or raise ValidationError.

    Only the moves in ``Programme.TRANSITIONS`` are allowed, and enrolment
    opens only on a programme people can actually enrol in: at least one
    skill area in scope and one cohort to join.
    """
    # Lock the row: two HR admins clicking at once must not both succeed.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if to not in Programme.Status.values:
        raise ValidationError(_("Unknown status."), code="unknown_status")
    if to not in programme.allowed_transitions:
        raise ValidationError(
            _("A programme cannot go from “%(current)s” to “%(target)s”.")
            % {
                "current": programme.get_status_display(),
                "target": Programme.Status(to).label,
            },
            code="transition_not_allowed",
        )
    if to == Programme.Status.ENROLMENT:
        problems = []
        if not programme.skill_areas.exists():
            problems.append(_("choose at least one skill area"))
        if not programme.cohorts.exists():
            problems.append(_("add at least one cohort"))
        if problems:
            raise ValidationError(
                _("Before opening enrolment, %(problems)s.") % {"problems": ", ".join(problems)},
                code="not_ready",
            )
    programme.status = to
    programme.save(update_fields=["status", "updated_at"])
    return programme
