"""HR anonymises a person: their identity and their words go, the programme's figures stay."""

import json

import pytest
from allauth.account.models import EmailAddress
from auditlog.models import LogEntry as AuditEntry
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as WebSession
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import EmployeeImport, User
from evaluation.metrics import engagement_documents, engagement_snapshot_take, programme_facts
from evaluation.models import Assessment, CheckIn, EngagementSnapshot
from notifications.models import Notification
from pairs.models import CalendarFeed, Goal, GoalUpdate, Pairing, PrivateNote, Session
from privacy.services import person_anonymise
from tests.conftest import client_for
from tests.evaluation.conftest import TODAY, _answer
from tests.factories import ActivePairingFactory, EmployeeImportFactory, UserFactory
from tests.privacy.conftest import stored_files

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zéphyrine", "Quillard-Ebersold"
EMAIL = "zephyrine.quillard@example.org"
OTHER_EMAIL = "z.quillard@example.org"
TRACES = [FIRST, LAST, EMAIL, OTHER_EMAIL]


@pytest.fixture(autouse=True)
def _keep_language():
    with translation.override(translation.get_language()):
        yield


def rows_mentioning(*needles: str) -> list[tuple[str, str]]:
    """(model, field) of every text or JSON value in the database that holds one of the needles.

    Read row by row in Python, not with the database's LIKE, so that it does
    not share the blind spots of the code it checks.
    """
    found = set()
    lowered = [needle.lower() for needle in needles]
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for values in model._base_manager.values_list(*fields):
            for name, value in zip(fields, values, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(needle in text.lower() for needle in lowered):
                    found.add((model._meta.label, name))
    return sorted(found)


@pytest.fixture
def person(built, hr_admin, media, client):
    """E1 of the hand-built programme, renamed, with traces of every kind.

    E1 is the mentee of P1 (with M1), active since 15 October.
    """
    e1 = built.people["E1"]
    user = e1.user
    user.first_name, user.last_name, user.email = FIRST, LAST, EMAIL
    user.job_title = "Directrice financière"
    user.save()
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    EmailAddress.objects.create(user=user, email=OTHER_EMAIL)
    e1.motivation = f"Je suis {FIRST}, je veux comprendre l'IA."
    e1.save()
    p1, m1 = built.pairs["P1"], built.people["M1"].user
    Pairing.objects.filter(pk=p1.pk).update(intro_set_by=user, intro_place="Bureau de Zéphyrine")

    Goal.objects.filter(pairing=p1, learner="mentor").update(title="Déléguer davantage")
    goal = Goal.objects.filter(pairing=p1, learner="mentee").order_by("pk").first()
    GoalUpdate.objects.create(
        goal=goal,
        author=user,
        value=goal.current_value,
        previous_value=goal.current_value,
        status=goal.status,
        note="Mon premier tableau",
        link="https://example.org/preuve",
        file=ContentFile(b"her evidence", name="preuve.pdf"),
        file_name="preuve.pdf",
        file_type="application/pdf",
        file_size=12,
    )
    GoalUpdate.objects.create(
        goal=goal,
        author=m1,
        value=goal.current_value,
        previous_value=goal.current_value,
        status=goal.status,
        note=f"{FIRST} a bien avancé",
        file=ContentFile(b"his evidence", name="m1.pdf"),
        file_name="m1.pdf",
    )
    held = Session.objects.filter(pairing=p1, status="held").order_by("starts_at")
    Session.objects.filter(pk=held[0].pk).update(
        created_by=user,
        logged_by=user,
        agenda="Mes questions sur Copilot",
        shared_notes="Notes de la séance",
        mentee_learned="Les invites",
        mentor_learned=f"Comment {FIRST} prépare un budget",
        next_steps="Essayer seule",
    )
    Session.objects.filter(pk=held[1].pk).update(
        created_by=m1, logged_by=m1, shared_notes=f"Mme {LAST} a présenté son tableau"
    )
    PrivateNote.objects.create(pairing=p1, author=user, body="Mon ressenti du jour")
    PrivateNote.objects.create(pairing=p1, author=m1, body=f"{FIRST} semble débordée")
    _answer(p1, e1, 1, (3, 2, 4), TODAY)
    CheckIn.objects.filter(pairing=p1, respondent=user).update(
        comment="Ça avance", hr_comment="Mon manager me met la pression"
    )
    CheckIn.objects.filter(pairing=p1, respondent=m1).update(
        hr_comment=f"{FIRST} {LAST} annule souvent"
    )
    for key, recipient, subject in [
        ("a", user, "Votre binôme : M1 Test"),
        ("b", m1, f"Votre binôme : {FIRST} {LAST}"),
        ("c", m1, f"Un café avec {FIRST} ?"),
        ("d", hr_admin, f"Binôme à l'arrêt : M1 Test et {FIRST} {LAST}"),
    ]:
        Notification.objects.create(
            key=key,
            kind="intro_nudge",
            recipient=recipient,
            pairing=p1,
            due_on=TODAY,
            subject=subject,
        )
    CalendarFeed.objects.create(user=user, token="her-secret-token")
    EmployeeImportFactory(
        content=(
            "email;first_name;last_name;language\n"
            "nora@example.org;Nora;Benali;en\n"
            f"{EMAIL};{FIRST};{LAST};fr\n"
        )
    )
    user_type = ContentType.objects.get_for_model(User)
    AdminEntry.objects.create(
        user=hr_admin,
        content_type=user_type,
        object_id=str(user.pk),
        object_repr=f"{FIRST} {LAST}",
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Job title"]}}]',
    )
    AuditEntry.objects.create(
        content_type=user_type,
        object_pk=str(user.pk),
        object_id=user.pk,
        object_repr=f"{FIRST} {LAST}",
        action=AuditEntry.Action.UPDATE,
        changes={"first_name": ["Zephyrine", FIRST], "department": ["", "Finance"]},
        actor=hr_admin,
        actor_email=hr_admin.email,
    )
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Pairing),
        object_pk=str(p1.pk),
        object_id=p1.pk,
        object_repr=f"M1 Test → {FIRST} {LAST}",
        action=AuditEntry.Action.UPDATE,
        changes={"intro_place": ["", f"Bureau de {FIRST}"]},
        actor=user,
        actor_email=EMAIL,
        remote_addr="192.0.2.7",
    )
    client_for(client, user)  # a session open in a browser
    return user


