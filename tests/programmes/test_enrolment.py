"""Volunteers enrol with a profile; HR approves; mentors train."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Participant, Programme, TrainingCompletion
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TrainingModuleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(default_skill_areas):
    return {
        "ia": default_skill_areas["IA générative"],
        "data": default_skill_areas["Visualisation de données"],
        "vision": default_skill_areas["Vision stratégique"],
    }


@pytest.fixture
def programme(areas):
    programme = ProgrammeFactory(status=Programme.Status.ENROLMENT, skill_areas=areas.values())
    CohortFactory(programme=programme, name="Pilote")
    return programme


def mentor_data(programme, areas, **overrides):
    data = {
        "cohort": programme.cohorts.get().pk,
        "motivation": "J'aime transmettre.",
        f"offer_{areas['ia'].pk}": "4",
        f"offer_{areas['data'].pk}": "3",
        f"seek_{areas['vision'].pk}": "2",
        "availability": ["2", "3", "8"],
        "format": "remote",
        "languages": ["fr", "en"],
        "capacity": "2",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_junior_enrols_as_a_mentor(participant_client, participant, programme, areas):
    url = reverse("enrol_role", args=[programme.pk, "mentor"])
    response = participant_client.post(url, mentor_data(programme, areas))
    assert response.status_code == 302
    p = Participant.objects.get(user=participant)
    assert (p.role, p.status, p.format, p.capacity) == ("mentor", "pending", "remote", 2)
    assert p.availability == 0b100001100  # Tuesday morning and afternoon, Friday morning
    assert p.languages == ["en", "fr"]
    assert p.consent_at is not None
    assert sorted((s.skill_area.name, s.direction, s.level) for s in p.skills.all()) == [
        ("IA générative", "offer", 4),
        ("Vision stratégique", "seek", 2),
        ("Visualisation de données", "offer", 3),
    ]


def test_mentor_form_offers_digital_and_seeks_leadership(participant_client, programme, areas):
    response = participant_client.get(reverse("enrol_role", args=[programme.pk, "mentor"]))
    form = response.context["form"]
    assert form.offer_fields == [f"offer_{areas['ia'].pk}", f"offer_{areas['data'].pk}"]
    assert form.seek_fields == [f"seek_{areas['vision'].pk}"]
    response = participant_client.get(reverse("enrol_role", args=[programme.pk, "mentee"]))
    form = response.context["form"]
    assert form.offer_fields == [f"offer_{areas['vision'].pk}"]
    assert "capacity" not in form.fields


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"offer_IA": "", "offer_DATA": ""},
            "__all__",
            "Choisissez au moins une compétence que vous pouvez enseigner.",
        ),
        (
            {"capacity": "0"},
            "capacity",
            "Assurez-vous que cette valeur est supérieure ou égale à 1.",
        ),
        (
            {"capacity": "99"},
            "capacity",
            "Assurez-vous que cette valeur est inférieure ou égale à 5.",
        ),
        (
            {"availability": ["12"]},
            "availability",
            "Sélectionnez un choix valide. 12 n’en fait pas partie.",
        ),
        (
            {"availability": []},
            "availability",
            "Choisissez au moins une demi-journée où vous êtes disponible.",
        ),
        ({"consent": ""}, "consent", "Votre consentement est nécessaire pour participer."),
        ({"languages": []}, "languages", "Choisissez au moins une langue."),
        ({"offer_IA": "7"}, "offer_IA", "Sélectionnez un choix valide. 7 n’en fait pas partie."),
    ],
)
def test_bad_profiles_are_refused(participant_client, programme, areas, overrides, field, message):
    keys = {"offer_IA": f"offer_{areas['ia'].pk}", "offer_DATA": f"offer_{areas['data'].pk}"}
    data = mentor_data(programme, areas)
    for key, value in overrides.items():
        data[keys.get(key, key)] = value
    response = participant_client.post(reverse("enrol_role", args=[programme.pk, "mentor"]), data)
    assert response.status_code == 422
    assert response.context["form"].errors[keys.get(field, field)] == [message]
    assert Participant.objects.count() == 0


def test_mentee_needs_a_skill_to_learn(participant_client, programme, areas):
    data = mentor_data(programme, areas)
    response = participant_client.post(reverse("enrol_role", args=[programme.pk, "mentee"]), data)
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Choisissez au moins une compétence que vous souhaitez apprendre."
    ]


def test_enrolment_is_closed_outside_the_enrolment_period(participant_client, programme, areas):
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.RUNNING)
    url = reverse("enrol_role", args=[programme.pk, "mentor"])
    # A running programme the person is not part of does not exist for them.
    assert participant_client.post(url, mentor_data(programme, areas)).status_code == 404
    assert Participant.objects.count() == 0


def test_enrolment_of_a_draft_programme_is_404(participant_client):
    draft = ProgrammeFactory()
    assert participant_client.get(reverse("enrol", args=[draft.pk])).status_code == 404


def test_unknown_role_is_404(participant_client, programme):
    assert (
        participant_client.get(reverse("enrol_role", args=[programme.pk, "boss"])).status_code
        == 404
    )


def test_anonymous_enrolment_goes_to_login(client, programme):
    url = reverse("enrol", args=[programme.pk])
    assert client.get(url)["Location"] == f"{reverse('account_login')}?next={url}"


def test_withdrawn_volunteer_can_come_back(participant_client, participant, programme, areas):
    url = reverse("enrol_role", args=[programme.pk, "mentor"])
    participant_client.post(url, mentor_data(programme, areas))
    participant_client.post(reverse("withdraw", args=[programme.pk]))
    assert Participant.objects.get().status == "withdrawn"
    participant_client.post(url, mentor_data(programme, areas))
    assert Participant.objects.get().status == "pending"
    assert Participant.objects.count() == 1


def test_role_cannot_change_after_approval(participant_client, participant, programme, areas):
    ParticipantFactory(
        user=participant, cohort=programme.cohorts.get(), programme=programme, role="mentor"
    )
    data = mentor_data(programme, areas, **{f"seek_{areas['ia'].pk}": "3"})
    response = participant_client.post(reverse("enrol_role", args=[programme.pk, "mentee"]), data)
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Votre inscription est validée en tant que Mentor (enseigne des compétences "
        "numériques) ; demandez aux RH de changer votre rôle."
    ]
    assert Participant.objects.get().role == "mentor"


def test_hr_approves_a_volunteer_with_htmx(hr_client, hr_admin, programme):
    volunteer = ParticipantFactory(cohort=programme.cohorts.get(), status="pending")
    url = reverse("participant_decide", args=[programme.pk, volunteer.pk])
    response = hr_client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.decided_by) == ("approved", hr_admin)
    assert f'id="participant-{volunteer.pk}"' in response.content.decode()


def test_unknown_decision_is_400(hr_client, programme):
    volunteer = ParticipantFactory(cohort=programme.cohorts.get(), status="pending")
    url = reverse("participant_decide", args=[programme.pk, volunteer.pk])
    assert hr_client.post(url, {"decision": "maybe"}).status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.status == "pending"


@pytest.mark.parametrize("who", ["participant_client", "manager_client"])
def test_only_hr_decides_and_lists_volunteers(request, who, programme):
    client = request.getfixturevalue(who)
    volunteer = ParticipantFactory(cohort=programme.cohorts.get(), status="pending")
    url = reverse("participant_decide", args=[programme.pk, volunteer.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert client.get(reverse("participant_list", args=[programme.pk])).status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.status == "pending"


def test_volunteer_of_another_programme_is_404(hr_client, programme):
    other = ParticipantFactory()
    url = reverse("participant_decide", args=[programme.pk, other.pk])
    assert hr_client.post(url, {"decision": "approve"}).status_code == 404


def test_participant_list_query_count_does_not_grow(hr_client, programme, areas):
    cohort = programme.cohorts.get()
    TrainingModuleFactory(programme=programme)

    def count():
        url = reverse("participant_list", args=[programme.pk])
        hr_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = hr_client.get(url)
        return len(ctx.captured_queries), len(response.context["participants"])

    ParticipantFactory(cohort=cohort, offers={areas["ia"]: 3}, seeks={areas["vision"]: 2})
    small = count()
    for _ in range(5):
        ParticipantFactory(
            cohort=cohort,
            role="mentee",
            offers={areas["vision"]: 4},
            seeks={areas["ia"]: 2, areas["data"]: 1},
            user=UserFactory(manager=UserFactory()),
        )
    large = count()
    assert (small[1], large[1]) == (1, 6)
    assert small[0] == large[0]


def test_mentor_marks_training_modules_done(participant_client, participant, programme):
    module = TrainingModuleFactory(programme=programme, title="Coacher un senior")
    mentor = ParticipantFactory(user=participant, cohort=programme.cohorts.get())
    url = reverse("training_mark", args=[programme.pk, module.pk])
    participant_client.post(url, {"done": "1"})
    participant_client.post(url, {"done": "1"})  # twice is harmless
    assert list(TrainingCompletion.objects.values_list("participant", "module")) == [
        (mentor.pk, module.pk)
    ]
    page = participant_client.get(reverse("training", args=[programme.pk])).content.decode()
    assert "Coacher un senior" in page
    assert "Fait" in page
    participant_client.post(url, {"done": "0"})
    assert TrainingCompletion.objects.count() == 0


def test_mentee_cannot_mark_training(participant_client, participant, programme):
    module = TrainingModuleFactory(programme=programme)
    ParticipantFactory(user=participant, cohort=programme.cohorts.get(), role="mentee")
    url = reverse("training_mark", args=[programme.pk, module.pk])
    assert participant_client.post(url, {"done": "1"}).status_code == 403
    assert TrainingCompletion.objects.count() == 0


def test_hr_marks_training_for_a_mentor(hr_client, programme):
    module = TrainingModuleFactory(programme=programme)
    mentor = ParticipantFactory(cohort=programme.cohorts.get())
    url = reverse("training_mark", args=[programme.pk, module.pk])
    response = hr_client.post(url, {"done": "1", "participant": mentor.pk})
    assert (
        response["Location"]
        == reverse("training", args=[programme.pk]) + f"?participant={mentor.pk}"
    )
    assert TrainingCompletion.objects.get().participant == mentor


def test_participant_cannot_mark_someone_else(participant_client, participant, programme):
    module = TrainingModuleFactory(programme=programme)
    me = ParticipantFactory(user=participant, cohort=programme.cohorts.get())
    other = ParticipantFactory(cohort=programme.cohorts.get())
    url = reverse("training_mark", args=[programme.pk, module.pk])
    participant_client.post(url, {"done": "1", "participant": other.pk})
    assert list(TrainingCompletion.objects.values_list("participant", flat=True)) == [me.pk]


def test_module_of_another_programme_is_404(participant_client, participant, programme):
    ParticipantFactory(user=participant, cohort=programme.cohorts.get())
    other = TrainingModuleFactory()
    url = reverse("training_mark", args=[programme.pk, other.pk])
    assert participant_client.post(url, {"done": "1"}).status_code == 404


def test_hr_adds_a_training_module(hr_client, programme):
    url = reverse("training_module_create", args=[programme.pk])
    response = hr_client.post(
        url, {"title": "Confidentialité", "duration_minutes": "15", "position": "1"}
    )
    assert response.status_code == 302
    assert programme.training_modules.get().title == "Confidentialité"
    response = hr_client.post(url, {"title": "", "duration_minutes": "0", "position": "1"})
    assert response.status_code == 422
    assert programme.training_modules.count() == 1
