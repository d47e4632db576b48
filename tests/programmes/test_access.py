"""Who reaches which programme page: anonymous, participant, manager, HR."""

import pytest
from django.urls import reverse

from programmes.models import Programme
from tests.factories import CohortFactory, ProgrammeFactory, SkillAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ProgrammeFactory(name="Brouillon secret")


@pytest.fixture
def open_programme():
    return ProgrammeFactory(name="Ouvert", status=Programme.Status.ENROLMENT)


def all_urls(programme, cohort, area):
    """(url name, method, url) for every view of the programmes app."""
    p, c, a = programme.pk, cohort.pk, area.pk
    return [
        ("home", "get", reverse("home")),
        ("programme_list", "get", reverse("programme_list")),
        ("programme_detail", "get", reverse("programme_detail", args=[p])),
        ("programme_create", "get", reverse("programme_create")),
        ("programme_edit", "get", reverse("programme_edit", args=[p])),
        ("programme_transition", "post", reverse("programme_transition", args=[p])),
        ("cohort_create", "get", reverse("cohort_create", args=[p])),
        ("cohort_edit", "get", reverse("cohort_edit", args=[p, c])),
        ("enrol", "get", reverse("enrol", args=[p])),
        ("enrol_role", "get", reverse("enrol_role", args=[p, "mentor"])),
        ("withdraw", "post", reverse("withdraw", args=[p])),
        ("participant_list", "get", reverse("participant_list", args=[p])),
        ("participant_decide", "post", reverse("participant_decide", args=[p, 1])),
        ("training", "get", reverse("training", args=[p])),
        ("training_module_create", "get", reverse("training_module_create", args=[p])),
        ("training_module_edit", "get", reverse("training_module_edit", args=[p, 1])),
        ("training_mark", "post", reverse("training_mark", args=[p, 1])),
        ("skill_area_list", "get", reverse("skill_area_list")),
        ("skill_area_create", "get", reverse("skill_area_create")),
        ("skill_area_edit", "get", reverse("skill_area_edit", args=[a])),
    ]


# Every URL of the app must be in all_urls: a new view without a row fails.
def test_every_programme_url_is_covered(draft):
    import mentoring.urls  # noqa: F401  (registers the <id:> converter the apps' URLs use)
    from programmes.urls import urlpatterns

    listed = {
        name for name, _m, _u in all_urls(draft, CohortFactory(programme=draft), SkillAreaFactory())
    }
    assert {p.name for p in urlpatterns} <= listed


HR_ONLY = {
    "participant_list",
    "participant_decide",
    "training_module_create",
    "training_module_edit",
    "programme_create",
    "programme_edit",
    "programme_transition",
    "cohort_create",
    "cohort_edit",
    "skill_area_list",
    "skill_area_create",
    "skill_area_edit",
}


def test_anonymous_is_sent_to_login_everywhere(client, draft):
    cohort = CohortFactory(programme=draft)
    area = SkillAreaFactory()
    for _name, method, url in all_urls(draft, cohort, area):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('account_login')}?next={url}", url


@pytest.mark.parametrize("who", ["participant_client", "manager_client"])
def test_hr_actions_are_forbidden_to_other_roles(request, who, open_programme):
    client = request.getfixturevalue(who)
    cohort = CohortFactory(programme=open_programme)
    area = SkillAreaFactory()
    checked = set()
    for name, method, url in all_urls(open_programme, cohort, area):
        if name in HR_ONLY:
            response = getattr(client, method)(url, {"to": "running"})
            assert response.status_code == 403, url
            checked.add(name)
    assert checked == HR_ONLY
    open_programme.refresh_from_db()
    assert open_programme.status == Programme.Status.ENROLMENT


def test_participant_does_not_see_a_draft_programme(participant_client, draft):
    response = participant_client.get(reverse("programme_detail", args=[draft.pk]))
    assert response.status_code == 404
    response = participant_client.get(reverse("programme_list"))
    assert "Brouillon secret" not in response.content.decode()


def test_participant_sees_programmes_open_for_enrolment_only(participant_client, draft):
    ProgrammeFactory(name="Ouvert aux volontaires", status=Programme.Status.ENROLMENT)
    ProgrammeFactory(name="Déjà lancé", status=Programme.Status.RUNNING)
    response = participant_client.get(reverse("programme_list"))
    names = [p.name for p in response.context["programmes"]]
    assert names == ["Ouvert aux volontaires"]


def test_manager_reads_every_programme_without_hr_actions(manager_client, draft):
    response = manager_client.get(reverse("programme_detail", args=[draft.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Brouillon secret" in content
    assert reverse("programme_edit", args=[draft.pk]) not in content
    assert reverse("programme_transition", args=[draft.pk]) not in content


def test_hr_sees_the_actions(hr_client, draft):
    response = hr_client.get(reverse("programme_detail", args=[draft.pk]))
    content = response.content.decode()
    assert reverse("programme_edit", args=[draft.pk]) in content
    assert reverse("programme_transition", args=[draft.pk]) in content
    assert reverse("cohort_create", args=[draft.pk]) in content


def test_unknown_programme_is_404_for_hr(hr_client):
    assert hr_client.get(reverse("programme_detail", args=[999999])).status_code == 404
    assert hr_client.get(reverse("programme_edit", args=[999999])).status_code == 404


def test_cohort_of_another_programme_is_404(hr_client, draft):
    other = CohortFactory()
    url = reverse("cohort_edit", args=[draft.pk, other.pk])
    assert hr_client.get(url).status_code == 404
