"""Personal data: a person's copy of it, its erasure by HR, and the purge of notes.

Three duties of the platform towards the people in it (GDPR articles 15, 17 and 5(1)(e)):

* **Export.** ``personal_data_archive`` writes a ZIP of JSON files, one per kind of
  data (``EXPORT_KINDS``), plus the evidence files the person uploaded. Every model
  that points at the user model is either in ``EXPORT_REGISTRY`` or in ``EXCLUDED``
  with a reason; ``tests/privacy/test_coverage.py`` fails on a model in neither.
* **Erasure.** ``person_anonymise`` turns a person into "Anonyme #<id>" in one
  transaction: what identifies them or what they wrote goes, the numbers behind the
  programme's figures stay (pairs, sessions and their length, check-in scores,
  self-ratings, goal values and statuses, direction, department, seniority), so the
  dashboards read the same before and after.
* **Retention.** ``notes_purge`` deletes the notes of pairs (see ``SESSION_NOTE_FIELDS``)
  ``Programme.notes_retention_months`` after the programme closed.
"""

import json
import logging
import re
import shutil
import zipfile
from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import PurePath
from typing import IO, Any

from allauth.account.models import EmailAddress
from auditlog import get_logentry_model
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from evaluation.models import Assessment, CheckIn
from notifications.models import Notification
from pairs.models import CalendarFeed, Goal, GoalUpdate, Pairing, PrivateNote, Session
from programmes.availability import SLOT_LABELS, mask_to_slots
from programmes.models import Participant, Programme, TrainingCompletion

logger = logging.getLogger(__name__)

Json = Any  # what json.dumps takes, with dates and decimals (DjangoJSONEncoder)


# --- Export -------------------------------------------------------------------------------------


def _pairings_of(user: User) -> QuerySet[Pairing]:
    return Pairing.objects.filter(Q(mentor__user=user) | Q(mentee__user=user))


def export_profile(user: User) -> dict[str, Json]:
    """The account: identity, organisation, preferences, and the e-mail addresses on file."""
    addresses = EmailAddress.objects.filter(user=user).order_by("pk")
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "department": user.department,
        "direction": user.direction,
        "job_title": user.job_title,
        "line_manager": str(user.manager) if user.manager_id else None,
        "years_of_experience": user.seniority_years,
        "language": user.language,
        "role": user.role,
        "email_nudges": user.email_nudges,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
    }


def export_participations(user: User) -> list[Json]:
    """Enrolments: the volunteer's profile in each programme, skills and training done."""
    participants = (
        Participant.objects.filter(user=user)
        .select_related("programme", "cohort")
        .prefetch_related(
            "skills__skill_area",
            Prefetch(
                "training_completions",
                queryset=TrainingCompletion.objects.select_related("module").order_by("pk"),
            ),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": p.pk,
            "programme": p.programme.name,
            "cohort": p.cohort.name,
            "role": p.role,
            "status": p.status,
            "motivation": p.motivation,
            "availability": [str(SLOT_LABELS[slot]) for slot in mask_to_slots(p.availability)],
            "format": p.format,
            "languages": p.languages,
            "capacity": p.capacity,
            "consent_at": p.consent_at,
            "decided_at": p.decided_at,
            "enrolled_at": p.created_at,
            "updated_at": p.updated_at,
            "skills": [
                {"skill_area": s.skill_area.label, "direction": s.direction, "level": s.level}
                for s in sorted(p.skills.all(), key=lambda s: (s.direction, s.skill_area.name))
            ],
            "training_completed": [
                {"module": c.module.title, "completed_at": c.completed_at}
                for c in p.training_completions.all()
            ],
        }
        for p in participants
    ]


