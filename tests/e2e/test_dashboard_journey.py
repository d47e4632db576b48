"""Evaluation in real Chromium: the sponsor reads the charts, HR downloads the pilot verdict.

A programme of 24 people in two directions: the pilot has 10 pairs, a later
wave 2. The manager (sponsor) reads the results page with its four charts,
no names, and the later wave hidden as a group under 5 people. HR opens the
pilot's verdict and downloads the PDF, whose text (pdftotext) holds every
criterion and the recommendation.
"""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from evaluation.metrics import engagement_snapshot_take
from evaluation.models import Assessment, CheckIn
from tests.conftest import REQUIRE_SERVICES
from tests.e2e.conftest import shoot
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    CohortFactory,
    GoalFactory,
    HeldSessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Resultats-2026-secret"
CHARTS = ["chart-sessions", "chart-satisfaction", "chart-uplift", "chart-funnel"]


def _member(name, direction, department):
    return UserFactory(
        first_name=name, last_name="Durand", direction=direction, department=department
    )


@pytest.fixture
def programme(default_skill_areas):
    now = timezone.now()
    digital = default_skill_areas["IA générative"]
    leadership = default_skill_areas["Vision stratégique"]
    first = ActivePairingFactory(
        mentor__user=_member("Junior0", "Direction des systèmes d'information", "Data"),
        mentee__user=_member("Senior0", "Direction financière", "Contrôle de gestion"),
    )
    pilot = first.cohort
    pilot.name, pilot.is_pilot = "Pilote", True
    pilot.save()
    programme = pilot.programme
    programme.name = "Mentorat inversé 2026"
    programme.save()
    wave = CohortFactory(
        programme=programme,
        name="Vague 2",
        is_pilot=False,
        starts_on=pilot.starts_on,
        ends_on=pilot.ends_on,
    )
    pairings = [first]
    for i in range(1, 12):
        pairings.append(
            ActivePairingFactory(
                cohort=pilot if i < 10 else wave,
                mentor__user=_member(f"Junior{i}", "Direction des systèmes d'information", "Data"),
                mentee__user=_member(f"Senior{i}", "Direction financière", "Comptabilité"),
            )
        )
    for i, pairing in enumerate(pairings):
        for days in (35, 21, 7):
            HeldSessionFactory(pairing=pairing, starts_at=now - timedelta(days=days))
        GoalFactory(pairing=pairing, learner="mentee", skill_area=digital, status="achieved")
        GoalFactory(pairing=pairing, learner="mentor", skill_area=leadership)
        for side, skill in (("mentee", digital), ("mentor", leadership)):
            member = getattr(pairing, side)
            CheckInFactory(
                pairing=pairing,
                respondent=member.user,
                satisfaction=4 + i % 2,
                confidence=4,
            )
            for kind, level in (("baseline", 2), ("final", 3 + i % 2)):
                Assessment.objects.create(
                    pairing=pairing,
                    respondent=member.user,
                    side=side,
                    kind=kind,
                    skill_area=skill,
                    level=level,
                )
    CheckIn.objects.update(answered_at=now - timedelta(days=8))
    engagement_snapshot_take(programme_id=programme.pk, today=timezone.localdate())
    return programme, pilot


def log_in(browser, live_server, email):
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        reduced_motion="reduce",  # charts drawn at once, for the screenshots
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    return page


def test_sponsor_reads_charts_and_hr_downloads_the_verdict(
    browser, live_server, programme, tmp_path
):
    programme, _pilot = programme
    months = len(programme.snapshots.get(cohort=None).metrics["series"]["months"])
    UserFactory(email="sponsor@example.org", role=User.Role.MANAGER, password=PASSWORD)
    UserFactory(email="rh@example.org", role=User.Role.HR_ADMIN, password=PASSWORD)

    # The sponsor: aggregates and charts, no names.
    page = log_in(browser, live_server, "sponsor@example.org")
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    page.get_by_role("link", name="Résultats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats")
    expect(page.locator("main")).to_contain_text("Agrégats uniquement.")
    # The text shows before the scripts at the end of the page have drawn the charts.
    page.wait_for_function("ids => window.Chart && ids.every(id => Chart.getChart(id))", arg=CHARTS)
    drawn = page.evaluate(
        "ids => ids.map(id => { const chart = Chart.getChart(id);"
        " return chart ? chart.data.datasets[0].data.filter(v => v !== null).length : 0; })",
        CHARTS,
    )
    # Every month since the start, the one month of answers, the mentees' skill area, and
    # the five steps from volunteering to a completed pair.
    assert drawn == [months, 1, 1, 5]
    expect(page.locator("#metric-volunteers .metric-value")).to_have_text("24")
    expect(page.locator("#metric-satisfaction .metric-value")).to_have_text("4,50 / 5")
    cohorts = page.locator("#group-table-cohort tbody tr")
    expect(cohorts).to_have_count(2)
    # The wave's 4 people are hidden, and so is the pilot, which would give them away.
    expect(cohorts.nth(1)).to_contain_text("Masqué : trop peu de personnes")
    expect(cohorts.nth(0)).to_contain_text("Masqué : trop peu de personnes")
    assert "Durand" not in page.content()
    shoot(page, "manager-results")

    # HR: the pilot's dashboard, its verdict, the PDF.
    page = log_in(browser, live_server, "rh@example.org")
    page.goto(f"{live_server.url}{programme.get_absolute_url()}")
    page.get_by_role("link", name="Tableau de bord").click()
    page.locator("nav.nav-tabs").get_by_role("link", name="Pilote").click()
    expect(page.locator("#metric-pairs_active .metric-value")).to_have_text("10")
    shoot(page, "hr-dashboard-pilot")
    page.get_by_role("link", name="Bilan du pilote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan du pilote : Pilote")
    criteria = page.locator("#criteria-title + .table-responsive tbody th").all_inner_texts()
    labels = [text.splitlines()[0].strip() for text in criteria]
    assert labels == [
        "Taux d’appariement",
        "Séances par binôme",
        "Satisfaction",
        "Objectifs atteints",
        "Progression des compétences",
        "Rétention",
    ]
    recommendation = page.locator("#recommendation-title").inner_text()
    assert recommendation == "Ajuster, puis généraliser"
    shoot(page, "hr-verdict-pilot")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    path = tmp_path / "verdict.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == "verdict-mentorat-inverse-2026-pilote.pdf"

    if not shutil.which("pdftotext"):
        if REQUIRE_SERVICES:
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Bilan du pilote : Pilote" in flat
    for label in labels:
        assert label in flat
    assert f"Recommandation {recommendation}" in flat
    assert "Séances par binôme : 3,00, sous la cible de 6,00." in flat
    assert "Durand" not in flat
