"""The life of a pair: the intro meeting and both answers, goals, sessions, notes and the end."""

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from matching.models import PairRule
from pairs.models import CalendarFeed, Goal, GoalUpdate, Outcome, Pairing, PrivateNote, Session


def member_side(pairing: Pairing, user) -> str:
    side = pairing.member_role(user)
    if side is None:
        # Not said as "forbidden": to an outsider the pairing does not exist.
        raise Pairing.DoesNotExist
    return side


def pairing_schedule_intro(*, pairing: Pairing, by, when, place: str) -> Pairing:
    """Either member records the informal first meeting they agreed on."""
    member_side(pairing, by)
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("The intro meeting is behind this pair."), code="not_proposed")
    pairing.intro_at = when
    pairing.intro_place = place
    pairing.intro_set_by = by
    pairing.save(update_fields=["intro_at", "intro_place", "intro_set_by"])
    return pairing


@transaction.atomic
def pairing_accept(*, pairing: Pairing, by) -> Pairing:
    """One member says yes after the intro; when both have, the pair is active."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    side = member_side(pairing, by)
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("This pair is no longer waiting for an answer."), code="decided")
    if pairing.intro_at is None:
        raise ValidationError(
            _("Agree on your intro meeting first, then tell us how it went."), code="no_intro"
        )
    now = timezone.now()
    setattr(pairing, f"{side}_accepted_at", now)
    if pairing.mentor_accepted_at and pairing.mentee_accepted_at:
        pairing.status = Pairing.Status.ACTIVE
        pairing.activated_at = now
    pairing.save()
    return pairing


@transaction.atomic
def pairing_decline(*, pairing: Pairing, by, reason: str = "") -> Pairing:
    """One member says no: both go back to the pool, and this pair is never proposed again."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    member_side(pairing, by)
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("This pair is no longer waiting for an answer."), code="decided")
    pairing.status = Pairing.Status.DECLINED
    pairing.declined_by = by
    pairing.declined_at = timezone.now()
    pairing.decline_reason = reason
    pairing.save()
    PairRule.objects.update_or_create(
        mentor=pairing.mentor,
        mentee=pairing.mentee,
        defaults={
            "cohort": pairing.cohort,
            "kind": PairRule.Kind.FORBID,
            "source": PairRule.Source.DECLINED,
            "created_by": by,
        },
    )
    return pairing


def _active_side(pairing: Pairing, user) -> str:
    """The member's side in an active pair; anything else cannot be worked on."""
    side = member_side(pairing, user)
    if pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError(_("This pair is not active."), code="not_active")
    return side


def goal_deadline_check(pairing: Pairing, deadline) -> None:
    """A deadline falls between the start of the pair and the end of the programme."""
    start = pairing.start_date()
    if deadline < start:
        raise ValidationError(
            _("The deadline cannot be before the pair started (%(date)s).")
            % {"date": formats.date_format(start, "SHORT_DATE_FORMAT")},
            code="before_start",
        )
    ends_on = pairing.cohort.programme.ends_on
    if deadline > ends_on:
        raise ValidationError(
            _("The deadline cannot be after the end of the programme (%(date)s).")
            % {"date": formats.date_format(ends_on, "SHORT_DATE_FORMAT")},
            code="after_end",
        )


def goal_create(*, pairing: Pairing, by, goal: Goal) -> Goal:
    """Either member writes a goal, for themselves or for their partner, as they agreed."""
    _active_side(pairing, by)
    goal_deadline_check(pairing, goal.deadline)
    goal.pairing = pairing
    goal.created_by = by
    goal.current_value = Decimal("0")
    goal.status = Goal.Status.NOT_STARTED
    goal.full_clean()
    goal.save()
    return goal


def _status_after(goal: Goal, value: Decimal, asked: str | None) -> str:
    """The status a progress update leads to.

    Reaching the target achieves the goal and a first step starts it, unless
    the member says otherwise (a goal can be dropped, or declared achieved
    before the number is reached).
    """
    if asked and asked != goal.status:
        return asked
    if goal.status == Goal.Status.DROPPED:
        return goal.status
    if value >= goal.target_value:
        return Goal.Status.ACHIEVED
    if value > 0:
        return Goal.Status.IN_PROGRESS
    return Goal.Status.NOT_STARTED


@transaction.atomic
def goal_progress(
    *,
    goal: Goal,
    by,
    value: Decimal,
    status: str | None = None,
    note: str = "",
    link: str = "",
    file=None,
    session: Session | None = None,
) -> GoalUpdate:
    """Record where a goal stands now, with optional evidence, and keep its history."""
    goal = Goal.objects.select_for_update().select_related("pairing").get(pk=goal.pk)
    _active_side(goal.pairing, by)
    if value < 0 or value > Decimal("100000"):
        raise ValidationError(_("Enter a value between 0 and 100,000."), code="value_range")
    update = GoalUpdate(
        goal=goal,
        author=by,
        session=session,
        value=value,
        previous_value=goal.current_value,
        status=_status_after(goal, value, status),
        note=note,
        link=link,
    )
    if file is not None:
        update.file = file
        update.file_name = file.name[:200]
        update.file_type = getattr(file, "content_type", "")[:100]
        update.file_size = file.size
    update.save()
    if update.status == Goal.Status.ACHIEVED and goal.status != Goal.Status.ACHIEVED:
        goal.achieved_on = timezone.localdate()
    elif update.status != Goal.Status.ACHIEVED:
        goal.achieved_on = None
    goal.current_value = value
    goal.status = update.status
    goal.save(update_fields=["current_value", "status", "achieved_on", "updated_at"])
    return update


