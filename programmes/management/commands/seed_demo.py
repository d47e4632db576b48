"""Load a demo organisation: people, reporting lines, a programme and its pilot.

Idempotent: running it again leaves the same data, and never duplicates.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from programmes.models import (
    Cohort,
    Participant,
    ParticipantSkill,
    Programme,
    SkillArea,
    TrainingCompletion,
    TrainingModule,
)

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


TRAINING = [
    (
        "Le rôle de mentor",
        "Ce qu'on attend d'un mentor junior : écouter, montrer, faire pratiquer, "
        "sans jugement. 20 minutes.",
    ),
    (
        "Pédagogie : apprendre en faisant",
        "Préparer une démonstration courte, laisser la main, reformuler. Exemples avec "
        "ChatGPT et Power BI.",
    ),
    (
        "Confiance et confidentialité",
        "Ce qui se dit dans le binôme reste dans le binôme ; comment parler de ses "
        "difficultés à un directeur.",
    ),
]

AI, SOCIAL, PRO, BI, AUTO, COLLAB, SEO, SHEETS, CYBER = (
    "IA générative",
    "Réseaux sociaux grand public",
    "Réseaux sociaux professionnels",
    "Visualisation de données",
    "Automatisation",
    "Outils collaboratifs",
    "SEO et marketing digital",
    "Tableurs avancés",
    "Cybersécurité au quotidien",
)
VISION, LEAD, SPEAK, NEGO, CULTURE, CAREER = (
    "Vision stratégique",
    "Leadership et management",
    "Prise de parole et influence",
    "Négociation",
    "Culture et réseau de l'entreprise",
    "Développement de carrière",
)
# (role, offers, seeks, available half-days, format), juniors first, then seniors,
# in the order of JUNIORS and SENIORS.
PROFILES = [
    ("mentor", {SOCIAL: 4, PRO: 3, SEO: 3}, {SPEAK: 3, CAREER: 2}, [2, 3, 6], "either"),
    ("mentor", {BI: 4, SHEETS: 4, AI: 3}, {VISION: 3}, [0, 2, 4], "remote"),
    ("mentor", {PRO: 4, AI: 3}, {NEGO: 3, CAREER: 2}, [1, 3, 5], "either"),
    ("mentor", {SHEETS: 4, BI: 3, AUTO: 2}, {LEAD: 2}, [0, 1, 8], "in_person"),
    ("mentor", {SOCIAL: 4, SEO: 2, COLLAB: 3}, {SPEAK: 2}, [4, 5, 9], "either"),
    ("mentor", {AUTO: 4, SHEETS: 3}, {LEAD: 3, CULTURE: 2}, [2, 6, 7], "either"),
    ("mentor", {COLLAB: 4, PRO: 3}, {CULTURE: 3}, [1, 2, 3], "remote"),
    ("mentor", {AUTO: 4, AI: 4, CYBER: 3}, {VISION: 2}, [6, 7, 8], "either"),
    ("mentor", {CYBER: 3, COLLAB: 3}, {NEGO: 2}, [0, 4, 8], "either"),
    ("mentor", {AI: 3, BI: 2}, {CAREER: 3}, [3, 5, 7], "in_person"),
    ("mentor", {SEO: 4, SOCIAL: 3}, {SPEAK: 3}, [2, 3, 4], "either"),
    ("mentor", {AI: 4, BI: 3}, {VISION: 3, LEAD: 2}, [0, 1, 2], "remote"),
    ("mentee", {VISION: 4, NEGO: 3}, {BI: 3, AI: 2}, [0, 2, 4], "either"),
    ("mentee", {NEGO: 4, LEAD: 3}, {PRO: 3, SOCIAL: 2}, [1, 3, 5], "either"),
    ("mentee", {LEAD: 4, CULTURE: 4}, {AUTO: 3, BI: 2}, [0, 1, 6], "in_person"),
    ("mentee", {SPEAK: 4, VISION: 3}, {SOCIAL: 3, SEO: 2}, [4, 5, 9], "either"),
    ("mentee", {NEGO: 3, CAREER: 3}, {AI: 3}, [2, 3, 6], "remote"),
    ("mentee", {LEAD: 3, NEGO: 3}, {SHEETS: 3, BI: 3}, [0, 8, 9], "either"),
    ("mentee", {LEAD: 4, VISION: 4}, {AUTO: 3, AI: 3}, [6, 7, 8], "either"),
    ("mentee", {CULTURE: 4, CAREER: 3}, {COLLAB: 3, AI: 2}, [1, 2, 3], "either"),
    ("mentee", {VISION: 4, LEAD: 3}, {CYBER: 3}, [0, 4, 8], "either"),
    ("mentee", {SPEAK: 4, CULTURE: 3}, {PRO: 4}, [2, 3, 4], "either"),
    ("mentee", {VISION: 3, NEGO: 4}, {SEO: 3}, [3, 5, 7], "in_person"),
    ("mentee", {LEAD: 3, SPEAK: 3}, {BI: 4}, [0, 1, 2], "remote"),
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
        pilot, _ = Cohort.objects.get_or_create(
            programme=programme,
            name="Pilote automne 2026",
            defaults={
                "is_pilot": True,
                "target_pairs": 8,
                "starts_on": date(2026, 10, 1),
                "ends_on": date(2027, 3, 31),
            },
        )

        modules = [
            TrainingModule.objects.get_or_create(
                programme=programme, position=position, defaults={"title": title, "content": text}
            )[0]
            for position, (title, text) in enumerate(TRAINING, start=1)
        ]
        self._volunteers(programme, pilot, juniors, seniors, modules, hr)

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"  {len(seniors)} seniors and {len(juniors)} juniors, all volunteers in the pilot."
        )
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"  HR admin: {hr.email}")
        self.stdout.write(f"  Manager:  {sponsor.email}")
        self.stdout.write(f"  Junior:   {juniors[0].email}")
        self.stdout.write(f"  Senior:   {seniors[0].email}")

    def _volunteers(self, programme, pilot, juniors, seniors, modules, hr):
        """Every demo employee volunteers; HR has approved them; most mentors are trained."""
        areas = {a.name: a for a in SkillArea.objects.all()}
        for i, (user, profile) in enumerate(zip(juniors + seniors, PROFILES, strict=True)):
            role, offers, seeks, slots, format_ = profile
            participant, created = Participant.objects.get_or_create(
                programme=programme,
                user=user,
                defaults={
                    "cohort": pilot,
                    "role": role,
                    "status": Participant.Status.APPROVED,
                    "availability": sum(1 << s for s in slots),
                    "format": format_,
                    "languages": ["fr", "en"] if i % 3 == 0 else ["fr"],
                    "consent_at": timezone.now(),
                    "decided_by": hr,
                    "decided_at": timezone.now(),
                    "motivation": "Volontaire pour le pilote.",
                },
            )
            if not created:
                continue
            for name, level in offers.items():
                ParticipantSkill.objects.create(
                    participant=participant, skill_area=areas[name], direction="offer", level=level
                )
            for name, level in seeks.items():
                ParticipantSkill.objects.create(
                    participant=participant, skill_area=areas[name], direction="seek", level=level
                )
            # Two mentors have not finished their training: the matching says so.
            if role == "mentor" and i not in (10, 11):
                for module in modules:
                    TrainingCompletion.objects.get_or_create(
                        participant=participant, module=module, defaults={"marked_by": hr}
                    )

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
