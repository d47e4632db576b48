"""Real workers, a real SMTP server: reminders arrive once, in each person's language.

The worker is a separate process on the test database and the configured
broker (Redis and PostgreSQL in CI, the filesystem transport and SQLite on a
laptop); it sends through SMTP to an aiosmtpd server run by the test.
"""

import json
import os
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from notifications.models import Notification
from notifications.planning import plan_session_reminders
from notifications.services import notifications_enqueue, outbox_recover
from notifications.tasks import (
    checkin_reminders_task,
    notification_send_task,
    session_reminders_task,
)
from pairs.models import Session
from tests.conftest import start_worker, stop_worker, wait_for
from tests.factories import ActivePairingFactory, SessionFactory
from tests.notifications.conftest import SITE_URL

pytestmark = pytest.mark.django_db(transaction=True)

Kind = Notification.Kind
SESSION_SUBJECT = "[Reverse mentoring] Tomorrow: your session with %(name)s"
CHECKIN_SUBJECT = "[Reverse mentoring] Two minutes for your check-in"


def message_id(notification: Notification) -> str:
    return f"<{notification.key.replace(':', '.')}@mentorat-inverse>"


def subject_in(language: str, msgid: str, **params) -> str:
    # The catalogue may not translate it yet: whatever it says is what the worker sends.
    with override(language):
        return gettext(msgid) % params


def sent(count: int):
    def predicate():
        return Notification.objects.filter(status=Notification.Status.SENT).count() == count

    predicate.__doc__ = f"{count} outbox rows sent"
    return predicate


def all_sent(expected: int):
    def predicate():
        return (
            Notification.objects.filter(status=Notification.Status.SENT).count() == expected
            and Notification.objects.count() == expected
        )

    predicate.__doc__ = f"{expected} outbox rows sent"
    return predicate


def broker_queue_empty(settings) -> bool:
    if settings.CELERY_BROKER_URL.startswith("redis"):
        import redis

        return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen("celery") == 0
    return not any((settings.CELERY_FS_DIR / "queue").iterdir())


@pytest.fixture
def pair():
    """Camille (French) mentors Nora (English); their first check-in fell due five days ago."""
    return ActivePairingFactory(
        mentor__user__first_name="Camille",
        mentor__user__last_name="Rousseau",
        mentor__user__email="camille@example.org",
        mentor__user__language="fr",
        mentee__user__first_name="Nora",
        mentee__user__last_name="Benali",
        mentee__user__email="nora@example.org",
        mentee__user__language="en",
        # Started 40 days ago: the check-in of day 35 is due, not yet overdue.
        cohort__programme__checkin_first_day=35,
    )


def test_worker_sends_reminders_through_smtp_in_each_language(pair, smtp_server, mail_worker):
    session = SessionFactory(
        pairing=pair,
        starts_at=timezone.now() + timedelta(hours=20),
        place="Salle Turing, 4e étage",
        agenda="Tableaux croisés dynamiques\nRaccourcis clavier",
    )
    camille, nora = pair.mentor.user, pair.mentee.user

    session_reminders_task.delay()
    checkin_reminders_task.delay()
    wait_for(all_sent(4), timeout=30)

    assert len(smtp_server.received()) == 4
    session_url = f"{SITE_URL}/sessions/{session.pk}/"
    checkin_url = f"{SITE_URL}/pairings/{pair.pk}/checkin/"
    rows = {(row.kind, row.recipient_id): row for row in Notification.objects.all()}
    assert {key: row.status for key, row in rows.items()} == {
        (Kind.SESSION_REMINDER, camille.pk): "sent",
        (Kind.SESSION_REMINDER, nora.pk): "sent",
        (Kind.CHECKIN_DUE, camille.pk): "sent",
        (Kind.CHECKIN_DUE, nora.pk): "sent",
    }

    for person, partner in ((camille, nora), (nora, camille)):
        reminder = next(
            mail
            for mail in smtp_server.received()
            if mail.rcpt_tos == (person.email,) and session_url in mail.html
        )
        checkin = next(
            mail
            for mail in smtp_server.received()
            if mail.rcpt_tos == (person.email,) and checkin_url in mail.html
        )
        assert reminder.to == checkin.to == person.email
        assert reminder.subject == subject_in(
            person.language, SESSION_SUBJECT, name=partner.first_name
        )
        assert checkin.subject == subject_in(person.language, CHECKIN_SUBJECT)
        assert reminder.message_id == message_id(rows[Kind.SESSION_REMINDER, person.pk])
        assert checkin.message_id == message_id(rows[Kind.CHECKIN_DUE, person.pk])
        assert rows[Kind.SESSION_REMINDER, person.pk].subject == reminder.subject
        for text in (reminder.text, reminder.html):
            assert partner.get_full_name() in text
            assert "Salle Turing, 4e étage" in text
            assert "Tableaux croisés dynamiques\nRaccourcis clavier" in text
        assert f'href="{session_url}"' in reminder.html
        assert session_url in reminder.text
        assert f'href="{checkin_url}"' in checkin.html
        assert partner.get_full_name() in checkin.text
        if person is nora:  # English: the msgid itself
            assert reminder.subject == "[Reverse mentoring] Tomorrow: your session with Camille"


