"""Sessions end after SESSION_IDLE_TIMEOUT seconds without a request."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    user = UserFactory(email="lea@example.org", password="Bon-mot-2026")
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "Bon-mot-2026"}
    )
    assert response.status_code == 302
    return client


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_idle_timeout_is_thirty_minutes(settings, signed_in):
    assert settings.SESSION_IDLE_TIMEOUT == 1800
    assert settings.SESSION_COOKIE_AGE == 1800
    signed_in.get(reverse("home"))
    remaining = _stored(signed_in).expire_date - timezone.now()
    assert timedelta(seconds=1790) < remaining <= timedelta(seconds=1800)


def test_a_request_after_a_minute_pushes_the_expiry_forward(signed_in):
    signed_in.get(reverse("home"))
    session = signed_in.session
    session["_last_refresh"] -= 120  # the last save was two minutes ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=60)
    )
    assert signed_in.get(reverse("home")).status_code == 200
    remaining = _stored(signed_in).expire_date - timezone.now()
    assert timedelta(seconds=1790) < remaining <= timedelta(seconds=1800)


def test_requests_within_a_minute_do_not_write_the_session(signed_in):
    signed_in.get(reverse("home"))
    expiry = timezone.now() + timedelta(seconds=600)
    Session.objects.filter(session_key=signed_in.session.session_key).update(expire_date=expiry)
    signed_in.get(reverse("home"))
    assert _stored(signed_in).expire_date == expiry


def test_an_idle_session_is_over(signed_in):
    Session.objects.filter(session_key=signed_in.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = signed_in.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
