"""Gunicorn settings for the web process (docker-compose's ``web`` service).

``gunicorn --config deploy/gunicorn.conf.py mentoring.wsgi``

Used by the Docker image and by the native smoke test (tests/test_deploy_smoke.py).
Tunable from the environment:

- ``GUNICORN_BIND`` (default ``0.0.0.0:8000``): where to listen.
- ``GUNICORN_WORKERS`` (default 4): worker processes; about 2 per core.
- ``GUNICORN_THREADS`` (default 1): threads per worker.
- ``GUNICORN_TIMEOUT`` (default 60): seconds before a silent worker is killed
  and restarted (a PDF export is the slowest request).
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # on SIGTERM, in-flight requests get this long to finish
keepalive = 5  # seconds; keep it above nothing, below the proxy's idle timeout

# Recycle workers now and then, so a slow leak never grows for weeks.
max_requests = 1000
max_requests_jitter = 100

# Logs to stdout/stderr: docker (or whoever runs us) collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# Worker heartbeats on a tmpfs: a container's overlay filesystem can stall them.
# (gunicorn's own advice; only heartbeat files, no data: bandit's B108 does not apply)
if Path("/dev/shm").is_dir():  # nosec B108
    worker_tmp_dir = "/dev/shm"  # nosec B108

# Gunicorn >= 25.1 opens a control socket under $HOME by default; nothing here
# uses it, and two instances on one machine would fight over the same path.
# (Older versions ignore the unknown name.)
control_socket_disable = True