def test_a_task_run_twice_sends_once(settings, pair, smtp_server, mail_worker):
    session = SessionFactory(pairing=pair, starts_at=timezone.now() + timedelta(hours=20))
    camille, nora = pair.mentor.user, pair.mentee.user
    (camille_due,) = [
        due for due in plan_session_reminders(timezone.now()) if due.recipient_id == camille.pk
    ]
    # Recorded but not queued: the two deliveries of its task below are the only ones.
    row = Notification.objects.create(
        key=camille_due.key,
        kind=camille_due.kind,
        recipient=camille,
        due_on=camille_due.due_on,
        object_id=session.pk,
        pairing=pair,
    )

    notification_send_task.delay(row.pk)
    notification_send_task.delay(row.pk)
    # A duplicate beat tick: the first records Nora's reminder, the second finds both.
    session_reminders_task.delay()
    session_reminders_task.delay()
    wait_for(all_sent(2), timeout=30)
    wait_for(lambda: broker_queue_empty(settings), timeout=10)
    time.sleep(0.5)  # anything still running would have sent by now

    received = Counter((mail.rcpt_tos, mail.message_id) for mail in smtp_server.received())
    rows = {row.recipient_id: row for row in Notification.objects.all()}
    assert received == {
        ((camille.email,), message_id(rows[camille.pk])): 1,
        ((nora.email,), message_id(rows[nora.pk])): 1,
    }
    assert [(r.status, r.attempts) for r in rows.values()] == [("sent", 1), ("sent", 1)]


def forget_tasks_of_dead_workers(settings) -> None:
    """Drop the send tasks a killed worker left unacknowledged in Redis.

    Redis would hand them out again after the visibility timeout (30 min), to
    some later test run whose rows have the same ids.
    """
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return  # the filesystem transport removes a message when it hands it out
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for tag, raw in client.hgetall("unacked").items():
        message = json.loads(raw)[0]
        if message["headers"].get("task") == notification_send_task.name:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def test_kill_9_in_the_middle_of_1000_reminders_sends_each_exactly_once(
    settings, smtp_server, transactional_db
):
    from mentoring.celery import app

    app.control.purge()  # leftovers of earlier tests or runs
    started = time.monotonic()
    now = timezone.now()
    pairs = [
        ActivePairingFactory(mentee__user__language="en" if i % 2 else "fr") for i in range(10)
    ]
    Session.objects.bulk_create(
        Session(
            pairing=pairing,
            starts_at=now + timedelta(hours=20, minutes=i),
            planned_minutes=45,
            place="https://visio.example/binome",
            agenda="Nouvelles\nPratique",
            created_by=pairing.mentee.user,
        )
        for pairing in pairs
        for i in range(50)
    )
    dues = plan_session_reminders(timezone.now())
    assert len(dues) == 1000
    with transaction.atomic():  # the 1,000 send tasks are queued when this commits
        assert notifications_enqueue(dues) == 1000
    expected = {
        ((row.recipient.email,), message_id(row))
        for row in Notification.objects.select_related("recipient")
    }
    assert len(expected) == 1000
    setup = time.monotonic() - started
    # Two pool processes as in production. The filesystem transport, though, polls
    # once a second whenever the prefetch window is full: two tasks a second with
    # prefork. On a laptop the one process of a solo worker takes them.
    if settings.CELERY_BROKER_URL.startswith("redis"):
        pool, processes = {"pool": "prefork", "concurrency": 2}, 2
    else:
        pool, processes = {"pool": "solo"}, 1

    def all_mid_transfer():
        """every pool process of the worker to be waiting for the answer to DATA"""
        if worker.poll() is not None:
            pytest.fail("The worker died:\n" + "".join(worker.output[-40:]))
        return smtp_server.held() == processes

    # The kill comes while each pool process is in the middle of an SMTP
    # transfer, its message not accepted yet. Killing right after the server
    # accepts a message would land in the one window the outbox cannot close
    # (accepted, not yet marked sent: recovery sends it again, with the same
    # Message-ID so that the receiving server can drop it).
    smtp_server.hold_after(300)
    worker = start_worker(settings, smtp_server.worker_env, **pool, new_session=True)
    try:
        wait_for(all_mid_transfer, timeout=40, interval=0.002)
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool processes, at once
        worker.wait()
        killed_at = timezone.now()
        smtp_server.release()
        killed_after = time.monotonic() - started
        assert smtp_server.count() == 300
        statuses = Counter(Notification.objects.values_list("status", flat=True))
        assert statuses == {"sent": 300, "sending": processes, "pending": 700 - processes}

        worker = start_worker(settings, smtp_server.worker_env, **pool, new_session=True)
        # The new worker sends everything still queued; the tasks the dead one held
        # are gone (filesystem) or invisible for 30 minutes (Redis), their rows
        # claimed. Beat's "outbox recover" finds them once the claim timed out.
        wait_for(sent(1000 - processes), timeout=40)
        assert outbox_recover(claimed_before=killed_at) == processes
        wait_for(sent(1000), timeout=20)
        wait_for(lambda: broker_queue_empty(settings), timeout=20)
        time.sleep(0.5)  # anything still running would have sent by now
    finally:
        stop_worker(worker)
        forget_tasks_of_dead_workers(settings)

    counts = Counter((mail.rcpt_tos, mail.message_id) for mail in smtp_server.received())
    done = time.monotonic() - started
    print(f"setup {setup:.1f}s, killed at {killed_after:.1f}s, done at {done:.1f}s")
    assert set(counts) == expected
    assert {key: count for key, count in counts.items() if count != 1} == {}