def export_pairings(user: User) -> list[Json]:
    """Pairs: partner, dates, answers; reasons to decline or end only if the person gave them."""
    pairings = (
        _pairings_of(user)
        .select_related("cohort__programme", "mentor__user", "mentee__user")
        .order_by("created_at", "pk")
    )
    rows = []
    for p in pairings:
        side = p.member_role(user)
        declined_by_you = p.declined_by_id == user.pk
        ended_by_you = p.ended_by_id == user.pk
        rows.append(
            {
                "id": p.pk,
                "programme": p.cohort.programme.name,
                "cohort": p.cohort.name,
                "your_role": side,
                "partner": p.partner_of(user).get_full_name(),
                "status": p.status,
                "proposed_at": p.created_at,
                "intro_at": p.intro_at,
                "intro_place": p.intro_place,
                "you_accepted_at": getattr(p, f"{side}_accepted_at"),
                "activated_at": p.activated_at,
                "declined_at": p.declined_at,
                "declined_by_you": declined_by_you,
                "decline_reason": p.decline_reason if declined_by_you else "",
                "outcome": p.outcome,
                "ended_at": p.ended_at,
                "ended_by_you": ended_by_you,
                "end_reason": p.end_reason if ended_by_you else "",
            }
        )
    return rows


def evidence_archive_path(update: GoalUpdate) -> str:
    """Where an evidence file goes in the archive: the update's id keeps the names apart."""
    name = PurePath(update.file_name or update.file.name).name
    name = re.sub(r"[^\w.\- ]", "_", name).strip() or "file"
    return f"evidence/{update.pk}-{name}"


def export_goals(user: User) -> list[Json]:
    """The goals of the person's pairs (both directions), their history and evidence.

    The pair shares its goals, so the partner's steps are in too; only the
    person's own evidence files are copied into the archive.
    """
    updates = GoalUpdate.objects.order_by("created_at", "pk")
    goals = (
        Goal.objects.filter(pairing__in=_pairings_of(user))
        .select_related("pairing__mentor", "skill_area")
        .prefetch_related(Prefetch("updates", queryset=updates))
        .order_by("pairing_id", "deadline", "pk")
    )
    rows = []
    for goal in goals:
        side = "mentor" if goal.pairing.mentor.user_id == user.pk else "mentee"
        rows.append(
            {
                "id": goal.pk,
                "pairing": goal.pairing_id,
                "your_goal": goal.learner == side,
                "skill_area": goal.skill_area.label,
                "title": goal.title,
                "measure": goal.measure,
                "target_value": goal.target_value,
                "unit": goal.unit,
                "current_value": goal.current_value,
                "deadline": goal.deadline,
                "status": goal.status,
                "achieved_on": goal.achieved_on,
                "written_by_you": goal.created_by_id == user.pk,
                "created_at": goal.created_at,
                "updated_at": goal.updated_at,
                "updates": [_goal_update_row(update, user) for update in goal.updates.all()],
            }
        )
    return rows


def _goal_update_row(update: GoalUpdate, user: User) -> dict[str, Json]:
    by_you = update.author_id == user.pk
    evidence = None
    if update.file:
        evidence = {
            "file_name": update.file_name,
            "file_type": update.file_type,
            "file_size": update.file_size,
            "in_archive": evidence_archive_path(update) if by_you else None,
        }
    return {
        "id": update.pk,
        "created_at": update.created_at,
        "by_you": by_you,
        "session": update.session_id,
        "value": update.value,
        "previous_value": update.previous_value,
        "status": update.status,
        "note": update.note,
        "link": update.link,
        "evidence": evidence,
    }


def export_sessions(user: User) -> list[Json]:
    """The sessions of the person's pairs, with the notes both members read."""
    sessions = (
        Session.objects.filter(pairing__in=_pairings_of(user))
        .prefetch_related("topics")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "id": s.pk,
            "pairing": s.pairing_id,
            "status": s.status,
            "starts_at": s.starts_at,
            "planned_minutes": s.planned_minutes,
            "held_minutes": s.held_minutes,
            "format": s.format,
            "place": s.place,
            "agenda": s.agenda,
            "topics": sorted(area.label for area in s.topics.all()),
            "shared_notes": s.shared_notes,
            "mentor_learned": s.mentor_learned,
            "mentee_learned": s.mentee_learned,
            "next_steps": s.next_steps,
            "cancel_reason": s.cancel_reason,
            "planned_by_you": s.created_by_id == user.pk,
            "logged_by_you": s.logged_by_id == user.pk,
            "logged_at": s.logged_at,
        }
        for s in sessions
    ]


