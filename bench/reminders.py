"""Benchmark the session reminders end to end: planner, outbox and SMTP in a real worker.

    python bench/reminders.py                                  # 10,000 reminders
    python bench/reminders.py --reminders 1000 --concurrency 4

Generates an organisation in a database of its own (PostgreSQL ``mentoring_bench``,
dropped and re-created, dropped again at the end): one running programme, N/2
active pairs, each with one planned session starting within the next 24 hours,
so that the session-reminder planner yields N reminders (one to each member).
It then starts, in this process, an SMTP server (aiosmtpd) on a free port that
counts the messages per (recipient, Message-ID), and a real Celery worker
subprocess (prefork pool) on Redis and the bench database, mailing through that
server. The clock starts when ``session_reminders_task`` is queued, so planning,
the outbox inserts, the N send tasks (claim, compose, SMTP, mark) all run in the
worker; it stops when the N-th distinct message reaches the SMTP server. The
script then checks that the outbox shows N rows sent and waits ``--settle``
seconds for any duplicate.

Redis: ``--redis``, by default ``REDIS_URL`` or redis://127.0.0.1:6379/15, a
database number of its own so the run never meets the tests' tasks. Its Celery
queue is purged first. Progress goes to stderr; the last line printed on stdout
is one JSON object: reminders, seconds, delivered, duplicates, then extras.
"""

import argparse
import json
import logging
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKER_LOG = ROOT / "var" / "bench-reminders-worker.log"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000, help="N, an even number")
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count() or 1, help="worker processes"
    )
    parser.add_argument("--timeout", type=float, default=540, help="seconds to wait for the mail")
    parser.add_argument("--settle", type=float, default=3, help="seconds to wait for duplicates")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--loglevel", default="WARNING", help="the worker's log level")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/mentoring_bench",
        help="PostgreSQL URL of a database the benchmark may drop and re-create",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
        help="Redis broker URL; its Celery queue is purged",
    )
    args = parser.parse_args()
    if args.reminders <= 0 or args.reminders % 2:
        parser.error("--reminders must be a positive even number (two per session)")
    return args


