"""The audit log page: who may read it, what it shows, its filters and its pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    SkillAreaFactory,
    TrainingModuleFactory,
    UserFactory,
)
from tests.programmes.test_programme_forms import programme_data

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def shown(response):
    """The rows of the page as (who, action, type, object, changes)."""
    return [
        (
            row.actor,
            row.action,
            row.type_label,
            row.entry.object_repr,
            [(change.label, change.old, change.new) for change in row.changes],
        )
        for row in response.context["rows"]
    ]


def objects(response):
    return [(row.type_label, row.entry.object_repr) for row in response.context["rows"]]


@pytest.fixture
def hr_admin(hr_admin):
    # The page's own words are asserted in English: the French catalogue comes later.
    hr_admin.language = "en"
    hr_admin.save()
    return hr_admin


# Access ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    url = reverse("audit_log")
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('account_login')}?next={url}",
    )


@pytest.mark.parametrize("who", ["participant_client", "manager_client"])
def test_other_roles_are_forbidden(request, who):
    client = request.getfixturevalue(who)
    SkillAreaFactory(name="Secret")
    response = client.get(reverse("audit_log"))
    assert response.status_code == 403
    assert "Secret" not in response.content.decode()


def test_hr_finds_the_log_in_the_menu_and_on_each_programme(client, hr_admin, manager):
    programme = ProgrammeFactory()
    audit_url = reverse("audit_log")
    client.force_login(hr_admin)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{audit_url}"' in home
    page = client.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert f'href="{audit_url}?programme={programme.pk}"' in page
    client.force_login(manager)
    page = client.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert audit_url not in page
    assert audit_url not in client.get(reverse("home")).content.decode()


# What it shows -----------------------------------------------------------------------


@pytest.mark.usefixtures("default_skill_areas")
def test_entries_read_as_who_did_what_newest_first(client, hr_admin):
    client.force_login(hr_admin)
    client.post(reverse("programme_create"), programme_data(name="Pilote 2027"))
    programme_pk = LogEntry.objects.get(action=LogEntry.Action.CREATE, object_repr="Pilote 2027")
    programme_pk = programme_pk.object_id
    client.post(
        reverse("programme_edit", args=[programme_pk]),
        programme_data(name="Pilote 2027", min_seniority_gap="10", mentor_training_required=""),
    )
    CohortFactory(programme_id=programme_pk)
    client.post(reverse("programme_transition", args=[programme_pk]), {"to": "enrolment"})
    response = client.get(
        reverse("audit_log"), {"programme": programme_pk, "type": "programmes.programme"}
    )
    assert response.status_code == 200
    rows = shown(response)
    assert rows[:2] == [
        (
            "Claire " + hr_admin.last_name,
            "Changed",
            "Programme",
            "Pilote 2027",
            [("Status", "Draft", "Enrolment open")],
        ),
        (
            "Claire " + hr_admin.last_name,
            "Changed",
            "Programme",
            "Pilote 2027",
            [
                ("Minimum seniority gap (years)", "8", "10"),
                ("Mentor training required", "yes", "no"),
            ],
        ),
    ]
    assert rows[2][4] == [("Skill areas in scope", None, "Generative AI")]
    created = rows[3]
    assert created[:4] == ("Claire " + hr_admin.last_name, "Created", "Programme", "Pilote 2027")
    assert created[4][:4] == [
        ("Name", None, "Pilote 2027"),
        ("Status", None, "Draft"),
        ("Start date", None, "04/01/2027"),
        ("End date", None, "30/06/2027"),
    ]
    assert ("Target satisfaction (1 to 5)", None, "4.2") in created[4]
    assert len(rows) == 4
    content = response.content.decode()
    assert "Status</span>" in content
    assert "Draft → Enrolment open" in content
    assert "added Generative AI" in content


def test_the_system_and_links_are_named(hr_client, hr_admin):
    CohortFactory(name="Vague 1", programme=ProgrammeFactory(name="Solo"))
    response = hr_client.get(reverse("audit_log"), {"type": "programmes.cohort"})
    (row,) = response.context["rows"]
    programme = row.entry.additional_data["programme_id"]
    assert shown(response) == [
        (
            "System",
            "Created",
            "Cohort",
            "Vague 1",
            [
                ("Programme", None, "Solo"),
                ("Name", None, "Vague 1"),
                ("Pilot", None, "yes"),
                ("Target number of pairs", None, "8"),
                ("Start date", None, "01/10/2026"),
                ("End date", None, "31/03/2027"),
            ],
        )
    ]
    assert row.url is None  # a cohort has no page of its own
    response = hr_client.get(reverse("audit_log"), {"type": "programmes.programme"})
    assert response.context["rows"][0].url == reverse("programme_detail", args=[programme])


def test_a_deleted_related_object_is_still_readable(hr_client, hr_admin):
    cohort = CohortFactory(name="Vague 1")
    programme_pk = cohort.programme_id
    cohort.programme.delete()
    response = hr_client.get(reverse("audit_log"), {"programme": ""})
    rows = {(r[1], r[2]): r[4] for r in shown(response)}
    assert rows[("Created", "Cohort")][0] == ("Programme", None, f"deleted (#{programme_pk})")
    assert rows[("Deleted", "Cohort")][0] == ("Programme", f"deleted (#{programme_pk})", None)


# Filters -----------------------------------------------------------------------------


@pytest.fixture
def two_programmes(hr_admin):
    """Programme A with a cohort and a module set up by HR; programme B by the system."""
    with set_actor(hr_admin):
        a = ProgrammeFactory(name="A")
        CohortFactory(programme=a, name="Vague A")
        TrainingModuleFactory(programme=a, title="Module A")
    b = ProgrammeFactory(name="B")
    CohortFactory(programme=b, name="Vague B")
    SkillAreaFactory(name="Hors programme", name_en="Outside")
    return a, b


def test_filter_by_programme_keeps_its_entries_and_its_cohorts(hr_client, two_programmes):
    a, b = two_programmes
    response = hr_client.get(reverse("audit_log"), {"programme": a.pk})
    assert objects(response) == [
        ("Training module", "Module A"),
        ("Cohort", "Vague A"),
        ("Programme", "A"),
    ]
    response = hr_client.get(reverse("audit_log"), {"programme": b.pk})
    assert objects(response) == [("Cohort", "Vague B"), ("Programme", "B")]


def test_filter_by_type(hr_client, two_programmes):
    response = hr_client.get(reverse("audit_log"), {"type": "programmes.cohort"})
    assert objects(response) == [("Cohort", "Vague B"), ("Cohort", "Vague A")]


def test_filter_by_actor_or_system(hr_client, hr_admin, two_programmes):
    response = hr_client.get(reverse("audit_log"), {"actor": hr_admin.pk})
    assert objects(response) == [
        ("Training module", "Module A"),
        ("Cohort", "Vague A"),
        ("Programme", "A"),
    ]
    response = hr_client.get(reverse("audit_log"), {"actor": "system"})
    assert objects(response) == [
        ("Skill area", "Hors programme"),
        ("Cohort", "Vague B"),
        ("Programme", "B"),
        ("User", str(hr_admin)),  # the fixture's account, made outside any request
    ]
    choices = [label for _value, label in response.context["form"].fields["actor"].choices]
    assert choices == ["Anyone", "System", str(hr_admin)]


def test_filter_by_dates_uses_the_local_day(hr_client):
    moments = {
        "before": datetime(2026, 3, 1, 23, 59, tzinfo=PARIS),
        "first": datetime(2026, 3, 2, 0, 0, tzinfo=PARIS),  # 1 March, 23:00 UTC
        "last": datetime(2026, 3, 3, 23, 30, tzinfo=PARIS),
        "after": datetime(2026, 3, 4, 0, 30, tzinfo=PARIS),  # 3 March, 23:30 UTC
    }
    for name, moment in moments.items():
        area = SkillAreaFactory(name=name)
        LogEntry.objects.filter(object_repr=area.name).update(timestamp=moment)
    response = hr_client.get(
        reverse("audit_log"), {"date_from": "2026-03-02", "date_to": "2026-03-03"}
    )
    assert [repr for _type, repr in objects(response)] == ["last", "first"]
    response = hr_client.get(
        reverse("audit_log"), {"date_from": "2026-03-04", "type": "programmes.skillarea"}
    )
    assert [repr for _type, repr in objects(response)] == ["after"]


def test_filters_combine(hr_client, hr_admin, two_programmes):
    a, _b = two_programmes
    response = hr_client.get(
        reverse("audit_log"), {"programme": a.pk, "type": "programmes.cohort", "actor": hr_admin.pk}
    )
    assert objects(response) == [("Cohort", "Vague A")]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"programme": "abc"}, "programme"),
        ({"programme": "-1"}, "programme"),
        ({"programme": "9" * 30}, "programme"),
        ({"programme": "99999"}, "programme"),
        ({"type": "auth.permission"}, "type"),
        ({"type": "pairs.goal"}, "type"),
        ({"actor": "abc"}, "actor"),
        ({"actor": "99999"}, "actor"),
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_to"),
    ],
)
def test_bad_filters_are_reported_and_left_out(client, hr_admin, two_programmes, params, field):
    client.force_login(hr_admin)
    a, _b = two_programmes
    everything = client.get(reverse("audit_log"))
    response = client.get(reverse("audit_log"), params)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    content = response.content.decode()
    assert "Some filters could not be read and were left out" in content
    assert "is-invalid" in content
    assert objects(response) == objects(everything)
    # The filters that could be read still apply.
    response = client.get(reverse("audit_log"), {**params, "programme": a.pk})
    if field != "programme":
        assert objects(response) == [
            ("Training module", "Module A"),
            ("Cohort", "Vague A"),
            ("Programme", "A"),
        ]


@pytest.mark.parametrize("page", ["abc", "0", "999", "9" * 30])
def test_an_odd_page_number_shows_a_page(hr_client, page):
    SkillAreaFactory(name="Seule")
    response = hr_client.get(reverse("audit_log"), {"type": "programmes.skillarea", "page": page})
    assert response.status_code == 200
    assert objects(response) == [("Skill area", "Seule")]


def test_fifty_entries_a_page_and_the_filters_follow(hr_client):
    for n in range(51):
        SkillAreaFactory(name=f"Domaine {n:02}")
    UserFactory()  # another type, filtered out
    response = hr_client.get(reverse("audit_log"), {"type": "programmes.skillarea"})
    names = [repr for _type, repr in objects(response)]
    assert names == [f"Domaine {n:02}" for n in range(50, 0, -1)]
    assert "?type=programmes.skillarea&amp;page=2" in response.content.decode()
    response = hr_client.get(reverse("audit_log"), {"type": "programmes.skillarea", "page": 2})
    assert objects(response) == [("Skill area", "Domaine 00")]
    assert "?type=programmes.skillarea&amp;page=1" in response.content.decode()
