"""``/healthz`` against the real database and broker, and ``check --deploy`` in production mode."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_healthz_answers_ok_with_database_and_broker_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_which_service_is_down(client, settings):
    # A real connection attempt to a port where nothing listens.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unreachable"}


def test_healthz_is_get_only(client):
    assert client.post(reverse("healthz")).status_code == 405


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "MENTORING_PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "mentorat.example.org",
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        # Only read, never connected to, by the checks.
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        **overrides,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, never in production
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_reports_nothing_in_production_mode():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_wants_a_shared_cache_for_the_login_limits():
    result = _check_deploy(REDIS_URL="")
    assert result.returncode == 1
    assert "?: (mentoring.W001) The cache is not shared between processes" in result.stderr
    assert "HINT: Set REDIS_URL: the cache then lives in Redis." in result.stderr
