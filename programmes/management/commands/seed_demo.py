"""Load a demo organisation: people, reporting lines, a programme and its pilot.

Idempotent: running it again leaves the same data, and never duplicates.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from programmes.models import Cohort, Programme, SkillArea

DEMO_PASSWORD = "mentorat-demo-2026"
DOMAIN = "demo.example"

HR_ADMIN = ("Claire", "Morel", "Ressources humaines", "Responsable développement RH", 18)
MANAGER = ("Philippe", "Garnier", "Direction générale", "Directeur général adjoint", 28)

# (first name, last name, department, job title, years of experience)
SENIORS = [
    ("Marc", "Lefebvre", "Finance", "Directeur financier", 26),
    ("Isabelle", "Dubois", "Commercial", "Directrice commerciale", 24),
    ("Bernard", "Laurent", "Opérations", "Directeur des opérations", 30),
    ("Sylvie", "Fontaine", "Marketing", "Directrice marketing", 22),
    ("Jean-Pierre", "Mercier", "Juridique", "Directeur juridique", 27),
    ("Catherine", "Bonnet", "Achats", "Responsable achats", 20),
    ("Patrick", "Girard", "Industrie", "Directeur d'usine", 29),
    ("Nathalie", "Rousseau", "Ressources humaines", "Responsable relations sociales", 21),
    ("Thierry", "Blanc", "Systèmes d'information", "Responsable infrastructure", 25),
    ("Véronique", "Guerin", "Communication", "Directrice de la communication", 19),
    ("Alain", "Faure", "Commercial", "Directeur grands comptes", 23),
    ("Martine", "Andre", "Finance", "Contrôleuse de gestion senior", 17),
]

# The last field is the index of the senior the junior reports to (or None):
# a few juniors work under a senior of the pilot, so the matching has reporting
# lines to rule out.
JUNIORS = [
    ("Léa", "Martin", "Marketing", "Chargée de communication digitale", 2, 3),
    ("Hugo", "Bernard", "Systèmes d'information", "Analyste données", 3, 8),
    ("Chloé", "Petit", "Commercial", "Business developer", 1, 1),
    ("Lucas", "Robert", "Finance", "Contrôleur de gestion", 2, 0),
    ("Emma", "Richard", "Communication", "Community manager", 2, 9),
    ("Nathan", "Durand", "Opérations", "Ingénieur méthodes", 3, 2),
    ("Manon", "Moreau", "Ressources humaines", "Chargée de recrutement", 1, 7),
    ("Enzo", "Simon", "Systèmes d'information", "Développeur automatisation", 4, 8),
    ("Camille", "Michel", "Juridique", "Juriste", 2, 4),
    ("Théo", "Leroy", "Achats", "Acheteur junior", 1, 5),
    ("Inès", "Roux", "Marketing", "Chargée SEO", 3, 3),
    ("Louis", "David", "Industrie", "Alternant data et IA", 0, None),
]


def _email(first: str, last: str) -> str:
    ascii_ = str.maketrans("éèêëàâîïôöûüç", "eeeeaaiioouuc")
    return f"{first}.{last}@{DOMAIN}".lower().replace(" ", "").translate(ascii_)


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent) and print the demo logins."

    @transaction.atomic
    def handle(self, *args, **options):
        hr = self._person(*HR_ADMIN, role=User.Role.HR_ADMIN, is_staff=True)
        sponsor = self._person(*MANAGER, role=User.Role.MANAGER)
        seniors = [self._person(*row, manager=sponsor) for row in SENIORS]
        juniors = [
            self._person(*row[:5], manager=seniors[row[5]] if row[5] is not None else None)
            for row in JUNIORS
        ]

        programme, _ = Programme.objects.get_or_create(
            name="Mentorat inversé 2026",
            defaults={
                "objectives": (
                    "Accélérer l'appropriation des outils numériques (IA générative, "
                    "réseaux sociaux, données, automatisation) par les cadres dirigeants, "
                    "grâce à des juniors volontaires qui partagent leurs usages.\n"
                    "En retour, offrir aux juniors un accès direct à la vision stratégique "
                    "et au leadership des seniors, et renforcer la cohésion entre générations."
                ),
                "status": Programme.Status.ENROLMENT,
                "starts_on": date(2026, 9, 1),
                "ends_on": date(2027, 7, 31),
                "session_cadence_days": 14,
                "session_minutes": 45,
                "min_seniority_gap": 10,
                "created_by": hr,
            },
        )
        if not programme.skill_areas.exists():
            programme.skill_areas.set(SkillArea.objects.filter(is_active=True))
        Cohort.objects.get_or_create(
            programme=programme,
            name="Pilote automne 2026",
            defaults={
                "is_pilot": True,
                "target_pairs": 8,
                "starts_on": date(2026, 10, 1),
                "ends_on": date(2027, 3, 31),
            },
        )

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"  {len(seniors)} seniors, {len(juniors)} juniors, 1 programme.")
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"  HR admin: {hr.email}")
        self.stdout.write(f"  Manager:  {sponsor.email}")
        self.stdout.write(f"  Junior:   {juniors[0].email}")
        self.stdout.write(f"  Senior:   {seniors[0].email}")

    def _person(self, first, last, department, title, years, *, manager=None, **extra):
        user, _ = User.objects.update_or_create(
            email=_email(first, last),
            defaults={
                "first_name": first,
                "last_name": last,
                "department": department,
                "job_title": title,
                "seniority_years": years,
                "manager": manager,
                "language": "fr",
                **extra,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
