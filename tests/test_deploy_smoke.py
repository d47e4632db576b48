"""Deployment smoke test: docker-compose's processes, run natively with production settings.

No Docker engine here: the test starts what docker-compose.yml starts, with
the same commands (checked against the file), as subprocesses configured like
the containers, from environment variables alone (MENTORING_PRODUCTION=true):

    manage.py migrate, manage.py collectstatic (the image's build step, into a
    temporary VAR_DIR), gunicorn with deploy/gunicorn.conf.py, one Celery
    worker, one Celery beat.

They share the test database (PostgreSQL in CI, the SQLite file on a laptop)
and a broker of their own: a dedicated Redis database when REDIS_URL is set
(never the test session's, never flushed), else the filesystem transport in a
temporary folder. Mail goes over SMTP to an aiosmtpd server run by the test.

Then: /healthz answers ok (and so do the compose health checks), the login
page and its hashed, compressed CSS are served by WhiteNoise, and a session
reminder goes out because beat fires it (an interval task of two seconds),
once, however often beat fires.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, override
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from notifications.models import Notification
from tests.conftest import REQUIRE_SERVICES, _database_url_for_workers, wait_for
from tests.factories import ActivePairingFactory, SessionFactory
from tests.notifications.conftest import Recorder

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

# The commands of docker-compose.yml's services, word for word.
COMMANDS = {
    "migrate": "python manage.py migrate --noinput",
    "web": "gunicorn --config deploy/gunicorn.conf.py mentoring.wsgi",
    "worker": "celery --app mentoring worker --loglevel INFO",
    "beat": "celery --app mentoring beat --loglevel INFO",
}
COLLECTSTATIC = "python manage.py collectstatic --noinput"  # the Dockerfile's build step
WEB_HEALTHCHECK = ["python", "deploy/healthcheck.py"]
WORKER_HEALTHCHECK = (
    'celery --app mentoring inspect ping --destination "celery@${HOSTNAME}" --timeout 10'
)

# The smoke processes' broker and cache when REDIS_URL is set: a Redis database
# of their own, so that neither they nor the session's tests take each other's
# tasks. (bench/reminders.py uses 15.)
SMOKE_REDIS_DB = int(os.environ.get("DEPLOY_SMOKE_REDIS_DB", "13"))
SESSION_SUBJECT = "[Reverse mentoring] Tomorrow: your session with %(name)s"
SITE_URL = "https://mentorat.example"
BEAT_EVERY_SECONDS = 2
SMOKE_TASK = "Smoke test: session reminders"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _argv(command: str) -> list[str]:
    """The command as the image runs it, with this interpreter and its installed scripts."""
    program, *args = command.split()
    if program == "python":
        return [sys.executable, *args]
    return [sys.executable, "-m", program, *args]  # gunicorn, celery


class Service:
    """One long-running process in its own process group, its output in a file."""

    def __init__(self, name: str, command: str, env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            _argv(command),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited ({self.process.returncode}) before {text!r}")
            if time.monotonic() > deadline:
                pytest.fail(f"{self.name}: no {text!r} after {timeout}s")
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM (gunicorn and Celery shut down warm), then SIGKILL to what is left."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(20)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._log.close()


def _run(command, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    argv = _argv(command) if isinstance(command, str) else command
    return subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _get(url: str, headers: dict | None = None):
    """(status, headers, body) of a GET, error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _smoke_redis_url() -> str | None:
    if not settings.REDIS_URL:
        return None
    url = urlsplit(settings.REDIS_URL)._replace(path=f"/{SMOKE_REDIS_DB}").geturl()
    assert url != settings.REDIS_URL, "DEPLOY_SMOKE_REDIS_DB must differ from REDIS_URL's database"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is unreachable at {url}: {error}")
        pytest.skip(f"Redis is unreachable at {url}: {error}")
    return url


