"""What each notification says, decided when it is sent, in the recipient's language.

``compose`` returns None when the notification is no longer relevant (the
session was cancelled, the check-in answered, the pair accepted): the outbox
row is then marked stale and nothing is sent.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from evaluation.models import CheckIn
from notifications.models import Notification
from pairs.models import Pairing, Session

Kind = Notification.Kind


@dataclass
class Message:
    subject: str
    lines: list[str]
    url: str
    action: str
    extra: list[str] = field(default_factory=list)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _date(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localdate(value)  # the day in Paris, not in UTC
    return formats.date_format(value, "DATE_FORMAT")


def compose(notification: Notification) -> Message | None:
    """The message for a notification, or None if it no longer applies."""
    return COMPOSERS[notification.kind](notification)


def _pairing(notification) -> Pairing | None:
    return (
        Pairing.objects.select_related("mentor__user", "mentee__user", "cohort__programme")
        .filter(pk=notification.pairing_id)
        .first()
    )


def _match_published(n):
    pairing = _pairing(n)
    if pairing is None or pairing.status != Pairing.Status.PROPOSED:
        return None
    partner = pairing.partner_of(n.recipient)
    return Message(
        subject=_("[Reverse mentoring] Meet your match: %(name)s")
        % {"name": partner.get_full_name()},
        lines=[
            _("Your match in “%(programme)s” is %(name)s, %(title)s.")
            % {
                "programme": pairing.cohort.programme.name,
                "name": partner.get_full_name(),
                "title": partner.job_title or partner.department,
            },
            _(
                "First step: agree on an informal first meeting, a virtual coffee, "
                "then tell us whether you want to go on together."
            ),
        ],
        url=_absolute(pairing.get_absolute_url()),
        action=_("See your match"),
    )


def _intro_nudge(n):
    pairing = _pairing(n)
    side = pairing and pairing.member_role(n.recipient)
    if not side or pairing.status != Pairing.Status.PROPOSED:
        return None
    if getattr(pairing, f"{side}_accepted_at"):
        return None
    partner = pairing.partner_of(n.recipient)
    return Message(
        subject=_("[Reverse mentoring] Your coffee with %(name)s?") % {"name": partner.first_name},
        lines=[
            _("You were matched with %(name)s on %(date)s.")
            % {"name": partner.get_full_name(), "date": _date(pairing.created_at)},
            _(
                "Twenty minutes are enough to get to know each other. Then say whether "
                "you want to go on together."
            ),
        ],
        url=_absolute(pairing.get_absolute_url()),
        action=_("Arrange the intro meeting"),
    )


def _session_reminder(n):
    session = (
        Session.objects.select_related("pairing__mentor__user", "pairing__mentee__user")
        .filter(pk=n.object_id, status=Session.Status.PLANNED)
        .first()
    )
    if session is None or session.pairing.status != Pairing.Status.ACTIVE:
        return None
    if timezone.localdate(session.starts_at) != n.due_on or session.starts_at < timezone.now():
        return None  # moved or already past: the reminder of the new date will go
    partner = session.pairing.partner_of(n.recipient)
    when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    lines = [
        _("Your session with %(name)s is on %(when)s (%(minutes)s min).")
        % {"name": partner.get_full_name(), "when": when, "minutes": session.planned_minutes},
    ]
    if session.place:
        lines.append(_("Where: %(place)s") % {"place": session.place})
    extra = []
    if session.agenda:
        extra = [_("Agenda:"), session.agenda]
    elif session.pairing.mentee.user_id == n.recipient.pk:
        lines.append(_("The agenda is still empty: prepare it, it is yours to set."))
    # Planned less than a day ahead, a session may well be today.
    subject = (
        _("[Reverse mentoring] Today: your session with %(name)s")
        if n.due_on == timezone.localdate()
        else _("[Reverse mentoring] Tomorrow: your session with %(name)s")
    )
    return Message(
        subject=subject % {"name": partner.first_name},
        lines=lines,
        extra=extra,
        url=_absolute(session.get_absolute_url()),
        action=_("See the session"),
    )


def _checkin(n):
    pairing = _pairing(n)
    if pairing is None or pairing.status != Pairing.Status.ACTIVE:
        return None
    answered = CheckIn.objects.filter(
        pairing=pairing, respondent=n.recipient, kind=CheckIn.Kind.PERIODIC, number=n.object_id
    ).exists()
    if answered:
        return None
    overdue = n.kind == Kind.CHECKIN_OVERDUE
    subject = (
        _("[Reverse mentoring] Your check-in is overdue")
        if overdue
        else _("[Reverse mentoring] Two minutes for your check-in")
    )
    return Message(
        subject=subject,
        lines=[
            _("Your check-in on your pair with %(name)s was due on %(date)s.")
            % {"name": pairing.partner_of(n.recipient).get_full_name(), "date": _date(n.due_on)},
            _("Three questions and a comment; your partner never sees your answers."),
        ],
        url=_absolute(reverse("checkin_respond", args=[pairing.pk])),
        action=_("Answer the check-in"),
    )


def _stalled_nudge(n):
    pairing = _pairing(n)
    if pairing is None or pairing.status != Pairing.Status.ACTIVE:
        return None
    partner = pairing.partner_of(n.recipient)
    return Message(
        subject=_("[Reverse mentoring] Time for a session with %(name)s?")
        % {"name": partner.first_name},
        lines=[
            _(
                "Your pair has not met for a while. Busy diaries crowd sessions out: plan the "
                "next one now, even a short one."
            ),
        ],
        url=_absolute(reverse("session_create", args=[pairing.pk])),
        action=_("Plan a session"),
    )


def _stalled_alert(n):
    pairing = _pairing(n)
    if pairing is None or pairing.status != Pairing.Status.ACTIVE:
        return None
    return Message(
        subject=_("[Reverse mentoring] Stalled pair: %(mentor)s and %(mentee)s")
        % {
            "mentor": pairing.mentor.user.get_full_name(),
            "mentee": pairing.mentee.user.get_full_name(),
        },
        lines=[
            _(
                "This pair of “%(programme)s” has held no session recently or has a check-in "
                "overdue. The members got a reminder; a word from you may help."
            )
            % {"programme": pairing.cohort.programme.name},
        ],
        url=_absolute(
            reverse("programme_pairings", args=[pairing.cohort.programme_id]) + "?stalled=1"
        ),
        action=_("See the stalled pairs"),
    )


def _hr_digest(n):
    from notifications.planning import programme_health

    rows = programme_health(timezone.localdate())
    if not rows:
        return None
    lines = [_("Where your programmes stand this week:")]
    for row in rows:
        lines.append(
            _(
                "%(programme)s: %(active)s active pairs, %(stalled)s stalled, "
                "%(sessions)s sessions held in the last 7 days, %(overdue)s check-ins overdue."
            )
            % row
        )
    return Message(
        subject=_("[Reverse mentoring] Your weekly digest"),
        lines=lines,
        url=_absolute(reverse("programme_list")),
        action=_("Open the programmes"),
    )


COMPOSERS = {
    Kind.MATCH_PUBLISHED: _match_published,
    Kind.INTRO_NUDGE: _intro_nudge,
    Kind.SESSION_REMINDER: _session_reminder,
    Kind.CHECKIN_DUE: _checkin,
    Kind.CHECKIN_OVERDUE: _checkin,
    Kind.STALLED_NUDGE: _stalled_nudge,
    Kind.STALLED_ALERT: _stalled_alert,
    Kind.HR_DIGEST: _hr_digest,
}