def export_private_notes(user: User) -> list[Json]:
    """The person's own private notes; nobody else's."""
    notes = PrivateNote.objects.filter(author=user).order_by("created_at", "pk")
    return [
        {
            "id": n.pk,
            "pairing": n.pairing_id,
            "session": n.session_id,
            "body": n.body,
            "created_at": n.created_at,
        }
        for n in notes
    ]


def export_checkins(user: User) -> list[Json]:
    """The person's own check-in answers, their comment for HR included; never the partner's."""
    checkins = CheckIn.objects.filter(respondent=user).order_by("answered_at", "pk")
    return [
        {
            "id": c.pk,
            "pairing": c.pairing_id,
            "side": c.side,
            "kind": c.kind,
            "number": c.number,
            "due_on": c.due_on,
            "satisfaction": c.satisfaction,
            "progress": c.progress,
            "confidence": c.confidence,
            "would_recommend": c.would_recommend,
            "comment": c.comment,
            "comment_for_hr": c.hr_comment,
            "answered_at": c.answered_at,
        }
        for c in checkins
    ]


def export_assessments(user: User) -> list[Json]:
    """The person's own self-ratings, before the first session and at the end."""
    assessments = (
        Assessment.objects.filter(respondent=user)
        .select_related("skill_area")
        .order_by("answered_at", "pk")
    )
    return [
        {
            "id": a.pk,
            "pairing": a.pairing_id,
            "side": a.side,
            "kind": a.kind,
            "skill_area": a.skill_area.label,
            "level": a.level,
            "answered_at": a.answered_at,
        }
        for a in assessments
    ]


def export_notifications(user: User) -> list[Json]:
    notifications = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "date": n.due_on,
            "status": n.status,
            "subject": n.subject,
            "url": n.url,
            "created_at": n.created_at,
            "sent_at": n.sent_at,
            "read_at": n.read_at,
        }
        for n in notifications
    ]


def export_calendar_feed(user: User) -> list[Json]:
    """Whether the person has a calendar address, and since when; never its secret token."""
    return [
        {"address_created_at": feed.created_at}
        for feed in CalendarFeed.objects.filter(user=user).order_by("pk")
    ]


@dataclass(frozen=True, eq=False)
class ExportKind:
    """One JSON file of the archive: what it holds, for the "My data" page, and how it is built."""

    filename: str
    title: Promise
    description: Promise
    build: Callable[[User], Json]


PROFILE = ExportKind(
    "profile.json",
    gettext_lazy("Your profile"),
    gettext_lazy(
        "Name, e-mail, department, direction, job title, line manager, years of experience, "
        "language, role and e-mail preferences."
    ),
    export_profile,
)
PARTICIPATIONS = ExportKind(
    "participations.json",
    gettext_lazy("Enrolments"),
    gettext_lazy(
        "Each programme you volunteered for: role, motivation, availability, skills offered "
        "and sought, training modules done."
    ),
    export_participations,
)
PAIRINGS = ExportKind(
    "pairings.json",
    gettext_lazy("Pairs"),
    gettext_lazy("Your partner, the intro meeting, your answer, how the pair ended."),
    export_pairings,
)
GOALS = ExportKind(
    "goals.json",
    gettext_lazy("Goals"),
    gettext_lazy(
        "The goals of your pairs, their progress and evidence; the files you added are in "
        "the evidence folder."
    ),
    export_goals,
)
SESSIONS = ExportKind(
    "sessions.json",
    gettext_lazy("Sessions"),
    gettext_lazy("Dates, length, agenda, topics and the notes of your pairs' sessions."),
    export_sessions,
)
PRIVATE_NOTES = ExportKind(
    "private_notes.json",
    gettext_lazy("Private notes"),
    gettext_lazy("The notes only you can read."),
    export_private_notes,
)
CHECKINS = ExportKind(
    "checkins.json",
    gettext_lazy("Check-ins"),
    gettext_lazy("Your answers to the check-ins and the closing questionnaire."),
    export_checkins,
)
ASSESSMENTS = ExportKind(
    "assessments.json",
    gettext_lazy("Self-assessments"),
    gettext_lazy("How you rated your skills before the first session and at the end."),
    export_assessments,
)
NOTIFICATIONS = ExportKind(
    "notifications.json",
    gettext_lazy("Notifications"),
    gettext_lazy("The messages the platform sent you."),
    export_notifications,
)
CALENDAR_FEED = ExportKind(
    "calendar_feed.json",
    gettext_lazy("Calendar address"),
    gettext_lazy("Whether you created a calendar address, and when (not the address itself)."),
    export_calendar_feed,
)

