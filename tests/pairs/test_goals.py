"""Goals of a pair: writing them (from a template too), logging progress, evidence files."""

import struct
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from pairs.models import Goal, GoalTemplate, GoalUpdate
from pairs.services import goal_create, goal_progress
from tests.factories import ActivePairingFactory, GoalFactory, SkillAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

# A real, tiny PDF: filetype reads the "%PDF" signature, a viewer can open it.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png_bytes() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG_BYTES = _png_bytes()
NOT_ACCEPTED = "This type of file is not accepted. Accepted: DOCX, JPG, PDF, PNG, PPTX, WEBP, XLSX."


@pytest.fixture
def pairing():
    return ActivePairingFactory(
        mentor__user=UserFactory(first_name="Léa", language="en"),
        mentee__user=UserFactory(first_name="Marc", language="en"),
    )


@pytest.fixture
def digital():
    return SkillAreaFactory(name="Réseaux sociaux", name_en="Social media", category="digital")


@pytest.fixture
def leadership():
    return SkillAreaFactory(
        name="Prise de parole", name_en="Public speaking", category="leadership"
    )


@pytest.fixture
def goal(pairing, digital):
    return GoalFactory(pairing=pairing, skill_area=digital, target_value=Decimal("3"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def as_user(client, user):
    client.force_login(user)
    return client


def outsider():
    """A participant of another pair."""
    return ActivePairingFactory(mentee__user=UserFactory(language="en")).mentee.user


def goal_data(area, learner="mentee", **extra):
    return {
        "learner": learner,
        "skill_area": area.pk,
        "title": "Post on Instagram on my own",
        "measure": "posts made without help",
        "target_value": "3",
        "unit": "posts",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        **extra,
    }


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


# Creating goals ------------------------------------------------------------------


def test_goal_create_for_the_mentee_in_a_digital_area(client, pairing, digital):
    mentee = pairing.mentee.user
    url = reverse("goal_create", args=[pairing.pk])

    response = as_user(client, mentee).post(url, goal_data(digital))

    assert response.status_code == 302
    assert response.url == reverse("pairing_detail", args=[pairing.pk])
    goal = Goal.objects.get()
    assert (goal.pairing, goal.learner, goal.skill_area) == (pairing, "mentee", digital)
    assert (goal.title, goal.target_value, goal.unit) == (
        "Post on Instagram on my own",
        Decimal("3"),
        "posts",
    )
    assert goal.deadline == timezone.localdate() + timedelta(days=30)
    assert (goal.current_value, goal.status) == (Decimal("0"), Goal.Status.NOT_STARTED)
    assert (goal.created_by, goal.template) == (mentee, None)


def test_goal_create_for_the_mentor_in_a_leadership_area(client, pairing, leadership):
    mentor = pairing.mentor.user

    response = as_user(client, mentor).post(
        reverse("goal_create", args=[pairing.pk]), goal_data(leadership, learner="mentor")
    )

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.learner, goal.skill_area, goal.created_by) == ("mentor", leadership, mentor)


@pytest.mark.parametrize(
    ("learner", "area_fixture", "message"),
    [
        ("mentee", "leadership", "The mentee's goals are about digital skills."),
        (
            "mentor",
            "digital",
            "The mentor's goals are about leadership, strategy or the business.",
        ),
    ],
)
def test_goal_create_wrong_category_is_refused(
    client, pairing, request, learner, area_fixture, message
):
    area = request.getfixturevalue(area_fixture)

    response = as_user(client, pairing.mentee.user).post(
        reverse("goal_create", args=[pairing.pk]), goal_data(area, learner=learner)
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {"skill_area": [message]}
    assert Goal.objects.count() == 0


def test_goal_create_template_prefills_the_form(client, pairing, digital):
    template = GoalTemplate.objects.create(
        skill_area=digital,
        title="Publier seul",
        title_en="Post on my own",
        measure="publications",
        measure_en="posts made alone",
        target_value=Decimal("5"),
        unit="publications",
        unit_en="posts",
        weeks=4,
    )

    response = as_user(client, pairing.mentor.user).get(
        reverse("goal_create", args=[pairing.pk]), {"template": template.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "learner": "mentee",
        "skill_area": digital,
        "title": "Post on my own",
        "measure": "posts made alone",
        "target_value": Decimal("5"),
        "unit": "posts",
        "deadline": timezone.localdate() + timedelta(weeks=4),
    }
    assert 'value="Post on my own"' in response.content.decode()


def test_goal_create_leadership_template_is_the_mentors_goal_due_by_programme_end(
    client, pairing, leadership
):
    template = GoalTemplate.objects.create(
        skill_area=leadership,
        title="Animer une réunion",
        measure="réunions animées",
        target_value=Decimal("2"),
        unit="réunions",
        weeks=52,
    )

    response = as_user(client, pairing.mentee.user).get(
        reverse("goal_create", args=[pairing.pk]), {"template": template.pk}
    )

    initial = response.context["form"].initial
    assert initial["learner"] == "mentor"
    # 52 weeks from today is past the end of the programme (200 days away).
    assert initial["deadline"] == pairing.cohort.programme.ends_on
    # No English text in the template: the French one is shown.
    assert initial["title"] == "Animer une réunion"


def test_goal_create_from_template_keeps_the_template(client, pairing, digital):
    template = GoalTemplate.objects.create(
        skill_area=digital, title="Publier", measure="posts", target_value=3, unit="posts"
    )
    url = reverse("goal_create", args=[pairing.pk]) + f"?template={template.pk}"

    response = as_user(client, pairing.mentee.user).post(url, goal_data(digital))

    assert response.status_code == 302
    assert Goal.objects.get().template == template


def test_goal_create_deadline_before_the_pair_started_is_refused(client, pairing, digital):
    start = pairing.start_date()
    data = goal_data(digital, deadline=(start - timedelta(days=1)).isoformat())

    response = as_user(client, pairing.mentee.user).post(
        reverse("goal_create", args=[pairing.pk]), data
    )

    message = f"The deadline cannot be before the pair started ({start:%d/%m/%Y})."
    assert response.status_code == 422
    assert response.context["form"].errors == {"deadline": [message]}
    assert message in response.content.decode()
    assert Goal.objects.count() == 0


def test_goal_create_deadline_after_programme_end_is_refused(client, pairing, digital):
    ends_on = pairing.cohort.programme.ends_on
    data = goal_data(digital, deadline=(ends_on + timedelta(days=1)).isoformat())

    response = as_user(client, pairing.mentee.user).post(
        reverse("goal_create", args=[pairing.pk]), data
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "deadline": [f"The deadline cannot be after the end of the programme ({ends_on:%d/%m/%Y})."]
    }
    assert Goal.objects.count() == 0


def test_goal_create_deadline_on_programme_end_is_accepted(client, pairing, digital):
    ends_on = pairing.cohort.programme.ends_on

    response = as_user(client, pairing.mentee.user).post(
        reverse("goal_create", args=[pairing.pk]), goal_data(digital, deadline=ends_on.isoformat())
    )

    assert response.status_code == 302
    assert Goal.objects.get().deadline == ends_on


@pytest.mark.parametrize("status", ["proposed", "ended"])
def test_goal_create_on_a_pair_that_is_not_active_is_refused(client, digital, status):
    pairing = ActivePairingFactory(status=status, mentee__user=UserFactory(language="en"))

    response = as_user(client, pairing.mentee.user).post(
        reverse("goal_create", args=[pairing.pk]), goal_data(digital)
    )

    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["This pair is not active."]
    assert Goal.objects.count() == 0


def test_goal_create_service_on_an_ended_pair_says_not_active(digital):
    pairing = ActivePairingFactory(status="ended")
    goal = Goal(
        learner="mentee",
        skill_area=digital,
        title="Publier",
        measure="posts",
        target_value=3,
        unit="posts",
        deadline=timezone.localdate() + timedelta(days=10),
    )

    with translation.override("en"), pytest.raises(ValidationError) as error:
        goal_create(pairing=pairing, by=pairing.mentor.user, goal=goal)

    assert (error.value.code, error.value.messages) == ("not_active", ["This pair is not active."])
    assert Goal.objects.count() == 0


def test_goal_create_by_hr_is_forbidden_and_by_an_outsider_not_found(
    client, pairing, digital, hr_admin
):
    url = reverse("goal_create", args=[pairing.pk])

    assert as_user(client, hr_admin).post(url, goal_data(digital)).status_code == 403
    assert as_user(client, outsider()).post(url, goal_data(digital)).status_code == 404
    assert Goal.objects.count() == 0


# Progress ------------------------------------------------------------------------


def test_goal_progress_first_step_starts_the_goal(client, goal):
    mentee = goal.pairing.mentee.user

    response = as_user(client, mentee).post(
        reverse("goal_progress", args=[goal.pk]), {"value": "1"}
    )

    assert response.status_code == 302
    assert response.url == reverse("goal_detail", args=[goal.pk])
    goal.refresh_from_db()
    assert (goal.current_value, goal.status) == (Decimal("1"), Goal.Status.IN_PROGRESS)
    update = GoalUpdate.objects.get()
    assert (update.goal, update.author, update.session) == (goal, mentee, None)
    assert (update.previous_value, update.value, update.status) == (
        Decimal("0"),
        Decimal("1"),
        Goal.Status.IN_PROGRESS,
    )
    assert update.has_evidence is False


def test_goal_progress_reaching_the_target_achieves_the_goal(client, goal):
    goal.current_value, goal.status = Decimal("1"), Goal.Status.IN_PROGRESS
    goal.save()

    as_user(client, goal.pairing.mentor.user).post(
        reverse("goal_progress", args=[goal.pk]), {"value": "3"}
    )

    goal.refresh_from_db()
    assert (goal.current_value, goal.status) == (Decimal("3"), Goal.Status.ACHIEVED)
    update = GoalUpdate.objects.get()
    assert (update.previous_value, update.value) == (Decimal("1"), Decimal("3"))


def test_goal_progress_explicit_dropped_is_kept(client, goal):
    as_user(client, goal.pairing.mentee.user).post(
        reverse("goal_progress", args=[goal.pk]), {"value": "1", "status": "dropped"}
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.DROPPED

    # Later progress with no status asked does not revive a dropped goal.
    goal_progress(goal=goal, by=goal.pairing.mentee.user, value=Decimal("3"))

    goal.refresh_from_db()
    assert (goal.current_value, goal.status) == (Decimal("3"), Goal.Status.DROPPED)
    assert list(GoalUpdate.objects.values_list("status", flat=True)) == ["dropped", "dropped"]


def test_goal_progress_service_refuses_a_negative_value(goal):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        goal_progress(goal=goal, by=goal.pairing.mentee.user, value=Decimal("-1"))

    assert (error.value.code, error.value.messages) == (
        "value_range",
        ["Enter a value between 0 and 100,000."],
    )
    assert GoalUpdate.objects.count() == 0


def test_goal_progress_on_an_ended_pair_is_refused(client, goal):
    goal.pairing.status = "ended"
    goal.pairing.save()

    response = as_user(client, goal.pairing.mentee.user).post(
        reverse("goal_progress", args=[goal.pk]), {"value": "2"}
    )

    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["This pair is not active."]
    goal.refresh_from_db()
    assert goal.current_value == Decimal("0")
    assert GoalUpdate.objects.count() == 0


def test_goal_progress_by_hr_is_forbidden_and_by_an_outsider_not_found(client, goal, hr_admin):
    url = reverse("goal_progress", args=[goal.pk])

    assert as_user(client, hr_admin).post(url, {"value": "2"}).status_code == 403
    assert as_user(client, outsider()).post(url, {"value": "2"}).status_code == 404
    goal.refresh_from_db()
    assert goal.current_value == Decimal("0")
    assert GoalUpdate.objects.count() == 0


# Evidence --------------------------------------------------------------------------


def test_goal_progress_with_a_link_and_a_note(client, goal, media):
    response = as_user(client, goal.pairing.mentee.user).post(
        reverse("goal_progress", args=[goal.pk]),
        {"value": "1", "note": "My first post, alone!", "link": "example.org/my-post"},
    )

    assert response.status_code == 302
    update = GoalUpdate.objects.get()
    assert (update.note, update.link) == ("My first post, alone!", "https://example.org/my-post")
    assert (update.file.name, update.file_name, update.file_size) == ("", "", None)
    assert update.has_evidence is True
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("Attestation formation.pdf", PDF_BYTES, "application/pdf"),
        ("capture.PNG", PNG_BYTES, "image/png"),
    ],
)
def test_goal_progress_with_an_accepted_file_stores_it(client, goal, media, name, content, mime):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    response = as_user(client, goal.pairing.mentee.user).post(
        reverse("goal_progress", args=[goal.pk]), {"value": "1", "file": upload}
    )

    assert response.status_code == 302
    update = GoalUpdate.objects.get()
    # The type is read from the content, not taken from the browser.
    assert (update.file_name, update.file_type, update.file_size) == (name, mime, len(content))
    suffix = name.rsplit(".", 1)[-1].lower()
    assert update.file.name.startswith(f"evidence/{goal.pairing_id}/")
    assert update.file.name.endswith(f".{suffix}")
    assert stored_files(media) == [media / update.file.name]
    assert (media / update.file.name).read_bytes() == content
    goal.refresh_from_db()
    assert goal.current_value == Decimal("1")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120, NOT_ACCEPTED),
        ("notes.pdf", b"Just some text pretending to be a PDF.\n" * 5, NOT_ACCEPTED),
        ("scan.png", PDF_BYTES, NOT_ACCEPTED),
        (
            "big.pdf",
            PDF_BYTES + b"0" * (5 * 1024 * 1024),
            # filesizeformat keeps the number and unit together.
            "The file is too large (5.0\xa0MB); the limit is 5.0\xa0MB.",
        ),
        ("empty.pdf", b"", None),
    ],
)
def test_goal_progress_with_a_refused_file_saves_nothing(
    client, goal, media, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = as_user(client, goal.pairing.mentee.user).post(
        reverse("goal_progress", args=[goal.pk]),
        {"value": "2", "note": "see the file", "file": upload},
    )

    assert response.status_code == 422
    if message is None:
        # Django's own check for an empty upload.
        assert response.context["form"].errors == {"file": ["The submitted file is empty."]}
    else:
        assert response.context["form"].errors == {"file": [message]}
        assert message in response.content.decode()
    assert GoalUpdate.objects.count() == 0
    goal.refresh_from_db()
    assert (goal.current_value, goal.status) == (Decimal("0"), Goal.Status.NOT_STARTED)
    assert stored_files(media) == []


@pytest.fixture
def evidence(client, goal, media):
    upload = SimpleUploadedFile("certificat.pdf", PDF_BYTES, content_type="application/pdf")
    as_user(client, goal.pairing.mentee.user).post(
        reverse("goal_progress", args=[goal.pk]), {"value": "1", "file": upload}
    )
    client.logout()
    return GoalUpdate.objects.get()


@pytest.mark.parametrize("who", ["mentee", "mentor", "hr"])
def test_goal_evidence_downloads_as_an_attachment(client, evidence, hr_admin, who):
    pairing = evidence.goal.pairing
    user = {"mentee": pairing.mentee.user, "mentor": pairing.mentor.user, "hr": hr_admin}[who]

    response = as_user(client, user).get(reverse("goal_evidence", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="certificat.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_goal_evidence_is_not_found_for_an_outsider_and_a_manager(client, evidence, manager):
    url = reverse("goal_evidence", args=[evidence.pk])

    assert as_user(client, outsider()).get(url).status_code == 404
    assert as_user(client, manager).get(url).status_code == 404


def test_goal_evidence_of_an_update_without_file_is_not_found(client, goal):
    update = goal_progress(goal=goal, by=goal.pairing.mentee.user, value=Decimal("1"), note="ok")

    response = as_user(client, goal.pairing.mentee.user).get(
        reverse("goal_evidence", args=[update.pk])
    )

    assert response.status_code == 404


def test_goal_evidence_anonymous_is_sent_to_login(client, evidence):
    response = client.get(reverse("goal_evidence", args=[evidence.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Escaping ----------------------------------------------------------------------------


def test_goal_title_and_progress_note_are_escaped(client, goal):
    goal.title = "<script>alert('title')</script>"
    goal.save()
    goal_progress(
        goal=goal,
        by=goal.pairing.mentor.user,
        value=Decimal("1"),
        note="<script>alert('note')</script>",
    )
    as_user(client, goal.pairing.mentee.user)

    pair_page = client.get(reverse("pairing_detail", args=[goal.pairing.pk])).content.decode()
    goal_page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()

    for html in (pair_page, goal_page):
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
        assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in goal_page
