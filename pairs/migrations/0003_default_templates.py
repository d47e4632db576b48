"""Seed goal and agenda templates for the default skill areas, in French and English.

Juniors teach the digital areas to seniors; seniors give back leadership, strategy
and knowledge of the company, so the goals of those areas are the junior's.
Skill areas are found by their French name; an area a deployment renamed or
deleted is skipped. Rows are matched on their natural keys, so running this
twice changes nothing and HR edits are kept.
"""

from decimal import Decimal

from django.db import migrations

GOAL_TEMPLATES = [
    # (skill area, title, title_en, measure, measure_en, target_value, unit, unit_en, weeks)
    # Digital areas: the senior learns from the junior.
    (
        "IA générative",
        "Rédiger mes comptes rendus avec un assistant IA",
        "Write my meeting reports with an AI assistant",
        "comptes rendus rédigés avec l'IA, puis relus et envoyés",
        "reports drafted with AI, then checked and sent",
        Decimal("3"), "comptes rendus", "reports", 4,
    ),
    (
        "IA générative",
        "Constituer ma bibliothèque de prompts",
        "Build my own prompt library",
        "prompts testés sur des tâches réelles et enregistrés",
        "prompts tried on real tasks and saved",
        Decimal("10"), "prompts", "prompts", 6,
    ),
    (
        "Réseaux sociaux professionnels",
        "Mettre à jour mon profil LinkedIn",
        "Update my LinkedIn profile",
        "rubriques complétées (photo, titre, infos, expérience, compétences)",
        "sections completed (photo, headline, about, experience, skills)",
        Decimal("5"), "rubriques", "sections", 2,
    ),
    (
        "Réseaux sociaux professionnels",
        "Publier sur LinkedIn chaque semaine",
        "Post on LinkedIn every week",
        "publications LinkedIn faites sans aide",
        "LinkedIn posts made without help",
        Decimal("4"), "publications", "posts", 6,
    ),
    (
        "Réseaux sociaux grand public",
        "Publier seul sur Instagram",
        "Post on Instagram on my own",
        "publications faites sans aide",
        "posts made without help",
        Decimal("3"), "publications", "posts", 4,
    ),
    (
        "Réseaux sociaux grand public",
        "Monter une vidéo courte pour TikTok ou les Reels",
        "Edit a short video for TikTok or Reels",
        "vidéos tournées, montées et publiées sans aide",
        "videos shot, edited and posted without help",
        Decimal("2"), "vidéos", "videos", 6,
    ),
    (
        "Visualisation de données",
        "Construire mon premier tableau de bord dans Power BI",
        "Build my first dashboard in Power BI",
        "tableau de bord construit et partagé avec mon équipe",
        "dashboard built and shared with my team",
        Decimal("1"), "tableau de bord", "dashboard", 6,
    ),
    (
        "Visualisation de données",
        "Transformer un rapport mensuel en graphiques",
        "Turn a monthly report into charts",
        "graphiques créés et présentés en réunion",
        "charts created and presented in a meeting",
        Decimal("3"), "graphiques", "charts", 4,
    ),
    (
        "Automatisation",
        "Automatiser 3 processus avec Zapier",
        "Automate 3 processes with Zapier",
        "processus automatisés qui tournent sans intervention",
        "processes automated and running without intervention",
        Decimal("3"), "processus", "processes", 8,
    ),
    (
        "Automatisation",
        "Créer mon premier flux dans Power Automate",
        "Build my first flow in Power Automate",
        "flux en service dans mon travail quotidien",
        "flows in use in my daily work",
        Decimal("1"), "flux", "flow", 4,
    ),
    (
        "Outils collaboratifs",
        "Animer une réunion d'équipe sur Teams",
        "Run a team meeting on Teams",
        "réunions animées seul, partage d'écran compris",
        "meetings run on my own, screen sharing included",
        Decimal("2"), "réunions", "meetings", 4,
    ),
    (
        "Outils collaboratifs",
        "Animer un atelier sur un tableau Miro",
        "Run a workshop on a Miro board",
        "ateliers animés sur Miro avec mon équipe",
        "workshops run on Miro with my team",
        Decimal("1"), "atelier", "workshop", 6,
    ),
    (
        "SEO et marketing digital",
        "Lire les statistiques d'audience de notre site",
        "Read our website's audience statistics",
        "rapports d'audience commentés sans aide",
        "audience reports explained without help",
        Decimal("2"), "rapports", "reports", 6,
    ),
    (
        "SEO et marketing digital",
        "Améliorer le référencement de pages de notre site",
        "Improve the search ranking of pages on our website",
        "pages optimisées (titre, description, mots-clés)",
        "pages optimised (title, description, keywords)",
        Decimal("5"), "pages", "pages", 8,
    ),
    (
        "Tableurs avancés",
        "Construire des tableaux croisés dynamiques",
        "Build pivot tables",
        "tableaux croisés construits sur mes propres données",
        "pivot tables built on my own data",
        Decimal("3"), "tableaux croisés", "pivot tables", 4,
    ),
    (
        "Tableurs avancés",
        "Maîtriser RECHERCHEX dans mes fichiers",
        "Master XLOOKUP in my own files",
        "formules RECHERCHEX écrites sans aide",
        "XLOOKUP formulas written without help",
        Decimal("5"), "formules", "formulas", 4,
    ),
    (
        "Cybersécurité au quotidien",
        "Passer à un gestionnaire de mots de passe",
        "Switch to a password manager",
        "comptes passés au gestionnaire avec un mot de passe unique",
        "accounts moved to the manager with a unique password",
        Decimal("10"), "comptes", "accounts", 4,
    ),
    (
        "Cybersécurité au quotidien",
        "Repérer les e-mails d'hameçonnage",
        "Spot phishing emails",
        "e-mails suspects repérés et signalés",
        "suspicious emails spotted and reported",
        Decimal("5"), "e-mails", "emails", 3,
    ),
    # Leadership and business areas: the junior learns from the senior.
    (
        "Vision stratégique",
        "Rédiger l'analyse SWOT de mon activité",
        "Write a SWOT analysis of my business area",
        "analyse rédigée et discutée avec mon binôme",
        "analysis written and discussed with my mentoring partner",
        Decimal("1"), "analyse", "analysis", 4,
    ),
    (
        "Vision stratégique",
        "Tenir une veille sur mon marché",
        "Keep watch on my market",
        "notes de veille partagées avec mon binôme",
        "market-watch notes shared with my mentoring partner",
        Decimal("4"), "notes", "notes", 8,
    ),
    (
        "Leadership et management",
        "Mener un entretien de feedback",
        "Hold a feedback conversation",
        "entretiens menés, puis débriefés avec mon binôme",
        "conversations held, then debriefed with my mentoring partner",
        Decimal("2"), "entretiens", "conversations", 6,
    ),
    (
        "Leadership et management",
        "Animer une réunion de projet jusqu'à la décision",
        "Lead a project meeting through to a decision",
        "réunions animées avec un ordre du jour et des décisions notées",
        "meetings led with an agenda and decisions written down",
        Decimal("3"), "réunions", "meetings", 6,
    ),
    (
        "Prise de parole et influence",
        "Présenter un projet à un comité de direction",
        "Present a project to an executive committee",
        "présentations faites devant un comité de direction",
        "presentations given to an executive committee",
        Decimal("1"), "présentation", "presentation", 8,
    ),
    (
        "Prise de parole et influence",
        "Faire un pitch de trois minutes",
        "Give a three-minute pitch",
        "pitchs répétés et filmés, avec le retour de mon binôme",
        "pitches rehearsed on video, with my mentoring partner's feedback",
        Decimal("3"), "pitchs", "pitches", 4,
    ),
    (
        "Négociation",
        "Préparer une négociation avec mon binôme",
        "Prepare a negotiation with my mentoring partner",
        "fiches de préparation remplies (objectifs, marges, solution de repli)",
        "preparation sheets filled in (goals, room for manoeuvre, fallback option)",
        Decimal("2"), "fiches", "sheets", 4,
    ),
    (
        "Négociation",
        "Conduire une vraie négociation",
        "Lead a real negotiation",
        "négociations menées, puis débriefées avec mon binôme",
        "negotiations led, then debriefed with my mentoring partner",
        Decimal("1"), "négociation", "negotiation", 10,
    ),
    (
        "Culture et réseau de l'entreprise",
        "Rencontrer des personnes clés de l'entreprise",
        "Meet key people in the company",
        "rencontres avec des personnes présentées par mon binôme",
        "meetings with people my mentoring partner introduced me to",
        Decimal("5"), "rencontres", "meetings", 8,
    ),
    (
        "Culture et réseau de l'entreprise",
        "Comprendre l'organisation et ses circuits de décision",
        "Understand the organisation and how decisions are made",
        "directions dont je sais expliquer le rôle et les décideurs",
        "departments whose role and decision-makers I can explain",
        Decimal("5"), "directions", "departments", 6,
    ),
    (
        "Développement de carrière",
        "Écrire mon projet professionnel à trois ans",
        "Write down my three-year career plan",
        "projet rédigé et relu avec mon binôme",
        "plan written and reviewed with my mentoring partner",
        Decimal("1"), "projet", "plan", 6,
    ),
    (
        "Développement de carrière",
        "Échanger avec des personnes aux métiers qui m'intéressent",
        "Talk to people in jobs I am interested in",
        "entretiens d'information réalisés",
        "informational interviews held",
        Decimal("3"), "entretiens", "interviews", 8,
    ),
]

