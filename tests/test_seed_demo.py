import pytest
from django.core.management import call_command

from accounts.models import User
from programmes.models import Cohort, Programme

# The demo picks skill areas by name from the data migration's taxonomy, which a
# transactional test earlier in the run may have flushed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_skill_areas")]


def counts():
    return (
        User.objects.count(),
        User.objects.filter(role=User.Role.HR_ADMIN).count(),
        User.objects.filter(role=User.Role.MANAGER).count(),
        Programme.objects.count(),
        Cohort.objects.count(),
    )


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first == (26, 1, 1, 1, 1)
    out = capsys.readouterr().out
    assert "HR admin: claire.morel@demo.example" in out
    programme = Programme.objects.get()
    assert programme.name == "Mentorat inversé 2026"
    assert programme.status == Programme.Status.ENROLMENT
    assert programme.skill_areas.count() == 15
    pilot = programme.cohorts.get()
    assert (pilot.is_pilot, pilot.target_pairs) == (True, 8)


def test_demo_logins_work(client):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/",
        {"login": "claire.morel@demo.example", "password": "mentorat-demo-2026"},
    )
    assert response.status_code == 302
    hr = User.objects.get(email="claire.morel@demo.example")
    assert hr.is_hr_admin


def test_demo_has_reporting_lines_between_juniors_and_seniors():
    call_command("seed_demo")
    lea = User.objects.get(email="lea.martin@demo.example")
    assert lea.manager.email == "sylvie.fontaine@demo.example"
    assert lea.reporting_chain_ids() == [
        lea.manager_id,
        User.objects.get(email="philippe.garnier@demo.example").pk,
    ]
    juniors = User.objects.filter(seniority_years__lte=4)
    assert juniors.count() == 12


def test_demo_has_one_pair_at_work():
    from evaluation.models import CheckIn
    from pairs.models import Goal, Pairing, Session

    call_command("seed_demo")
    call_command("seed_demo")
    pairing = Pairing.objects.get()
    assert (pairing.mentor.user.email, pairing.mentee.user.email, pairing.status) == (
        "hugo.bernard@demo.example",
        "marc.lefebvre@demo.example",
        Pairing.Status.ACTIVE,
    )
    assert sorted(pairing.sessions.values_list("status", flat=True)) == [
        Session.Status.HELD,
        Session.Status.HELD,
        Session.Status.PLANNED,
    ]
    assert sorted(pairing.goals.values_list("learner", "status")) == [
        (Goal.Learner.MENTEE, Goal.Status.IN_PROGRESS),
        (Goal.Learner.MENTEE, Goal.Status.IN_PROGRESS),
        (Goal.Learner.MENTOR, Goal.Status.NOT_STARTED),
    ]
    # Hugo answered the first check-in; Marc's is overdue, so HR sees the pair as stalled.
    assert list(CheckIn.objects.values_list("respondent__first_name", "number")) == [("Hugo", 1)]
