"""Match runs end to end through the services and the HR review screens."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import MatchRun, PairRule
from matching.services import match_run_execute, match_run_publish, match_run_start
from pairs.models import Pairing
from tests.conftest import wait_for
from tests.factories import (
    CohortFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TrainingModuleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(default_skill_areas):
    return {
        "bi": default_skill_areas["Visualisation de données"],
        "ia": default_skill_areas["IA générative"],
        "vision": default_skill_areas["Vision stratégique"],
    }


@pytest.fixture
def cohort(areas):
    programme = ProgrammeFactory(
        status="enrolment",
        skill_areas=areas.values(),
        min_seniority_gap=5,
        mentor_training_required=True,
    )
    return CohortFactory(programme=programme, name="Pilote")


def person(first, years, **kwargs):
    return UserFactory(first_name=first, last_name="Test", seniority_years=years, **kwargs)


@pytest.fixture
def people(cohort, areas):
    """Léa teaches BI, Hugo teaches AI; Marc wants BI, Sylvie wants AI.

    Sylvie manages Hugo, so Hugo cannot mentor her: her only allowed mentor is
    Léa (AI level 2, one below what she asked), who suits Marc better.
    """
    sylvie = person("Sylvie", 22, language="en")
    lea = ParticipantFactory(
        cohort=cohort,
        user=person("Léa", 2),
        offers={areas["bi"]: 4, areas["ia"]: 2},
        seeks={areas["vision"]: 3},
        availability=0b1100,
    )
    hugo = ParticipantFactory(
        cohort=cohort,
        user=person("Hugo", 3, manager=sylvie),
        offers={areas["ia"]: 4},
        availability=0b0011,
    )
    marc = ParticipantFactory(
        cohort=cohort,
        role="mentee",
        user=person("Marc", 25),
        seeks={areas["bi"]: 3},
        offers={areas["vision"]: 4},
        availability=0b0100,
    )
    sylvie_p = ParticipantFactory(
        cohort=cohort, role="mentee", user=sylvie, seeks={areas["ia"]: 3}, availability=0b1000
    )
    return {"lea": lea, "hugo": hugo, "marc": marc, "sylvie": sylvie_p}


def run_now(cohort, by):
    run = match_run_start(cohort=cohort, by=by)
    match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def test_run_proposes_the_optimal_pairs_with_their_parts(cohort, people, areas, hr_admin):
    run = run_now(cohort, hr_admin)
    assert (run.status, run.progress, run.n_mentors, run.n_mentees) == ("done", 100, 2, 2)
    proposals = {
        (p.mentor.user.first_name, p.mentee.user.first_name): p for p in run.proposals.all()
    }
    # Léa-Marc and Hugo-Sylvie would be best, but Sylvie manages Hugo.
    assert set(proposals) == {("Léa", "Marc")}
    p = proposals[("Léa", "Marc")]
    assert (p.teach, p.give_back, p.availability, p.format, p.language) == (1.0, 1.0, 0.5, 1.0, 1.0)
    assert p.total == pytest.approx((4 * 1 + 2 * 1 + 2 * 0.5 + 1 + 1) / 10)
    assert p.details["taught"] == [
        {"skill": areas["bi"].pk, "offered": 4, "wished": 3, "coverage": 1.0}
    ]
    unmatched = {u.participant.user.first_name: u for u in run.unmatched.all()}
    assert set(unmatched) == {"Sylvie", "Hugo"}
    assert unmatched["Sylvie"].code == "taken"
    assert unmatched["Hugo"].code == "blocked"
    assert unmatched["Hugo"].params["counts"] == {"REPORTING_LINE": 1}


def test_untrained_mentor_is_not_matched(cohort, people, hr_admin):
    TrainingModuleFactory(programme=cohort.programme)
    run = run_now(cohort, hr_admin)
    assert run.proposals.count() == 0
    reasons = {u.participant.user.first_name: (u.code, u.params) for u in run.unmatched.all()}
    assert reasons["Marc"][0] == "blocked"
    assert reasons["Marc"][1]["counts"]["UNTRAINED"] == 1


def test_running_an_empty_cohort_is_refused(cohort, hr_admin):
    with pytest.raises(ValidationError) as error:
        match_run_start(cohort=cohort, by=hr_admin)
    assert error.value.messages == [
        "Personne à apparier pour l’instant : validez au moins un mentor et un mentoré "
        "dans cette cohorte."
    ]
    assert MatchRun.objects.count() == 0


def test_a_second_run_while_one_is_in_progress_is_refused(cohort, people, hr_admin):
    match_run_start(cohort=cohort, by=hr_admin)
    with pytest.raises(ValidationError) as error:
        match_run_start(cohort=cohort, by=hr_admin)
    assert error.value.code == "in_progress"
    assert MatchRun.objects.count() == 1


def test_executing_a_run_twice_stores_it_once(cohort, people, hr_admin):
    run = run_now(cohort, hr_admin)
    match_run_execute(run_id=run.pk)
    assert run.proposals.count() == 1
    assert run.unmatched.count() == 2


def test_a_forbidden_pair_is_not_proposed_again(cohort, people, hr_client, hr_admin):
    run_now(cohort, hr_admin)
    hr_client.post(
        reverse("pair_rule_create", args=[cohort.pk]),
        {"mentor": people["lea"].pk, "mentee": people["marc"].pk, "kind": "forbid"},
    )
    run = run_now(cohort, hr_admin)
    names = {(p.mentor.user.first_name, p.mentee.user.first_name) for p in run.proposals.all()}
    assert names == {("Léa", "Sylvie")}


def test_locking_a_pair_that_breaks_a_rule_is_refused(cohort, people, hr_client):
    response = hr_client.post(
        reverse("pair_rule_create", args=[cohort.pk]),
        {"mentor": people["hugo"].pk, "mentee": people["sylvie"].pk, "kind": "lock"},
        follow=True,
    )
    assert "Ce binôme enfreint une règle : ligne hiérarchique." in response.content.decode()
    assert PairRule.objects.count() == 0


def test_picking_another_partner_locks_and_reruns(cohort, people, hr_client, hr_admin):
    run_now(cohort, hr_admin)
    hr_client.post(
        reverse("pair_rule_create", args=[cohort.pk]),
        {"mentor": people["lea"].pk, "mentee": people["sylvie"].pk, "kind": "lock", "rerun": "1"},
    )
    run = MatchRun.objects.order_by("-id").first()
    assert run.status == "queued"
    match_run_execute(run_id=run.pk)
    pairs = {
        (p.mentor.user.first_name, p.mentee.user.first_name, p.locked) for p in run.proposals.all()
    }
    assert pairs == {("Léa", "Sylvie", True)}


def test_publishing_creates_pairings_once_and_tells_both(
    cohort, people, hr_client, hr_admin, django_capture_on_commit_callbacks
):
    run = run_now(cohort, hr_admin)
    with django_capture_on_commit_callbacks() as callbacks:
        response = hr_client.post(reverse("match_run_publish", args=[run.pk]))
    assert response.status_code == 302
    pairing = Pairing.objects.get()
    assert (pairing.mentor, pairing.mentee, pairing.status) == (
        people["lea"],
        people["marc"],
        "proposed",
    )
    assert len(callbacks) == 1  # the announcement is queued after the commit
    response = hr_client.post(reverse("match_run_publish", args=[run.pk]), follow=True)
    assert "Cet appariement a déjà été publié." in response.content.decode()
    assert Pairing.objects.count() == 1
    assert mail.outbox == []


def test_a_stale_run_cannot_be_published(cohort, people, hr_admin):
    old = run_now(cohort, hr_admin)
    run_now(cohort, hr_admin)
    with pytest.raises(ValidationError) as error:
        match_run_publish(run=old, by=hr_admin)
    assert error.value.code == "stale"
    assert Pairing.objects.count() == 0


def test_paired_people_leave_the_pool(cohort, people, hr_admin):
    run = run_now(cohort, hr_admin)
    match_run_publish(run=run, by=hr_admin)
    run = run_now(cohort, hr_admin)
    assert run.n_mentees == 1  # Marc is paired: only Sylvie is left
    assert run.n_mentors == 1  # Léa is full (capacity 1): only Hugo is left


def test_review_page_explains_in_the_readers_language(cohort, people, client, hr_admin):
    run_now(cohort, hr_admin)
    hr_admin.language = "en"
    hr_admin.save()
    client.force_login(hr_admin)
    content = client.get(reverse("cohort_matching", args=[cohort.pk])).content.decode()
    assert "Léa teaches Data visualisation at the level Marc asked for" in content
    assert "Both are free on Tuesday morning" in content
    assert "They share French" in content
    assert "1 mentee could learn from this mentor, but the rules exclude them" in content
    assert "The 1 mentor who suits this person is paired with someone they suit better" in content
    hr_admin.language = "fr"
    hr_admin.save()
    content = client.get(reverse("cohort_matching", args=[cohort.pk])).content.decode()
    assert "Léa enseigne Visualisation de données au niveau demandé par Marc" in content


def test_candidates_are_ranked_allowed_first(cohort, people, hr_client, hr_admin):
    run = run_now(cohort, hr_admin)
    response = hr_client.get(reverse("match_candidates", args=[run.pk, people["sylvie"].pk]))
    names = [c["mentor"].user.first_name for c in response.context["candidates"]]
    blocked = [bool(c["blocks"]) for c in response.context["candidates"]]
    assert (names, blocked) == (["Léa", "Hugo"], [False, True])


@pytest.mark.parametrize("who", ["participant_client"])
def test_participants_cannot_see_or_run_the_matching(request, who, cohort, people, hr_admin):
    client = request.getfixturevalue(who)
    run = run_now(cohort, hr_admin)
    assert client.get(reverse("cohort_matching", args=[cohort.pk])).status_code == 403
    assert client.post(reverse("match_run_start", args=[cohort.pk])).status_code == 403
    assert client.get(reverse("match_run_status", args=[run.pk])).status_code == 403
    assert client.post(reverse("match_run_publish", args=[run.pk])).status_code == 403
    url = reverse("match_candidates", args=[run.pk, people["marc"].pk])
    assert client.get(url).status_code == 403
    assert Pairing.objects.count() == 0


def test_managers_read_the_matching_but_cannot_act(manager_client, cohort, people, hr_admin):
    run = run_now(cohort, hr_admin)
    response = manager_client.get(reverse("cohort_matching", args=[cohort.pk]))
    assert response.status_code == 200
    assert reverse("match_run_publish", args=[run.pk]) not in response.content.decode()
    assert manager_client.post(reverse("match_run_publish", args=[run.pk])).status_code == 403
    assert manager_client.post(reverse("match_run_start", args=[cohort.pk])).status_code == 403
    response = manager_client.post(
        reverse("pair_rule_create", args=[cohort.pk]),
        {"mentor": people["lea"].pk, "mentee": people["marc"].pk, "kind": "forbid"},
    )
    assert response.status_code == 403
    assert PairRule.objects.count() == 0


def test_anonymous_goes_to_login(client, cohort):
    url = reverse("cohort_matching", args=[cohort.pk])
    assert client.get(url)["Location"] == f"{reverse('account_login')}?next={url}"


def test_unknown_cohort_is_404(hr_client):
    assert hr_client.get(reverse("cohort_matching", args=[99999])).status_code == 404


def test_proposal_page_query_count_does_not_grow(cohort, areas, hr_client, hr_admin):
    def build(n):
        for _ in range(n):
            ParticipantFactory(cohort=cohort, user=person("Jeune", 1), offers={areas["bi"]: 4})
            ParticipantFactory(
                cohort=cohort, role="mentee", user=person("Senior", 20), seeks={areas["bi"]: 2}
            )
        ParticipantFactory(
            cohort=cohort, role="mentee", user=person("Seul", 20), seeks={areas["ia"]: 2}
        )

    def count():
        run_now(cohort, hr_admin)
        url = reverse("cohort_matching", args=[cohort.pk])
        hr_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = hr_client.get(url)
        return len(ctx.captured_queries), len(response.context["proposals"])

    build(1)
    small = count()
    build(4)
    large = count()
    assert (small[1], large[1]) == (1, 5)
    assert small[0] == large[0]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_matching(cohort, people, hr_client, celery_worker):
    response = hr_client.post(reverse("match_run_start", args=[cohort.pk]))
    assert response.status_code == 302
    run = MatchRun.objects.get()

    def finished():
        """the run to finish on the worker"""
        run.refresh_from_db()
        return run.status in ("done", "failed")

    wait_for(finished, timeout=60)
    assert run.status == "done", "".join(celery_worker.output[-30:])
    assert run.proposals.count() == 1
    status = hr_client.get(reverse("match_run_status", args=[run.pk]))
    assert (status.status_code, status["HX-Refresh"]) == (204, "true")
