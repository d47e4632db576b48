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


class ParticipantFactory(factory.django.DjangoModelFactory):
    """An approved volunteer; pass offers/seeks as {skill_area: level}."""

    class Meta:
        model = "programmes.Participant"
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.SelfAttribute("cohort.programme")
    user = factory.SubFactory(UserFactory)
    role = "mentor"
    status = "approved"
    availability = 0b11  # Monday
    format = "either"
    languages = factory.LazyFunction(lambda: ["fr"])
    capacity = 1

    @factory.post_generation
    def offers(obj, create, extracted, **kwargs):
        from programmes.models import ParticipantSkill

        for area, level in (extracted or {}).items():
            ParticipantSkill.objects.create(
                participant=obj, skill_area=area, direction="offer", level=level
            )

    @factory.post_generation
    def seeks(obj, create, extracted, **kwargs):
        from programmes.models import ParticipantSkill

        for area, level in (extracted or {}).items():
            ParticipantSkill.objects.create(
                participant=obj, skill_area=area, direction="seek", level=level
            )


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programmes.TrainingModule"

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    duration_minutes = 20


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pairs.Pairing"

    cohort = factory.SubFactory(CohortFactory)
    mentor = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..cohort"), role="mentor"
    )
    mentee = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..cohort"), role="mentee"
    )


class EmployeeImportFactory(factory.django.DjangoModelFactory):
    """An uploaded CSV file, not yet applied."""

    class Meta:
        model = "accounts.EmployeeImport"

    uploaded_by = factory.SubFactory(UserFactory, role=User.Role.HR_ADMIN)
    filename = "personnes.csv"
    content = "email;first_name;last_name;language\nnora@example.org;Nora;Benali;en\n"
