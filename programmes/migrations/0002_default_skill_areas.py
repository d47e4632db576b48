"""Seed the skill-area taxonomy with a default list HR can then edit.

Names in French (the organisation's language) with an English name beside.
"""

from django.db import migrations

DEFAULT_SKILL_AREAS = [
    # (name, name_en, category, description)
    ("IA générative", "Generative AI", "digital",
     "ChatGPT, Copilot, Mistral : rédiger, résumer, analyser avec un assistant IA."),
    ("Réseaux sociaux professionnels", "Professional social networks", "digital",
     "LinkedIn : profil, publications, veille et prise de parole."),
    ("Réseaux sociaux grand public", "Consumer social media", "digital",
     "Instagram, TikTok, YouTube : codes, formats et usages des jeunes générations."),
    ("Visualisation de données", "Data visualisation", "digital",
     "Power BI, Tableau, Looker Studio : construire un tableau de bord."),
    ("Automatisation", "Automation", "digital",
     "Zapier, Make, Power Automate : automatiser des tâches répétitives."),
    ("Outils collaboratifs", "Collaboration tools", "digital",
     "Teams, Slack, Notion, Miro : travailler à distance et en mode projet."),
    ("SEO et marketing digital", "SEO and digital marketing", "digital",
     "Référencement, campagnes en ligne, mesure d'audience."),
    ("Tableurs avancés", "Advanced spreadsheets", "digital",
     "Excel et Google Sheets : tableaux croisés, formules, requêtes."),
    ("Cybersécurité au quotidien", "Everyday cybersecurity", "digital",
     "Mots de passe, hameçonnage, protection des données."),
    ("Vision stratégique", "Strategic vision", "leadership",
     "Lire son marché, arbitrer, décider à long terme."),
    ("Leadership et management", "Leadership and management", "leadership",
     "Animer une équipe, déléguer, donner du feedback."),
    ("Prise de parole et influence", "Public speaking and influence", "leadership",
     "Convaincre en réunion, présenter à un comité de direction."),
    ("Négociation", "Negotiation", "leadership",
     "Préparer et conduire une négociation."),
    ("Culture et réseau de l'entreprise", "Company culture and network", "business",
     "Comprendre l'organisation, ses codes et les bonnes personnes à connaître."),
    ("Développement de carrière", "Career development", "business",
     "Construire son parcours, gérer les étapes clés."),
]


def create_defaults(apps, schema_editor):
    SkillArea = apps.get_model("programmes", "SkillArea")
    for name, name_en, category, description in DEFAULT_SKILL_AREAS:
        SkillArea.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "category": category, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
