"""The pilot verdict: the rule on its own, the page, and the PDF a sponsor reads."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.metrics import engagement_snapshot_take
from evaluation.verdict import ADJUST, SCALE_UP, STOP, pilot_verdict
from tests.conftest import REQUIRE_SERVICES, client_for
from tests.evaluation.conftest import TODAY
from tests.factories import ActivePairingFactory, HeldSessionFactory

TARGETS = {
    "target_match_rate": 70,
    "target_sessions_per_pair": 6,
    "target_satisfaction": Decimal("4.0"),
    "target_goal_completion": 70,
    "target_skill_uplift": Decimal("1.0"),
    "target_retention": 80,
}
ALL_MET = {
    "match_rate": 75.0,
    "sessions_per_pair": 6.0,
    "satisfaction": 4.0,
    "goal_completion": 71.0,
    "skill_uplift": 1.2,
    "retention": 90.0,
}


def judge(**changes):
    values = {**ALL_MET, **changes}
    return pilot_verdict(values, TARGETS, ends_on=date(2027, 1, 31), today=date(2027, 2, 1))


def test_every_criterion_met_scales_up():
    verdict = judge()
    assert (verdict.recommendation, verdict.met, verdict.provisional) == (SCALE_UP, 6, False)
    assert [c.gap for c in verdict.criteria] == [5.0, 0.0, 0.0, 1.0, 0.2, 10.0]


def test_some_missed_adjusts():
    verdict = judge(sessions_per_pair=4.5, goal_completion=60.0)
    assert (verdict.recommendation, verdict.met) == (ADJUST, 4)
    assert [c.metric for c in verdict.missed] == ["sessions_per_pair", "goal_completion"]


def test_half_met_still_adjusts_but_fewer_stops():
    assert judge(match_rate=60.0, sessions_per_pair=3.0, goal_completion=10.0).recommendation == (
        ADJUST
    )
    assert (
        judge(
            match_rate=60.0, sessions_per_pair=3.0, goal_completion=10.0, skill_uplift=0.5
        ).recommendation
        == STOP
    )


def test_people_who_neither_like_it_nor_stay_stop_it():
    assert judge(satisfaction=3.1, retention=50.0).recommendation == STOP
    assert judge(satisfaction=3.1).recommendation == ADJUST


def test_what_cannot_be_measured_is_not_met():
    verdict = judge(skill_uplift=None)
    assert verdict.recommendation == ADJUST
    assert [c.metric for c in verdict.unmeasured] == ["skill_uplift"]
    assert verdict.missed == ()


def test_before_the_end_the_verdict_is_provisional():
    verdict = pilot_verdict(ALL_MET, TARGETS, ends_on=date(2027, 1, 31), today=date(2027, 1, 30))
    assert verdict.provisional is True


@pytest.fixture
def judged(built, hr_admin):
    hr_admin.language = "en"
    hr_admin.save()
    engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY)
    return built


@pytest.mark.django_db
def test_verdict_page_of_the_pilot(client, hr_admin, judged):
    url = reverse("cohort_verdict", args=[judged.programme.pk, judged.pilot.pk])
    response = client_for(client, hr_admin).get(url)
    assert response.status_code == 200
    rows = [(r["label"], r["target"], r["value"], r["met"]) for r in response.context["criteria"]]
    assert rows == [
        ("Match rate", "70.0%", "100.0%", True),
        ("Sessions per pair", "6.00", "2.00", False),
        ("Satisfaction", "4.00 / 5", "3.83 / 5", False),
        ("Goal completion", "70.0%", "50.0%", False),
        ("Skill uplift", "+1.00 pts", "+1.60 pts", True),
        ("Retention", "80.0%", "66.7%", False),
    ]
    assert response.context["recommendation"]["code"] == STOP
    page = response.content.decode()
    assert "Satisfaction is 3.83 / 5, below the target of 4.00 / 5." in page
    assert "2 of 6 success criteria met." in page


@pytest.mark.django_db
def test_verdict_follows_the_targets_set_on_the_programme(client, hr_admin, judged):
    programme = judged.programme
    programme.target_sessions_per_pair = 2
    programme.target_satisfaction = Decimal("3.5")
    programme.target_goal_completion = 50
    programme.target_retention = 60
    programme.save()
    url = reverse("cohort_verdict", args=[programme.pk, judged.pilot.pk])
    response = client_for(client, hr_admin).get(url)
    assert response.context["recommendation"]["code"] == SCALE_UP


@pytest.mark.django_db
def test_verdict_of_a_cohort_of_another_programme_is_404(client, hr_admin, judged):
    other = judged.programme.__class__.objects.create(
        name="Autre", objectives="-", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    url = reverse("cohort_verdict", args=[other.pk, judged.pilot.pk])
    assert client_for(client, hr_admin).get(url).status_code == 404
    url = reverse("cohort_verdict_pdf", args=[other.pk, judged.pilot.pk])
    assert client.get(url).status_code == 404


def _pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        if REQUIRE_SERVICES:
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "verdict.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.django_db
def test_verdict_pdf_holds_the_criteria_and_the_recommendation(client, hr_admin, judged, tmp_path):
    url = reverse("cohort_verdict_pdf", args=[judged.programme.pk, judged.pilot.pk])
    response = client_for(client, hr_admin).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="verdict-mentorat-inverse-2026-pilote.pdf"'
    )
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    assert "Pilot verdict: Pilote" in text
    assert "Recommendation Stop" in text
    for label in ("Match rate", "Sessions per pair", "Satisfaction", "Goal completion"):
        assert label in text
    assert "Satisfaction is 3.83 / 5, below the target of 4.00 / 5." in text
    assert "2 of 6 success criteria met." in text
    for person in ("M1 Test", "E1 Test"):
        assert person not in text


@pytest.mark.django_db
def test_verdict_queries_do_not_grow_with_the_cohort(client, hr_admin, built):
    client_for(client, hr_admin)
    url = reverse("cohort_verdict", args=[built.programme.pk, built.pilot.pk])
    counts = []
    for extra in (0, 5):
        for _ in range(extra):
            HeldSessionFactory(pairing=ActivePairingFactory(cohort=built.pilot))
        engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [4, 4]  # session, user, the cohort with its programme, the snapshot
