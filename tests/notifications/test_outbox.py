"""The outbox in-process: recorded once, claimed once, sent once; the text of each message;
what preferences mute and what no longer applies.

Queued tasks are seen with ``django_capture_on_commit_callbacks`` and, where the test
needs them run, run in-process with Celery's eager mode: nothing reaches a broker.
"""

import socket
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import User
from evaluation.models import CheckIn
from notifications.models import Notification
from notifications.planning import (
    plan_checkin_reminders,
    plan_hr_digest,
    plan_intro_nudges,
    plan_match_published,
    plan_session_reminders,
    plan_stalled,
)
from notifications.services import (
    Due,
    notification_send,
    notifications_enqueue,
    outbox_recover,
)
from pairs.models import Pairing
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    PairingFactory,
    SessionFactory,
    UserFactory,
)

Kind = Notification.Kind
SITE = "https://mentorat.example.org"
AGENDA = "10 min – Nouvelles\n30 min – Pratique"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE + "/"  # the trailing slash must not double in links


@pytest.fixture
def eager():
    """Run queued tasks in this process instead of publishing them to the broker."""
    from mentoring.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def run(callbacks):
    for callback in callbacks:
        callback()


def tr(language, msgid, **params):
    """The text of msgid in language, as the catalogue has it (English: the msgid itself)."""
    with translation.override(language):
        text = gettext(msgid)
    return text % params if params else text


def date_in(language, day):
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def members(language="en", factory=ActivePairingFactory, **kwargs):
    """A pair whose mentor is Nora Benali (in ``language``) and mentee Marc Dupont."""
    return factory(
        **{
            "mentor__user__first_name": "Nora",
            "mentor__user__last_name": "Benali",
            "mentor__user__email": "nora@example.org",
            "mentor__user__language": language,
            "mentee__user__first_name": "Marc",
            "mentee__user__last_name": "Dupont",
            "mentee__user__email": "marc@example.org",
            "mentee__user__job_title": "Directeur financier",
            "mentee__user__language": "fr",
            **kwargs,
        }
    )


def enqueue(dues):
    notifications_enqueue(dues)
    return Notification.objects.get(key=dues[0].key)


def send_to(dues, recipient):
    """Record the dues, send the one of recipient; its row and the mail, if any."""
    notifications_enqueue(dues)
    notification = Notification.objects.get(recipient=recipient, key__in=[due.key for due in dues])
    outcome = notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    return outcome, notification


def html_of(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def session_soon(language="en", **kwargs):
    kwargs = {
        "starts_at": timezone.now() + timedelta(hours=20),
        "planned_minutes": 45,
        "place": "Salle Lumière, 3e étage",
        "agenda": AGENDA,
        **kwargs,
    }
    return SessionFactory(pairing=members(language), **kwargs)


# Idempotency: a duplicate beat tick and a task run twice send nothing twice.


def test_a_second_enqueue_records_and_queues_nothing(db, eager, django_capture_on_commit_callbacks):
    session = session_soon()
    dues = plan_session_reminders(timezone.now())
    with django_capture_on_commit_callbacks() as first:
        assert notifications_enqueue(dues) == 2
    with django_capture_on_commit_callbacks() as second:
        assert notifications_enqueue(plan_session_reminders(timezone.now())) == 0
    assert len(first) == 1
    assert sorted(Notification.objects.values_list("key", flat=True)) == sorted(
        f"session_reminder:{session.pk}:{timezone.localdate(session.starts_at).isoformat()}:"
        f"{user_id}"
        for user_id in (session.pairing.mentor.user_id, session.pairing.mentee.user_id)
    )
    run(second)  # the beat's duplicate tick: whatever it queued sends nothing
    assert mail.outbox == []
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}
    run(first)
    assert sorted(m.to[0] for m in mail.outbox) == ["marc@example.org", "nora@example.org"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    run(first)  # the same tasks delivered twice by the broker
    run(second)
    assert len(mail.outbox) == 2


def test_the_same_due_twice_in_one_batch_is_recorded_once(db):
    pairing = members(factory=PairingFactory)
    dues = plan_match_published(pairing)
    assert notifications_enqueue(dues + dues) == 2
    assert Notification.objects.count() == 2


def test_a_notification_sent_twice_is_mailed_once(db):
    session = session_soon()
    notification = enqueue(plan_session_reminders(timezone.now()))
    assert notification_send(notification_id=notification.pk) == "sent"
    assert notification_send(notification_id=notification.pk) == "taken"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert notification.sent_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<session_reminder.{session.pk}.{notification.due_on.isoformat()}."
        f"{notification.recipient_id}@mentorat-inverse>"
    )


