"""From the CSV import to an active pair, in real Chromium with a real Celery worker.

HR imports two employees; each sets their password from the invitation and
volunteers in their own browser; the mentor takes the training; HR approves,
runs the matching on the worker, reads the explanation and publishes; both meet
and accept.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from pairs.models import Pairing
from programmes.models import Programme
from tests.e2e.conftest import shoot
from tests.factories import CohortFactory, ProgrammeFactory, TrainingModuleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "email;prénom;nom;service;poste;email_manager;ancienneté;langue\n"
    "lea.martin@example.org;Léa;Martin;Marketing;Chargée de communication digitale;;2;fr\n"
    "marc.lefebvre@example.org;Marc;Lefebvre;Finance;Directeur financier;;26;fr\n"
)
PASSWORD = "Binome-2026-secret"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def setup(default_skill_areas):
    areas = default_skill_areas
    programme = ProgrammeFactory(
        name="Mentorat inversé 2026",
        status=Programme.Status.ENROLMENT,
        skill_areas=[areas["Visualisation de données"], areas["Vision stratégique"]],
        min_seniority_gap=5,
        mentor_training_required=True,
    )
    CohortFactory(programme=programme, name="Pilote")
    TrainingModuleFactory(programme=programme, title="Confiance et confidentialité")
    hr = UserFactory(
        email="rh@example.org", first_name="Claire", role=User.Role.HR_ADMIN, language="fr"
    )
    return programme, areas, hr


def log_in(page, url, email, password):
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def accept_invitation(page, email):
    message = next(m for m in mail.outbox if m.to == [email])
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    page.goto(link)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main button[name=action]").click()
    expect(page.locator("main")).to_contain_text("mot de passe")


def volunteer(page, url, programme, role, levels, slots):
    page.goto(f"{url}/programmes/{programme.pk}/")
    page.locator("a[href$='/enrol/']").click()
    page.locator(f"a[href$='/enrol/{role}/']").click()
    for name, level in levels.items():
        page.locator(f"select[name={name}]").select_option(str(level))
    for slot in slots:
        page.locator(f"input[name=availability][value='{slot}']").check()
    page.locator("input[name=format][value=either]").check()
    page.locator("input[name=languages][value=fr]").check()
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#messages")).to_contain_text("Merci")


def test_from_csv_import_to_an_active_pair(live_server, browser, celery_worker, setup, tmp_path):
    programme, areas, _hr = setup
    url = live_server.url
    bi, vision = areas["Visualisation de données"], areas["Vision stratégique"]

    # HR imports the two employees; nothing exists until the preview is confirmed.
    hr_page = browser.new_context(locale="fr-FR").new_page()
    log_in(hr_page, url, "rh@example.org", "password")
    hr_page.goto(f"{url}/people/import/")
    csv_file = tmp_path / "collaborateurs.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    hr_page.locator("input[type=file]").set_input_files(str(csv_file))
    hr_page.locator("main form[enctype] button[type=submit]").click()
    expect(hr_page.locator("main")).to_contain_text("lea.martin@example.org")
    assert not User.objects.filter(email="lea.martin@example.org").exists()
    hr_page.locator("main form[action$='/confirm/'] button[type=submit]").click()
    expect(hr_page.locator("#messages")).to_contain_text("2")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lea.martin@example.org",
        "marc.lefebvre@example.org",
    ]

    # Each volunteer, in their own browser context.
    lea = browser.new_context(locale="fr-FR").new_page()
    accept_invitation(lea, "lea.martin@example.org")
    log_in(lea, url, "lea.martin@example.org", PASSWORD)
    volunteer(lea, url, programme, "mentor", {f"offer_{bi.pk}": 4, f"seek_{vision.pk}": 3}, [2])
    lea.goto(f"{url}/programmes/{programme.pk}/training/")
    lea.locator("form[action$='/mark/'] button[type=submit]").click()
    expect(lea.locator(".badge.text-bg-success")).to_have_count(1)

    marc = browser.new_context(locale="fr-FR").new_page()
    accept_invitation(marc, "marc.lefebvre@example.org")
    log_in(marc, url, "marc.lefebvre@example.org", PASSWORD)
    volunteer(marc, url, programme, "mentee", {f"seek_{bi.pk}": 3, f"offer_{vision.pk}": 4}, [2])

    # HR approves both (in place, HTMX), then runs the matching on the worker.
    hr_page.goto(f"{url}/programmes/{programme.pk}/participants/")
    approve = hr_page.locator("button[name=decision][value=approve]")
    expect(approve).to_have_count(2)
    approve.first.click()
    expect(approve).to_have_count(1)
    approve.first.click()
    expect(approve).to_have_count(0)

    cohort = programme.cohorts.get()
    hr_page.goto(f"{url}/cohorts/{cohort.pk}/matching/")
    hr_page.locator("form[action$='/matching/run/'] button").click()
    # The page polls the run and reloads itself when the worker is done.
    explanation = hr_page.locator("#proposals")
    expect(explanation).to_contain_text(
        "Léa enseigne Visualisation de données au niveau demandé par Marc", timeout=60_000
    )
    expect(explanation).to_contain_text("Marc apporte en retour Vision stratégique")
    shoot(hr_page, "hr-matching-review")
    hr_page.once("dialog", lambda dialog: dialog.accept())
    hr_page.locator("form[action$='/publish/'] button").click()
    expect(hr_page.locator("#messages")).to_contain_text("1 binôme")

    # Both meet for a coffee, then say yes.
    pairing = Pairing.objects.get()
    lea.goto(f"{url}/")
    lea.locator(f"a[href='/pairings/{pairing.pk}/']").click()
    expect(lea.get_by_role("heading", level=1)).to_have_text("Votre binôme : Marc Lefebvre")
    lea.locator("input[name=intro_at]").fill("2026-12-01T10:30")
    lea.locator("input[name=intro_place]").fill("Cafétéria du 3e étage")
    lea.locator("form[action$='/intro/'] button[type=submit]").click()
    expect(lea.locator("main")).to_contain_text("Cafétéria du 3e étage")
    lea.locator("button[name=answer][value=accept]").click()
    expect(lea.locator("#messages")).to_contain_text("Merci")

    marc.set_viewport_size({"width": 390, "height": 844})
    marc.goto(f"{url}/pairings/{pairing.pk}/")
    expect(marc.locator("main")).to_contain_text("Cafétéria du 3e étage")
    marc.locator("button[name=answer][value=accept]").click()
    expect(marc.locator("main div[role=status].alert-success")).to_contain_text("actif")
    shoot(marc, "mentee-pair-active-phone")
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE
