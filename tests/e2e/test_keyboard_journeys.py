"""The main journeys with the keyboard alone, in real Chromium, in French.

No mouse and no .click(): Tab, Shift+Tab, Enter, Space and the arrow keys through
page.keyboard. Only the first address of each journey is typed (page.goto), like a
bookmark. Every element reached with Tab must show a focus ring, and the conftest's
axe-core check runs on every page reached, as in the other journeys.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from evaluation.models import CheckIn
from pairs.models import Goal, GoalUpdate
from programmes.models import Programme
from tests.e2e.conftest import shoot
from tests.factories import ActivePairingFactory, GoalFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Clavier-2026-secret"
# The focused element, the outline and box-shadow it is drawn with, and whether it shows.
FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute("aria-label") || el.innerText || el.name || el.id || "").trim(),
    inMain: Boolean(el.closest("main")),
    inNavbar: Boolean(el.closest(".navbar")),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    visible: box.width > 0 && box.height > 0,
  };
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


def focus(page):
    return page.evaluate(FOCUS)


def assert_focus_ring(page):
    """The focused element is on screen and drawn with a ring of at least 2 px."""
    info = focus(page)
    assert info["visible"], f"focus on an invisible element: {info}"
    assert info["outlineStyle"] != "none" and info["outlineWidth"] >= 2, (
        f"no visible focus ring: {info}"
    )
    return info


def is_focused(locator):
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, back=False, limit=80):
    """Press Tab (or Shift+Tab) until the locator has the focus; every stop shows a ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if focus(page)["tag"] != "body":
            assert_focus_ring(page)
        if is_focused(locator):
            return
    pytest.fail(f"{locator} never got the focus after {limit} presses of Tab")


def follow(page, key="Enter"):
    """Press a key that leaves the page (a link, a form) and wait for the next one."""
    with page.expect_navigation():
        page.keyboard.press(key)