def session_plan(*, pairing: Pairing, by, session: Session) -> Session:
    """Put the next session in the diary; the mentee usually prepares the agenda."""
    _active_side(pairing, by)
    _session_time_check(pairing, session.starts_at, planned=True)
    session.pairing = pairing
    session.status = Session.Status.PLANNED
    session.created_by = by
    session.full_clean()
    session.save()
    return session


def _session_time_check(pairing: Pairing, starts_at, *, planned: bool) -> None:
    now = timezone.now()
    if planned and starts_at < now:
        raise ValidationError(
            _("This date is in the past: log the session as held instead."), code="past"
        )
    if not planned and starts_at > now:
        raise ValidationError(
            _("A session cannot be logged as held in the future."), code="held_in_future"
        )
    start = pairing.start_date()
    if timezone.localdate(starts_at) < start:
        raise ValidationError(
            _("The pair started on %(date)s: a session cannot be before.")
            % {"date": formats.date_format(start, "SHORT_DATE_FORMAT")},
            code="before_start",
        )
    ends_on = pairing.cohort.programme.ends_on
    if planned and timezone.localdate(starts_at) > ends_on:
        raise ValidationError(
            _("The programme ends on %(date)s: plan the session before.")
            % {"date": formats.date_format(ends_on, "SHORT_DATE_FORMAT")},
            code="after_end",
        )


def session_reschedule(*, session: Session, by, fields: list[str]) -> Session:
    """Save changes to a planned session; calendars see a new version of the event."""
    _active_side(session.pairing, by)
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be changed."), code="not_planned")
    if "starts_at" in fields:
        _session_time_check(session.pairing, session.starts_at, planned=True)
    session.sequence += 1
    session.full_clean()
    session.save(update_fields=[*fields, "sequence", "updated_at"])
    return session


@transaction.atomic
def session_log(
    *,
    session: Session,
    by,
    held: bool,
    learned: str = "",
    topics=(),
    goal_values: dict[Goal, Decimal] | None = None,
) -> Session:
    """Say how a session went: held (with notes and progress) or cancelled.

    ``session`` carries the logged fields (held_minutes, shared_notes,
    next_steps, cancel_reason, starts_at); a new, unsaved one logs a session
    that was never planned. ``learned`` is what the logging member learned;
    the partner adds theirs afterwards. Goal values that changed become
    progress updates tied to the session.
    """
    pairing = session.pairing
    side = _active_side(pairing, by)
    if session.pk:
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.status != Session.Status.PLANNED:
            raise ValidationError(_("This session is already logged."), code="logged")
    else:
        session.created_by = by
        session.planned_minutes = session.held_minutes or pairing.cohort.programme.session_minutes
    now = timezone.now()
    if held:
        if session.held_minutes is None:
            raise ValidationError(_("Say how long the session lasted."), code="no_duration")
        _session_time_check(pairing, session.starts_at, planned=False)
        session.status = Session.Status.HELD
        session.cancel_reason = ""
        setattr(session, f"{side}_learned", learned)
    else:
        session.status = Session.Status.CANCELLED
        session.held_minutes = None
    session.logged_by = by
    session.logged_at = now
    session.sequence += 1
    session.full_clean()
    session.save()
    if held:
        session.topics.set(topics)
        for goal, value in (goal_values or {}).items():
            if goal.pairing_id != pairing.pk:
                raise Goal.DoesNotExist
            if value != goal.current_value:
                goal_progress(goal=goal, by=by, value=value, session=session)
    return session


def session_learned_set(*, session: Session, by, learned: str) -> Session:
    """Each member writes what they learned; the partner can add theirs after the log."""
    side = _active_side(session.pairing, by)
    if session.status != Session.Status.HELD:
        raise ValidationError(_("The session has not been logged as held."), code="not_held")
    setattr(session, f"{side}_learned", learned)
    session.save(update_fields=[f"{side}_learned", "updated_at"])
    return session


def private_note_add(*, pairing: Pairing, by, body: str, session: Session | None = None):
    member_side(pairing, by)
    if session is not None and session.pairing_id != pairing.pk:
        raise Session.DoesNotExist
    note = PrivateNote(pairing=pairing, session=session, author=by, body=body)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def pairing_close(*, pairing: Pairing, by, outcome: str, reason: str = "") -> Pairing:
    """End a pair, completed or early; a reason is needed when it ends early.

    Either member or HR may close it. The members then get the closing
    questionnaire and the final self-assessment.
    """
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError(_("Only an active pair can be closed."), code="not_active")
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose how the pair ended."), code="outcome")
    if outcome == Outcome.ENDED_EARLY and not reason.strip():
        raise ValidationError(
            _("Tell us briefly why the pair ended early; it helps the next ones."),
            code="reason_needed",
        )
    pairing.status = Pairing.Status.ENDED
    pairing.outcome = outcome
    pairing.end_reason = reason.strip()
    pairing.ended_by = by
    pairing.ended_at = timezone.now()
    pairing.save()
    # Planned sessions will not happen; calendars drop them.
    for session in pairing.sessions.filter(status=Session.Status.PLANNED):
        session.status = Session.Status.CANCELLED
        # No reason stored: the page says it in each reader's language.
        session.cancel_reason = ""
        session.sequence += 1
        session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    return pairing


def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret for the user's calendar feed; the old URL stops working at once."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed
