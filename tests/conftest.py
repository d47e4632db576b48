import os
from pathlib import Path

import pytest

from accounts.models import User
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django then
# refuses ORM calls from it unless told this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _remove_sqlite_test_database():
    # Django re-creates the SQLite test database file but leaves the WAL and
    # shared-memory files of the previous one, which SQLite then reads as a
    # corrupt journal ("disk I/O error"); and it never removes them at the end.
    from django.conf import settings

    test_db = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_db and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{test_db}{suffix}").unlink(missing_ok=True)


def pytest_configure(config):
    _remove_sqlite_test_database()
    if REQUIRE_SERVICES:
        # In CI every integration test must run against the real services:
        # refuse to start on SQLite or without Redis rather than skip quietly.
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL.")
        if not os.environ.get("REDIS_URL"):
            raise pytest.UsageError("REQUIRE_SERVICES=1 but REDIS_URL is not set.")


def pytest_unconfigure(config):
    _remove_sqlite_test_database()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request activates its user's language for the whole thread; without
    # this, an English-speaking user in one test would make the next one English.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


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


def _database_url_for_workers() -> str:
    """The URL of the database this test session uses, for a process it starts."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def start_worker(settings, extra_env=None, *, pool="solo", concurrency=None, new_session=False):
    """Start a real Celery worker process on the test database and the configured broker.

    Redis in CI, the filesystem transport on a laptop. ``extra_env`` is added to
    the worker's environment (its settings are read from it: EMAIL_URL, SITE_URL).
    With ``new_session`` the worker leads its own process group, so a test can
    kill it with its pool children at once (``os.killpg``). Returns the process
    once the worker is ready; its output is kept in ``process.output``.
    """
    import subprocess
    import sys
    import threading

    env = {**os.environ, "DATABASE_URL": _database_url_for_workers(), **(extra_env or {})}
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        env["CELERY_FS_DIR"] = str(settings.CELERY_FS_DIR)
    command = [sys.executable, "-m", "celery", "--app", "mentoring", "worker", "--pool", pool]
    if concurrency:
        command += ["--concurrency", str(concurrency)]
    command += ["--loglevel", "INFO", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=new_session,
    )
    process.output = []
    process.new_session = new_session
    ready = threading.Event()

    def read():
        for line in process.stdout:
            process.output.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        process.kill()
        pytest.fail("The Celery worker did not start:\n" + "".join(process.output[-40:]))
    return process


def stop_worker(process) -> None:
    """Warm shutdown, then a kill if the worker does not stop (with its group, if it leads one)."""
    import signal
    import subprocess

    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        if process.new_session:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real Celery worker process on the test database and the configured broker.

    Redis in CI, the filesystem transport on a laptop. Yields the process; its
    output is kept in ``process.output`` for the test to read.
    """
    from mentoring.celery import app

    app.control.purge()  # leftovers of earlier tests or runs
    process = start_worker(settings)
    yield process
    stop_worker(process)


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll until predicate() is true; fail the test after timeout seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {predicate.__doc__ or predicate}")


@pytest.fixture
def default_skill_areas(db):
    """The default taxonomy of the data migration, restored if a flush removed it.

    Transactional tests (browser journeys, real workers) empty every table when
    they end, data-migration rows included.
    """
    import importlib

    from programmes.models import SkillArea

    migration = importlib.import_module("programmes.migrations.0002_default_skill_areas")
    for name, name_en, category, description in migration.DEFAULT_SKILL_AREAS:
        SkillArea.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "category": category, "description": description},
        )
    return {area.name: area for area in SkillArea.objects.all()}
