from django.db.models import Q, QuerySet

from accounts.permissions import is_hr_admin
from pairs.models import Pairing


def pairings_visible_to(user) -> QuerySet[Pairing]:
    """HR sees every pairing; a participant sees their own; nobody else sees any."""
    pairings = Pairing.objects.select_related(
        "mentor__user", "mentee__user", "cohort__programme", "proposal"
    )
    if not user.is_authenticated:
        return pairings.none()
    if is_hr_admin(user):
        return pairings
    return pairings.filter(Q(mentor__user=user) | Q(mentee__user=user))
