from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

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


def _today():
    return timezone.localdate()


class ActivePairingFactory(PairingFactory):
    """A pair that said yes to each other 40 days ago, in a programme running until next summer."""

    cohort = factory.SubFactory(
        CohortFactory,
        programme__status="running",
        programme__starts_on=factory.LazyFunction(lambda: _today() - timedelta(days=60)),
        programme__ends_on=factory.LazyFunction(lambda: _today() + timedelta(days=200)),
        starts_on=factory.LazyFunction(lambda: _today() - timedelta(days=60)),
        ends_on=factory.LazyFunction(lambda: _today() + timedelta(days=200)),
    )
    status = "active"
    intro_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=45))
    intro_place = "Café du 3e"
    mentor_accepted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=41))
    mentee_accepted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))
    activated_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pairs.Goal"

    pairing = factory.SubFactory(ActivePairingFactory)
    learner = "mentee"
    skill_area = factory.SubFactory(SkillAreaFactory, category="digital")
    title = factory.Sequence(lambda n: f"Objectif {n}")
    measure = "publications faites seul"
    target_value = Decimal("3")
    unit = "publications"
    deadline = factory.LazyFunction(lambda: _today() + timedelta(days=30))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pairs.Session"

    pairing = factory.SubFactory(ActivePairingFactory)
    status = "planned"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    planned_minutes = 45
    format = "remote"
    place = "https://visio.example/binome"
    agenda = "10 min – Nouvelles\n30 min – Pratique\n5 min – Prochaines étapes"
    created_by = factory.LazyAttribute(lambda o: o.pairing.mentee.user)


class HeldSessionFactory(SessionFactory):
    status = "held"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    held_minutes = 40
    shared_notes = "Premier tableau croisé dynamique."


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.CheckIn"

    pairing = factory.SubFactory(ActivePairingFactory)
    respondent = factory.LazyAttribute(lambda o: o.pairing.mentor.user)
    side = factory.LazyAttribute(lambda o: o.pairing.member_role(o.respondent))
    kind = "periodic"
    number = 1
    due_on = factory.LazyFunction(_today)
    satisfaction = 4
    progress = 3
    confidence = 5
