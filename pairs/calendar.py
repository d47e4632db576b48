"""Sessions as iCalendar (RFC 5545): one .ics per session, and a personal feed."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from pairs.models import Session

PRODID = "-//Mentorat inversé//Reverse mentoring//FR"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def session_event(session: Session, viewer) -> Event:
    """The session as an event, titled with the partner's name as the viewer sees it."""
    pairing = session.pairing
    partner = pairing.partner_of(viewer) if pairing.member_role(viewer) else None
    who = partner.get_full_name() if partner else str(pairing)
    url = settings.SITE_URL.rstrip("/") + session.get_absolute_url()
    event = Event()
    event.add("uid", f"session-{session.uid}@mentorat-inverse")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", _("Reverse mentoring with %(name)s") % {"name": who})
    description = [session.agenda or session.shared_notes, url]
    event.add("description", "\n\n".join(part for part in description if part))
    if session.place:
        event.add("location", session.place)
    event.add("url", url)
    event.add("sequence", session.sequence)
    event.add(
        "status",
        {
            Session.Status.PLANNED: "CONFIRMED",
            Session.Status.HELD: "CONFIRMED",
            Session.Status.CANCELLED: "CANCELLED",
        }[session.status],
    )
    return event


def session_ics(session: Session, viewer) -> bytes:
    calendar = _calendar(_("Reverse mentoring"))
    calendar.add("method", "PUBLISH")
    calendar.add_component(session_event(session, viewer))
    return calendar.to_ical()


def feed_ics(sessions: Iterable[Session], viewer) -> bytes:
    calendar = _calendar(_("Reverse mentoring"))
    for session in sessions:
        calendar.add_component(session_event(session, viewer))
    return calendar.to_ical()