def replace_value(page, text):
    """Type over the focused field's value."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def log_in(page, url, email, password=PASSWORD):
    page.goto(f"{url}/accounts/login/")
    tab_to(page, page.locator("#id_login"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(password)
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_skip_link_focus_ring_and_menus(live_server, page, a11y):
    UserFactory(
        email="claire.morel@example.org",
        first_name="Claire",
        last_name="Morel",
        role=User.Role.HR_ADMIN,
        password=PASSWORD,
    )
    page.goto(f"{live_server.url}/accounts/login/")

    # The very first Tab stop is the skip link, shown on screen with a ring.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_ring(page)
    shoot(page, "keyboard-skip-link")
    # Enter follows it: the next Tab lands in the main content, past the whole navbar.
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    assert focus(page)["inMain"] is True
    expect(page.locator("#id_login")).to_be_focused()

    page.keyboard.type("claire.morel@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bonjour Claire")).to_be_visible()

    # In the blue navbar the ring is white; in the page it is dark blue.
    tab_to(page, page.locator(".navbar").get_by_role("link", name="Programmes"))
    ring = assert_focus_ring(page)
    assert (ring["inNavbar"], ring["outlineColor"]) == (True, "rgb(255, 255, 255)")
    shoot(page, "keyboard-focus-navbar")
    tab_to(page, page.locator("main").get_by_role("link", name="Nouveau programme"))
    ring = assert_focus_ring(page)
    assert (ring["inMain"], ring["outlineColor"]) == (True, "rgb(5, 44, 101)")

    # The user menu: Shift+Tab back to it, open it with Enter, walk it with the arrows,
    # close it with Escape, which gives the focus back to its button.
    menu_button = page.locator(".navbar").get_by_role("button", name="Claire Morel")
    tab_to(page, menu_button, back=True)
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Notifications")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Mes progrès")).to_be_focused()
    assert_focus_ring(page)
    assert a11y.check(page, "user menu open") == []
    shoot(page, "keyboard-user-menu")
    page.keyboard.press("Escape")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_be_focused()

    # Enter follows a focused link.
    tab_to(page, page.locator(".navbar").get_by_role("link", name="Programmes"))
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")


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
    goal = GoalFactory(
        pairing=pairing,
        skill_area=dataviz,
        title="Construire mon premier tableau de bord",
        measure="tableaux de bord partagés",
        target_value=Decimal("2"),
        unit="tableaux de bord",
    )
    return pairing, goal


def test_participant_logs_goal_progress_and_answers_the_checkin(live_server, page, pair):
    pairing, goal = pair
    log_in(page, live_server.url, "marc@example.org")

    # From the home page to the pair, then to the goal.
    tab_to(page, page.locator(f"main a[href='/pairings/{pairing.pk}/']"))
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre binôme : Léa Martin")
    tab_to(page, page.get_by_role("link", name="Construire mon premier tableau de bord"))
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Construire mon premier tableau de bord"
    )

    # The progress form: value, status left to follow the value, a note; Space on the button.
    tab_to(page, page.locator("input[name=value]"))
    replace_value(page, "1")
    page.keyboard.press("Tab")
    expect(page.locator("select[name=status]")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("textarea[name=note]")).to_be_focused()
    page.keyboard.type("Premier tableau partagé avec l'équipe.")
    tab_to(page, page.get_by_role("button", name="Enregistrer la progression"))
    shoot(page, "keyboard-goal-progress")
    page.keyboard.press("Space")
    expect(page.locator("#messages")).to_contain_text("Progression enregistrée.")

    goal.refresh_from_db()
    assert (goal.current_value, goal.status) == (Decimal("1"), Goal.Status.IN_PROGRESS)
    update = GoalUpdate.objects.get()
    assert (update.goal, update.author.email, update.previous_value, update.value) == (
        goal,
        "marc@example.org",
        Decimal("0"),
        Decimal("1"),
    )
    assert (update.note, update.session, update.link, update.file.name) == (
        "Premier tableau partagé avec l'équipe.",
        None,
        "",
        "",
    )

    # Back to the pair (breadcrumb), then the check-in: radio groups with the arrow keys.
    tab_to(page, page.locator("main nav").get_by_role("link", name="Léa Martin"), back=True)
    follow(page)
    tab_to(page, page.locator(f"main a[href$='/pairings/{pairing.pk}/checkin/']").first)
    follow(page)
    expect(page.locator("main")).to_contain_text("Votre binôme ne voit jamais vos réponses.")
    for name, value in (("satisfaction", 4), ("progress", 3), ("confidence", 5)):
        tab_to(page, page.locator(f"input[name={name}]").first)
        page.keyboard.press("Space")  # checks the first answer, 1
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")  # moves to the next answer and checks it
        expect(page.locator(f"input[name={name}][value='{value}']")).to_be_checked()
        assert_focus_ring(page)
    tab_to(page, page.locator("textarea[name=comment]"))
    page.keyboard.type("Concret et utile.")
    tab_to(page, page.get_by_role("button", name="Envoyer mes réponses"))
    follow(page)
    expect(page.locator("#messages")).to_contain_text("Merci ! Vos réponses")

    checkin = CheckIn.objects.get()
    assert (
        checkin.pairing,
        checkin.respondent.email,
        checkin.number,
        checkin.satisfaction,
        checkin.progress,
        checkin.confidence,
        checkin.comment,
    ) == (pairing, "marc@example.org", 1, 4, 3, 5, "Concret et utile.")


def test_hr_creates_a_programme_and_a_cohort(live_server, page, default_skill_areas):
    UserFactory(
        email="claire.morel@example.org",
        first_name="Claire",
        role=User.Role.HR_ADMIN,
        password=PASSWORD,
    )
    log_in(page, live_server.url, "claire.morel@example.org")
    tab_to(page, page.locator("main").get_by_role("link", name="Nouveau programme"))
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau programme")

    tab_to(page, page.locator("input[name=name]"))
    page.keyboard.type("Mentorat inversé au clavier")
    page.keyboard.press("Tab")
    expect(page.locator("textarea[name=objectives]")).to_be_focused()
    page.keyboard.type("Apprendre les raccourcis.")
    for area in ("Visualisation de données", "Vision stratégique"):
        tab_to(page, page.get_by_label(area))
        page.keyboard.press("Space")
    # Date fields: the digits fill the segments in turn, in the order of Chromium's own
    # language (day first or month first): a day equal to the month reads the same in both.
    tab_to(page, page.locator("input[name=starts_on]"))
    page.keyboard.type("01012027")
    tab_to(page, page.locator("input[name=ends_on]"))
    page.keyboard.type("12122027")
    tab_to(page, page.locator("input[name=min_seniority_gap]"))
    replace_value(page, "8")
    tab_to(page, page.get_by_role("button", name="Enregistrer le programme"))
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentorat inversé au clavier")

    programme = Programme.objects.get()
    assert (
        programme.name,
        programme.objectives,
        str(programme.starts_on),
        str(programme.ends_on),
        programme.min_seniority_gap,
        programme.status,
    ) == (
        "Mentorat inversé au clavier",
        "Apprendre les raccourcis.",
        "2027-01-01",
        "2027-12-12",
        8,
        Programme.Status.DRAFT,
    )
    assert sorted(programme.skill_areas.values_list("name", flat=True)) == [
        "Vision stratégique",
        "Visualisation de données",
    ]

    # The cohort form opens in place (HTMX) and takes the focus; Enter in a field saves it.
    tab_to(page, page.get_by_role("link", name="Ajouter une cohorte"))
    page.keyboard.press("Enter")
    cohorts = page.locator("#cohorts")
    expect(cohorts.get_by_role("heading", name="Nouvelle cohorte")).to_be_focused()
    tab_to(page, cohorts.locator("input[name=name]"))
    page.keyboard.type("Pilote au clavier")
    tab_to(page, cohorts.locator("input[name=target_pairs]"))
    replace_value(page, "6")
    shoot(page, "keyboard-cohort-form")
    page.keyboard.press("Enter")
    expect(cohorts.locator(".list-group-item")).to_have_count(1)
    expect(page.locator("#messages")).to_contain_text("Cohorte « Pilote au clavier » ajoutée.")

    cohort = programme.cohorts.get()
    assert (cohort.name, cohort.target_pairs, cohort.is_pilot) == ("Pilote au clavier", 6, True)
    assert (cohort.starts_on, cohort.ends_on) == (programme.starts_on, programme.ends_on)

    # Open enrolment with the keyboard.
    tab_to(page, page.get_by_role("button", name="Ouvrir les inscriptions"), back=True)
    follow(page)
    expect(page.locator(".status-badge").first).to_have_text("Inscriptions ouvertes")
    programme.refresh_from_db()
    assert programme.status == Programme.Status.ENROLMENT
