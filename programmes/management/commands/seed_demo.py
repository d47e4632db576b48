"""Load a demo organisation: people, reporting lines, a programme and its pilot.

Idempotent: running it again leaves the same data, and never duplicates.
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from evaluation.metrics import engagement_snapshot_take
from evaluation.models import Assessment, CheckIn
from pairs.models import Goal, GoalUpdate, Pairing, Session
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

# The direction ("division") each department belongs to, for the dashboards by direction.
DIRECTIONS = {
    "Finance": "Direction financière",
    "Achats": "Direction financière",
    "Juridique": "Direction financière",
    "Commercial": "Direction commerciale et marketing",
    "Marketing": "Direction commerciale et marketing",
    "Communication": "Direction commerciale et marketing",
    "Opérations": "Direction des opérations",
    "Industrie": "Direction des opérations",
    "Ressources humaines": "Direction des ressources",
    "Systèmes d'information": "Direction des ressources",
    "Direction générale": "Direction générale",
}

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
        self._working_pair(pilot, mentor=juniors[1], mentee=seniors[0])
        # Today's figures, so that the dashboards have something to show at once.
        engagement_snapshot_take(programme_id=programme.pk, today=timezone.localdate())

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"  {len(seniors)} seniors and {len(juniors)} juniors, all volunteers in the pilot."
        )
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"  HR admin: {hr.email}")
        self.stdout.write(f"  Manager:  {sponsor.email}")
        self.stdout.write(f"  Junior:   {juniors[0].email}")
        self.stdout.write(f"  Senior:   {seniors[0].email} (in a pair with {juniors[1].email})")

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

    def _working_pair(self, pilot, *, mentor, mentee):
        """Hugo and Marc started six weeks ago: two sessions held, goals under way,
        a session coming up without its agenda, and Marc's first check-in overdue."""
        mentor_p = Participant.objects.get(cohort=pilot, user=mentor)
        mentee_p = Participant.objects.get(cohort=pilot, user=mentee)
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        start = now - timedelta(days=42)
        pairing, created = Pairing.objects.get_or_create(
            cohort=pilot,
            mentor=mentor_p,
            mentee=mentee_p,
            defaults={
                "status": Pairing.Status.ACTIVE,
                "intro_at": start - timedelta(days=3),
                "intro_place": "Cafétéria du 2e étage",
                "intro_set_by": mentee,
                "mentor_accepted_at": start - timedelta(days=1),
                "mentee_accepted_at": start,
                "activated_at": start,
            },
        )
        if not created:
            return
        areas = {a.name: a for a in SkillArea.objects.all()}
        dashboard = Goal.objects.create(
            pairing=pairing,
            learner=Goal.Learner.MENTEE,
            skill_area=areas[BI],
            title="Construire mon premier tableau de bord Power BI",
            measure="tableaux de bord partagés avec mon équipe",
            target_value=1,
            unit="tableau de bord",
            deadline=timezone.localdate() + timedelta(days=30),
            status=Goal.Status.IN_PROGRESS,
            created_by=mentee,
        )
        minutes = Goal.objects.create(
            pairing=pairing,
            learner=Goal.Learner.MENTEE,
            skill_area=areas[AI],
            title="Préparer mes comptes rendus avec l'IA générative",
            measure="comptes rendus préparés avec un assistant IA",
            target_value=4,
            unit="comptes rendus",
            current_value=2,
            deadline=timezone.localdate() + timedelta(days=45),
            status=Goal.Status.IN_PROGRESS,
            created_by=mentee,
        )
        Goal.objects.create(
            pairing=pairing,
            learner=Goal.Learner.MENTOR,
            skill_area=areas[VISION],
            title="Présenter mon projet data au comité de direction",
            measure="présentations faites en comité",
            target_value=1,
            unit="présentation",
            deadline=timezone.localdate() + timedelta(days=90),
            created_by=mentor,
        )
        sessions = []
        for days_ago, held, topics, notes, mentee_learned, mentor_learned, steps in (
            (
                28,
                45,
                [AI],
                "Tour des usages de Copilot ; premier compte rendu rédigé ensemble.",
                "Donner le contexte avant de demander un résumé.",
                "Comment un directeur financier prépare un comité.",
                "Marc prépare seul son prochain compte rendu.",
            ),
            (
                14,
                50,
                [AI, BI],
                "Relecture du compte rendu de Marc ; installation de Power BI Desktop.",
                "Relire et corriger ce que produit l'IA, toujours.",
                "Ce qui compte pour un comité : trois chiffres, une décision.",
                "Importer le fichier des ventes dans Power BI avant la séance.",
            ),
        ):
            session = Session.objects.create(
                pairing=pairing,
                status=Session.Status.HELD,
                starts_at=now - timedelta(days=days_ago),
                planned_minutes=45,
                held_minutes=held,
                format=Session.Format.IN_PERSON,
                place="Salle Confluence",
                shared_notes=notes,
                mentee_learned=mentee_learned,
                mentor_learned=mentor_learned,
                next_steps=steps,
                logged_by=mentor,
                logged_at=now - timedelta(days=days_ago),
                created_by=mentee,
            )
            session.topics.set([areas[name] for name in topics])
            sessions.append(session)
        for session, (before, after) in zip(sessions, ((0, 1), (1, 2)), strict=True):
            GoalUpdate.objects.create(
                goal=minutes,
                author=mentee,
                session=session,
                value=after,
                previous_value=before,
                status=Goal.Status.IN_PROGRESS,
            )
        GoalUpdate.objects.create(
            goal=dashboard,
            author=mentee,
            session=sessions[1],
            value=0,
            previous_value=0,
            status=Goal.Status.IN_PROGRESS,
            note="Power BI installé, fichier des ventes prêt.",
        )
        Session.objects.create(
            pairing=pairing,
            starts_at=(now + timedelta(days=3)).replace(hour=9),
            planned_minutes=45,
            format=Session.Format.IN_PERSON,
            place="Salle Confluence",
            created_by=mentor,
        )
        # The first check-in fell due on day 30: Hugo answered, Marc has not yet.
        CheckIn.objects.create(
            pairing=pairing,
            respondent=mentor,
            side="mentor",
            number=1,
            due_on=timezone.localdate(start) + timedelta(days=30),
            satisfaction=4,
            progress=4,
            confidence=5,
            comment="Marc est très impliqué, les séances passent vite.",
        )
        for user, side, ratings in (
            (mentee, "mentee", {BI: 1, AI: 2}),
            (mentor, "mentor", {VISION: 2}),
        ):
            for name, level in ratings.items():
                Assessment.objects.create(
                    pairing=pairing,
                    respondent=user,
                    side=side,
                    kind=Assessment.Kind.BASELINE,
                    skill_area=areas[name],
                    level=level,
                )

    def _person(self, first, last, department, title, years, *, manager=None, **extra):
        user, _ = User.objects.update_or_create(
            email=_email(first, last),
            defaults={
                "first_name": first,
                "last_name": last,
                "department": department,
                "direction": DIRECTIONS[department],
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
