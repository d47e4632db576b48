"""A person's copy of their data: a JSON file per kind, their evidence files, nothing of others."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from evaluation.models import Assessment
from notifications.models import Notification
from pairs.models import CalendarFeed, GoalUpdate, PrivateNote
from privacy.services import EXPORT_KINDS, personal_data_archive
from programmes.models import ParticipantSkill, TrainingCompletion
from tests.conftest import client_for
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    GoalFactory,
    HeldSessionFactory,
    ParticipantFactory,
    SkillAreaFactory,
    TrainingModuleFactory,
    UserFactory,
)
from tests.privacy.conftest import stored_files

pytestmark = pytest.mark.django_db

JSON_FILES = [
    "profile.json",
    "participations.json",
    "pairings.json",
    "goals.json",
    "sessions.json",
    "private_notes.json",
    "checkins.json",
    "assessments.json",
    "notifications.json",
    "calendar_feed.json",
]


def as_json(value):
    """A value as the archive writes it (dates as ISO text, decimals as strings)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@pytest.fixture(autouse=True)
def _keep_language():
    # The English-speaking users of these tests switch the thread's language.
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def lea(db):
    return UserFactory(
        email="lea.martin@example.org",
        first_name="Léa",
        last_name="Martin",
        language="en",
        department="Data",
        direction="DSI",
        job_title="Data analyst",
        seniority_years=3,
    )


@pytest.fixture
def world(lea, media):
    """Léa mentors Marc; each of them wrote notes, answers and evidence."""
    marc = UserFactory(first_name="Marc", last_name="Dubois", language="en")
    pairing = ActivePairingFactory(
        mentor__user=lea,
        mentor__motivation="Share what I know",
        mentor__availability=0b101,
        mentee__user=marc,
        cohort__name="Pilote",
        cohort__programme__name="Mentorat 2027",
    )
    mentor = pairing.mentor
    skill = SkillAreaFactory(name="Tableaux croisés", name_en="Pivot tables")
    ParticipantSkill.objects.create(
        participant=mentor, skill_area=skill, direction="offer", level=3
    )
    module = TrainingModuleFactory(programme=pairing.cohort.programme, title="Coaching 101")
    completion = TrainingCompletion.objects.create(participant=mentor, module=module)
    goal = GoalFactory(
        pairing=pairing, learner="mentee", skill_area=skill, title="Build a pivot table"
    )
    goal.created_by = marc
    goal.save(update_fields=["created_by"])
    lea_update = GoalUpdate.objects.create(
        goal=goal,
        author=lea,
        value=1,
        previous_value=0,
        status="in_progress",
        note="Showed the basics",
        file=ContentFile(b"lea evidence", name="preuve.pdf"),
        file_name="preuve.pdf",
        file_type="application/pdf",
        file_size=12,
    )
    marc_update = GoalUpdate.objects.create(
        goal=goal,
        author=marc,
        value=2,
        previous_value=1,
        status="in_progress",
        file=ContentFile(b"marc evidence", name="marc.pdf"),
        file_name="marc.pdf",
        file_type="application/pdf",
        file_size=13,
    )
    session = HeldSessionFactory(
        pairing=pairing,
        logged_by=lea,
        shared_notes="First pivot table",
        mentor_learned="How finance reads a budget",
    )
    session.topics.set([skill])
    lea_note = PrivateNote.objects.create(pairing=pairing, author=lea, body="Lea's own note")
    PrivateNote.objects.create(pairing=pairing, author=marc, body="Marc's secret note")
    lea_checkin = CheckInFactory(
        pairing=pairing, respondent=lea, comment="Going well", hr_comment="Lea for HR"
    )
    CheckInFactory(pairing=pairing, respondent=marc, hr_comment="Marc for HR only")
    lea_rating = Assessment.objects.create(
        pairing=pairing, respondent=lea, side="mentor", kind="baseline", skill_area=skill, level=2
    )
    Assessment.objects.create(
        pairing=pairing, respondent=marc, side="mentee", kind="baseline", skill_area=skill, level=1
    )
    notification = Notification.objects.create(
        key="match:lea",
        kind="match_published",
        recipient=lea,
        pairing=pairing,
        due_on=date(2027, 1, 4),
        status="sent",
        subject="Meet your match: Marc Dubois",
        url="https://mentorat.example/pairings/1/",
    )
    Notification.objects.create(
        key="match:marc", kind="match_published", recipient=marc, due_on=date(2027, 1, 4)
    )
    feed = CalendarFeed.objects.create(user=lea, token="lea-secret-token")
    EmailAddress.objects.create(user=lea, email=lea.email, primary=True, verified=True)
    return {
        "pairing": pairing,
        "marc": marc,
        "skill": skill,
        "completion": completion,
        "goal": goal,
        "lea_update": lea_update,
        "marc_update": marc_update,
        "session": session,
        "lea_note": lea_note,
        "lea_checkin": lea_checkin,
        "lea_rating": lea_rating,
        "notification": notification,
        "feed": feed,
    }