def _production_env(tmp_path: Path, *, web_port: int, smtp_port: int, redis_url) -> dict:
    """What a container gets from .env: nothing of the test session's environment leaks in."""
    passthrough = {
        k: os.environ[k] for k in ("HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ
    }
    env = {
        **passthrough,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "MENTORING_PRODUCTION": "true",
        "SECRET_KEY": "smoke-test-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front here
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": _database_url_for_workers(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SITE_URL": SITE_URL,
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "GUNICORN_WORKERS": "2",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["CELERY_FS_DIR"] = str(tmp_path / "celery")
    return env


def _purge_queue(redis_url: str) -> None:
    """Drop tasks an interrupted earlier run left in the smoke broker (its queue only)."""
    from kombu import Connection

    with Connection(redis_url) as connection:
        connection.default_channel.queue_purge("celery")


@pytest.fixture
def smtp():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port, recorder
    controller.stop()


@pytest.fixture
def due_reminder():
    """A session tomorrow for Camille (French) and Nora (English), and beat told to plan every 2 s.

    The migration's schedules are switched off, so that nothing else (a
    check-in reminder at 8:00, say) mails them while the test runs.
    """
    pairing = ActivePairingFactory(
        mentor__user__first_name="Camille",
        mentor__user__email="camille@example.org",
        mentor__user__language="fr",
        mentee__user__first_name="Nora",
        mentee__user__email="nora@example.org",
        mentee__user__language="en",
    )
    session = SessionFactory(pairing=pairing, starts_at=timezone.now() + timedelta(hours=20))
    PeriodicTask.objects.update(enabled=False)
    every, _ = IntervalSchedule.objects.get_or_create(
        every=BEAT_EVERY_SECONDS, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.create(
        name=SMOKE_TASK,
        task="notifications.tasks.session_reminders_task",
        interval=every,
    )
    return session


def test_compose_services_run_natively_in_production_mode(tmp_path, smtp, due_reminder):
    compose = COMPOSE_FILE.read_text()
    for name, command in COMMANDS.items():
        assert f"command: {command}\n" in compose, f"docker-compose.yml's {name} changed"
    assert json.dumps(WEB_HEALTHCHECK)[1:-1] in compose
    assert WORKER_HEALTHCHECK.replace("$", "$$").replace('"', '\\"') in compose
    dockerfile = DOCKERFILE.read_text()
    assert f"CMD {json.dumps(COMMANDS['web'].split())}\n" in dockerfile
    assert COLLECTSTATIC in dockerfile

    smtp_port, mail = smtp
    web_port = _free_port()
    redis_url = _smoke_redis_url()
    if redis_url:
        _purge_queue(redis_url)
    env = _production_env(tmp_path, web_port=web_port, smtp_port=smtp_port, redis_url=redis_url)
    base = f"http://127.0.0.1:{web_port}"
    services: list[Service] = []
    started = time.monotonic()
    timings = []

    def lap(label):
        timings.append(f"{label} {time.monotonic() - started:.1f}s")

    try:
        # As in compose: migrate first, then the processes. The worker boots
        # while the static files are collected (the image's build step), the
        # web process after, since WhiteNoise indexes them when it starts.
        result = _run(COMMANDS["migrate"], env)
        assert result.returncode == 0, result.stdout + result.stderr
        lap("migrate")
        worker = Service("worker", COMMANDS["worker"], env, tmp_path)
        services.append(worker)
        result = _run(COLLECTSTATIC, env)
        assert result.returncode == 0, result.stdout + result.stderr
        lap("collectstatic")
        static_root = tmp_path / "var" / "staticfiles"
        manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
        web = Service("web", COMMANDS["web"], env, tmp_path)
        services.append(web)

        # The web process: healthy, with a real database and broker behind it.
        def web_answers():
            with contextlib.suppress(OSError):
                return _get(f"{base}/healthz")[0] == 200
            assert web.process.poll() is None, "gunicorn exited"
            return False

        web_answers.__doc__ = "gunicorn to answer /healthz"
        wait_for(web_answers, timeout=60, interval=0.25)
        lap("web")
        status, headers, body = _get(f"{base}/healthz")
        assert (status, json.loads(body)) == (200, {"database": "ok", "broker": "ok"})
        assert "no-cache" in headers["Cache-Control"]
        check = _run([*_argv(" ".join(WEB_HEALTHCHECK)), f"{base}/healthz"], env, timeout=30)
        assert check.returncode == 0, check.stdout + check.stderr

        # The login page, production-style: no debug, HSTS behind a TLS proxy.
        status, headers, body = _get(f"{base}/accounts/login/", {"X-Forwarded-Proto": "https"})
        html = body.decode()
        assert status == 200, html[:2000]
        assert re.search(r'<form[^>]+action="/accounts/login/"', html)
        for field in ('name="login"', 'name="password"', 'name="csrfmiddlewaretoken"'):
            assert field in html
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        status, _, body = _get(f"{base}/no-such-page/")
        assert status == 404
        assert b"URLconf" not in body  # DEBUG's 404 page names it

        # Its stylesheets: hashed names from the manifest, served compressed and
        # cached for ever by WhiteNoise from the collected files.
        stylesheets = re.findall(r'<link rel="stylesheet"\s+href="/static/([^"]+)"', html)
        assert manifest["css/app.css"] in stylesheets
        for name in stylesheets:
            assert re.search(r"\.[0-9a-f]{12}\.css$", name), name
            assert name in manifest.values()
            status, headers, body = _get(f"{base}/static/{name}", {"Accept-Encoding": "gzip"})
            assert status == 200
            assert headers["Content-Type"].startswith("text/css")
            assert headers["Content-Encoding"] == "gzip"
            assert "immutable" in headers["Cache-Control"]

        # The worker answers the compose health check (Celery remote control).
        worker.wait_for_output(" ready.", timeout=60)
        ping = subprocess.run(
            WORKER_HEALTHCHECK,
            shell=True,
            cwd=ROOT,
            env={**env, "HOSTNAME": socket.gethostname()},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert ping.returncode == 0, ping.stdout + ping.stderr
        assert "pong" in ping.stdout
        lap("worker")

        # Beat (started last: nothing is due before) fires the planner, the
        # worker mails both members over SMTP.
        beat = Service("beat", COMMANDS["beat"], env, tmp_path)
        services.append(beat)

        def both_mailed():
            return mail.count() >= 2

        both_mailed.__doc__ = "the two session reminders to reach the SMTP server"
        wait_for(both_mailed, timeout=60, interval=0.25)
        lap("mail")
        # Beat fires again and again; the outbox keeps each reminder to one mail.
        beat_runs = beat.output().count(f"Sending due task {SMOKE_TASK}")
        time.sleep(2 * BEAT_EVERY_SECONDS + 1)
        assert beat.output().count(f"Sending due task {SMOKE_TASK}") > beat_runs
        received = {message.rcpt_tos: message for message in mail.received()}
        assert len(mail.received()) == 2
        assert set(received) == {("camille@example.org",), ("nora@example.org",)}
        nora, camille = received[("nora@example.org",)], received[("camille@example.org",)]
        assert nora.subject == "[Reverse mentoring] Tomorrow: your session with Camille"
        with override("fr"):
            french = gettext(SESSION_SUBJECT) % {"name": "Nora"}
        assert french.startswith("[Mentorat inversé]")  # the catalogue is compiled and used
        assert camille.subject == french
        session_url = f"{SITE_URL}/sessions/{due_reminder.pk}/"
        assert f'href="{session_url}"' in nora.html
        assert list(Notification.objects.values_list("status", flat=True)) == ["sent"] * 2

        assert '"GET /healthz HTTP/1.1" 200' in web.output()  # access log on stdout
    except BaseException:
        print("\ndeploy smoke, at the failure:", ", ".join(timings))
        for service in services:
            print(f"\n----- {service.name} ({' '.join(service.process.args)}) -----")
            print(service.output()[-20000:])
        raise
    finally:
        for service in reversed(services):
            service.stop()
            lap(f"stop-{service.name}")
    lap("stopped")
    print("\ndeploy smoke:", ", ".join(timings))