def prepare_database(url: str) -> str:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(n_sessions: int, seed: int) -> None:
    """A running programme with n_sessions active pairs, each with one session in the next day."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from pairs.models import Pairing, Session
    from programmes.models import Cohort, Participant, Programme, SkillArea

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Mentorat inversé (benchmark)",
        objectives="Benchmark",
        status=Programme.Status.RUNNING,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=200),
    )
    programme.skill_areas.set(SkillArea.objects.all())
    cohort = Cohort.objects.create(
        programme=programme,
        name="Benchmark",
        is_pilot=True,
        target_pairs=n_sessions,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=200),
    )

    def person(kind, i):
        return User(
            email=f"{kind}{i}@bench.example",
            first_name=f"{kind.capitalize()}{i}",
            last_name="Bench",
            department="Marketing",
            seniority_years=3 if kind == "junior" else 25,
            language="en" if rng.random() < 0.15 else "fr",
            password="!",
        )

    juniors = User.objects.bulk_create((person("junior", i) for i in range(n_sessions)),
                                       batch_size=2000)  # fmt: skip
    seniors = User.objects.bulk_create((person("senior", i) for i in range(n_sessions)),
                                       batch_size=2000)  # fmt: skip

    def profile(user, role):
        return Participant(
            programme=programme,
            cohort=cohort,
            user=user,
            role=role,
            status=Participant.Status.APPROVED,
            availability=0b11,
            languages=["fr"],
            capacity=1,
            consent_at=now - timedelta(days=70),
        )

    mentors = Participant.objects.bulk_create((profile(u, "mentor") for u in juniors),
                                              batch_size=2000)  # fmt: skip
    mentees = Participant.objects.bulk_create((profile(u, "mentee") for u in seniors),
                                              batch_size=2000)  # fmt: skip
    pairings = Pairing.objects.bulk_create(
        (
            Pairing(
                cohort=cohort,
                mentor=mentor,
                mentee=mentee,
                status=Pairing.Status.ACTIVE,
                intro_at=now - timedelta(days=45),
                intro_place="Café du 3e",
                mentor_accepted_at=now - timedelta(days=41),
                mentee_accepted_at=now - timedelta(days=40),
                activated_at=now - timedelta(days=40),
            )
            for mentor, mentee in zip(mentors, mentees, strict=True)
        ),
        batch_size=2000,
    )
    # Spread over the next day, from +4 h (so none has started before its
    # reminder goes, which would make it stale) to +23 h.
    step = timedelta(hours=19) / n_sessions
    Session.objects.bulk_create(
        (
            Session(
                pairing=pairing,
                status=Session.Status.PLANNED,
                starts_at=now + timedelta(hours=4) + i * step,
                planned_minutes=rng.choice([30, 45, 60]),
                format=Session.Format.REMOTE,
                place="https://visio.example/binome",
                # Half with an agenda, half without (the mentee then gets a prompt).
                agenda="10 min – Nouvelles\n30 min – Pratique\n5 min – Prochaines étapes"
                if i % 2
                else "",
                created_by_id=pairing.mentee.user_id,
            )
            for i, pairing in enumerate(pairings)
        ),
        batch_size=2000,
    )


class CountingHandler:
    """aiosmtpd handler: counts each message per (recipient, Message-ID)."""

    def __init__(self, expected: int):
        self.expected = expected
        self.counts = Counter()
        self.received = 0
        self.first_at = None
        self.last_new_at = None
        self.complete_at = None  # when the expected-th distinct message arrived
        self.lock = threading.Lock()
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        message_id = self.parser.parsebytes(envelope.content).get("Message-ID", "").strip()
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                key = (rcpt.lower(), message_id)
                self.counts[key] += 1
                self.received += 1
                if self.counts[key] == 1:
                    self.last_new_at = now
                    if self.first_at is None:
                        self.first_at = now
                    if len(self.counts) == self.expected:
                        self.complete_at = now
        return "250 OK"

    def snapshot(self):
        with self.lock:
            return self.received, len(self.counts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def purge_broker(app, redis_url: str) -> None:
    import redis

    purged = app.control.purge()
    # Messages a killed run had fetched but not acknowledged (acks_late).
    client = redis.Redis.from_url(redis_url)
    client.delete("unacked", "unacked_index", "unacked_mutex")
    client.close()
    log(f"broker {redis_url}: purged {purged} queued message(s)")


def start_worker(args, env: dict, app) -> subprocess.Popen:
    WORKER_LOG.parent.mkdir(parents=True, exist_ok=True)
    output = WORKER_LOG.open("w")
    name = f"bench-reminders-{os.getpid()}@{socket.gethostname()}"
    command = [
        sys.executable, "-m", "celery", "--app", "mentoring", "worker",
        "--pool", "prefork", "--concurrency", str(args.concurrency),
        "--loglevel", args.loglevel, "--hostname", name,
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    output.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the worker exited with {process.returncode}:\n{worker_log_tail()}")
        if app.control.ping(destination=[name], timeout=0.5):
            return process
    stop_worker(process)
    sys.exit(f"the worker did not answer a ping within 60 s:\n{worker_log_tail()}")


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # warm shutdown: finishes the tasks in hand
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_log_tail(lines: int = 40) -> str:
    try:
        return "".join(WORKER_LOG.read_text().splitlines(keepends=True)[-lines:])
    except OSError:
        return ""


def outbox_counts() -> dict:
    from django.db.models import Count

    from notifications.models import Notification

    return dict(Notification.objects.values_list("status").annotate(n=Count("pk")))


def main():
    args = parse_args()
    n = args.reminders
    database_url = prepare_database(args.postgres)
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = args.redis
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)  # the tasks must go to the worker
    os.environ.pop("EMAIL_URL", None)  # this process sends nothing
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from mentoring.celery import app
    from notifications.models import Notification
    from notifications.planning import plan_session_reminders
    from notifications.tasks import session_reminders_task

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(n // 2, args.seed)
    planned = len(plan_session_reminders(timezone.now()))
    log(f"generated {n // 2} active pairs with a session tomorrow in "
        f"{time.perf_counter() - started:.1f}s; the planner yields {planned}")  # fmt: skip
    if planned != n:
        drop_database(database_url)
        sys.exit(f"the planner yields {planned} reminders, not {n}")

    # aiosmtpd logs every SMTP command at INFO: 8 lines a message, in this
    # process, competing for the CPU with the worker being measured.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = CountingHandler(n)
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, server_hostname="bench.localhost"
    )
    controller.start()
    log(f"SMTP server on 127.0.0.1:{port}")
    worker = None
    timed_out = False
    try:
        purge_broker(app, args.redis)
        env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
        worker = start_worker(args, env, app)
        log(f"worker ready: prefork, concurrency {args.concurrency}; log in {WORKER_LOG}")
        connections.close_all()

        start = time.perf_counter()
        session_reminders_task.delay()
        sent_at = None
        last_report = start
        while True:
            now = time.perf_counter()
            received, distinct = handler.snapshot()
            if distinct >= n and sent_at is None:
                sent = Notification.objects.filter(status=Notification.Status.SENT).count()
                if sent >= n:
                    sent_at = time.perf_counter()
                    break
            if now - last_report >= 2:
                rate = distinct / (now - start)
                log(f"{now - start:6.1f}s  {distinct:>6}/{n} delivered  {rate:6.1f}/s")
                last_report = now
            if worker.poll() is not None:
                log(f"the worker died ({worker.returncode}):\n{worker_log_tail()}")
                break
            if now - start > args.timeout:
                timed_out = True
                log(f"timeout after {args.timeout:.0f}s")
                break
            time.sleep(0.05)
        time.sleep(args.settle)  # a duplicate would arrive now, after the count was reached
        received, distinct = handler.snapshot()
        statuses = outbox_counts()
    finally:
        if worker is not None:
            stop_worker(worker)
        controller.stop()
        connections.close_all()
        purge_broker(app, args.redis)
        drop_database(database_url)
        log(f"worker stopped, database {database_url.rsplit('/', 1)[1]} dropped")

    end = handler.complete_at or handler.last_new_at or start
    seconds = end - start
    result = {
        "reminders": n,
        "seconds": round(seconds, 2),
        "delivered": distinct,
        "duplicates": received - distinct,
        "per_second": round(distinct / seconds, 1) if seconds > 0 else None,
        "worker_concurrency": args.concurrency,
        "first_message_s": round(handler.first_at - start, 2) if handler.first_at else None,
        "outbox_sent_s": round(sent_at - start, 2) if sent_at else None,
        "outbox": statuses,
    }
    if timed_out:
        result["timed_out"] = True
    print(json.dumps(result))
    if distinct != n or received != distinct or statuses.get("sent") != n:
        sys.exit(1)


if __name__ == "__main__":
    main()