# Every model that points at the user model, and the file it is exported in.
EXPORT_REGISTRY: dict[type[models.Model], ExportKind] = {
    User: PROFILE,
    EmailAddress: PROFILE,
    Participant: PARTICIPATIONS,
    TrainingCompletion: PARTICIPATIONS,
    Pairing: PAIRINGS,
    Goal: GOALS,
    GoalUpdate: GOALS,
    Session: SESSIONS,
    PrivateNote: PRIVATE_NOTES,
    CheckIn: CHECKINS,
    Assessment: ASSESSMENTS,
    Notification: NOTIFICATIONS,
    CalendarFeed: CALENDAR_FEED,
}
EXPORT_KINDS: tuple[ExportKind, ...] = tuple(dict.fromkeys(EXPORT_REGISTRY.values()))

# Models that point at the user model but are not the person's data as a participant.
EXCLUDED: dict[str, str] = {
    "accounts.EmployeeImport": (
        "HR's uploads of employee lists, linked to the HR admin who uploaded or applied "
        "them; on erasure the person's row is removed from the files' text."
    ),
    "programmes.Programme": "Links the HR admin who created the programme: a record of HR work.",
    "matching.MatchRun": "Links the HR admin who started or published a run: a record of HR work.",
    "matching.PairRule": (
        "Links who set a lock or a ban (HR, or the member who declined, which pairings.json "
        "already says); the rule itself is HR's matching data."
    ),
    "admin.LogEntry": (
        "The Django admin's log of staff changes, a security record; names and e-mails are "
        "redacted on erasure."
    ),
    "auditlog.LogEntry": (
        "The audit trail of changes, a security record; names, e-mails and IP addresses are "
        "redacted on erasure."
    ),
}