def read_archive(user) -> tuple[list[str], dict, zipfile.ZipFile]:
    out = io.BytesIO()
    with translation.override(user.language):
        names = personal_data_archive(user=user, out=out)
    archive = zipfile.ZipFile(out)
    files = {name: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
    return names, files, archive


def test_archive_holds_one_json_file_per_kind_and_the_persons_evidence(lea, world):
    names, _files, archive = read_archive(lea)

    assert [kind.filename for kind in EXPORT_KINDS] == JSON_FILES
    assert names == [*JSON_FILES, f"evidence/{world['lea_update'].pk}-preuve.pdf"]
    assert archive.read(f"evidence/{world['lea_update'].pk}-preuve.pdf") == b"lea evidence"


def test_archive_holds_nothing_private_of_the_partner_and_no_calendar_token(lea, world):
    _names, _files, archive = read_archive(lea)
    text = b"".join(archive.read(name) for name in archive.namelist()).decode()

    assert "Lea's own note" in text
    assert "Lea for HR" in text
    for secret in ["Marc's secret note", "Marc for HR only", "lea-secret-token", "marc evidence"]:
        assert secret not in text


def test_profile_file(lea, world):
    _names, files, _archive = read_archive(lea)

    assert files["profile.json"] == {
        "email": "lea.martin@example.org",
        "first_name": "Léa",
        "last_name": "Martin",
        "department": "Data",
        "direction": "DSI",
        "job_title": "Data analyst",
        "line_manager": None,
        "years_of_experience": 3,
        "language": "en",
        "role": "participant",
        "email_nudges": True,
        "date_joined": as_json(lea.date_joined),
        "last_login": None,
        "email_addresses": [{"email": "lea.martin@example.org", "verified": True, "primary": True}],
    }


def test_participations_and_pairings_files(lea, world):
    pairing, mentor = world["pairing"], world["pairing"].mentor
    _names, files, _archive = read_archive(lea)

    assert files["participations.json"] == [
        {
            "id": mentor.pk,
            "programme": "Mentorat 2027",
            "cohort": "Pilote",
            "role": "mentor",
            "status": "approved",
            "motivation": "Share what I know",
            "availability": ["Monday morning", "Tuesday morning"],
            "format": "either",
            "languages": ["fr"],
            "capacity": 1,
            "consent_at": None,
            "decided_at": None,
            "enrolled_at": as_json(mentor.created_at),
            "updated_at": as_json(mentor.updated_at),
            "skills": [{"skill_area": "Pivot tables", "direction": "offer", "level": 3}],
            "training_completed": [
                {
                    "module": "Coaching 101",
                    "completed_at": as_json(world["completion"].completed_at),
                }
            ],
        }
    ]
    assert files["pairings.json"] == [
        {
            "id": pairing.pk,
            "programme": "Mentorat 2027",
            "cohort": "Pilote",
            "your_role": "mentor",
            "partner": "Marc Dubois",
            "status": "active",
            "proposed_at": as_json(pairing.created_at),
            "intro_at": as_json(pairing.intro_at),
            "intro_place": "Café du 3e",
            "you_accepted_at": as_json(pairing.mentor_accepted_at),
            "activated_at": as_json(pairing.activated_at),
            "declined_at": None,
            "declined_by_you": False,
            "decline_reason": "",
            "outcome": "",
            "ended_at": None,
            "ended_by_you": False,
            "end_reason": "",
        }
    ]


def test_goals_file_has_both_members_steps_and_files_only_for_the_person(lea, world):
    goal, lea_update, marc_update = world["goal"], world["lea_update"], world["marc_update"]
    _names, files, _archive = read_archive(lea)

    [exported] = files["goals.json"]
    assert {k: v for k, v in exported.items() if k != "updates"} == {
        "id": goal.pk,
        "pairing": world["pairing"].pk,
        "your_goal": False,
        "skill_area": "Pivot tables",
        "title": "Build a pivot table",
        "measure": "publications faites seul",
        "target_value": "3.00",
        "unit": "publications",
        "current_value": "0.00",
        "deadline": goal.deadline.isoformat(),
        "status": "not_started",
        "achieved_on": None,
        "written_by_you": False,
        "created_at": as_json(goal.created_at),
        "updated_at": as_json(goal.updated_at),
    }
    assert [(u["id"], u["by_you"], u["note"], u["evidence"]) for u in exported["updates"]] == [
        (
            lea_update.pk,
            True,
            "Showed the basics",
            {
                "file_name": "preuve.pdf",
                "file_type": "application/pdf",
                "file_size": 12,
                "in_archive": f"evidence/{lea_update.pk}-preuve.pdf",
            },
        ),
        (
            marc_update.pk,
            False,
            "",
            {
                "file_name": "marc.pdf",
                "file_type": "application/pdf",
                "file_size": 13,
                "in_archive": None,
            },
        ),
    ]


def test_sessions_notes_checkins_assessments_notifications_and_calendar_files(lea, world):
    session, note, checkin = world["session"], world["lea_note"], world["lea_checkin"]
    _names, files, _archive = read_archive(lea)

    assert files["sessions.json"] == [
        {
            "id": session.pk,
            "pairing": world["pairing"].pk,
            "status": "held",
            "starts_at": as_json(session.starts_at),
            "planned_minutes": 45,
            "held_minutes": 40,
            "format": "remote",
            "place": "https://visio.example/binome",
            "agenda": session.agenda,
            "topics": ["Pivot tables"],
            "shared_notes": "First pivot table",
            "mentor_learned": "How finance reads a budget",
            "mentee_learned": "",
            "next_steps": "",
            "cancel_reason": "",
            "planned_by_you": False,
            "logged_by_you": True,
            "logged_at": None,
        }
    ]
    assert files["private_notes.json"] == [
        {
            "id": note.pk,
            "pairing": world["pairing"].pk,
            "session": None,
            "body": "Lea's own note",
            "created_at": as_json(note.created_at),
        }
    ]
    assert files["checkins.json"] == [
        {
            "id": checkin.pk,
            "pairing": world["pairing"].pk,
            "side": "mentor",
            "kind": "periodic",
            "number": 1,
            "due_on": checkin.due_on.isoformat(),
            "satisfaction": 4,
            "progress": 3,
            "confidence": 5,
            "would_recommend": None,
            "comment": "Going well",
            "comment_for_hr": "Lea for HR",
            "answered_at": as_json(checkin.answered_at),
        }
    ]
    assert files["assessments.json"] == [
        {
            "id": world["lea_rating"].pk,
            "pairing": world["pairing"].pk,
            "side": "mentor",
            "kind": "baseline",
            "skill_area": "Pivot tables",
            "level": 2,
            "answered_at": as_json(world["lea_rating"].answered_at),
        }
    ]
    notification = world["notification"]
    assert files["notifications.json"] == [
        {
            "id": notification.pk,
            "kind": "match_published",
            "date": "2027-01-04",
            "status": "sent",
            "subject": "Meet your match: Marc Dubois",
            "url": "https://mentorat.example/pairings/1/",
            "created_at": as_json(notification.created_at),
            "sent_at": None,
            "read_at": None,
        }
    ]
    assert files["calendar_feed.json"] == [
        {"address_created_at": as_json(world["feed"].created_at)}
    ]


def test_archive_of_someone_with_no_data_has_empty_files(db):
    nobody = UserFactory(language="en")

    names, files, _archive = read_archive(nobody)

    assert names == JSON_FILES
    assert files["profile.json"]["email_addresses"] == []
    assert [files[name] for name in JSON_FILES[1:]] == [[] for _ in JSON_FILES[1:]]


def test_missing_evidence_file_is_left_out(lea, world, media):
    world["lea_update"].file.storage.delete(world["lea_update"].file.name)

    names, _files, _archive = read_archive(lea)

    assert names == JSON_FILES
    assert stored_files(media) == [world["marc_update"].file.name]


def grow(lea, n):
    """n pairs for Léa, each in its own programme, with a bit of everything."""
    for i in range(n):
        pairing = ActivePairingFactory(mentor__user=lea)
        skill = SkillAreaFactory()
        ParticipantSkill.objects.create(
            participant=pairing.mentor, skill_area=skill, direction="offer", level=2
        )
        TrainingCompletion.objects.create(
            participant=pairing.mentor,
            module=TrainingModuleFactory(programme=pairing.cohort.programme),
        )
        goal = GoalFactory(pairing=pairing, skill_area=skill)
        GoalUpdate.objects.create(
            goal=goal, author=lea, value=1, previous_value=0, status="in_progress", note="Bien"
        )
        HeldSessionFactory(pairing=pairing).topics.set([skill])
        PrivateNote.objects.create(pairing=pairing, author=lea, body=f"Note {i}")
        CheckInFactory(pairing=pairing, respondent=lea)
        Assessment.objects.create(
            pairing=pairing,
            respondent=lea,
            side="mentor",
            kind="baseline",
            skill_area=skill,
            level=2,
        )
        Notification.objects.create(
            key=f"n{i}", kind="checkin_due", recipient=lea, pairing=pairing, due_on=date(2027, 1, 4)
        )
    EmailAddress.objects.get_or_create(user=lea, email=lea.email)
    CalendarFeed.objects.get_or_create(user=lea, defaults={"token": "t"})


@pytest.mark.parametrize("n", [1, 3])
def test_archive_takes_a_fixed_number_of_queries(lea, n):
    grow(lea, n)

    with CaptureQueriesContext(connection) as ctx:
        personal_data_archive(user=lea, out=io.BytesIO())

    # profile 1, enrolments 4 (skills, their areas, training), pairs 1, goals 2,
    # sessions 2 (topics), then 1 each: notes, check-ins, ratings, notifications,
    # calendar, evidence files.
    assert len(ctx.captured_queries) == 16


# The pages ---------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client):
    for method, url in [
        ("get", reverse("my_data")),
        ("post", reverse("my_data_archive")),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_my_data_page_lists_what_is_kept_and_the_notes_deadline(client, lea, world):
    programme = world["pairing"].cohort.programme
    programme.status = "closed"
    programme.ends_on = date(2027, 6, 30)
    programme.notes_retention_months = 6
    programme.save()
    type(programme).objects.filter(pk=programme.pk).update(
        updated_at=timezone.make_aware(timezone.datetime(2027, 7, 2, 10))
    )

    response = client_for(client, lea).get(reverse("my_data"))

    assert response.status_code == 200
    content = response.content.decode()
    for filename in JSON_FILES:
        assert filename in content
    assert "Mentorat 2027: notes deleted on 2 January 2028" in " ".join(content.split())
    assert f'action="{reverse("my_data_archive")}"' in content


def test_my_data_page_says_when_notes_go_for_a_running_programme(client, lea, world):
    response = client_for(client, lea).get(reverse("my_data"))

    text = " ".join(response.content.decode().split())
    assert "Mentorat 2027: notes deleted 6 months after the programme closes" in text


def test_user_menu_links_to_my_data(client, lea):
    response = client_for(client, lea).get(reverse("home"))

    assert f'href="{reverse("my_data")}"' in response.content.decode()


def test_download_is_a_zip_attachment_named_with_the_date(client, lea, world):
    response = client_for(client, lea).post(reverse("my_data_archive"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="my-data-{today}.zip"'
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [*JSON_FILES, f"evidence/{world['lea_update'].pk}-preuve.pdf"]
    assert json.loads(archive.read("profile.json"))["email"] == "lea.martin@example.org"


def test_download_by_get_is_refused(client, lea):
    response = client_for(client, lea).get(reverse("my_data_archive"))

    assert response.status_code == 405


def test_each_person_downloads_their_own_data(client, lea, world):
    response = client_for(client, world["marc"]).post(reverse("my_data_archive"))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    notes = json.loads(archive.read("private_notes.json"))
    assert [note["body"] for note in notes] == ["Marc's secret note"]
    assert archive.namelist()[-1] == f"evidence/{world['marc_update'].pk}-marc.pdf"
    assert Decimal(json.loads(archive.read("goals.json"))[0]["current_value"]) == Decimal("0")


@pytest.mark.parametrize("n", [1, 3])
def test_my_data_page_takes_a_fixed_number_of_queries(client, lea, n):
    for _ in range(n):
        ParticipantFactory(user=lea)
    url = reverse("my_data")
    client_for(client, lea).get(url)  # warm up: session and per-process caches

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("notes deleted 6 months after") == n
    # The session, the user, the enrolments with their programmes.
    assert len(ctx.captured_queries) == 3
