"""Creating and editing programmes, cohorts and skill areas, good and bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from programmes.models import Cohort, Programme, SkillArea
from tests.factories import CohortFactory, ProgrammeFactory, SkillAreaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_skill_areas")]


def programme_data(**overrides):
    data = {
        "name": "Mentorat inversé 2027",
        "objectives": "Diffuser l'IA générative auprès des directeurs.",
        "skill_areas": [SkillArea.objects.get(name="IA générative").pk],
        "starts_on": "2027-01-04",
        "ends_on": "2027-06-30",
        "session_cadence_days": "14",
        "session_minutes": "45",
        "checkin_first_day": "21",
        "checkin_every_days": "45",
        "mentor_capacity": "1",
        "min_seniority_gap": "8",
        "mentor_training_required": "on",
        "target_sessions_per_pair": "6",
        "target_satisfaction": "4.2",
        "target_goal_completion": "75",
        "target_skill_uplift": "1.5",
        "target_match_rate": "75",
        "target_retention": "85",
        "weight_teach": "4",
        "weight_give_back": "2",
        "weight_availability": "2",
        "weight_format": "1",
        "weight_language": "1",
    }
    data.update(overrides)
    return data


def test_hr_creates_a_programme(hr_client, hr_admin):
    response = hr_client.post(reverse("programme_create"), programme_data())
    programme = Programme.objects.get(name="Mentorat inversé 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("programme_detail", args=[programme.pk])
    assert programme.status == Programme.Status.DRAFT
    assert programme.created_by == hr_admin
    assert list(programme.skill_areas.values_list("name", flat=True)) == ["IA générative"]
    assert (programme.starts_on, programme.ends_on) == (date(2027, 1, 4), date(2027, 6, 30))
    assert programme.min_seniority_gap == 8
    assert (programme.checkin_first_day, programme.checkin_every_days) == (21, 45)
    assert programme.target_satisfaction == Decimal("4.2")
    assert programme.target_skill_uplift == Decimal("1.5")
    assert programme.target_goal_completion == 75
    assert (programme.target_match_rate, programme.target_retention) == (75, 85)


@pytest.mark.parametrize(
    ("overrides", "field", "message_fr"),
    [
        (
            {"ends_on": "2026-12-31"},
            "ends_on",
            "Le programme doit se terminer après son début.",
        ),
        (
            {"ends_on": "2027-01-04"},
            "ends_on",
            "Le programme doit se terminer après son début.",
        ),
        (
            {"skill_areas": ["999999"]},
            "skill_areas",
            "Sélectionnez un choix valide. 999999 n’en fait pas partie.",
        ),
        ({"skill_areas": []}, "skill_areas", "Ce champ est obligatoire."),
        (
            {"name": "x" * 151},
            "name",
            "Assurez-vous que cette valeur comporte au plus 150 caractères (actuellement 151).",
        ),
        (
            {"target_satisfaction": "5.5"},
            "target_satisfaction",
            "Assurez-vous que cette valeur est inférieure ou égale à 5.0.",
        ),
        ({"session_cadence_days": "0"}, "session_cadence_days", None),
        ({"starts_on": "31/02/2027"}, "starts_on", "Saisissez une date valide."),
    ],
)
def test_bad_programme_input_is_refused_in_french(hr_client, overrides, field, message_fr):
    response = hr_client.post(reverse("programme_create"), programme_data(**overrides))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message_fr:
        assert errors[field] == [message_fr]
        assert message_fr in response.content.decode()
    assert Programme.objects.count() == 0


def test_bad_input_is_explained_in_english_for_an_english_speaker(hr_client, hr_admin):
    hr_admin.language = "en"
    hr_admin.save()
    response = hr_client.post(reverse("programme_create"), programme_data(ends_on="2026-12-01"))
    assert response.status_code == 422
    assert response.context["form"].errors["ends_on"] == ["The programme must end after it starts."]
    assert Programme.objects.count() == 0


def test_retired_skill_area_cannot_be_chosen(hr_client):
    retired = SkillAreaFactory(name="Minitel", is_active=False)
    response = hr_client.post(reverse("programme_create"), programme_data(skill_areas=[retired.pk]))
    assert response.status_code == 422
    assert Programme.objects.count() == 0


def test_editing_dates_cannot_strand_a_cohort(hr_client):
    cohort = CohortFactory(name="Pilote", starts_on=date(2026, 10, 1))
    programme = cohort.programme
    data = programme_data(name=programme.name, starts_on="2026-11-01", ends_on="2027-06-30")
    response = hr_client.post(reverse("programme_edit", args=[programme.pk]), data)
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Ces cohortes sortiraient des dates du programme : Pilote."
    ]
    programme.refresh_from_db()
    assert programme.starts_on == date(2026, 9, 1)


def test_closed_programme_cannot_be_edited(hr_client):
    programme = ProgrammeFactory(status=Programme.Status.CLOSED, name="Fini")
    response = hr_client.post(
        reverse("programme_edit", args=[programme.pk]), programme_data(name="Renommé")
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Fini"


def cohort_data(**overrides):
    data = {
        "name": "Pilote printemps",
        "is_pilot": "on",
        "target_pairs": "8",
        "starts_on": "2026-10-01",
        "ends_on": "2027-03-31",
    }
    data.update(overrides)
    return data


def test_hr_adds_a_pilot_cohort_with_htmx(hr_client):
    programme = ProgrammeFactory()
    response = hr_client.post(
        reverse("cohort_create", args=[programme.pk]), cohort_data(), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    cohort = Cohort.objects.get()
    assert (cohort.programme, cohort.name, cohort.is_pilot, cohort.target_pairs) == (
        programme,
        "Pilote printemps",
        True,
        8,
    )
    content = response.content.decode()
    assert 'id="cohorts"' in content
    assert "Pilote printemps" in content
    assert "<html" not in content  # a partial, not a page
    assert "Cohorte « Pilote printemps » ajoutée." in content  # out-of-band message


def test_cohort_form_offers_the_programme_dates_and_pilot_first(hr_client):
    programme = ProgrammeFactory()
    response = hr_client.get(reverse("cohort_create", args=[programme.pk]))
    form = response.context["form"]
    assert form.initial["starts_on"] == date(2026, 9, 1)
    assert form.initial["is_pilot"] is True


@pytest.mark.parametrize(
    ("overrides", "field", "message_fr"),
    [
        (
            {"target_pairs": "0"},
            "target_pairs",
            "Assurez-vous que cette valeur est supérieure ou égale à 1.",
        ),
        (
            {"target_pairs": "-3"},
            "target_pairs",
            "Assurez-vous que cette valeur est supérieure ou égale à 0.",
        ),
        ({"target_pairs": "huit"}, "target_pairs", "Saisissez un nombre entier."),
        (
            {"ends_on": "2026-09-30"},
            "ends_on",
            "La cohorte doit se terminer après son début.",
        ),
        (
            {"ends_on": "2027-12-31"},
            "__all__",
            "Une cohorte doit se dérouler dans les dates de son programme "
            "(01/09/2026 au 30/06/2027).",
        ),
        (
            {"name": "y" * 101},
            "name",
            "Assurez-vous que cette valeur comporte au plus 100 caractères (actuellement 101).",
        ),
    ],
)
def test_bad_cohort_input_is_refused(hr_client, overrides, field, message_fr):
    programme = ProgrammeFactory()
    response = hr_client.post(
        reverse("cohort_create", args=[programme.pk]),
        cohort_data(**overrides),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message_fr in errors[field]
    assert Cohort.objects.count() == 0


def test_cohort_names_are_unique_within_a_programme(hr_client):
    existing = CohortFactory(name="Pilote")
    response = hr_client.post(
        reverse("cohort_create", args=[existing.programme.pk]), cohort_data(name="pilote")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == ["Ce programme a déjà une cohorte de ce nom."]
    assert Cohort.objects.count() == 1
    # Another programme may reuse the name.
    other = ProgrammeFactory()
    response = hr_client.post(reverse("cohort_create", args=[other.pk]), cohort_data(name="Pilote"))
    assert response.status_code == 302
    assert Cohort.objects.count() == 2


def test_hr_edits_a_cohort(hr_client):
    cohort = CohortFactory(name="Vague 1", target_pairs=5)
    url = reverse("cohort_edit", args=[cohort.programme.pk, cohort.pk])
    response = hr_client.post(url, cohort_data(name="Vague 1", target_pairs="10"))
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.target_pairs == 10


def test_hr_adds_and_edits_a_skill_area(hr_client):
    response = hr_client.post(
        reverse("skill_area_create"),
        {"name": "Canva", "name_en": "Canva", "category": "digital", "is_active": "on"},
    )
    assert response.status_code == 302
    area = SkillArea.objects.get(name="Canva")
    response = hr_client.post(
        reverse("skill_area_edit", args=[area.pk]),
        {"name": "Canva et design", "name_en": "Canva and design", "category": "digital"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    area.refresh_from_db()
    assert (area.name, area.is_active) == ("Canva et design", False)
    assert f'id="skill-area-{area.pk}"' in response.content.decode()


def test_skill_area_names_are_unique(hr_client):
    response = hr_client.post(
        reverse("skill_area_create"), {"name": "IA générative", "category": "digital"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [
        "Un objet Domaine de compétences avec ce champ Nom existe déjà."
    ]
    assert SkillArea.objects.filter(name="IA générative").count() == 1


def test_unknown_category_is_refused(hr_client):
    response = hr_client.post(reverse("skill_area_create"), {"name": "X", "category": "magic"})
    assert response.status_code == 422
    assert SkillArea.objects.filter(name="X").count() == 0


def test_skill_area_label_follows_the_language():
    area = SkillArea.objects.get(name="Visualisation de données")
    with translation.override("en"):
        assert area.label == "Data visualisation"
    with translation.override("fr"):
        assert area.label == "Visualisation de données"