def personal_data_archive(*, user: User, out: IO[bytes]) -> list[str]:
    """Write the ZIP of everything the platform holds on ``user`` to ``out``.

    One JSON file per kind of data, then the evidence files the person uploaded
    (a file missing from storage is left out and logged). Returns the names in
    the archive. The number of queries does not depend on the amount of data.
    """
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in EXPORT_KINDS:
            text = json.dumps(kind.build(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(kind.filename, text)
        for update in GoalUpdate.objects.filter(author=user).exclude(file="").order_by("pk"):
            try:
                with (
                    update.file.open("rb") as source,
                    archive.open(evidence_archive_path(update), "w") as target,
                ):
                    shutil.copyfileobj(source, target)
            except FileNotFoundError:
                logger.warning("Evidence file of goal update %s is missing", update.pk)
        return archive.namelist()


def personal_data_archive_name(today: date) -> str:
    return f"my-data-{today.isoformat()}.zip"


# --- Erasure ------------------------------------------------------------------------------------

ANONYMISED_FIRST_NAME = "Anonyme"
ANONYMISED_DOMAIN = "anonymised.invalid"  # .invalid never resolves (RFC 2606): nothing is sent
REMOVED = "—"  # stands for a required short text that was erased, such as a goal's title
# Fields of the user whose values are masked in audit entries about the person.
USER_PERSONAL_FIELDS = frozenset({"first_name", "last_name", "email", "job_title", "password"})
MASKED = "***"


def is_anonymised(user: User) -> bool:
    return user.email.endswith("@" + ANONYMISED_DOMAIN)


def anonymised_name(user: User) -> str:
    return f"{ANONYMISED_FIRST_NAME} #{user.pk}"


def anonymised_email(user: User) -> str:
    return f"anonymised-{user.pk}@{ANONYMISED_DOMAIN}"


def _exact(text: str) -> re.Pattern[str]:
    # Whole words and whole addresses only: "lea@x.org" must not match inside
    # "malea@x.org" or "lea@x.org.uk", nor "Marc" inside "Marceau" or "Jean" in "Jean-Marc".
    return re.compile(
        rf"(?<![\w.+-]){re.escape(text)}(?![\w-]|\.[\w-])", re.IGNORECASE | re.UNICODE
    )


@dataclass(frozen=True)
class Redactor:
    """Replaces a person's name and e-mail addresses in text and JSON values.

    ``needles`` are the plain strings the database looks for first (a LIKE is
    a cheap filter); the patterns then decide, word by word, in Python.
    """

    patterns: tuple[tuple[re.Pattern[str], str], ...]
    needles: tuple[str, ...]

    @classmethod
    def build(cls, replacements: Iterable[tuple[str, str]]) -> "Redactor":
        # Longest first, so that "Léa Martin" goes whole before "Léa" alone.
        pairs = sorted(
            {(old.strip(), new) for old, new in replacements if len(old.strip()) >= 2},
            key=lambda pair: -len(pair[0]),
        )
        return cls(
            patterns=tuple((_exact(old), new) for old, new in pairs),
            needles=tuple(old for old, _new in pairs),
        )

    def text(self, value: str) -> str:
        for pattern, replacement in self.patterns:
            value = pattern.sub(replacement, value)
        return value

    def value(self, value: Json) -> Json:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        return value

    def condition(self, model: type[models.Model], fields: Iterable[str]) -> Q:
        condition = Q()
        for name in fields:
            is_json = isinstance(model._meta.get_field(name), models.JSONField)
            for needle in self.needles:
                condition |= Q(**{f"{name}__icontains": needle})
                if is_json:
                    # SQLite keeps JSON with non-ASCII letters escaped ("L\u00e9a").
                    condition |= Q(**{f"{name}__icontains": json.dumps(needle)[1:-1]})
        return condition

    def apply(self, queryset: QuerySet, fields: Iterable[str]) -> int:
        """Rewrite the rows of ``queryset`` that mention the person; returns how many changed.

        Written with ``update()``: no signal, so no audit entry repeats the old text.
        """
        fields = list(fields)
        if not self.needles or not fields:
            return 0
        model = queryset.model
        rows = list(
            queryset.filter(self.condition(model, fields)).values_list("pk", *fields).order_by()
        )
        changed = 0
        for pk, *values in rows:
            changes = {}
            for name, old in zip(fields, values, strict=True):
                new = self.value(old)
                if new != old:
                    changes[name] = new
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)
                changed += 1
        return changed


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.local_concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.choices
        and not field.primary_key
    ]


def _redact_everywhere(redactor: Redactor) -> int:
    """Every text and JSON column of every model: the last net, after the targeted steps."""
    changed = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        changed += redactor.apply(model._base_manager.all(), _text_fields(model))
    return changed


def _mask_personal(value: Json) -> Json:
    """Audit data about the person: the values of their identifying fields become ***."""
    if isinstance(value, list):
        return [_mask_personal(item) for item in value]
    if isinstance(value, dict):
        return {
            key: _masked(item) if key in USER_PERSONAL_FIELDS else _mask_personal(item)
            for key, item in value.items()
        }
    return value


def _masked(value: Json) -> Json:
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value if value in (None, "", "None") else MASKED


