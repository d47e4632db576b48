"""Writes on programmes that carry rules beyond a single form save."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.models import Pairing
from programmes.availability import slots_to_mask
from programmes.models import (
    Participant,
    ParticipantSkill,
    Programme,
    TrainingCompletion,
    TrainingModule,
)


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


@transaction.atomic
def participant_enrol(*, programme: Programme, user, role: str, form) -> Participant:
    """Enrol ``user`` as a volunteer (or update their profile) from a valid EnrolmentForm.

    A volunteer who withdrew or was declined can enrol again: the enrolment
    goes back to HR for approval. The role can change only before approval.
    """
    if programme.status != Programme.Status.ENROLMENT:
        raise ValidationError(_("Enrolment is not open for this programme."), code="closed")
    data = form.cleaned_data
    participant = (
        Participant.objects.select_for_update().filter(programme=programme, user=user).first()
    )
    if participant is None:
        participant = Participant(programme=programme, user=user, role=role)
    elif participant.role != role and participant.status == Participant.Status.APPROVED:
        raise ValidationError(
            _("Your enrolment is approved as %(role)s; ask HR to change your role.")
            % {"role": participant.get_role_display()},
            code="role_locked",
        )
    if participant.status in (Participant.Status.WITHDRAWN, Participant.Status.DECLINED):
        participant.status = Participant.Status.PENDING
        participant.decided_by = None
        participant.decided_at = None
    participant.role = role
    participant.cohort = data["cohort"]
    participant.motivation = data["motivation"]
    participant.availability = slots_to_mask(data["availability"])
    participant.format = data["format"]
    participant.languages = sorted(data["languages"])
    participant.capacity = data.get("capacity") or 1
    participant.consent_at = participant.consent_at or timezone.now()
    participant.full_clean(exclude=["user", "programme", "cohort"])
    participant.save()
    participant.skills.all().delete()
    ParticipantSkill.objects.bulk_create(
        ParticipantSkill(participant=participant, skill_area=area, direction=direction, level=level)
        for area, direction, level in form.skill_levels()
    )
    return participant


def participant_decide(*, participant: Participant, approve: bool, by) -> Participant:
    """HR approves or declines a volunteer's enrolment."""
    if participant.status == Participant.Status.WITHDRAWN:
        raise ValidationError(_("This volunteer has withdrawn."), code="withdrawn")
    participant.status = Participant.Status.APPROVED if approve else Participant.Status.DECLINED
    participant.decided_by = by
    participant.decided_at = timezone.now()
    participant.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return participant


def participant_withdraw(*, participant: Participant, by) -> Participant:
    """A volunteer leaves the programme; not while in a live pairing (HR ends it first)."""
    live = Pairing.objects.filter(status__in=Pairing.LIVE).filter(
        Q(mentor=participant) | Q(mentee=participant)
    )
    if live.exists():
        raise ValidationError(
            _("You are part of a pair: talk to your partner and HR before withdrawing."),
            code="paired",
        )
    participant.status = Participant.Status.WITHDRAWN
    participant.save(update_fields=["status", "updated_at"])
    return participant


def training_mark(*, participant: Participant, module: TrainingModule, done: bool, by) -> None:
    """Record (or undo) that a mentor finished a training module. Safe to repeat."""
    if module.programme_id != participant.programme_id:
        raise ValidationError(_("This module belongs to another programme."), code="other")
    if done:
        TrainingCompletion.objects.get_or_create(
            participant=participant, module=module, defaults={"marked_by": by}
        )
    else:
        TrainingCompletion.objects.filter(participant=participant, module=module).delete()
