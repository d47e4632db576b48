from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.permissions import is_hr_admin
from pairs.models import Goal, GoalUpdate, Pairing, Session


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


def _visible_pairing_ids(user):
    return pairings_visible_to(user).values("pk")


def goals_visible_to(user) -> QuerySet[Goal]:
    return Goal.objects.filter(pairing__in=_visible_pairing_ids(user)).select_related(
        "pairing__mentor__user", "pairing__mentee__user", "pairing__cohort__programme", "skill_area"
    )


def goal_updates_visible_to(user) -> QuerySet[GoalUpdate]:
    return GoalUpdate.objects.filter(goal__pairing__in=_visible_pairing_ids(user))


def sessions_visible_to(user) -> QuerySet[Session]:
    return Session.objects.filter(pairing__in=_visible_pairing_ids(user)).select_related(
        "pairing__mentor__user", "pairing__mentee__user", "pairing__cohort__programme"
    )


def member_only(pairing: Pairing, user) -> str:
    """The user's side in the pair. HR may read a pair but not write in it (403)."""
    side = pairing.member_role(user)
    if side is None:
        raise PermissionDenied
    return side


def pairing_for_member(user, pk) -> tuple[Pairing, str]:
    pairing = get_object_or_404(pairings_visible_to(user), pk=pk)
    return pairing, member_only(pairing, user)
