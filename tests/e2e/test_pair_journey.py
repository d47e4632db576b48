"""A pair at work, on a phone and on a desktop, in real Chromium.

The mentee plans the next session and prepares its agenda from a template; the
session takes place; the mentor logs it with the progress of a goal; each
member answers their check-in, which the partner never sees.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import CheckIn
from pairs.models import AgendaTemplate, Goal, Session
from tests.e2e.conftest import shoot
from tests.factories import ActivePairingFactory, GoalFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Binome-2026-secret"
AGENDA = (
    "10 min – Nouvelles depuis la dernière séance\n"
    "30 min – Pratique : un premier tableau de bord sur les ventes\n"
    "5 min – Prochaines étapes"
)
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture(params=sorted(VIEWPORTS))
def device(request):
    return request.param


@pytest.fixture
def pair(default_skill_areas):
    dataviz = default_skill_areas["Visualisation de données"]
    mentor = UserFactory(
        email="lea@example.org", first_name="Léa", last_name="Martin", password=PASSWORD
    )
    mentee = UserFactory(
        email="marc@example.org", first_name="Marc", last_name="Lefebvre", password=PASSWORD
    )
    pairing = ActivePairingFactory(mentor__user=mentor, mentee__user=mentee)
    pairing.cohort.programme.skill_areas.set([dataviz])
    # The data migration's template for this area, if a flush left it, is replaced.
    template, _ = AgendaTemplate.objects.update_or_create(
        skill_area=dataviz,
        minutes=45,
        defaults={"title": "Premier tableau de bord", "agenda": AGENDA, "agenda_en": ""},
    )
    goal = GoalFactory(
        pairing=pairing,
        skill_area=dataviz,
        title="Construire mon premier tableau de bord",
        measure="tableaux de bord partagés",
        target_value=Decimal("2"),
        unit="tableaux de bord",
    )
    return pairing, template, goal


def log_in(browser, live_server, device, email):
    context = browser.new_context(locale="fr-FR", **VIEWPORTS[device])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    return page


def answer_checkin(page, pairing, scores, comment):
    page.locator(f"a[href$='/pairings/{pairing.pk}/checkin/']").first.click()
    expect(page.locator("main")).to_contain_text("Votre binôme ne voit jamais vos réponses.")
    for name, value in scores.items():
        page.locator(f"input[name={name}][value='{value}']").check()
    page.locator("textarea[name=comment]").fill(comment)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Merci ! Vos réponses")
    expect(page.locator(f"a[href$='/pairings/{pairing.pk}/checkin/']")).to_have_count(0)


def test_a_pair_prepares_logs_and_checks_in(browser, live_server, device, pair):
    pairing, template, goal = pair
    tomorrow = timezone.localtime() + timedelta(days=1)

    # The mentee plans tomorrow's session and starts the agenda from a template.
    marc = log_in(browser, live_server, device, "marc@example.org")
    marc.locator(f"a[href$='/pairings/{pairing.pk}/']").first.click()
    marc.locator(f"a[href$='/pairings/{pairing.pk}/sessions/new/']").first.click()
    marc.locator(f"a[href='?template={template.pk}']").click()
    expect(marc.locator("textarea[name=agenda]")).to_have_value(AGENDA)
    expect(marc.locator("input[name=planned_minutes]")).to_have_value("45")
    marc.locator("textarea[name=agenda]").press("Control+End")
    marc.locator("textarea[name=agenda]").type("\nQuestion : comment partager le tableau ?")
    marc.locator("input[name=starts_at]").fill(tomorrow.strftime("%Y-%m-%dT10:00"))
    marc.locator("input[name=place]").fill("Salle Confluence")
    marc.locator("main form button[type=submit]").click()
    expect(marc.locator(".alert-success")).to_contain_text("Séance planifiée.")
    expect(marc.locator(".agenda")).to_contain_text("un premier tableau de bord sur les ventes")
    shoot(marc, f"pair-agenda-from-template-{device}")
    session = Session.objects.get(pairing=pairing)
    assert session.status == Session.Status.PLANNED
    assert session.agenda_template == template
    assert session.agenda.endswith("Question : comment partager le tableau ?")

    # The day comes and the session takes place.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    # The mentor logs it: 50 minutes, notes, what she learned, and the goal moves to 1 of 2.
    lea = log_in(browser, live_server, device, "lea@example.org")
    lea.goto(f"{live_server.url}/pairings/{pairing.pk}/")
    lea.locator(f"a[href$='/sessions/{session.pk}/log/']").first.click()
    lea.locator("input[name=outcome][value=held]").check()
    lea.locator("input[name=held_minutes]").fill("50")
    lea.locator("input[name=topics]").first.check()
    lea.locator("textarea[name=shared_notes]").fill("Tableau des ventes construit ensemble.")
    lea.locator("textarea[name=learned]").fill("Comment un directeur financier lit un chiffre.")
    lea.locator("textarea[name=next_steps]").fill("Marc publie le tableau pour son équipe.")
    lea.locator(f"input[name=goal_{goal.pk}]").fill("1")
    lea.locator("main form button[type=submit]").click()
    expect(lea.locator(".alert-success")).to_contain_text("Bravo à tous les deux")
    expect(lea.locator(".shared-notes")).to_contain_text("Tableau des ventes construit ensemble.")
    expect(lea.locator(".learned-mentor")).to_contain_text("directeur financier")
    shoot(lea, f"pair-session-logged-{device}")
    session.refresh_from_db()
    goal.refresh_from_db()
    assert (session.status, session.held_minutes) == (Session.Status.HELD, 50)
    assert (goal.current_value, goal.status) == (Decimal("1"), Goal.Status.IN_PROGRESS)
    assert goal.updates.get().session == session

    # The mentee sees the goal half way, and answers his check-in.
    marc.goto(f"{live_server.url}/pairings/{pairing.pk}/")
    expect(marc.locator(f"a[href$='/goals/{goal.pk}/'] ~ progress")).to_have_attribute(
        "value", "50"
    )
    answer_checkin(
        marc, pairing, {"satisfaction": 5, "progress": 4, "confidence": 5}, "Très concret."
    )
    shoot(marc, f"pair-page-after-checkin-{device}")

    # The mentor answers hers; neither sees the other's answers.
    lea.goto(f"{live_server.url}/pairings/{pairing.pk}/")
    expect(lea.locator("main")).not_to_contain_text("Très concret.")
    answer_checkin(
        lea, pairing, {"satisfaction": 4, "progress": 3, "confidence": 4}, "Marc avance."
    )
    marc.reload()
    expect(marc.locator("main")).not_to_contain_text("Marc avance.")
    answers = {
        c.respondent.first_name: (c.number, c.satisfaction, c.progress, c.confidence, c.comment)
        for c in CheckIn.objects.select_related("respondent")
    }
    assert answers == {
        "Marc": (1, 5, 4, 5, "Très concret."),
        "Léa": (1, 4, 3, 4, "Marc avance."),
    }
