"""The admin has no password form of its own: /admin/login/ goes through allauth's
login, so the admin is rate-limited like the rest of the site."""

import random

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def _address() -> str:
    # A fresh address for each run: the cache (Redis in CI) outlives the test database.
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def test_anonymous_admin_visitors_are_sent_to_allauths_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_the_admin_login_checks_no_password(client):
    staff = UserFactory(email="admin@example.org", is_staff=True, password="Bon-mot-2026")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff.email, "password": "Bon-mot-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    assert "_auth_user_id" not in client.session


def test_staff_sign_in_through_allauth_and_land_in_the_admin(client):
    staff = UserFactory(email="admin@example.org", is_staff=True, password="Bon-mot-2026")
    response = client.post(
        f"{LOGIN}?next=/admin/",
        {"login": staff.email, "password": "Bon-mot-2026", "next": "/admin/"},
        REMOTE_ADDR=_address(),
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed-in staff who come back to the admin login go straight on.
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/accounts/user/"


def test_signed_in_people_without_admin_rights_are_refused(client):
    client.force_login(UserFactory(email="lea@example.org"))
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.get("/admin/").status_code == 302  # to /admin/login/, which answers 403


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "/accounts/logout/", ""]
)
def test_the_admin_login_never_redirects_outside_the_admin(client, next_url):
    response = client.get("/admin/login/", {"next": next_url})
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_the_11th_failed_admin_sign_in_from_one_address_is_refused(client):
    address = _address()
    staff = UserFactory(
        email=f"admin-{address}@example.org", is_staff=True, password="Bon-mot-2026"
    )
    for attempt in range(10):
        response = client.post(
            f"{LOGIN}?next=/admin/",
            {"login": staff.email, "password": f"essai-{attempt}", "next": "/admin/"},
            REMOTE_ADDR=address,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200, attempt
    response = client.post(
        f"{LOGIN}?next=/admin/",
        {"login": staff.email, "password": "Bon-mot-2026", "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session