def test_search_finds_every_trace_before(person):
    # The check of the next tests can fail: before, the traces are everywhere.
    assert rows_mentioning(*TRACES) == [
        ("account.EmailAddress", "email"),
        ("accounts.EmployeeImport", "content"),
        ("accounts.User", "email"),
        ("accounts.User", "first_name"),
        ("accounts.User", "last_name"),
        ("admin.LogEntry", "object_repr"),
        ("auditlog.LogEntry", "actor_email"),
        ("auditlog.LogEntry", "changes"),
        ("auditlog.LogEntry", "object_repr"),
        ("evaluation.CheckIn", "hr_comment"),
        ("notifications.Notification", "subject"),
        ("pairs.GoalUpdate", "note"),
        ("pairs.Pairing", "intro_place"),
        ("pairs.PrivateNote", "body"),
        ("pairs.Session", "mentor_learned"),
        ("pairs.Session", "shared_notes"),
        ("programmes.Participant", "motivation"),
    ]


def test_no_text_anywhere_names_them_after(person, hr_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person_anonymise(person=person, by=hr_admin)

    assert rows_mentioning(*TRACES) == []


def test_figures_of_the_programme_are_the_same_after(
    built, person, hr_admin, django_capture_on_commit_callbacks
):
    programme = built.programme
    facts_before = programme_facts(programme, TODAY)
    documents_before = engagement_documents(programme, TODAY)
    engagement_snapshot_take(programme_id=programme.pk, today=TODAY)
    snapshots_before = list(EngagementSnapshot.objects.order_by("pk").values_list("metrics"))

    with django_capture_on_commit_callbacks(execute=True):
        person_anonymise(person=person, by=hr_admin)

    assert programme_facts(programme, TODAY) == facts_before
    assert engagement_documents(programme, TODAY) == documents_before
    engagement_snapshot_take(programme_id=programme.pk, today=TODAY)
    assert list(EngagementSnapshot.objects.order_by("pk").values_list("metrics")) == (
        snapshots_before
    )
    assert documents_before[None]["values"]["sessions_held"] == 6  # the figures are real ones


def test_account_is_anonymised_and_locked(person, hr_admin, client):
    department, direction, seniority = person.department, person.direction, person.seniority_years

    person_anonymise(person=person, by=hr_admin)

    person.refresh_from_db()
    assert (person.first_name, person.last_name, str(person)) == (
        "Anonyme",
        f"#{person.pk}",
        f"Anonyme #{person.pk}",
    )
    assert person.email == f"anonymised-{person.pk}@anonymised.invalid"
    assert person.job_title == ""
    assert (person.has_usable_password(), person.is_active) == (False, False)
    assert (person.department, person.direction, person.seniority_years) == (
        department,
        direction,
        seniority,
    )
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not CalendarFeed.objects.filter(user=person).exists()
    assert WebSession.objects.count() == 0
    response = client.get(reverse("my_data"))
    assert response.status_code == 302  # logged out


def test_what_they_wrote_is_gone_and_the_numbers_stay(
    built, person, hr_admin, media, django_capture_on_commit_callbacks
):
    p1 = built.pairs["P1"]
    m1 = built.people["M1"].user
    partner_file = GoalUpdate.objects.get(author=m1).file.name
    assert len(stored_files(media)) == 2
    counts_before = {
        model: model.objects.count() for model in (Pairing, Session, Goal, CheckIn, Assessment)
    }
    # The audit app logs accounts too (their creation): those entries are redacted as well.
    about_person = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(person.pk)
    ).count()

    with django_capture_on_commit_callbacks(execute=True):
        done = person_anonymise(person=person, by=hr_admin)

    assert (done.private_notes, done.notifications, done.evidence_files) == (1, 1, 1)
    # Those about the person, the Django admin's one, the one about the pair.
    assert (done.sessions_ended, done.log_entries) == (1, about_person + 2)
    assert stored_files(media) == [partner_file]
    assert {
        model: model.objects.count() for model in (Pairing, Session, Goal, CheckIn, Assessment)
    } == counts_before
    assert list(PrivateNote.objects.filter(pairing=p1).values_list("author", "body")) == [
        (m1.pk, f"Anonyme #{person.pk} semble débordée")
    ]
    assert person.participations.get().motivation == ""
    assert Pairing.objects.get(pk=p1.pk).intro_place == ""
    update = GoalUpdate.objects.get(author=person)
    assert (update.note, update.link, update.file.name, update.file_name, update.file_size) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert list(
        Goal.objects.filter(pairing=p1).order_by("pk").values_list("learner", "title", "status")
    ) == [
        ("mentee", "—", "achieved"),
        ("mentee", "—", "in_progress"),
        ("mentee", "—", "dropped"),
        ("mentor", "Déléguer davantage", "achieved"),
    ]
    sessions = Session.objects.filter(pairing=p1, status="held").order_by("starts_at")
    assert [
        (s.agenda, s.shared_notes, s.mentee_learned, s.mentor_learned, s.next_steps, s.held_minutes)
        for s in sessions
    ] == [
        ("", "", "", f"Comment Anonyme #{person.pk} prépare un budget", "", 60),
        (sessions[1].agenda, f"Mme Anonyme #{person.pk} a présenté son tableau", "", "", "", 45),
    ]
    assert list(
        CheckIn.objects.filter(pairing=p1)
        .order_by("respondent__first_name")
        .values_list("satisfaction", "comment", "hr_comment")
    ) == [
        (3, "", ""),
        (4, "", f"Anonyme #{person.pk} annule souvent"),
    ]
    assert list(Notification.objects.order_by("key").values_list("key", "subject")) == [
        ("b", f"Votre binôme : Anonyme #{person.pk}"),
        ("c", f"Un café avec Anonyme #{person.pk} ?"),
        ("d", f"Binôme à l'arrêt : M1 Test et Anonyme #{person.pk}"),
    ]
    assert EmployeeImport.objects.get().content == (
        "email;first_name;last_name;language\nnora@example.org;Nora;Benali;en\n"
    )


