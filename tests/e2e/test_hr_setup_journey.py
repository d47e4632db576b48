"""HR sets up a programme and its pilot cohort in real Chromium, in French."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from programmes.models import Programme
from tests.factories import UserFactory


def field(scope, label):
    """A form field by its visible label; crispy adds a "*" to required ones."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


def test_hr_creates_a_programme_and_its_pilot_cohort(
    live_server, page, screenshot, default_skill_areas
):
    UserFactory(
        email="claire.morel@example.org",
        first_name="Claire",
        role=User.Role.HR_ADMIN,
        language="fr",
    )
    errors = []
    # Any script error or CSP refusal fails the journey. The 422 of the form
    # we submit invalid on purpose is logged by Chromium too: that one is expected.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    field(page, "E-mail").fill("claire.morel@example.org")
    field(page, "Mot de passe").fill("password")
    page.locator("main").get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Claire")).to_be_visible()

    page.get_by_role("link", name="Nouveau programme").first.click()
    field(page, "Nom").fill("Mentorat inversé Data 2027")
    field(page, "Objectifs").fill("Former les directeurs aux tableaux de bord.")
    page.get_by_label("Visualisation de données").check()
    page.get_by_label("Automatisation").check()
    page.get_by_label("Vision stratégique").check()
    field(page, "Date de début").fill("2027-01-04")
    field(page, "Date de fin").fill("2027-12-17")
    field(page, "Écart d’ancienneté minimal (années)").fill("8")
    page.get_by_role("button", name="Enregistrer le programme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mentorat inversé Data 2027")
    expect(page.get_by_role("alert")).to_contain_text(
        "Programme « Mentorat inversé Data 2027 » créé."
    )
    skills = page.locator("section[aria-labelledby=skills-title]")
    expect(skills).to_contain_text("Visualisation de données")
    expect(skills).to_contain_text("Automatisation")
    expect(skills).to_contain_text("Vision stratégique")

    # The cohort form opens and saves in place (HTMX): the page does not reload.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Ajouter une cohorte").click()
    cohorts = page.locator("#cohorts")
    field(cohorts, "Nom").fill("Pilote hiver 2027")
    field(cohorts, "Nombre de binômes visé").fill("0")
    cohorts.get_by_role("button", name="Enregistrer la cohorte").click()
    expect(cohorts).to_contain_text("Assurez-vous que cette valeur est supérieure ou égale à 1.")
    field(cohorts, "Nombre de binômes visé").fill("6")
    field(cohorts, "Date de fin").fill("2027-06-30")
    cohorts.get_by_role("button", name="Enregistrer la cohorte").click()
    expect(cohorts.locator(".list-group-item")).to_have_count(1)
    expect(cohorts).to_contain_text("Pilote hiver 2027")
    expect(cohorts).to_contain_text("Pilote")
    expect(cohorts).to_contain_text("objectif : 6 binômes")
    expect(page.locator("#messages")).to_contain_text("Cohorte « Pilote hiver 2027 » ajoutée.")
    assert page.evaluate("window.__sameDocument") is True

    # Reload: what is on the page is what was saved.
    page.reload()
    expect(page.locator("#cohorts")).to_contain_text("Pilote hiver 2027")
    screenshot("hr-programme-with-pilot")

    programme = Programme.objects.get(name="Mentorat inversé Data 2027")
    assert sorted(programme.skill_areas.values_list("name", flat=True)) == [
        "Automatisation",
        "Vision stratégique",
        "Visualisation de données",
    ]
    assert programme.min_seniority_gap == 8
    cohort = programme.cohorts.get()
    assert (cohort.name, cohort.is_pilot, cohort.target_pairs) == ("Pilote hiver 2027", True, 6)
    assert str(cohort.ends_on) == "2027-06-30"

    # Open enrolment from the page, then find the programme in the list.
    page.get_by_role("button", name="Ouvrir les inscriptions").click()
    expect(page.locator(".status-badge").first).to_have_text("Inscriptions ouvertes")
    page.get_by_role("link", name="Programmes", exact=True).first.click()
    expect(page.get_by_role("link", name="Mentorat inversé Data 2027")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/programmes/$"))

    # Same page in English.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    expect(page.locator("#programme-table")).to_contain_text("Enrolment open")
    screenshot("hr-programme-list-english")
    assert errors == []
