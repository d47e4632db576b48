"""Who may see and change programmes. Views and tests use these, nothing else."""

from django.db.models import Q, QuerySet

from accounts.permissions import can_read_programmes, is_hr_admin
from programmes.models import Participant, Programme


def programmes_visible_to(user) -> QuerySet[Programme]:
    """The programmes this user may open.

    HR admins and managers see every programme; other employees see the
    programmes open for enrolment and those they have enrolled in.
    """
    if not user.is_authenticated:
        return Programme.objects.none()
    if can_read_programmes(user):
        return Programme.objects.all()
    enrolled = Participant.objects.filter(user=user).values("programme")
    return Programme.objects.filter(Q(status=Programme.Status.ENROLMENT) | Q(pk__in=enrolled))


def participation_of(user, programme) -> Participant | None:
    """This user's own enrolment in the programme, if any."""
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(programme=programme, user=user)
        .select_related("cohort")
        .prefetch_related("skills__skill_area")
        .first()
    )


def can_manage_programmes(user) -> bool:
    return is_hr_admin(user)