def test_log_entries_are_redacted(person, hr_admin, built):
    person_anonymise(person=person, by=hr_admin)

    assert AdminEntry.objects.get().object_repr == f"Anonyme #{person.pk}"
    user_type = ContentType.objects.get_for_model(User)
    about_person = AuditEntry.objects.get(content_type=user_type, actor=hr_admin)
    about_pair = AuditEntry.objects.get(actor=person)
    assert (about_person.object_repr, about_person.changes) == (
        f"Anonyme #{person.pk}",
        {"first_name": ["***", "***"], "department": ["", "Finance"]},
    )
    assert (about_pair.object_repr, about_pair.changes) == (
        f"M1 Test → Anonyme #{person.pk}",
        {"intro_place": ["", f"Bureau de Anonyme #{person.pk}"]},
    )
    assert (about_pair.actor, about_pair.actor_email, about_pair.remote_addr) == (
        person,
        f"anonymised-{person.pk}@anonymised.invalid",
        None,
    )


def test_homonym_of_a_first_name_outside_their_pairs_is_left_alone(person, hr_admin):
    other = ActivePairingFactory(mentee__user=UserFactory(first_name=FIRST, last_name="Autre"))
    note = PrivateNote.objects.create(
        pairing=other, author=other.mentor.user, body=f"{FIRST} est en avance"
    )

    person_anonymise(person=person, by=hr_admin)

    note.refresh_from_db()
    assert note.body == f"{FIRST} est en avance"
    assert User.objects.get(pk=other.mentee.user_id).first_name == FIRST


