import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes.models import Programme
from programmes.services import programme_transition
from tests.factories import CohortFactory, ProgrammeFactory, SkillAreaFactory

pytestmark = pytest.mark.django_db

S = Programme.Status


@pytest.fixture
def ready():
    programme = ProgrammeFactory(skill_areas=[SkillAreaFactory()])
    CohortFactory(programme=programme)
    return programme


def test_the_life_of_a_programme(ready, hr_admin):
    for status in (S.ENROLMENT, S.DRAFT, S.ENROLMENT, S.RUNNING, S.CLOSED):
        ready = programme_transition(programme=ready, to=status, by=hr_admin)
        ready.refresh_from_db()
        assert ready.status == status


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.DRAFT, S.RUNNING),
        (S.DRAFT, S.CLOSED),
        (S.ENROLMENT, S.CLOSED),
        (S.RUNNING, S.DRAFT),
        (S.RUNNING, S.ENROLMENT),
        (S.CLOSED, S.RUNNING),
        (S.CLOSED, S.DRAFT),
    ],
)
def test_transitions_that_make_no_sense_are_refused(ready, hr_admin, start, target):
    Programme.objects.filter(pk=ready.pk).update(status=start)
    with pytest.raises(ValidationError) as error:
        programme_transition(programme=ready, to=target, by=hr_admin)
    assert error.value.code == "transition_not_allowed"
    ready.refresh_from_db()
    assert ready.status == start


def test_enrolment_needs_skill_areas_and_a_cohort(hr_admin):
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as error:
        programme_transition(programme=programme, to=S.ENROLMENT, by=hr_admin)
    assert error.value.messages == [
        "Avant d’ouvrir les inscriptions, choisissez au moins un domaine de compétences, "
        "ajoutez au moins une cohorte."
    ]


def test_refused_transition_answers_409_with_the_reason(hr_client):
    programme = ProgrammeFactory(name="Pilote data")
    response = hr_client.post(
        reverse("programme_transition", args=[programme.pk]), {"to": "closed"}
    )
    assert response.status_code == 409
    assert "Un programme ne peut pas passer de « Brouillon » à « Clôturé »." in (
        response.content.decode()
    )
    programme.refresh_from_db()
    assert programme.status == S.DRAFT


def test_unknown_status_answers_409(hr_client):
    programme = ProgrammeFactory()
    response = hr_client.post(
        reverse("programme_transition", args=[programme.pk]), {"to": "<script>"}
    )
    assert response.status_code == 409
    assert "Statut inconnu." in response.content.decode()


def test_hr_opens_enrolment_from_the_page(hr_client, ready):
    response = hr_client.post(
        reverse("programme_transition", args=[ready.pk]), {"to": "enrolment"}, follow=True
    )
    assert response.status_code == 200
    assert "Le programme est maintenant « Inscriptions ouvertes »." in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == S.ENROLMENT


def test_transition_needs_post(hr_client, ready):
    response = hr_client.get(reverse("programme_transition", args=[ready.pk]))
    assert response.status_code == 405