def test_a_sent_notification_is_never_sent_again(db, eager, django_capture_on_commit_callbacks):
    pairing = members(factory=PairingFactory)
    notification = enqueue(plan_match_published(pairing))
    Notification.objects.filter(pk=notification.pk).update(
        status="sent",
        sent_at=timezone.now() - timedelta(hours=2),
        claimed_at=timezone.now() - timedelta(hours=2),
    )
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert notification_send(notification_id=notification.pk) == "taken"
    with django_capture_on_commit_callbacks() as callbacks:
        assert notifications_enqueue(plan_match_published(pairing)) == 0
        assert outbox_recover() == 1  # the mentee's, still pending: not the sent one
    run(callbacks)
    assert [m.to for m in mail.outbox] == [["marc@example.org"]]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 0)


def test_recover_requeues_a_row_abandoned_while_sending_and_leaves_a_recent_claim(
    db, settings, eager, django_capture_on_commit_callbacks
):
    settings.OUTBOX_CLAIM_TIMEOUT = 600
    now = timezone.now()
    session_soon()
    notifications_enqueue(plan_session_reminders(now))
    abandoned, recent = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=abandoned.pk).update(
        status="sending", claimed_at=now - timedelta(minutes=11), attempts=1
    )
    Notification.objects.filter(pk=recent.pk).update(
        status="sending", claimed_at=now - timedelta(minutes=2), attempts=1
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_recover() == 1
    abandoned.refresh_from_db()
    recent.refresh_from_db()
    assert (abandoned.status, abandoned.claimed_at) == ("pending", None)
    assert recent.status == "sending"
    assert len(callbacks) == 1
    run(callbacks)
    abandoned.refresh_from_db()
    recent.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == ("sent", 2)
    assert (recent.status, recent.attempts) == ("sending", 1)
    assert [m.to[0] for m in mail.outbox] == [abandoned.recipient.email]


def test_recover_requeues_a_pending_row_whose_task_was_lost(
    db, eager, django_capture_on_commit_callbacks
):
    pairing = members(factory=PairingFactory)
    notifications_enqueue(plan_match_published(pairing))
    lost, young = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_recover() == 1  # the other one's task was queued a moment ago
    run(callbacks)
    assert [m.to[0] for m in mail.outbox] == [lost.recipient.email]
    young.refresh_from_db()
    assert young.status == "pending"


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_smtp_send_releases_the_claim_for_the_retry(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = unused_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    pairing = members(factory=PairingFactory)
    notification = enqueue(plan_match_published(pairing))
    with pytest.raises(ConnectionRefusedError):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.claimed_at) == (
        "pending",
        1,
        None,
    )
    assert notification.sent_at is None
    # The retry claims it again and, the server back, sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_send(notification_id=notification.pk) == "sent"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


# What each message says, in English and in French.


def assert_mail(message, language, *, to, subject, lines, url, action, essential):
    """Subject, greeting, lines, link and footer, in both the text and the HTML part."""
    assert message.to == [to]
    assert message.subject == subject
    text, html = message.body, html_of(message)
    greeting = tr(language, "Hello %(name)s,", name="Nora")
    assert text.startswith(greeting + "\n")
    assert f"<p>{escape(greeting)}</p>" in html
    for line in lines:
        assert f"\n{line}\n" in text
        assert escape(line) in html
    assert f"\n{action}: {url}\n" in text
    assert f'<a href="{escape(url)}">{escape(action)}</a>' in html
    assert f'<html lang="{language}">' in html
    preferences = SITE + reverse("notification_list")
    if essential:
        footer = tr(
            language,
            "You receive this message because you take part in a reverse-mentoring programme.",
        )
        assert text.rstrip("\n").endswith(f"\n-- \n{footer}")
        assert footer in html
        assert preferences not in text
        assert preferences not in html
    else:
        footer = tr(language, "Reminders like this one can be turned off: %(url)s", url=preferences)
        assert text.rstrip("\n").endswith(f"\n-- \n{footer}")
        assert f'<a href="{preferences}">' in html
        assert tr(language, "Turn off reminders like this one") in html


LANGUAGES = pytest.mark.parametrize("language", ["en", "fr"])


@LANGUAGES
def test_match_published(db, language):
    pairing = members(language, factory=PairingFactory)
    nora = pairing.mentor.user
    outcome, notification = send_to(plan_match_published(pairing), nora)
    assert outcome == "sent"
    url = SITE + f"/pairings/{pairing.pk}/"
    subject = tr(language, "[Reverse mentoring] Meet your match: %(name)s", name="Marc Dupont")
    assert_mail(
        mail.outbox[0],
        language,
        to="nora@example.org",
        subject=subject,
        lines=[
            tr(
                language,
                "Your match in “%(programme)s” is %(name)s, %(title)s.",
                programme=pairing.cohort.programme.name,
                name="Marc Dupont",
                title="Directeur financier",
            ),
            tr(
                language,
                "First step: agree on an informal first meeting, a virtual coffee, "
                "then tell us whether you want to go on together.",
            ),
        ],
        url=url,
        action=tr(language, "See your match"),
        essential=True,
    )
    assert (notification.subject, notification.url) == (subject, url)


def test_match_published_in_english_reads_so(db):
    pairing = members("en", factory=PairingFactory)
    send_to(plan_match_published(pairing), pairing.mentor.user)
    [message] = mail.outbox
    assert message.subject == "[Reverse mentoring] Meet your match: Marc Dupont"
    assert message.body.startswith("Hello Nora,\n")
    assert (
        f"Your match in “{pairing.cohort.programme.name}” is Marc Dupont, Directeur financier."
        in message.body
    )


@LANGUAGES
def test_intro_nudge(db, language):
    pairing = members(language, factory=PairingFactory)
    # 23:30 UTC is already the next day in Paris: the mail gives the Paris date.
    utc_day = (timezone.now() - timedelta(days=10)).astimezone(UTC).date()
    matched = datetime.combine(utc_day, time(23, 30), tzinfo=UTC)
    paris_day = utc_day + timedelta(days=1)
    assert timezone.localdate(matched) == paris_day
    Pairing.objects.filter(pk=pairing.pk).update(created_at=matched)
    outcome, _ = send_to(plan_intro_nudges(timezone.localdate()), pairing.mentor.user)
    assert outcome == "sent"
    matched_on = date_in(language, paris_day)
    assert_mail(
        mail.outbox[0],
        language,
        to="nora@example.org",
        subject=tr(language, "[Reverse mentoring] Your coffee with %(name)s?", name="Marc"),
        lines=[
            tr(
                language,
                "You were matched with %(name)s on %(date)s.",
                name="Marc Dupont",
                date=matched_on,
            ),
            tr(
                language,
                "Twenty minutes are enough to get to know each other. Then say whether "
                "you want to go on together.",
            ),
        ],
        url=SITE + f"/pairings/{pairing.pk}/",
        action=tr(language, "Arrange the intro meeting"),
        essential=False,
    )


@LANGUAGES
def test_session_reminder(db, language):
    session = session_soon(language)
    outcome, _ = send_to(plan_session_reminders(timezone.now()), session.pairing.mentor.user)
    assert outcome == "sent"
    with translation.override(language):
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    today = timezone.localdate(session.starts_at) == timezone.localdate()
    subject = (
        "[Reverse mentoring] Today: your session with %(name)s"
        if today
        else "[Reverse mentoring] Tomorrow: your session with %(name)s"
    )
    message = mail.outbox[0]
    assert_mail(
        message,
        language,
        to="nora@example.org",
        subject=tr(language, subject, name="Marc"),
        lines=[
            tr(
                language,
                "Your session with %(name)s is on %(when)s (%(minutes)s min).",
                name="Marc Dupont",
                when=when,
                minutes=45,
            ),
            tr(language, "Where: %(place)s", place="Salle Lumière, 3e étage"),
        ],
        url=SITE + f"/sessions/{session.pk}/",
        action=tr(language, "See the session"),
        essential=True,
    )
    assert f"\n{tr(language, 'Agenda:')}\n{AGENDA}\n" in message.body
    assert f"<pre>{tr(language, 'Agenda:')}\n{escape(AGENDA)}\n" in html_of(message)
    assert tr(language, "The agenda is still empty: prepare it, it is yours to set.") not in (
        message.body
    )


def test_session_reminder_text_in_english(db):
    starts_at = timezone.now() + timedelta(hours=20)
    session = SessionFactory(
        pairing=members("en"),
        starts_at=starts_at,
        planned_minutes=30,
        place="",
        agenda="",
    )
    send_to(plan_session_reminders(timezone.now()), session.pairing.mentor.user)
    local = timezone.localtime(starts_at)
    day = "Today" if local.date() == timezone.localdate() else "Tomorrow"
    month = local.strftime("%B")
    assert mail.outbox[0].subject == f"[Reverse mentoring] {day}: your session with Marc"
    body = mail.outbox[0].body
    assert [line for line in body.splitlines() if line] == [
        "Hello Nora,",
        f"Your session with Marc Dupont is on {local.day} {month} {local.year}, "
        f"{local:%H:%M} (30 min).",
        f"See the session: {SITE}/sessions/{session.pk}/",
        "-- ",
        "You receive this message because you take part in a reverse-mentoring programme.",
    ]
    assert body.startswith("Hello Nora,\n\nYour session")


def test_the_mentee_is_asked_to_prepare_an_empty_agenda(db):
    session = session_soon("en", agenda="")
    User.objects.filter(pk=session.pairing.mentee.user_id).update(language="en")
    send_to(plan_session_reminders(timezone.now()), session.pairing.mentee.user)
    [message] = mail.outbox
    assert message.to == ["marc@example.org"]
    assert "The agenda is still empty: prepare it, it is yours to set." in message.body
    assert "Nora Benali" in message.body


def test_a_session_today_is_not_announced_for_tomorrow(db):
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    starts_at = now + min(timedelta(hours=1), (midnight - now) / 2)  # later today
    session = SessionFactory(pairing=members("en"), starts_at=starts_at)
    send_to(plan_session_reminders(timezone.now()), session.pairing.mentor.user)
    assert mail.outbox[0].subject == "[Reverse mentoring] Today: your session with Marc"


@LANGUAGES
@pytest.mark.parametrize(
    ("days", "kind", "subject", "essential"),
    [
        (35, Kind.CHECKIN_DUE, "[Reverse mentoring] Two minutes for your check-in", True),
        (30, Kind.CHECKIN_OVERDUE, "[Reverse mentoring] Your check-in is overdue", False),
    ],
)
def test_checkin_reminders(db, language, days, kind, subject, essential):
    pairing = members(language, cohort__programme__checkin_first_day=days)
    due_on = pairing.start_date() + timedelta(days=days)
    dues = plan_checkin_reminders(timezone.localdate())
    assert {due.kind for due in dues} == {kind}
    outcome, _ = send_to(dues, pairing.mentor.user)
    assert outcome == "sent"
    assert_mail(
        mail.outbox[0],
        language,
        to="nora@example.org",
        subject=tr(language, subject),
        lines=[
            tr(
                language,
                "Your check-in on your pair with %(name)s was due on %(date)s.",
                name="Marc Dupont",
                date=date_in(language, due_on),
            ),
            tr(language, "Three questions and a comment; your partner never sees your answers."),
        ],
        url=SITE + f"/pairings/{pairing.pk}/checkin/",
        action=tr(language, "Answer the check-in"),
        essential=essential,
    )


@LANGUAGES
def test_stalled_nudge_and_alert(db, language):
    pairing = members(language)
    hr = UserFactory(
        role=User.Role.HR_ADMIN, first_name="Nora", email="rh@example.org", language=language
    )
    dues = plan_stalled(timezone.localdate())
    outcome, _ = send_to(dues, pairing.mentor.user)
    assert outcome == "sent"
    assert_mail(
        mail.outbox[0],
        language,
        to="nora@example.org",
        subject=tr(language, "[Reverse mentoring] Time for a session with %(name)s?", name="Marc"),
        lines=[
            tr(
                language,
                "Your pair has not met for a while. Busy diaries crowd sessions out: plan the "
                "next one now, even a short one.",
            )
        ],
        url=SITE + f"/pairings/{pairing.pk}/sessions/new/",
        action=tr(language, "Plan a session"),
        essential=False,
    )
    outcome, _ = send_to(dues, hr)
    assert outcome == "sent"
    programme = pairing.cohort.programme
    assert_mail(
        mail.outbox[1],
        language,
        to="rh@example.org",
        subject=tr(
            language,
            "[Reverse mentoring] Stalled pair: %(mentor)s and %(mentee)s",
            mentor="Nora Benali",
            mentee="Marc Dupont",
        ),
        lines=[
            tr(
                language,
                "This pair of “%(programme)s” has held no session recently or has a check-in "
                "overdue. The members got a reminder; a word from you may help.",
                programme=programme.name,
            )
        ],
        url=SITE + f"/programmes/{programme.pk}/pairs/?stalled=1",
        action=tr(language, "See the stalled pairs"),
        essential=True,
    )


@LANGUAGES
def test_hr_digest(db, language):
    stalled = members()  # 40 days without a session, its first check-in overdue for both
    hr = UserFactory(
        role=User.Role.HR_ADMIN, first_name="Nora", email="rh@example.org", language=language
    )
    outcome, _ = send_to(plan_hr_digest(timezone.localdate()), hr)
    assert outcome == "sent"
    assert_mail(
        mail.outbox[0],
        language,
        to="rh@example.org",
        subject=tr(language, "[Reverse mentoring] Your weekly digest"),
        lines=[
            tr(language, "Where your programmes stand this week:"),
            tr(
                language,
                "%(programme)s: %(active)s active pairs, %(stalled)s stalled, "
                "%(sessions)s sessions held in the last 7 days, %(overdue)s check-ins overdue.",
                programme=stalled.cohort.programme.name,
                active=1,
                stalled=1,
                sessions=0,
                overdue=2,
            ),
        ],
        url=SITE + "/programmes/",
        action=tr(language, "Open the programmes"),
        essential=False,
    )


# Preferences: what can be turned off, and what no longer applies.


def nudges_off(user):
    User.objects.filter(pk=user.pk).update(email_nudges=False)


def test_essential_mail_ignores_the_preference(db):
    pairing = members("en", cohort__programme__checkin_first_day=35)
    nora = pairing.mentor.user
    hr = UserFactory(role=User.Role.HR_ADMIN, language="en")
    nudges_off(nora)
    nudges_off(hr)
    SessionFactory(pairing=pairing, starts_at=timezone.now() + timedelta(hours=20))
    today = timezone.localdate()
    outcomes = [
        send_to(plan_session_reminders(timezone.now()), nora)[0],
        send_to(plan_checkin_reminders(today), nora)[0],
        send_to(plan_stalled(today), hr)[0],
    ]
    assert outcomes == ["sent", "sent", "sent"]
    assert [m.to[0] for m in mail.outbox] == [nora.email, nora.email, hr.email]
    match = members(
        "en",
        factory=PairingFactory,
        mentor__user__email="nora2@example.org",
        mentee__user__email="marc2@example.org",
    )
    nudges_off(match.mentor.user)
    assert send_to(plan_match_published(match), match.mentor.user)[0] == "sent"
    assert len(mail.outbox) == 4


def test_nudges_turned_off_are_muted_but_listed_in_the_app(db, client):
    pairing = members("en")  # stalled, its check-in overdue
    nora = pairing.mentor.user
    nudges_off(nora)
    nudges_off(pairing.mentee.user)
    hr = UserFactory(role=User.Role.HR_ADMIN, language="en")
    nudges_off(hr)
    proposal = members(
        "en",
        factory=PairingFactory,
        mentor__user__email="nora2@example.org",
        mentee__user__email="marc2@example.org",
    )
    Pairing.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - timedelta(days=4))
    nudges_off(proposal.mentor.user)
    today = timezone.localdate()
    rows = [
        send_to(plan_checkin_reminders(today), nora),
        send_to([d for d in plan_stalled(today) if d.kind == Kind.STALLED_NUDGE], nora),
        send_to(plan_intro_nudges(today), proposal.mentor.user),
        send_to(plan_hr_digest(today), hr),
    ]
    assert [(outcome, n.kind, n.status) for outcome, n in rows] == [
        ("muted", Kind.CHECKIN_OVERDUE, "muted"),
        ("muted", Kind.STALLED_NUDGE, "muted"),
        ("muted", Kind.INTRO_NUDGE, "muted"),
        ("muted", Kind.HR_DIGEST, "muted"),
    ]
    assert mail.outbox == []
    assert rows[0][1].subject == "[Reverse mentoring] Your check-in is overdue"
    assert rows[0][1].url == SITE + f"/pairings/{pairing.pk}/checkin/"
    assert rows[0][1].sent_at is None
    client.force_login(nora)
    page = client.get(reverse("notification_list")).content.decode()
    assert "[Reverse mentoring] Your check-in is overdue" in page
    assert "[Reverse mentoring] Time for a session with Marc?" in page
    assert page.count("not e-mailed") == 2
    # A muted row is done: a later tick or task does not mail it.
    assert notification_send(notification_id=rows[0][1].pk) == "taken"
    assert notifications_enqueue(plan_checkin_reminders(today)) == 0
    assert mail.outbox == []