def test_email_inside_a_longer_address_is_not_touched(person, hr_admin):
    neighbour = UserFactory(email=f"ma{EMAIL}")

    person_anonymise(person=person, by=hr_admin)

    neighbour.refresh_from_db()
    assert neighbour.email == f"ma{EMAIL}"


def test_hr_cannot_anonymise_themselves(hr_admin):
    with pytest.raises(ValidationError) as error:
        person_anonymise(person=hr_admin, by=hr_admin)

    assert error.value.code == "self"
    hr_admin.refresh_from_db()
    assert (hr_admin.email, hr_admin.is_active) == ("rh@example.org", True)


def test_anonymising_twice_is_refused(person, hr_admin):
    person_anonymise(person=person, by=hr_admin)

    with pytest.raises(ValidationError) as error:
        person_anonymise(person=person, by=hr_admin)

    assert error.value.code == "anonymised"


def test_nothing_is_deleted_when_the_transaction_is_rolled_back(
    person, hr_admin, media, django_capture_on_commit_callbacks
):
    # Files leave storage on commit only: a failure after the service leaves everything.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        person_anonymise(person=person, by=hr_admin)
        raise RuntimeError("the caller failed afterwards")

    assert callbacks == []
    assert len(stored_files(media)) == 2
    person.refresh_from_db()
    assert (person.email, person.is_active) == (EMAIL, True)
    assert PrivateNote.objects.filter(author=person).count() == 1


# The confirmation page ---------------------------------------------------------------------------


@pytest.fixture
def hr_en(hr_admin):
    hr_admin.language = "en"
    hr_admin.save(update_fields=["language"])
    return hr_admin


