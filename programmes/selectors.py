from django.db.models import Count, Prefetch, QuerySet

from programmes.models import Participant, ParticipantSkill, Programme, SkillArea
from programmes.permissions import programmes_visible_to


def programme_list(*, user, status: str | None = None) -> QuerySet[Programme]:
    """The programmes this user may see, with what the list shows counted in SQL."""
    programmes = programmes_visible_to(user).annotate(
        cohort_count=Count("cohorts", distinct=True),
        skill_area_count=Count("skill_areas", distinct=True),
    )
    if status in Programme.Status.values:
        programmes = programmes.filter(status=status)
    return programmes.order_by("-starts_on", "name")


def programme_status_counts(*, user) -> dict[str, int]:
    rows = programmes_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(Programme.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def skill_area_list() -> QuerySet[SkillArea]:
    return SkillArea.objects.annotate(programme_count=Count("programmes")).order_by(
        "category", "name"
    )


def participant_list(
    *, programme: Programme, role: str | None = None, status: str | None = None
) -> QuerySet[Participant]:
    """A programme's volunteers with their skills and training progress, in fixed queries."""
    participants = (
        programme.participants.select_related("user", "user__manager", "cohort")
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=ParticipantSkill.objects.select_related("skill_area").order_by(
                    "direction", "-level", "skill_area__name"
                ),
            )
        )
        .annotate(modules_done=Count("training_completions", distinct=True))
    )
    if role in Participant.Role.values:
        participants = participants.filter(role=role)
    if status in Participant.Status.values:
        participants = participants.filter(status=status)
    return participants.order_by("role", "user__last_name", "user__first_name")


def trained_mentor_ids(*, programme: Programme) -> set[int]:
    """Mentors of the programme who finished every training module."""
    total = programme.training_modules.count()
    mentors = programme.participants.filter(role=Participant.Role.MENTOR)
    if total == 0:
        return set(mentors.values_list("pk", flat=True))
    return set(
        mentors.annotate(done=Count("training_completions"))
        .filter(done__gte=total)
        .values_list("pk", flat=True)
    )
