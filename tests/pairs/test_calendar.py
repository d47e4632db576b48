"""Sessions in calendar apps: one .ics per session, and a personal feed behind a secret URL."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from pairs.models import CalendarFeed
from tests.factories import ActivePairingFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

STARTS_AT = timezone.make_aware(datetime(2031, 5, 6, 14, 30))


@pytest.fixture
def pairing():
    return ActivePairingFactory(
        mentor__user=UserFactory(first_name="Léa", last_name="Martin", language="en"),
        mentee__user=UserFactory(first_name="Marc", last_name="Lefebvre", language="en"),
    )


@pytest.fixture
def session(pairing):
    return SessionFactory(
        pairing=pairing,
        starts_at=STARTS_AT,
        planned_minutes=45,
        place="Salle Jupiter, 4e étage",
        sequence=2,
    )


def as_user(client, user):
    client.force_login(user)
    return client


def events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def ics_url(session):
    return reverse("session_ics", args=[session.pk])


# One session ------------------------------------------------------------------------


def test_session_ics_is_one_event_for_the_member(client, session, pairing):
    response = as_user(client, pairing.mentee.user).get(ics_url(session))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert response["Content-Disposition"] == (f'attachment; filename="session-{session.pk}.ics"')
    [event] = events(response.content)
    assert str(event["UID"]) == f"session-{session.uid}@mentorat-inverse"
    assert event.decoded("DTSTART") == STARTS_AT
    assert event.decoded("DTEND") == STARTS_AT + timedelta(minutes=45)
    assert str(event["SUMMARY"]) == "Reverse mentoring with Léa Martin"
    assert str(event["LOCATION"]) == "Salle Jupiter, 4e étage"
    assert event.decoded("SEQUENCE") == 2
    assert str(event["STATUS"]) == "CONFIRMED"


def test_session_ics_names_the_partner_of_whoever_downloads_it(client, session, pairing):
    response = as_user(client, pairing.mentor.user).get(ics_url(session))

    [event] = events(response.content)
    assert str(event["SUMMARY"]) == "Reverse mentoring with Marc Lefebvre"


def test_session_ics_of_a_cancelled_session_says_cancelled(client, pairing):
    session = SessionFactory(pairing=pairing, status="cancelled", starts_at=STARTS_AT, sequence=3)

    response = as_user(client, pairing.mentor.user).get(ics_url(session))

    [event] = events(response.content)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("SEQUENCE") == 3


def test_session_ics_can_be_read_by_hr(client, session, hr_admin):
    response = as_user(client, hr_admin).get(ics_url(session))

    assert response.status_code == 200
    [event] = events(response.content)
    assert str(event["UID"]) == f"session-{session.uid}@mentorat-inverse"


def test_session_ics_does_not_exist_for_an_outsider(client, session):
    outsider = ActivePairingFactory().mentor.user

    assert as_user(client, outsider).get(ics_url(session)).status_code == 404


def test_session_ics_does_not_exist_for_a_manager(client, session, manager):
    assert as_user(client, manager).get(ics_url(session)).status_code == 404


def test_session_ics_sends_anonymous_users_to_login(client, session):
    response = client.get(ics_url(session))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# The personal feed ------------------------------------------------------------------


def feed_path(user) -> str:
    return reverse("calendar_feed", args=[CalendarFeed.objects.get(user=user).token])


def test_calendar_settings_page_creates_no_feed(client, pairing):
    user = pairing.mentor.user

    response = as_user(client, user).get(reverse("calendar_settings"))

    assert response.status_code == 200
    assert response.context["feed"] is None
    assert response.context["feed_url"] is None
    assert CalendarFeed.objects.count() == 0


def test_calendar_renew_creates_the_feed(client, pairing):
    user = pairing.mentor.user

    response = as_user(client, user).post(reverse("calendar_renew"), follow=True)

    feed = CalendarFeed.objects.get()
    assert feed.user == user
    assert len(feed.token) >= 40
    assert response.context["feed_url"] == "http://testserver" + feed_path(user)
    assert [str(m) for m in response.context["messages"]] == ["Your calendar address is ready."]


def test_calendar_renew_refuses_get(client, pairing):
    response = as_user(client, pairing.mentor.user).get(reverse("calendar_renew"))

    assert response.status_code == 405
    assert CalendarFeed.objects.count() == 0


def test_calendar_settings_sends_anonymous_users_to_login(client):
    response = client.get(reverse("calendar_settings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_calendar_feed_lists_the_user_sessions_of_all_their_pairs(client, pairing, session):
    mentor = pairing.mentor.user
    # Mentors may have several mentees: a second pair, with its own session.
    second = ActivePairingFactory(
        mentor=pairing.mentor,
        mentee__user=UserFactory(first_name="Inès", last_name="Roux"),
        cohort=pairing.cohort,
    )
    other = SessionFactory(pairing=second, starts_at=STARTS_AT + timedelta(days=7))
    strangers = SessionFactory()  # another pair, not theirs
    as_user(client, mentor).post(reverse("calendar_renew"))
    client.logout()

    response = client.get(feed_path(mentor))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    uids = {str(event["UID"]) for event in events(response.content)}
    assert uids == {
        f"session-{session.uid}@mentorat-inverse",
        f"session-{other.uid}@mentorat-inverse",
    }
    assert f"session-{strangers.uid}@mentorat-inverse" not in uids
    summaries = sorted(str(event["SUMMARY"]) for event in events(response.content))
    # The feed speaks the owner's language even though no one is logged in.
    assert summaries == ["Reverse mentoring with Inès Roux", "Reverse mentoring with Marc Lefebvre"]


def test_calendar_feed_of_the_mentee_shows_the_pair_session(client, pairing, session):
    mentee = pairing.mentee.user
    as_user(client, mentee).post(reverse("calendar_renew"))
    client.logout()

    response = client.get(feed_path(mentee))

    [event] = events(response.content)
    assert str(event["UID"]) == f"session-{session.uid}@mentorat-inverse"
    assert str(event["SUMMARY"]) == "Reverse mentoring with Léa Martin"


def test_calendar_renew_makes_the_old_url_404(client, pairing, session):
    user = pairing.mentor.user
    as_user(client, user).post(reverse("calendar_renew"))
    old_path = feed_path(user)

    response = client.post(reverse("calendar_renew"), follow=True)
    new_path = feed_path(user)
    client.logout()

    assert [str(m) for m in response.context["messages"]][-1] == (
        "New address created. The old one no longer works: update your calendar."
    )
    assert new_path != old_path
    assert CalendarFeed.objects.count() == 1
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200


@pytest.mark.parametrize("token", ["abc", "x" * 43, "1234567890"])
def test_calendar_feed_unknown_token_is_404(client, pairing, token):
    as_user(client, pairing.mentor.user).post(reverse("calendar_renew"))
    client.logout()

    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_calendar_feed_token_of_another_format_is_404(client, pairing):
    as_user(client, pairing.mentor.user).post(reverse("calendar_renew"))
    token = CalendarFeed.objects.get().token
    client.logout()

    # Not a slug: the URL pattern itself does not match.
    base = reverse("calendar_settings")
    assert client.get(f"{base}{token}.ics").status_code == 200
    assert client.get(f"{base}{token}.x.ics").status_code == 404
    assert client.get(f"{base}{token}!.ics").status_code == 404


def test_calendar_feed_of_a_deactivated_user_is_404(client, pairing, session):
    user = pairing.mentor.user
    as_user(client, user).post(reverse("calendar_renew"))
    path = feed_path(user)
    client.logout()
    user.is_active = False
    user.save()

    assert client.get(path).status_code == 404
