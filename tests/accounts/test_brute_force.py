"""Brute force on the login: allauth's limits, on the real cache (Redis in CI)."""

import random

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_11th_failed_login_from_one_address_within_a_minute_is_refused(client):
    # A fresh address for each run: the cache (Redis in CI) outlives the test database.
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    user = UserFactory(email=f"cible-{address}@example.org", language="en", password="Bon-mot-2026")
    url = reverse("account_login")
    for attempt in range(10):
        response = client.post(
            url,
            {"login": f"inconnu{attempt}-{address}@example.org", "password": "mauvais"},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200, attempt
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )
    # The 11th, even with the right password, is refused, and nobody is logged in.
    response = client.post(
        url,
        {"login": user.email, "password": "Bon-mot-2026"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # allauth answers with the login form and this error, not a 429.
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    response = client.post(
        url,
        {"login": user.email, "password": "Bon-mot-2026"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
