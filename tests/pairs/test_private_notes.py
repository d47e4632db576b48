"""Private notes: a member's own notes on the pair or a session, read by nobody else."""

import pytest
from django.urls import reverse

from pairs.models import PrivateNote, Session
from pairs.services import private_note_add
from tests.factories import ActivePairingFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Marc seems tired lately, ask HR about workload"


@pytest.fixture
def pairing():
    return ActivePairingFactory(
        mentor__user=UserFactory(first_name="Léa", language="en"),
        mentee__user=UserFactory(first_name="Marc", language="en"),
    )


@pytest.fixture
def session(pairing):
    return SessionFactory(pairing=pairing, created_by=pairing.mentee.user)


def as_user(client, user):
    client.force_login(user)
    return client


def outsider():
    return ActivePairingFactory(mentee__user=UserFactory(language="en")).mentee.user


def page(client, user, url) -> str:
    response = as_user(client, user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_private_note_on_the_pair_is_saved_for_its_author(client, pairing):
    mentor = pairing.mentor.user

    response = as_user(client, mentor).post(
        reverse("private_note_create", args=[pairing.pk]), {"body": SECRET}
    )

    assert response.status_code == 302
    assert response.url == reverse("pairing_detail", args=[pairing.pk])
    note = PrivateNote.objects.get()
    assert (note.pairing, note.session, note.author, note.body) == (pairing, None, mentor, SECRET)


def test_private_note_on_a_session_is_saved_for_its_author(client, pairing, session):
    mentee = pairing.mentee.user

    response = as_user(client, mentee).post(
        reverse("private_note_create", args=[pairing.pk]),
        {"body": SECRET, "session": session.pk},
    )

    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[session.pk])
    note = PrivateNote.objects.get()
    assert (note.pairing, note.session, note.author) == (pairing, session, mentee)


def test_private_note_on_another_pairs_session_is_not_found(client, pairing):
    other_session = SessionFactory()

    response = as_user(client, pairing.mentee.user).post(
        reverse("private_note_create", args=[pairing.pk]),
        {"body": SECRET, "session": other_session.pk},
    )

    assert response.status_code == 404
    assert PrivateNote.objects.count() == 0


def test_private_note_service_refuses_a_session_of_another_pair(pairing):
    with pytest.raises(Session.DoesNotExist):
        private_note_add(
            pairing=pairing, by=pairing.mentee.user, body=SECRET, session=SessionFactory()
        )

    assert PrivateNote.objects.count() == 0


def test_private_note_empty_is_refused(client, pairing):
    response = as_user(client, pairing.mentee.user).post(
        reverse("private_note_create", args=[pairing.pk]), {"body": ""}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["This field is required."]
    assert PrivateNote.objects.count() == 0


def test_private_note_too_long_is_refused(client, pairing):
    response = as_user(client, pairing.mentee.user).post(
        reverse("private_note_create", args=[pairing.pk]), {"body": "x" * 5001}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Ensure this value has at most 5000 characters (it has 5001)."
    ]
    assert PrivateNote.objects.count() == 0


def test_private_note_by_hr_is_forbidden_and_by_an_outsider_not_found(client, pairing, hr_admin):
    url = reverse("private_note_create", args=[pairing.pk])

    assert as_user(client, hr_admin).post(url, {"body": SECRET}).status_code == 403
    assert as_user(client, outsider()).post(url, {"body": SECRET}).status_code == 404
    assert PrivateNote.objects.count() == 0


def test_private_note_on_the_pair_is_read_by_its_author_only(client, pairing, hr_admin):
    private_note_add(pairing=pairing, by=pairing.mentor.user, body=SECRET)
    pair_url = reverse("pairing_detail", args=[pairing.pk])

    assert SECRET in page(client, pairing.mentor.user, pair_url)
    assert SECRET not in page(client, pairing.mentee.user, pair_url)
    assert SECRET not in page(client, hr_admin, pair_url)


def test_private_note_on_a_session_is_read_by_its_author_only(client, pairing, session, hr_admin):
    private_note_add(pairing=pairing, by=pairing.mentor.user, body=SECRET, session=session)
    pair_url = reverse("pairing_detail", args=[pairing.pk])
    session_url = reverse("session_detail", args=[session.pk])

    for url in (pair_url, session_url):
        assert SECRET in page(client, pairing.mentor.user, url)
        assert SECRET not in page(client, pairing.mentee.user, url)
        assert SECRET not in page(client, hr_admin, url)


def test_private_note_partners_own_notes_stay_separate(client, pairing, session):
    private_note_add(pairing=pairing, by=pairing.mentor.user, body="Mentor's thought")
    private_note_add(pairing=pairing, by=pairing.mentee.user, body="Mentee's thought")

    mentee_page = page(client, pairing.mentee.user, reverse("pairing_detail", args=[pairing.pk]))

    assert "Mentee&#x27;s thought" in mentee_page
    assert "Mentor&#x27;s thought" not in mentee_page


def test_private_note_delete_by_its_author(client, pairing, session):
    note = private_note_add(pairing=pairing, by=pairing.mentee.user, body=SECRET, session=session)

    response = as_user(client, pairing.mentee.user).post(
        reverse("private_note_delete", args=[note.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("session_detail", args=[session.pk])
    assert PrivateNote.objects.count() == 0


@pytest.mark.parametrize("who", ["partner", "hr", "outsider"])
def test_private_note_delete_of_someone_elses_note_is_not_found(client, pairing, hr_admin, who):
    note = private_note_add(pairing=pairing, by=pairing.mentor.user, body=SECRET)
    user = {"partner": pairing.mentee.user, "hr": hr_admin, "outsider": outsider()}[who]

    response = as_user(client, user).post(reverse("private_note_delete", args=[note.pk]))

    assert response.status_code == 404
    assert PrivateNote.objects.get().body == SECRET


def test_private_note_delete_needs_a_post(client, pairing):
    note = private_note_add(pairing=pairing, by=pairing.mentor.user, body=SECRET)

    response = as_user(client, pairing.mentor.user).get(
        reverse("private_note_delete", args=[note.pk])
    )

    assert response.status_code == 405
    assert PrivateNote.objects.count() == 1


def test_private_note_script_is_escaped(client, pairing, session):
    body = "<script>alert('note')</script>"
    private_note_add(pairing=pairing, by=pairing.mentee.user, body=body, session=session)

    for url in (
        reverse("pairing_detail", args=[pairing.pk]),
        reverse("session_detail", args=[session.pk]),
    ):
        html = page(client, pairing.mentee.user, url)
        assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in html
        assert "<script>alert" not in html
