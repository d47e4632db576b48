"""CSV and XLSX exports: the figures (HR's in full, managers' suppressed) and HR's pair list."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.metrics import engagement_snapshot_take
from tests.conftest import client_for
from tests.evaluation.conftest import TODAY
from tests.factories import ActivePairingFactory, HeldSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(built, hr_admin, manager):
    for user in (hr_admin, manager):
        user.language = "en"
        user.save()
    engagement_snapshot_take(programme_id=built.programme.pk, today=TODAY)
    return built


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # French Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_hr_metrics_csv(client, hr_admin, exported):
    url = reverse("metrics_export", args=[exported.programme.pk, "csv"])
    response = client_for(client, hr_admin).get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="metrics-mentorat-inverse-2026.csv"'
    )
    rows = read_csv(response)
    header = rows[0]
    assert header[:5] == ["Scope", "Group", "Part of", "People", "Volunteers"]
    assert header[-1] == "Hidden (fewer than 5 people)"
    by_group = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_group) == [
        ("Programme", "Mentorat inversé 2026"),
        ("Cohort", "Pilote"),
        ("Cohort", "Vague 2"),
        ("Direction", "DAF"),
        ("Direction", "DCM"),
        ("Direction", "DSI"),
        ("Department", "Achats"),
        ("Department", "Finance"),
        ("Department", "Commercial"),
        ("Department", "Data"),
        ("Department", "Web"),
    ]
    whole = by_group[("Programme", "Mentorat inversé 2026")]
    assert (whole["People"], whole["Match rate"], whole["Satisfaction"]) == ("12", "88.9", "3.83")
    assert by_group[("Direction", "DCM")]["People"] == "1"
    assert by_group[("Department", "Finance")]["Part of"] == "DAF"


def test_managers_metrics_csv_is_suppressed_like_their_dashboard(client, manager, exported):
    url = reverse("metrics_export", args=[exported.programme.pk, "csv"])
    rows = read_csv(client_for(client, manager).get(url))
    header = rows[0]
    by_group = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    dcm = by_group[("Direction", "DCM")]
    assert (dcm["People"], dcm["Satisfaction"], dcm["Hidden (fewer than 5 people)"]) == (
        "",
        "",
        "yes",
    )
    assert by_group[("Direction", "DSI")]["People"] == "6"
    assert all(row["People"] == "" for key, row in by_group.items() if key[0] == "Department")
    whole = by_group[("Programme", "Mentorat inversé 2026")]
    assert (whole["Match rate"], whole["Would recommend"]) == ("88.9", "")


def test_metrics_xlsx_has_the_figures_and_their_definitions(client, hr_admin, exported):
    url = reverse("metrics_export", args=[exported.programme.pk, "xlsx"])
    response = client_for(client, hr_admin).get(url)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Metrics", "Definitions"]
    metrics = list(workbook["Metrics"].iter_rows(values_only=True))
    assert metrics[1][:5] == ("Programme", "Mentorat inversé 2026", None, 12, 12)
    column = metrics[0].index("Skill uplift")
    assert metrics[1][column] == 1.6
    definitions = dict(workbook["Definitions"].iter_rows(min_row=2, values_only=True))
    assert definitions["Retention"].startswith("People in a pair that started")
    assert len(definitions) == 25


def test_an_unknown_format_is_404(client, hr_admin, exported):
    url = reverse("metrics_export", args=[exported.programme.pk, "pdf"])
    assert client_for(client, hr_admin).get(url).status_code == 404


def test_hr_pairs_csv_names_every_pair(client, hr_admin, exported):
    url = reverse("pairs_export", args=[exported.programme.pk, "csv"])
    rows = read_csv(client_for(client, hr_admin).get(url))
    header = rows[0]
    by_mentor = {row[2]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert sorted(by_mentor) == ["M1 Test", "M2 Test", "M4 Test", "M5 Test", "M6 Test"]
    p1 = by_mentor["M1 Test"]
    assert (p1["Mentee"], p1["Status"], p1["Sessions held"], p1["Hours"]) == (
        "E1 Test",
        "Active",
        "2",
        "1.8",
    )
    assert (p1["Check-ins answered by the mentor"], p1["Check-ins answered by the mentee"]) == (
        "1",
        "0",
    )
    assert by_mentor["M2 Test"]["Outcome"] == "Ended early"
    assert by_mentor["M2 Test"]["Ended on"] == "2026-12-15"


def test_a_formula_in_a_name_is_not_run_by_the_spreadsheet(client, hr_admin):
    pairing = ActivePairingFactory(
        mentor__user=UserFactory(first_name='=HYPERLINK("http://evil.example")', last_name="")
    )
    url = reverse("pairs_export", args=[pairing.cohort.programme_id, "csv"])
    rows = read_csv(client_for(client, hr_admin).get(url))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example")'


def test_pairs_export_queries_do_not_grow_with_the_pairs(client, hr_admin):
    programme_cohort = ActivePairingFactory().cohort
    client_for(client, hr_admin)
    url = reverse("pairs_export", args=[programme_cohort.programme_id, "xlsx"])
    counts = []
    for extra in (0, 5):
        for _ in range(extra):
            HeldSessionFactory(pairing=ActivePairingFactory(cohort=programme_cohort))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [9, 9]  # session, user, programme, 4 for the follow-up, minutes, answers
