from django.db.models import Count, QuerySet

from programmes.models import Programme, SkillArea
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