def _sessions_logout(user: User) -> int:
    """End the person's open sessions where the session store can list them (database ones).

    Elsewhere the unusable password and the inactive flag end them at the next request.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    ended = 0
    for session in store_class.get_model_class().objects.filter(expire_date__gt=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


def person_anonymise_check(*, person: User, by: User) -> None:
    """Raise ValidationError when ``by`` may not anonymise ``person`` (code self or anonymised)."""
    if person.pk == by.pk:
        # Locking oneself out by mistake is too easy; another HR admin can do it.
        raise ValidationError(_("You cannot anonymise your own account."), code="self")
    if is_anonymised(person):
        raise ValidationError(_("This person is already anonymised."), code="anonymised")


@dataclass(frozen=True)
class Anonymisation:
    """What ``person_anonymise`` did, counted."""

    private_notes: int
    notifications: int
    evidence_files: int
    sessions_ended: int
    log_entries: int
    mentions: int


@transaction.atomic
def person_anonymise(*, person: User, by: User) -> Anonymisation:
    """Erase a person's identity and what they wrote; keep the figures they are part of.

    In one transaction:

    * the account: name → "Anonyme #<id>", e-mail → an undeliverable address,
      job title cleared, unusable password, inactive, no staff rights; their
      other e-mail addresses (allauth), calendar address, notifications and
      open sessions go;
    * what they wrote: private notes deleted; enrolment motivation, the reasons
      they gave to decline or end a pair, the intro place they set, their goals'
      titles and measures, the notes, links and files of their goal updates,
      the agenda and place of sessions they planned, the notes of sessions they
      logged and what they learned, their check-in comments: blanked. Their
      evidence files leave storage once the transaction commits;
    * mentions of them: in the texts of their pairs (partner's notes, HR's
      notifications about the pair) their first or last name alone is replaced
      too; everywhere else, every text and JSON column of every model, their
      full name and e-mail addresses are. Audit entries about their account
      have the identifying values masked, and entries they made lose the IP
      address. Their row is removed from the text of employee imports.

    Kept: pairs and their statuses and dates, sessions and their length and
    topics, check-in scores, self-ratings, goal values, statuses and units,
    enrolment data used by matching (role, skills, availability), direction,
    department, seniority, line manager. A colleague with exactly the same full
    name loses it in texts too: the error falls on the side of privacy.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    person_anonymise_check(person=person, by=by)

    new_name, new_email = anonymised_name(person), anonymised_email(person)
    emails = {
        person.email,
        *EmailAddress.objects.filter(user=person).values_list("email", flat=True),
    }
    first, last = person.first_name.strip(), person.last_name.strip()
    full_names = {person.get_full_name(), f"{last} {first}"} if first and last else set()
    everywhere = Redactor.build(
        [(email, new_email) for email in emails] + [(name, new_name) for name in full_names]
    )
    # In the texts of their own pairs a first name alone means them.
    in_their_pairs = Redactor.build(
        [(email, new_email) for email in emails]
        + [(name, new_name) for name in full_names | {first, last}]
    )
    pairings = _pairings_of(person).values("pk")
    as_mentor = Q(pairing__mentor__user=person)
    as_mentee = Q(pairing__mentee__user=person)

    # What they wrote.
    Participant.objects.filter(user=person).update(motivation="")
    Pairing.objects.filter(declined_by=person).update(decline_reason="")
    Pairing.objects.filter(ended_by=person).update(end_reason="")
    Pairing.objects.filter(intro_set_by=person).update(intro_place="")
    Goal.objects.filter(
        Q(created_by=person) | (as_mentor & Q(learner="mentor")) | (as_mentee & Q(learner="mentee"))
    ).update(title=REMOVED, measure=REMOVED)
    evidence = GoalUpdate.objects.filter(author=person).exclude(file="")
    files = [(update.file.storage, update.file.name) for update in evidence]
    GoalUpdate.objects.filter(author=person).update(
        note="", link="", file="", file_name="", file_type="", file_size=None
    )
    # Calendars show the agenda or the shared notes: a new version of the event.
    Session.objects.filter(created_by=person).update(
        agenda="", place="", sequence=F("sequence") + 1
    )
    Session.objects.filter(logged_by=person).update(
        shared_notes="", next_steps="", cancel_reason="", sequence=F("sequence") + 1
    )
    Session.objects.filter(as_mentor).update(mentor_learned="")
    Session.objects.filter(as_mentee).update(mentee_learned="")
    CheckIn.objects.filter(respondent=person).update(comment="", hr_comment="")
    private_notes = PrivateNote.objects.filter(author=person).delete()[0]

    # What was theirs only.
    notifications = Notification.objects.filter(recipient=person).delete()[0]
    CalendarFeed.objects.filter(user=person).delete()
    EmailAddress.objects.filter(user=person).delete()
    User.objects.filter(pk=person.pk).update(
        first_name=ANONYMISED_FIRST_NAME,
        last_name=f"#{person.pk}",
        email=new_email,
        job_title="",
        password=make_password(None),
        is_staff=False,
        is_superuser=False,
    )
    sessions_ended = _sessions_logout(person)

    # Mentions of them.
    mentions = _employee_imports_redact(emails)
    mentions += sum(
        in_their_pairs.apply(queryset, fields)
        for queryset, fields in [
            (
                Pairing.objects.filter(pk__in=pairings),
                ["decline_reason", "end_reason", "intro_place"],
            ),
            (Goal.objects.filter(pairing__in=pairings), ["title", "measure", "unit"]),
            (GoalUpdate.objects.filter(goal__pairing__in=pairings), ["note"]),
            (Session.objects.filter(pairing__in=pairings), ["place", *SESSION_NOTE_FIELDS]),
            (PrivateNote.objects.filter(pairing__in=pairings), ["body"]),
            (CheckIn.objects.filter(pairing__in=pairings), ["comment", "hr_comment"]),
            (Notification.objects.filter(pairing__in=pairings), ["subject"]),
        ]
    )
    log_entries = _log_entries_redact(person, new_name, in_their_pairs)
    # A plain save, unlike the updates above: the audit log records who deactivated
    # the account (under its new name), as for any other deactivation.
    person.refresh_from_db()
    person.is_active = False
    person.save(update_fields=["is_active"])
    mentions += _redact_everywhere(everywhere)

    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return Anonymisation(
        private_notes=private_notes,
        notifications=notifications,
        evidence_files=len(files),
        sessions_ended=sessions_ended,
        log_entries=log_entries,
        mentions=mentions,
    )


