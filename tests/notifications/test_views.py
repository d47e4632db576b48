"""The notifications page: one's own notifications, the e-mail preferences, mark all as read."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notification_list")
READ_ALL = reverse("notification_read_all")


def notify(recipient, subject, *, status="sent", kind=Notification.Kind.STALLED_NUDGE, read=False):
    n = Notification.objects.count() + 1
    return Notification.objects.create(
        key=f"{kind}:{n}:2026-11-23:{recipient.pk}",
        kind=kind,
        recipient=recipient,
        object_id=n,
        due_on=date(2026, 11, 23),
        status=status,
        subject=subject,
        url=f"https://mentorat.example.org/pairings/{n}/",
        read_at=timezone.now() - timedelta(hours=1) if read else None,
    )


@pytest.fixture
def nora(db):
    return UserFactory(email="nora@example.org", first_name="Nora", language="en")


@pytest.fixture
def marc(db):
    return UserFactory(email="marc@example.org", first_name="Marc", language="en")


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={LIST}"
    response = client.post(READ_ALL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_user_sees_their_own_notifications_only(client, nora, marc):
    notify(nora, "[Reverse mentoring] Time for a session with Marc?")
    notify(nora, "[Reverse mentoring] Your check-in is overdue", status="muted")
    notify(nora, "Pending, not composed yet", status="pending")
    notify(nora, "Stale, never sent", status="stale")
    notify(marc, "[Reverse mentoring] Stalled pair: Léa and Paul", kind="stalled_alert")
    client.force_login(nora)
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert [n.subject for n in response.context["notifications"]] == [
        "[Reverse mentoring] Your check-in is overdue",
        "[Reverse mentoring] Time for a session with Marc?",
    ]
    assert "[Reverse mentoring] Time for a session with Marc?" in page
    assert page.count("not e-mailed") == 1  # the muted one
    assert "Stalled pair" not in page
    assert "Pending, not composed yet" not in page
    assert "Stale, never sent" not in page
    client.force_login(marc)
    page = client.get(LIST).content.decode()
    assert "[Reverse mentoring] Stalled pair: Léa and Paul" in page
    assert "Time for a session with Marc" not in page
    assert "Your check-in is overdue" not in page


def test_someone_without_notifications_is_told_so(client, nora, marc):
    notify(marc, "[Reverse mentoring] Your weekly digest", kind="hr_digest")
    client.force_login(nora)
    page = client.get(LIST).content.decode()
    assert "No notification yet." in page
    assert READ_ALL not in page  # no "mark all as read" with nothing to read
    assert "[Reverse mentoring] Your weekly digest" not in page


def test_the_preferences_form_turns_nudges_off_and_on(client, nora):
    client.force_login(nora)
    page = client.get(LIST).content.decode()
    assert 'name="email_nudges"' in page
    assert "checked" in page.split('name="email_nudges"')[1].split(">")[0]
    response = client.post(LIST, {})  # an unticked box is not posted
    assert response.status_code == 302
    assert response["Location"] == LIST
    nora.refresh_from_db()
    assert nora.email_nudges is False
    page = client.get(LIST).content.decode()
    assert "Your preferences are saved." in page
    assert "checked" not in page.split('name="email_nudges"')[1].split(">")[0]
    client.post(LIST, {"email_nudges": "on"})
    nora.refresh_from_db()
    assert nora.email_nudges is True


def test_the_preferences_form_changes_nothing_else(client, nora):
    client.force_login(nora)
    client.post(LIST, {"email_nudges": "", "role": User.Role.HR_ADMIN, "language": "fr"})
    nora.refresh_from_db()
    assert (nora.email_nudges, nora.role, nora.language) == (False, "participant", "en")


def queries_for(client):
    client.get(LIST)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_list_does_a_fixed_number_of_queries(client, nora):
    client.force_login(nora)
    notify(nora, "Notification 0")
    one, response = queries_for(client)
    assert len(response.context["notifications"]) == 1
    for i in range(1, 10):
        notify(nora, f"Notification {i}", status="muted" if i % 2 else "sent", read=i % 3 == 0)
    ten, response = queries_for(client)
    assert len(response.context["notifications"]) == 10
    assert ten == one


def test_the_list_shows_the_latest_fifty(client, nora):
    for i in range(55):
        notify(nora, f"Notification {i}")
    client.force_login(nora)
    response = client.get(LIST)
    shown = [n.subject for n in response.context["notifications"]]
    assert len(shown) == 50
    assert shown[0] == "Notification 54"
    assert "Notification 4" not in shown


def test_mark_all_as_read_is_post_only_and_marks_only_ones_own(client, nora, marc):
    earlier = notify(nora, "Read earlier", read=True)
    unread = [notify(nora, "One"), notify(nora, "Two", status="muted")]
    other = notify(marc, "Marc's")
    client.force_login(nora)
    assert client.get(READ_ALL).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    response = client.post(READ_ALL)
    assert response.status_code == 302
    assert response["Location"] == LIST
    for n in unread:
        n.refresh_from_db()
        assert n.read_at is not None
    read_before = earlier.read_at
    earlier.refresh_from_db()
    assert earlier.read_at == read_before  # the first reading is kept
    other.refresh_from_db()
    assert other.read_at is None
