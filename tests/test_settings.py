import subprocess
import sys

import pytest
from django.conf import settings


def run_settings(env_extra):
    """Import the settings in a fresh interpreter with the given environment."""
    return subprocess.run(
        [sys.executable, "-c", "import mentoring.settings as s; print(s.DEBUG, s.PRODUCTION)"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": "/tmp/mentoring-settings-test", **env_extra},
        cwd=settings.BASE_DIR,
    )


def test_defaults_run_on_a_laptop():
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True False"


@pytest.mark.parametrize("value", ["ture", "maybe", "2"])
def test_a_mistyped_switch_fails_loudly(value):
    result = run_settings({"MENTORING_PRODUCTION": value})
    assert result.returncode != 0
    assert f"MENTORING_PRODUCTION='{value}' is not a boolean" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"MENTORING_PRODUCTION": "true", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_defaults_use_sqlite_and_the_filesystem_broker():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mentoring.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND)",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": "/tmp/mentoring-settings-test"},
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.filebased.EmailBackend",
    ]


def test_service_urls_switch_to_postgres_redis_and_smtp():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mentoring.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, "
            "s.EMAIL_HOST, s.CACHES['default']['BACKEND'])",
        ],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "VAR_DIR": "/tmp/mentoring-settings-test",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "EMAIL_URL": "smtp://mail.example.org:25",
        },
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/3",
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "django.core.cache.backends.redis.RedisCache",
    ]