def _employee_imports_redact(emails: set[str]) -> int:
    """Drop the person's lines from uploaded employee files: an import applied later skips them."""
    from accounts.models import EmployeeImport

    patterns = [_exact(email) for email in emails]
    condition = Q()
    for email in emails:
        condition |= Q(content__icontains=email)
    changed = 0
    for pk, content in EmployeeImport.objects.filter(condition).values_list("pk", "content"):
        kept = "".join(
            line
            for line in content.splitlines(keepends=True)
            if not any(pattern.search(line) for pattern in patterns)
        )
        if kept != content:
            EmployeeImport.objects.filter(pk=pk).update(content=kept)
            changed += 1
    return changed


def _log_entries_redact(person: User, new_name: str, redactor: Redactor) -> int:
    """Audit entries about the person and their pairs, and the IP addresses they logged from.

    Looked at through the generic audit fields only (content type and object
    id), so models registered with auditlog later are covered too.
    """
    LogEntry = get_logentry_model()
    user_type = ContentType.objects.get_for_model(User)
    about_person = LogEntry.objects.filter(content_type=user_type, object_pk=str(person.pk))
    changed = 0
    for entry in about_person.only("pk", "changes", "serialized_data", "additional_data"):
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=new_name,
            changes=_mask_personal(entry.changes),
            serialized_data=_mask_personal(entry.serialized_data),
            additional_data=_mask_personal(entry.additional_data),
        )
        changed += 1
    LogEntry.objects.filter(actor=person).update(remote_addr=None, remote_port=None)
    changed += AdminLogEntry.objects.filter(
        content_type=user_type, object_id=str(person.pk)
    ).update(object_repr=new_name)

    # Entries about their pairs and what is in them may name them by first name alone.
    scoped = {
        Participant: Participant.objects.filter(user=person),
        Pairing: _pairings_of(person),
        Session: Session.objects.filter(pairing__in=_pairings_of(person)),
        Goal: Goal.objects.filter(pairing__in=_pairings_of(person)),
        GoalUpdate: GoalUpdate.objects.filter(goal__pairing__in=_pairings_of(person)),
        CheckIn: CheckIn.objects.filter(pairing__in=_pairings_of(person)),
    }
    fields = ["object_repr", "changes_text", "changes", "serialized_data", "additional_data"]
    for model, objects in scoped.items():
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=objects.values("pk"),
        )
        changed += redactor.apply(entries, fields)
    return changed