# Lines shared by many plans: (minutes, French, English).
NEWS = (5, "Nouvelles depuis la dernière séance", "News since the last session")
NEXT_STEPS = (5, "Progrès notés et prochaines étapes", "Progress noted and next steps")
WEEK_GOAL = (
    5,
    "Progrès notés, prochaines étapes et objectif de la semaine",
    "Progress noted, next steps and the goal for the week",
)

AGENDA_TEMPLATES = [
    # (skill area or None for any area, minutes, title, title_en, lines)
    # where each line is (minutes, French, English); the minutes add up to the length.
    (None, 30, "Séance type", "Standard session", [
        NEWS,
        (5, "Point rapide sur les objectifs", "Quick check on the goals"),
        (15, "Pratique sur le sujet du jour : celui qui apprend fait lui-même",
         "Hands-on practice on today's topic: the learner does it themselves"),
        NEXT_STEPS,
    ]),
    (None, 45, "Séance type", "Standard session", [
        NEWS,
        (5, "Point sur les objectifs et les difficultés rencontrées",
         "Check on the goals and any difficulties"),
        (25, "Pratique sur le sujet du jour : celui qui apprend fait lui-même",
         "Hands-on practice on today's topic: the learner does it themselves"),
        (5, "Questions ouvertes et exemples tirés du quotidien",
         "Open questions and examples from everyday work"),
        WEEK_GOAL,
    ]),
    (None, 60, "Séance type", "Standard session", [
        NEWS,
        (10, "Point sur les objectifs et ce qui a été essayé depuis la dernière fois",
         "Check on the goals and what was tried since last time"),
        (30, "Pratique sur le sujet du jour : celui qui apprend fait lui-même",
         "Hands-on practice on today's topic: the learner does it themselves"),
        (10, "Dans l'autre sens : ce que chacun a appris de l'autre",
         "The other way round: what each of you learned from the other"),
        WEEK_GOAL,
    ]),
    ("IA générative", 30, "Un premier prompt utile", "A first useful prompt", [
        NEWS,
        (5, "Choisir une tâche réelle du mentoré : un e-mail, un compte rendu, une note",
         "Pick a real task of the mentee's: an email, a meeting report, a memo"),
        (15, "Pratique : le mentoré écrit le prompt, lit la réponse et demande à l'IA de "
             "l'améliorer",
         "Practice: the mentee writes the prompt, reads the answer and asks the AI to "
         "improve it"),
        NEXT_STEPS,
    ]),
    ("IA générative", 45, "Résumer et analyser avec l'IA", "Summarise and analyse with AI", [
        NEWS,
        (10, "Démonstration : résumer un long document avec ChatGPT ou Copilot",
         "Demo: summarise a long document with ChatGPT or Copilot"),
        (20, "Pratique : le mentoré résume un document de son choix et vérifie les chiffres",
         "Practice: the mentee summarises a document of their choice and checks the figures"),
        (5, "Les pièges : erreurs, inventions et données confidentielles à ne pas partager",
         "Pitfalls: mistakes, made-up facts and confidential data not to share"),
        WEEK_GOAL,
    ]),
    ("IA générative", 60, "Atelier prompts", "Prompt workshop", [
        NEWS,
        (10, "Retour sur les essais de la semaine : ce qui a marché, ce qui a coincé",
         "Look back at the week's tries: what worked, what got stuck"),
        (30, "Pratique : trois tâches réelles traitées avec l'IA, le mentoré aux commandes",
         "Practice: three real tasks done with AI, the mentee at the keyboard"),
        (10, "Enregistrer les meilleurs prompts dans une bibliothèque personnelle",
         "Save the best prompts in a personal library"),
        WEEK_GOAL,
    ]),
    ("Réseaux sociaux professionnels", 30, "Soigner son profil LinkedIn",
     "Polish your LinkedIn profile", [
        NEWS,
        (5, "Tour du profil du mentoré : ce qu'un visiteur voit en dix secondes",
         "Tour of the mentee's profile: what a visitor sees in ten seconds"),
        (15, "Pratique : le mentoré réécrit son titre et sa présentation",
         "Practice: the mentee rewrites their headline and About section"),
        NEXT_STEPS,
    ]),
    ("Réseaux sociaux professionnels", 45, "Publier sur LinkedIn", "Posting on LinkedIn", [
        NEWS,
        (10, "Lire ensemble trois publications qui marchent et comprendre pourquoi",
         "Read three successful posts together and work out why they work"),
        (20, "Pratique : le mentoré rédige et publie un post, visuel compris",
         "Practice: the mentee writes and publishes a post, picture included"),
        (5, "Commenter et répondre : les bons réflexes",
         "Commenting and replying: good habits"),
        WEEK_GOAL,
    ]),
    ("Réseaux sociaux professionnels", 60, "Réseau et veille sur LinkedIn",
     "Networking and keeping watch on LinkedIn", [
        NEWS,
        (10, "Retour sur les publications de la semaine et leurs statistiques",
         "Look back at the week's posts and their statistics"),
        (25, "Pratique : suivre des comptes et des hashtags utiles, régler son fil d'actualité",
         "Practice: follow useful accounts and hashtags, tune the news feed"),
        (15, "Pratique : envoyer trois invitations personnalisées",
         "Practice: send three personalised connection requests"),
        WEEK_GOAL,
    ]),
    ("Réseaux sociaux grand public", 30, "Premiers pas sur Instagram",
     "First steps on Instagram", [
        NEWS,
        (5, "Les codes d'Instagram : publication, story, reel",
         "How Instagram works: post, story, reel"),
        (15, "Pratique : le mentoré prend une photo, la retouche et la publie seul",
         "Practice: the mentee takes a photo, edits it and posts it on their own"),
        NEXT_STEPS,
    ]),
    ("Réseaux sociaux grand public", 45, "Comprendre TikTok et les Reels",
     "Understanding TikTok and Reels", [
        NEWS,
        (10, "Faire défiler ensemble : tendances, sons et formats qui plaisent aux jeunes",
         "Scroll together: trends, sounds and formats young people like"),
        (20, "Pratique : le mentoré filme et monte une vidéo de quinze secondes",
         "Practice: the mentee shoots and edits a fifteen-second video"),
        (5, "Confidentialité : compte public ou privé, qui voit quoi",
         "Privacy: public or private account, who sees what"),
        WEEK_GOAL,
    ]),
    ("Réseaux sociaux grand public", 60, "Atelier vidéo courte", "Short video workshop", [
        NEWS,
        (10, "Retour sur les publications de la semaine et les réactions reçues",
         "Look back at the week's posts and the reactions they got"),
        (30, "Pratique : écrire, tourner et monter une vidéo courte, sous-titres et musique "
             "compris",
         "Practice: write, shoot and edit a short video, captions and music included"),
        (10, "Publier, puis lire les statistiques ensemble",
         "Post it, then read the statistics together"),
        WEEK_GOAL,
    ]),
    ("Visualisation de données", 30, "Le bon graphique", "The right chart", [
        NEWS,
        (5, "Un jeu de données réel du mentoré : que veut-on montrer ?",
         "A real data set of the mentee's: what do we want to show?"),
        (15, "Pratique : le mentoré essaie trois graphiques et garde le plus lisible",
         "Practice: the mentee tries three charts and keeps the clearest one"),
        NEXT_STEPS,
    ]),
    ("Visualisation de données", 45, "Premier tableau de bord", "First dashboard", [
        NEWS,
        (10, "Importer les données dans Power BI ou Looker Studio et les vérifier",
         "Load the data into Power BI or Looker Studio and check it"),
        (20, "Pratique : le mentoré construit deux visuels et un filtre",
         "Practice: the mentee builds two visuals and a filter"),
        (5, "Relire le tableau de bord comme un lecteur pressé",
         "Read the dashboard as a busy reader would"),
        WEEK_GOAL,
    ]),
    ("Visualisation de données", 60, "Atelier tableau de bord", "Dashboard workshop", [
        NEWS,
        (10, "Retour sur le tableau de bord de la semaine : questions et blocages",
         "Look back at the week's dashboard: questions and sticking points"),
        (30, "Pratique : ajouter une mesure calculée, des filtres et une mise en page claire",
         "Practice: add a calculated measure, filters and a clear layout"),
        (10, "Publier et partager le tableau de bord avec les bons droits",
         "Publish the dashboard and share it with the right permissions"),
        WEEK_GOAL,
    ]),
    ("Automatisation", 30, "Repérer une tâche à automatiser", "Spot a task to automate", [
        NEWS,
        (10, "Lister les tâches répétitives du mentoré et en choisir une",
         "List the mentee's repetitive tasks and pick one"),
        (10, "Pratique : dessiner sur papier le déclencheur et les actions",
         "Practice: sketch the trigger and the actions on paper"),
        NEXT_STEPS,
    ]),
    ("Automatisation", 45, "Premier scénario automatisé", "First automation", [
        NEWS,
        (5, "Démonstration : un déclencheur et une action dans Zapier, Make ou Power Automate",
         "Demo: one trigger and one action in Zapier, Make or Power Automate"),
        (25, "Pratique : le mentoré construit son premier scénario et le teste",
         "Practice: the mentee builds their first automation and tests it"),
        (5, "Que faire quand ça échoue : historique et alertes",
         "What to do when it fails: run history and alerts"),
        WEEK_GOAL,
    ]),
    ("Automatisation", 60, "Atelier automatisation", "Automation workshop", [
        NEWS,
        (10, "Retour sur les scénarios de la semaine : ce qui tourne, ce qui casse",
         "Look back at the week's automations: what runs, what breaks"),
        (30, "Pratique : ajouter une condition et un second outil au scénario",
         "Practice: add a condition and a second app to the automation"),
        (10, "Documenter le scénario pour qu'un collègue puisse le reprendre",
         "Document the automation so that a colleague can take it over"),
        WEEK_GOAL,
    ]),
    ("Outils collaboratifs", 30, "Réunion sur Teams", "Meeting on Teams", [
        NEWS,
        (5, "Les bons réglages : caméra, micro, arrière-plan",
         "The right settings: camera, microphone, background"),
        (15, "Pratique : le mentoré planifie une réunion, partage son écran et l'enregistre",
         "Practice: the mentee schedules a meeting, shares their screen and records it"),
        NEXT_STEPS,
    ]),
    ("Outils collaboratifs", 45, "Travailler à plusieurs sur un document",
     "Working together on a document", [
        NEWS,
        (10, "Où ranger ses fichiers : Teams, SharePoint, Notion ou Google Drive",
         "Where to keep files: Teams, SharePoint, Notion or Google Drive"),
        (20, "Pratique : coécrire un document en direct, avec commentaires et mentions",
         "Practice: co-write a document live, with comments and mentions"),
        (5, "Quand utiliser la messagerie instantanée plutôt que l'e-mail",
         "When to use chat rather than email"),
        WEEK_GOAL,
    ]),
    ("Outils collaboratifs", 60, "Atelier Miro ou Notion", "Miro or Notion workshop", [
        NEWS,
        (10, "Choisir un vrai projet du mentoré à organiser",
         "Pick a real project of the mentee's to organise"),
        (30, "Pratique : construire le tableau de projet dans Notion ou l'atelier dans Miro",
         "Practice: build the project board in Notion or the workshop in Miro"),
        (10, "Inviter l'équipe et régler les droits d'accès",
         "Invite the team and set access rights"),
        WEEK_GOAL,
    ]),
    ("SEO et marketing digital", 30, "Lire son audience", "Read your audience", [
        NEWS,
        (5, "Ouvrir l'outil de mesure d'audience : les trois chiffres à regarder",
         "Open the analytics tool: the three numbers to look at"),
        (15, "Pratique : le mentoré trouve les pages les plus vues et d'où viennent les "
             "visiteurs",
         "Practice: the mentee finds the most viewed pages and where visitors come from"),
        NEXT_STEPS,
    ]),
    ("SEO et marketing digital", 45, "Optimiser une page", "Optimise a page", [
        NEWS,
        (10, "Comment un moteur de recherche lit une page : titre, description, mots-clés",
         "How a search engine reads a page: title, description, keywords"),
        (20, "Pratique : le mentoré réécrit le titre et la description d'une vraie page",
         "Practice: the mentee rewrites the title and description of a real page"),
        (5, "Vérifier le résultat avec un outil gratuit",
         "Check the result with a free tool"),
        WEEK_GOAL,
    ]),
    ("SEO et marketing digital", 60, "Atelier campagne en ligne", "Online campaign workshop", [
        NEWS,
        (10, "Définir la cible, le message et le budget d'une petite campagne",
         "Set the audience, message and budget of a small campaign"),
        (30, "Pratique : préparer la campagne dans l'outil publicitaire, sans la lancer",
         "Practice: set up the campaign in the ad tool, without launching it"),
        (10, "Choisir les indicateurs à suivre et la date du bilan",
         "Choose the metrics to follow and the date of the review"),
        WEEK_GOAL,
    ]),
    ("Tableurs avancés", 30, "Une formule utile", "One useful formula", [
        NEWS,
        (5, "Choisir un fichier réel du mentoré et le problème à résoudre",
         "Pick a real file of the mentee's and the problem to solve"),
        (15, "Pratique : le mentoré écrit une formule RECHERCHEX ou SOMME.SI.ENS",
         "Practice: the mentee writes an XLOOKUP or SUMIFS formula"),
        NEXT_STEPS,
    ]),
    ("Tableurs avancés", 45, "Tableau croisé dynamique", "Pivot table", [
        NEWS,
        (5, "Préparer les données : un tableau propre, une ligne par enregistrement",
         "Prepare the data: a clean table, one row per record"),
        (25, "Pratique : le mentoré construit un tableau croisé et change les regroupements",
         "Practice: the mentee builds a pivot table and changes the groupings"),
        (5, "Ajouter un graphique croisé dynamique",
         "Add a pivot chart"),
        WEEK_GOAL,
    ]),
    ("Tableurs avancés", 60, "Atelier données", "Data workshop", [
        NEWS,
        (10, "Retour sur les fichiers de la semaine : les formules qui coincent",
         "Look back at the week's files: the formulas that got stuck"),
        (30, "Pratique : importer et nettoyer des données avec Power Query ou des filtres",
         "Practice: import and clean data with Power Query or filters"),
        (10, "Automatiser la mise à jour et protéger les cellules clés",
         "Automate the refresh and protect the key cells"),
        WEEK_GOAL,
    ]),
    ("Cybersécurité au quotidien", 30, "Des mots de passe solides", "Strong passwords", [
        NEWS,
        (5, "Pourquoi un mot de passe différent pour chaque compte",
         "Why each account needs its own password"),
        (15, "Pratique : installer un gestionnaire de mots de passe et y passer trois comptes",
         "Practice: install a password manager and move three accounts into it"),
        NEXT_STEPS,
    ]),
    ("Cybersécurité au quotidien", 45, "Déjouer l'hameçonnage", "Beat phishing", [
        NEWS,
        (10, "Les signes d'un e-mail frauduleux : expéditeur, liens, urgence",
         "The signs of a fraudulent email: sender, links, urgency"),
        (20, "Pratique : le mentoré trie une dizaine d'exemples réels, vrais et faux",
         "Practice: the mentee sorts about ten real examples, genuine and fake"),
        (5, "Que faire après un clic : qui prévenir, quoi changer",
         "What to do after a click: who to tell, what to change"),
        WEEK_GOAL,
    ]),
    ("Cybersécurité au quotidien", 60, "Bilan de sécurité personnel",
     "Personal security check-up", [
        NEWS,
        (10, "Faire le tour des comptes et des appareils du mentoré",
         "Go through the mentee's accounts and devices"),
        (30, "Pratique : activer la double authentification, faire les mises à jour, "
             "vérifier les sauvegardes",
         "Practice: turn on two-factor authentication, install updates, check backups"),
        (10, "Données sensibles : ce qu'on partage, où et avec qui",
         "Sensitive data: what to share, where and with whom"),
        WEEK_GOAL,
    ]),
]