def test_anonymous_users_are_sent_to_login(client):
    url = reverse("person_anonymise", args=[1])
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("role", [User.Role.PARTICIPANT, User.Role.MANAGER])
def test_other_roles_are_refused(client, role):
    target = UserFactory(email="cible@example.org")
    user = UserFactory(role=role)
    url = reverse("person_anonymise", args=[target.pk])

    assert client_for(client, user).get(url).status_code == 403
    response = client.post(url, {"email": "cible@example.org"})

    assert response.status_code == 403
    target.refresh_from_db()
    assert (target.email, target.is_active) == ("cible@example.org", True)


def test_unknown_person_is_404(client, hr_en):
    response = client_for(client, hr_en).get(reverse("person_anonymise", args=[999999]))

    assert response.status_code == 404


def test_confirmation_page_says_what_happens_and_warns_of_a_live_pair(client, hr_en, person):
    response = client_for(client, hr_en).get(reverse("person_anonymise", args=[person.pk]))

    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert f"Anonymise {FIRST} {LAST}" in text
    assert f"type their e-mail address, <strong>{EMAIL}</strong>" in text
    assert "They are in 1 pair that has not ended" in text


def test_wrong_email_changes_nothing(client, hr_en, person):
    url = reverse("person_anonymise", args=[person.pk])

    response = client_for(client, hr_en).post(url, {"email": "someone@example.org"})

    assert response.status_code == 422
    assert "This is not their e-mail address; nothing was changed." in response.content.decode()
    person.refresh_from_db()
    assert (person.email, person.first_name, person.is_active) == (EMAIL, FIRST, True)
    assert PrivateNote.objects.filter(author=person).count() == 1


def test_empty_email_changes_nothing(client, hr_en, person):
    url = reverse("person_anonymise", args=[person.pk])

    response = client_for(client, hr_en).post(url, {})

    assert response.status_code == 422
    person.refresh_from_db()
    assert person.email == EMAIL


def test_hr_anonymises_with_the_email_typed(
    client, hr_en, person, django_capture_on_commit_callbacks
):
    url = reverse("person_anonymise", args=[person.pk])
    hr_client = client_for(client, hr_en)

    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(url, {"email": f"  {EMAIL.upper()} "})

    assert response.status_code == 302
    assert response["Location"] == reverse("people_list")
    person.refresh_from_db()
    assert (str(person), person.is_active) == (f"Anonyme #{person.pk}", False)
    page = hr_client.get(reverse("people_list")).content.decode()
    assert "The person is anonymised." in page
    assert FIRST not in page
    # The audit log says who deactivated the account, under its new name only.
    entry = AuditEntry.objects.get(
        object_pk=str(person.pk), action=AuditEntry.Action.UPDATE, changes__has_key="is_active"
    )
    assert (entry.object_repr, entry.actor, entry.changes) == (
        f"Anonyme #{person.pk}",
        hr_en,
        {"is_active": ["True", "False"]},
    )


def test_already_anonymised_is_a_conflict(client, hr_en, person, hr_admin):
    person_anonymise(person=person, by=hr_admin)
    url = reverse("person_anonymise", args=[person.pk])
    hr_client = client_for(client, hr_en)

    response = hr_client.post(url, {"email": person.email})

    assert response.status_code == 409
    assert "This person is already anonymised." in response.content.decode()
    assert hr_client.get(url).status_code == 409


def test_hr_cannot_anonymise_themselves_on_the_page(client, hr_en):
    url = reverse("person_anonymise", args=[hr_en.pk])

    response = client_for(client, hr_en).post(url, {"email": hr_en.email})

    assert response.status_code == 403
    assert "You cannot anonymise your own account." in response.content.decode()
    hr_en.refresh_from_db()
    assert hr_en.is_active is True


def test_person_page_links_to_the_anonymisation(client, hr_en):
    target = UserFactory()

    response = client_for(client, hr_en).get(reverse("people_edit", args=[target.pk]))

    assert f'href="{reverse("person_anonymise", args=[target.pk])}"' in response.content.decode()
