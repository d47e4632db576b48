"""HR's and managers' dashboards, read from the snapshots of the hand-built programme."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.metrics import engagement_snapshot_take
from tests.conftest import client_for
from tests.evaluation.conftest import TODAY
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    GoalFactory,
    HeldSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_readers(hr_admin, manager):
    """The readers of these pages read English unless a test says otherwise."""
    for user in (hr_admin, manager):
        user.language = "en"
        user.save()


@pytest.fixture
def snapshot(built):
    engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY)
    return built


def test_hr_dashboard_shows_every_metric_with_its_definition(client, hr_admin, snapshot):
    url = reverse("programme_dashboard", args=[snapshot.programme.pk])
    response = client_for(client, hr_admin).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    cards = {card["key"]: card for s in response.context["sections"] for card in s["metrics"]}
    assert len(cards) == 25
    assert cards["match_rate"]["text"] == "88.9%"
    assert cards["satisfaction"]["text"] == "3.83 / 5"
    assert cards["skill_uplift"]["text"] == "+1.60 pts"
    assert cards["hours_held"]["text"] == "5.8 h"
    page = response.content.decode()
    assert "Eligible volunteers (approved, or already in a pair) who were given a partner" in page
    assert "The cadence asks for 2.17 a month." in page
    # The pairs needing attention, with a link, for HR only.
    p1 = snapshot.pairs["P1"]
    assert reverse("pairing_detail", args=[p1.pk]) in page
    assert "Check-in overdue" in page
    # The charts' data travels as JSON, not as code.
    chart = response.context["chart"]
    assert chart["sessions"] == [1, 3, 2, 0]
    assert chart["satisfaction"] == [None, 3.6, None, 5.0]
    assert chart["funnel"]["values"] == [12, 9, 8, 6, 2]
    assert chart["uplift"] == {
        "labels": ["Generative AI", "Power BI", "Strategy"],
        "mentee": [1.5, 3.0, None],
        "mentor": [None, None, 1.0],
    }
    assert 'id="dashboard-data" type="application/json"' in page


def test_hr_dashboard_in_french(client, hr_admin, snapshot):
    hr_admin.language = "fr"
    hr_admin.save()
    url = reverse("programme_dashboard", args=[snapshot.programme.pk])
    response = client_for(client, hr_admin).get(url, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    cards = {card["key"]: card for s in response.context["sections"] for card in s["metrics"]}
    assert cards["match_rate"]["label"] == "Taux d’appariement"
    assert cards["match_rate"]["text"] == "88,9 %"
    assert cards["satisfaction"]["text"] == "3,83 / 5"
    assert "Tableau de bord" in page


def test_a_cohort_dashboard_reads_the_cohort_snapshot(client, hr_admin, snapshot):
    url = reverse("programme_dashboard", args=[snapshot.programme.pk])
    response = client_for(client, hr_admin).get(f"{url}?cohort={snapshot.wave.pk}")
    totals = response.context["view"]["totals"]
    assert (totals["volunteers"]["value"], totals["pairs_intro"]["value"]) == (4, 1)
    assert response.context["attention"] == []
    other = ActivePairingFactory().cohort
    assert client.get(f"{url}?cohort={other.pk}").status_code == 404
    assert client.get(f"{url}?cohort=abc").status_code == 404


def test_dashboard_without_a_snapshot_says_so(client, hr_admin, built):
    url = reverse("programme_dashboard", args=[built.programme.pk])
    response = client_for(client, hr_admin).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "No figures yet: they are computed every night." in response.content.decode()


def test_refresh_from_the_dashboard_comes_back_to_it(client, hr_admin, built):
    url = reverse("programme_dashboard", args=[built.programme.pk])
    response = client_for(client, hr_admin).post(
        reverse("snapshot_refresh", args=[built.programme.pk]),
        {"next": f"{url}?cohort={built.pilot.pk}"},
    )
    assert response["Location"] == f"{url}?cohort={built.pilot.pk}"
    response = client.post(
        reverse("snapshot_refresh", args=[built.programme.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("programme_pairings", args=[built.programme.pk])


# The managers' view: aggregates only.


def test_manager_reads_aggregates_without_names(client, manager, snapshot):
    url = reverse("programme_overview", args=[snapshot.programme.pk])
    response = client_for(client, manager).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    for person in ("M1", "E1", "M6", "E6"):
        assert f"{person} Test" not in page
    assert reverse("pairing_detail", args=[snapshot.pairs["P1"].pk]) not in page
    assert reverse("pairs_export", args=[snapshot.programme.pk, "csv"]) not in page
    assert response.context["attention"] == []
    totals = response.context["view"]["totals"]
    # 12 people in the programme: its totals show, but not those with fewer than 5 behind them.
    assert totals["volunteers"] == {"value": 12, "hidden": False}
    assert totals["satisfaction"] == {"value": 3.83, "hidden": False}  # 5 respondents
    assert totals["recommend_rate"] == {"value": None, "hidden": True}  # 3
    assert totals["pairs_ended_early"] == {"value": None, "hidden": True}  # 2 people
    assert totals["uplift_mentors"] == {"value": None, "hidden": True}  # 2
    assert "Aggregates only." in page


def _visible(rows):
    return {row["key"]: row["people"] for row in rows if not row["hidden"]}


def test_small_groups_are_hidden_and_so_is_their_complement(client, manager, snapshot):
    """Directions DAF 5, DCM 1, DSI 6: DCM is under 5, and with DAF shown it would be
    12 - 6 - 5 = 1 person, so DAF must go too. Cohorts: Vague 2 has 4, so the pilot (8)
    would give it away as 12 - 8."""
    url = reverse("programme_overview", args=[snapshot.programme.pk])
    view = client_for(client, manager).get(url).context["view"]
    assert _visible(view["groups"]["direction"]) == {"DSI": 6}
    assert _visible(view["groups"]["cohort"]) == {}
    # Departments: DSI's Data (4) and Web (2) are both under 5; DAF and DCM are hidden whole.
    assert _visible(view["groups"]["department"]) == {}
    assert all(
        cell == {"value": None, "hidden": True}
        for row in view["groups"]["department"]
        for cell in row["cells"].values()
    )


def test_no_hidden_figure_can_be_recovered_by_subtraction(client, manager, snapshot):
    """For every count a manager sees, the total minus the visible groups must stand for
    zero or at least 5 people, in every family of groups that add up to a visible whole."""
    url = reverse("programme_overview", args=[snapshot.programme.pk])
    view = client_for(client, manager).get(url).context["view"]
    total = view["people"]
    for dimension in ("cohort", "direction"):
        shown = sum(row["people"] for row in view["groups"][dimension] if not row["hidden"])
        assert total - shown == 0 or total - shown >= 5, dimension
    dsi = next(row for row in view["groups"]["direction"] if row["key"] == "DSI")
    # DSI's satisfaction rests on 3 respondents (M1, M2, M6): hidden.
    assert dsi["cells"]["satisfaction"] == {"value": None, "hidden": True}
    # DSI's match rate rests on 5 eligible people, but the programme's rests on 9: shown
    # together they would give the 4 eligible people of DAF and DCM away, so it is hidden.
    assert dsi["cells"]["match_rate"] == {"value": None, "hidden": True}
    assert view["totals"]["match_rate"] == {"value": 88.9, "hidden": False}
    # What DSI does show rests on 5 people or more, and so does the rest of the programme.
    assert dsi["cells"]["sessions_per_month"] == {"value": None, "hidden": True}  # 3 mentors
    assert dsi["people"] == 6


def test_hr_sees_every_group(client, hr_admin, snapshot):
    url = reverse("programme_dashboard", args=[snapshot.programme.pk])
    view = client_for(client, hr_admin).get(url).context["view"]
    assert _visible(view["groups"]["direction"]) == {"DAF": 5, "DCM": 1, "DSI": 6}
    assert _visible(view["groups"]["cohort"]) == {snapshot.pilot.pk: 8, snapshot.wave.pk: 4}


def test_a_programme_under_5_people_shows_nothing_to_managers(client, manager):
    pairing = ActivePairingFactory()
    HeldSessionFactory(pairing=pairing)
    programme = pairing.cohort.programme
    engagement_snapshot_take(programme_id=programme.pk, today=TODAY)
    response = client_for(client, manager).get(
        reverse("programme_overview", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.context["view"]["hidden"] is True
    assert "fewer than 5 participants: its figures are hidden" in response.content.decode()
    assert all(cell["hidden"] for cell in response.context["view"]["totals"].values())


# Query counts at two sizes.


def _grow(programme, pairs: int, today):
    cohort = programme.cohorts.first()
    for _ in range(pairs):
        pairing = ActivePairingFactory(cohort=cohort)
        HeldSessionFactory(pairing=pairing)
        GoalFactory(pairing=pairing)
        CheckInFactory(pairing=pairing)
    engagement_snapshot_take(programme_id=programme.pk, today=today)


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        ("programme_dashboard", "hr", 7),
        ("programme_overview", "manager", 5),
    ],
)
def test_dashboard_queries_do_not_grow_with_the_programme(
    client, hr_admin, manager, built, name, role, expected
):
    user = hr_admin if role == "hr" else manager
    client_for(client, user)
    url = reverse(name, args=[built.programme.pk])
    counts = []
    for pairs in (0, 6):
        _grow(built.programme, pairs, TODAY)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [expected, expected]


def test_metrics_export_queries_are_constant(client, hr_admin, built):
    client_for(client, hr_admin)
    url = reverse("metrics_export", args=[built.programme.pk, "csv"])
    counts = []
    for pairs in (0, 6):
        _grow(built.programme, pairs, TODAY)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [4, 4]


def test_chart_labels_are_in_the_readers_language(client, hr_admin, snapshot):
    hr_admin.language = "fr"
    hr_admin.save()
    url = reverse("programme_dashboard", args=[snapshot.programme.pk])
    response = client_for(client, hr_admin).get(url, HTTP_ACCEPT_LANGUAGE="fr")
    chart = json.loads(
        response.content.decode()
        .split('id="dashboard-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert chart["labels"]["sessions"] == "Séances tenues"
    assert chart["funnel"]["labels"][0] == "Volontaires"
    assert chart["months"] == ["octobre 2026", "novembre 2026", "décembre 2026", "janvier 2027"]


def test_figures_are_laid_out_once_per_snapshot(client, hr_admin, snapshot):
    """Readers of the same snapshot get the same figures from the cache; a refresh shows anew."""
    client_for(client, hr_admin)
    url = reverse("programme_dashboard", args=[snapshot.programme.pk])
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    def figures(response):
        page = response.content.decode()
        return page[page.index('<div class="row g-3 mb-4">') : page.index("</main>")]

    assert figures(second) == figures(first)
    assert len(queries) == 6  # the skill areas' names are not read again
    assert "view" not in second.context
    HeldSessionFactory(pairing=snapshot.pairs["P1"], held_minutes=60)
    engagement_snapshot_take(programme_id=snapshot.programme.pk, today=TODAY)
    third = client.get(url)
    assert third.context["view"]["totals"]["sessions_held"]["value"] == 7
    assert 'id="metric-sessions_held"' in third.content.decode()


def test_managers_and_hr_never_share_a_cached_view(client, hr_admin, manager, snapshot):
    client_for(client, hr_admin).get(reverse("programme_dashboard", args=[snapshot.programme.pk]))
    response = client_for(client, manager).get(
        reverse("programme_overview", args=[snapshot.programme.pk])
    )
    assert response.context["view"]["totals"]["recommend_rate"]["hidden"] is True
