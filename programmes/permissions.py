"""Who may see and change programmes. Views and tests use these, nothing else."""

from django.db.models import QuerySet

from accounts.permissions import can_read_programmes, is_hr_admin
from programmes.models import Programme


def programmes_visible_to(user) -> QuerySet[Programme]:
    """The programmes this user may open.

    HR admins and managers see every programme; other employees see the
    programmes whose enrolment is open (enrolment itself comes with the
    participant profiles).
    """
    if not user.is_authenticated:
        return Programme.objects.none()
    if can_read_programmes(user):
        return Programme.objects.all()
    return Programme.objects.filter(status=Programme.Status.ENROLMENT)


def can_manage_programmes(user) -> bool:
    return is_hr_admin(user)
