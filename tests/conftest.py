import os

import pytest

from accounts.models import User
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django then
# refuses ORM calls from it unless told this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    if REQUIRE_SERVICES:
        # In CI every integration test must run against the real services:
        # refuse to start on SQLite or without Redis rather than skip quietly.
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL.")
        if not os.environ.get("REDIS_URL"):
            raise pytest.UsageError("REQUIRE_SERVICES=1 but REDIS_URL is not set.")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hr_admin(db):
    return UserFactory(email="rh@example.org", role=User.Role.HR_ADMIN, first_name="Claire")


@pytest.fixture
def manager(db):
    return UserFactory(email="sponsor@example.org", role=User.Role.MANAGER)


@pytest.fixture
def participant(db):
    return UserFactory(email="lea@example.org", role=User.Role.PARTICIPANT)


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def hr_client(client, hr_admin):
    return client_for(client, hr_admin)


@pytest.fixture
def manager_client(client, manager):
    return client_for(client, manager)


@pytest.fixture
def participant_client(client, participant):
    return client_for(client, participant)