# --- Retention of notes -------------------------------------------------------------------------

# The notes of a pair: what its members wrote along the way, which has no use
# once the programme is over. Goals (title, measure, values), check-in answers,
# self-ratings, the reasons a pair ended and the evidence files are the
# programme's results and stay, until a person is erased.
SESSION_NOTE_FIELDS = (
    "agenda",
    "shared_notes",
    "mentor_learned",
    "mentee_learned",
    "next_steps",
    "cancel_reason",
)


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later; 31 August + 6 months is the last day of February."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def programme_closed_on(programme: Programme) -> date | None:
    """The day a closed programme closed; None while it is not closed.

    No date of closing is stored: the status changes and ``updated_at`` moves
    with it, and a closed programme can no longer be edited. So it is the later
    of the planned end and that last change, which is never before the real
    close: the notes are never purged early.
    """
    if programme.status != Programme.Status.CLOSED:
        return None
    return max(programme.ends_on, timezone.localdate(programme.updated_at))


def programme_notes_purge_on(programme: Programme) -> date | None:
    """The day the notes of a closed programme are purged; None while it is not closed."""
    closed_on = programme_closed_on(programme)
    if closed_on is None:
        return None
    return _add_months(closed_on, programme.notes_retention_months)


@dataclass(frozen=True)
class NotesPurge:
    """What ``notes_purge`` did: programmes past their retention period, rows purged."""

    programmes: int
    private_notes: int
    sessions: int
    goal_updates: int


@transaction.atomic
def notes_purge(*, today: date) -> NotesPurge:
    """Purge the notes of the programmes closed more than their retention period ago.

    Private notes are deleted; the session notes (``SESSION_NOTE_FIELDS``) and
    the notes of goal updates are blanked. Only rows that still hold a note are
    counted, so a second run the same day purges and counts nothing.
    """
    closed = Programme.objects.filter(status=Programme.Status.CLOSED).only(
        "pk", "status", "ends_on", "updated_at", "notes_retention_months"
    )
    due = [p.pk for p in closed if programme_notes_purge_on(p) <= today]
    in_due = {"pairing__cohort__programme__in": due}
    private_notes = PrivateNote.objects.filter(**in_due).delete()[1].get(PrivateNote._meta.label, 0)
    with_notes = Q()
    for name in SESSION_NOTE_FIELDS:
        with_notes |= ~Q(**{name: ""})
    sessions = (
        Session.objects.filter(**in_due)
        .filter(with_notes)
        .update(sequence=F("sequence") + 1, **dict.fromkeys(SESSION_NOTE_FIELDS, ""))
    )
    goal_updates = (
        GoalUpdate.objects.filter(goal__pairing__cohort__programme__in=due)
        .exclude(note="")
        .update(note="")
    )
    return NotesPurge(
        programmes=len(due),
        private_notes=private_notes,
        sessions=sessions,
        goal_updates=goal_updates,
    )