def _plan(lines, index):
    return "\n".join(f"{line[0]} min – {line[index]}" for line in lines)


def create_templates(apps, schema_editor):
    SkillArea = apps.get_model("programmes", "SkillArea")
    GoalTemplate = apps.get_model("pairs", "GoalTemplate")
    AgendaTemplate = apps.get_model("pairs", "AgendaTemplate")

    names = {row[0] for row in GOAL_TEMPLATES + AGENDA_TEMPLATES if row[0] is not None}
    areas = {area.name: area for area in SkillArea.objects.filter(name__in=names)}

    for name, title, title_en, measure, measure_en, target, unit, unit_en, weeks in (
        GOAL_TEMPLATES
    ):
        area = areas.get(name)
        if area is None:  # Renamed or deleted by this deployment.
            continue
        GoalTemplate.objects.get_or_create(
            skill_area=area,
            title=title,
            defaults={
                "title_en": title_en,
                "measure": measure,
                "measure_en": measure_en,
                "target_value": target,
                "unit": unit,
                "unit_en": unit_en,
                "weeks": weeks,
            },
        )

    for name, minutes, title, title_en, lines in AGENDA_TEMPLATES:
        area = None
        if name is not None:
            area = areas.get(name)
            if area is None:
                continue
        AgendaTemplate.objects.get_or_create(
            skill_area=area,
            minutes=minutes,
            defaults={
                "title": title,
                "title_en": title_en,
                "agenda": _plan(lines, 1),
                "agenda_en": _plan(lines, 2),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0002_goals_sessions_calendar"),
        ("programmes", "0002_default_skill_areas"),
    ]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
