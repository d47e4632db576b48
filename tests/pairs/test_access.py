"""Who reaches which page of a pair: anonymous, the two members, an outsider, HR, a manager.

One row per URL name of the pairs and evaluation apps; a new view without a
row makes test_every_pairs_and_evaluation_url_has_a_row fail.
"""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from pairs.models import CalendarFeed, GoalUpdate, PrivateNote
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    GoalFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Pair:
    """An active pair with one of everything, an outsider from another pair, HR and a manager."""

    pairing: object
    goal: object
    update: object
    session: object
    note: object
    feed: object
    users: dict


@pytest.fixture
def pair(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pairing = ActivePairingFactory(
        mentor__user=UserFactory(first_name="Inès", last_name="Haddad", language="en"),
        mentee__user=UserFactory(first_name="Bernard", last_name="Morel", language="en"),
    )
    mentor, mentee = pairing.mentor.user, pairing.mentee.user
    goal = GoalFactory(pairing=pairing)
    update = GoalUpdate.objects.create(
        goal=goal,
        author=mentee,
        value=1,
        previous_value=0,
        status="in_progress",
        file=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 preuve", content_type="application/pdf"),
        file_name="preuve.pdf",
        file_type="application/pdf",
    )
    session = SessionFactory(pairing=pairing)
    note = PrivateNote.objects.create(pairing=pairing, author=mentor, body="Note de la mentore")
    feed = CalendarFeed.objects.create(user=mentor, token="jeton-secret-de-la-mentore")
    other = ActivePairingFactory()
    users = {
        "mentor": mentor,
        "mentee": mentee,
        "outsider": other.mentee.user,
        "hr": UserFactory(role=User.Role.HR_ADMIN),
        "manager": UserFactory(role=User.Role.MANAGER),
    }
    return Pair(pairing, goal, update, session, note, feed, users)


def urls(p: Pair) -> dict:
    """url name -> url, for every view of the pairs and evaluation apps."""
    pk, goal, session = p.pairing.pk, p.goal.pk, p.session.pk
    programme, cohort = p.pairing.cohort.programme_id, p.pairing.cohort_id
    return {
        "pairing_detail": reverse("pairing_detail", args=[pk]),
        "pairing_intro": reverse("pairing_intro", args=[pk]),
        "pairing_answer": reverse("pairing_answer", args=[pk]),
        "pairing_close": reverse("pairing_close", args=[pk]),
        "goal_create": reverse("goal_create", args=[pk]),
        "session_list": reverse("session_list", args=[pk]),
        "session_create": reverse("session_create", args=[pk]),
        "session_log_new": reverse("session_log_new", args=[pk]),
        "private_note_create": reverse("private_note_create", args=[pk]),
        "goal_detail": reverse("goal_detail", args=[goal]),
        "goal_edit": reverse("goal_edit", args=[goal]),
        "goal_progress": reverse("goal_progress", args=[goal]),
        "goal_evidence": reverse("goal_evidence", args=[p.update.pk]),
        "session_detail": reverse("session_detail", args=[session]),
        "session_edit": reverse("session_edit", args=[session]),
        "session_log": reverse("session_log", args=[session]),
        "session_learned": reverse("session_learned", args=[session]),
        "session_ics": reverse("session_ics", args=[session]),
        "private_note_delete": reverse("private_note_delete", args=[p.note.pk]),
        "calendar_settings": reverse("calendar_settings"),
        "calendar_renew": reverse("calendar_renew"),
        "calendar_feed": reverse("calendar_feed", args=[p.feed.token]),
        "programme_pairings": reverse("programme_pairings", args=[p.pairing.cohort.programme_id]),
        "snapshot_refresh": reverse("snapshot_refresh", args=[p.pairing.cohort.programme_id]),
        "checkin_respond": reverse("checkin_respond", args=[pk]),
        "closing_respond": reverse("closing_respond", args=[pk]),
        "assessment_respond": reverse("assessment_respond", args=[pk, "baseline"]),
        "programme_dashboard": reverse("programme_dashboard", args=[programme]),
        "programme_overview": reverse("programme_overview", args=[programme]),
        "cohort_verdict": reverse("cohort_verdict", args=[programme, cohort]),
        "cohort_verdict_pdf": reverse("cohort_verdict_pdf", args=[programme, cohort]),
        "metrics_export": reverse("metrics_export", args=[programme, "csv"]),
        "pairs_export": reverse("pairs_export", args=[programme, "xlsx"]),
        "my_progress": reverse("my_progress"),
    }


ROLES = ["mentor", "mentee", "outsider", "hr", "manager"]

# A page of the pair: the members read it, HR reads it, the others do not know it exists.
READ = {"mentor": 200, "mentee": 200, "outsider": 404, "hr": 200, "manager": 404}
# A page where a member writes: HR may read the pair but not write in it.
WRITE = {"mentor": 200, "mentee": 200, "outsider": 404, "hr": 403, "manager": 404}

# url name -> (method, {role: status}). POST rows post empty data: a member gets
# the form back with its errors (422/409) or a redirect, never a 403 or 404.
MATRIX = {
    "pairing_detail": ("get", READ),
    "pairing_close": ("get", READ),  # HR may close a pair too
    "session_list": ("get", READ),
    "goal_detail": ("get", READ),
    "goal_evidence": ("get", READ),
    "session_detail": ("get", READ),
    "session_ics": ("get", READ),
    "goal_create": ("get", WRITE),
    "goal_edit": ("get", WRITE),
    "session_create": ("get", WRITE),
    "session_edit": ("get", WRITE),
    "session_log": ("get", WRITE),
    "session_log_new": ("get", WRITE),
    "checkin_respond": ("get", WRITE),  # the first check-in fell due on day 30
    "closing_respond": ("get", WRITE),
    "assessment_respond": ("get", WRITE),  # baseline: no session held yet
    "pairing_intro": ("post", {**WRITE, "mentor": 422, "mentee": 422}),
    "pairing_answer": ("post", {**WRITE, "mentor": 409, "mentee": 409}),
    "goal_progress": ("post", {**WRITE, "mentor": 422, "mentee": 422}),
    "session_learned": ("post", {**WRITE, "mentor": 422, "mentee": 422}),
    "private_note_create": ("post", {**WRITE, "mentor": 302, "mentee": 302}),
    # The mentor's note: nobody else, not even HR or the partner, knows it exists.
    "private_note_delete": (
        "post",
        {"mentor": 302, "mentee": 404, "outsider": 404, "hr": 404, "manager": 404},
    ),
    # Each user's own calendar address.
    "calendar_settings": ("get", dict.fromkeys(ROLES, 200)),
    "calendar_renew": ("post", dict.fromkeys(ROLES, 302)),
    # The token is the credential: whoever holds it reads the feed.
    "calendar_feed": ("get", dict.fromkeys(ROLES, 200)),
    "programme_pairings": ("get", {**dict.fromkeys(ROLES, 403), "hr": 200}),
    # HR asks a worker for fresh engagement figures.
    "snapshot_refresh": ("post", {**dict.fromkeys(ROLES, 403), "hr": 302}),
    # Dashboards: HR's in full, managers' aggregates, a participant's own progress.
    "programme_dashboard": ("get", {**dict.fromkeys(ROLES, 403), "hr": 200}),
    "programme_overview": ("get", {**dict.fromkeys(ROLES, 403), "hr": 200, "manager": 200}),
    "cohort_verdict": ("get", {**dict.fromkeys(ROLES, 403), "hr": 200}),
    # No figures yet: HR is sent back to the verdict page, which says so.
    "cohort_verdict_pdf": ("get", {**dict.fromkeys(ROLES, 403), "hr": 302}),
    "metrics_export": ("get", {**dict.fromkeys(ROLES, 403), "hr": 200, "manager": 200}),
    "pairs_export": ("get", {**dict.fromkeys(ROLES, 403), "hr": 200}),
    "my_progress": ("get", dict.fromkeys(ROLES, 200)),
}

NO_LOGIN = {"calendar_feed"}


def test_every_pairs_and_evaluation_url_has_a_row():
    import mentoring.urls  # noqa: F401  (registers the <id:> converter the apps' URLs use)
    from evaluation.urls import urlpatterns as evaluation_urls
    from pairs.urls import urlpatterns as pairs_urls

    names = {p.name for p in [*pairs_urls, *evaluation_urls]}
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_login(client, pair, name):
    method, _expected = MATRIX[name]
    url = urls(pair)[name]
    response = getattr(client, method)(url)
    if name in NO_LOGIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(client, pair, name, role):
    method, expected = MATRIX[name]
    client.force_login(pair.users[role])
    response = getattr(client, method)(urls(pair)[name])
    assert response.status_code == expected[role], (name, role)


@pytest.mark.parametrize("name", sorted(n for n, (m, _e) in MATRIX.items() if m == "post"))
def test_post_only_views_answer_405_to_get(client, pair, name):
    client.force_login(pair.users["mentor"])
    assert client.get(urls(pair)[name]).status_code == 405


@pytest.mark.parametrize("name", ["private_note_create", "private_note_delete"])
def test_post_redirects_go_back_to_the_pair(client, pair, name):
    client.force_login(pair.users["mentor"])
    response = client.post(urls(pair)[name], {"body": "Relancer Bernard sur les macros"})
    assert response["Location"] == reverse("pairing_detail", args=[pair.pairing.pk])


def test_note_delete_by_the_owner_removes_it(client, pair):
    client.force_login(pair.users["mentor"])
    client.post(urls(pair)["private_note_delete"])
    assert not PrivateNote.objects.filter(pk=pair.note.pk).exists()


@pytest.mark.parametrize("role", ["mentee", "hr", "outsider"])
def test_note_delete_of_another_persons_note_leaves_it(client, pair, role):
    client.force_login(pair.users[role])
    assert client.post(urls(pair)["private_note_delete"]).status_code == 404
    assert PrivateNote.objects.get(pk=pair.note.pk).body == "Note de la mentore"


def test_calendar_renew_redirects_to_the_settings(client, pair):
    client.force_login(pair.users["mentee"])
    response = client.post(reverse("calendar_renew"))
    assert response["Location"] == reverse("calendar_settings")
    assert CalendarFeed.objects.filter(user=pair.users["mentee"]).count() == 1


def test_calendar_feed_with_an_unknown_token_is_404(client, pair):
    response = client.get(reverse("calendar_feed", args=["jeton-inconnu"]))
    assert response.status_code == 404


def test_calendar_feed_with_the_token_is_a_calendar(client, pair):
    response = client.get(urls(pair)["calendar_feed"])
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(pair.session.uid) in response.content.decode()


@pytest.mark.parametrize("role", ["mentor", "mentee", "hr"])
def test_evidence_file_is_downloaded(client, pair, role):
    client.force_login(pair.users[role])
    response = client.get(urls(pair)["goal_evidence"])
    assert b"".join(response.streaming_content) == b"%PDF-1.4 preuve"
    assert response["Content-Disposition"] == 'attachment; filename="preuve.pdf"'


def test_each_member_sees_their_partner_as_their_match(client, pair):
    url = urls(pair)["pairing_detail"]
    client.force_login(pair.users["mentor"])
    content = client.get(url).content.decode()
    assert "Your match: Bernard Morel" in content
    assert "Your match: Inès Haddad" not in content
    client.force_login(pair.users["mentee"])
    content = client.get(url).content.decode()
    assert "Your match: Inès Haddad" in content
    assert "Your match: Bernard Morel" not in content


def test_hr_reads_the_pair_without_its_private_notes(client, pair):
    hr = pair.users["hr"]
    hr.language = "en"
    hr.save()
    client.force_login(hr)
    content = client.get(urls(pair)["pairing_detail"]).content.decode()
    assert "Your match" not in content
    assert "Inès Haddad" in content
    assert "Note de la mentore" not in content


def test_members_redirected_when_no_checkin_is_due(client, pair):
    # The first check-in was answered: nothing is due, the page sends back to the pair.
    CheckInFactory(pairing=pair.pairing, respondent=pair.users["mentee"], number=1)
    client.force_login(pair.users["mentee"])
    response = client.get(urls(pair)["checkin_respond"])
    assert response.status_code == 302
    assert response["Location"] == reverse("pairing_detail", args=[pair.pairing.pk])


@pytest.mark.parametrize("kind", ["final", "unknown"])
def test_assessment_kinds(client, pair, kind):
    # The final self-assessment is not open 200 days before the end; an unknown kind is no page.
    client.force_login(pair.users["mentor"])
    response = client.get(reverse("assessment_respond", args=[pair.pairing.pk, kind]))
    if kind == "final":
        assert response.status_code == 302
        assert response["Location"] == reverse("pairing_detail", args=[pair.pairing.pk])
    else:
        assert response.status_code == 404


OTHER_PAIR_PAGES = [
    "pairing_detail",
    "goal_detail",
    "session_detail",
    "session_list",
    "goal_evidence",
    "session_ics",
    "checkin_respond",
    "assessment_respond",
]


@pytest.mark.parametrize("name", OTHER_PAIR_PAGES)
def test_other_pairs_pages_answer_404(client, pair, name):
    # Acceptance: a participant of a pair never reaches another pair's pages,
    # whichever side of their own pair they are on.
    other = ActivePairingFactory()
    for user in (other.mentor.user, other.mentee.user):
        client.force_login(user)
        assert client.get(urls(pair)[name]).status_code == 404, (name, user)


def test_note_on_a_session_of_another_pair_is_404(client, pair):
    elsewhere = SessionFactory()
    client.force_login(pair.users["mentor"])
    response = client.post(
        urls(pair)["private_note_create"], {"body": "Ailleurs", "session": elsewhere.pk}
    )
    assert response.status_code == 404
    assert not PrivateNote.objects.filter(body="Ailleurs").exists()


def test_calendar_feed_of_a_deactivated_user_is_404(client, pair):
    pair.users["mentor"].is_active = False
    pair.users["mentor"].save()
    assert client.get(urls(pair)["calendar_feed"]).status_code == 404


def test_hr_does_not_see_checkin_answers_on_the_pair_page(client, pair):
    CheckInFactory(
        pairing=pair.pairing,
        respondent=pair.users["mentee"],
        comment="Réponse confidentielle",
        hr_comment="Pour les RH seulement",
    )
    client.force_login(pair.users["hr"])
    content = client.get(urls(pair)["pairing_detail"]).content.decode()
    assert "Réponse confidentielle" not in content
    assert "Pour les RH seulement" not in content


def test_unknown_programme_follow_up_is_404_for_hr(client, pair):
    client.force_login(pair.users["hr"])
    assert client.get(reverse("programme_pairings", args=[999999])).status_code == 404


def test_session_notes_are_shown_to_their_author_only(client, pair):
    PrivateNote.objects.create(
        pairing=pair.pairing, session=pair.session, author=pair.users["mentor"], body="À relire"
    )
    url = urls(pair)["session_detail"]
    seen = {}
    for role in ("mentor", "mentee", "hr"):
        client.force_login(pair.users[role])
        seen[role] = "À relire" in client.get(url).content.decode()
    assert seen == {"mentor": True, "mentee": False, "hr": False}
