from datetime import date

import factory

from accounts.models import User
from programmes.models import Cohort, Programme, SkillArea


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    department = "Marketing"
    job_title = "Chargé de mission"
    seniority_years = 5
    language = "fr"
    role = User.Role.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SkillAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillArea

    name = factory.Sequence(lambda n: f"Compétence {n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")
    category = SkillArea.Category.DIGITAL


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    objectives = "Diffuser les usages numériques."
    status = Programme.Status.DRAFT
    starts_on = date(2026, 9, 1)
    ends_on = date(2027, 6, 30)

    @factory.post_generation
    def skill_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skill_areas.set(extracted)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Vague {n}")
    is_pilot = True
    target_pairs = 8
    starts_on = date(2026, 10, 1)
    ends_on = date(2027, 3, 31)