def test_a_reminder_of_a_session_cancelled_since_is_stale(db, client):
    session = session_soon()
    dues = plan_session_reminders(timezone.now())
    session.status = "cancelled"
    session.save()
    outcome, notification = send_to(dues, session.pairing.mentor.user)
    assert (outcome, notification.status, notification.subject) == ("stale", "stale", "")
    assert mail.outbox == []
    client.force_login(session.pairing.mentor.user)
    assert "[Reverse mentoring]" not in client.get(reverse("notification_list")).content.decode()


def test_a_reminder_of_a_session_moved_to_another_day_is_stale(db):
    session = session_soon()
    dues = plan_session_reminders(timezone.now())
    session.starts_at += timedelta(days=3)
    session.save()
    assert send_to(dues, session.pairing.mentor.user)[0] == "stale"
    assert mail.outbox == []


def test_a_checkin_answered_before_the_reminder_went_is_stale(db):
    pairing = members("en", cohort__programme__checkin_first_day=35)
    dues = plan_checkin_reminders(timezone.localdate())
    CheckInFactory(pairing=pairing, respondent=pairing.mentor.user, number=1)
    assert CheckIn.objects.count() == 1
    assert send_to(dues, pairing.mentor.user)[0] == "stale"
    assert send_to(dues, pairing.mentee.user)[0] == "sent"
    assert [m.to for m in mail.outbox] == [["marc@example.org"]]


def test_an_intro_nudge_to_someone_who_accepted_since_is_stale(db):
    pairing = members("en", factory=PairingFactory)
    Pairing.objects.filter(pk=pairing.pk).update(created_at=timezone.now() - timedelta(days=4))
    dues = plan_intro_nudges(timezone.localdate())
    Pairing.objects.filter(pk=pairing.pk).update(mentor_accepted_at=timezone.now())
    assert send_to(dues, pairing.mentor.user)[0] == "stale"
    assert send_to(dues, pairing.mentee.user)[0] == "sent"
    assert [m.to for m in mail.outbox] == [["marc@example.org"]]


def test_nothing_is_mailed_to_a_deactivated_account(db):
    pairing = members("en", factory=PairingFactory)
    User.objects.filter(pk=pairing.mentor.user_id).update(is_active=False)
    assert send_to(plan_match_published(pairing), pairing.mentor.user)[0] == "stale"
    assert mail.outbox == []


def test_a_digest_with_no_running_pair_is_stale(db):
    hr = UserFactory(role=User.Role.HR_ADMIN, language="en")
    due = Due(Kind.HR_DIGEST, hr.pk, timezone.localdate())
    assert send_to([due], hr)[0] == "stale"
    assert mail.outbox == []
