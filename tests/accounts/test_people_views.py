"""HR brings people in: the CSV import, the people list, adding and editing a person."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.importing import parse_employees
from accounts.models import EmployeeImport, User
from accounts.services import employee_import_plan
from tests.factories import EmployeeImportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_hr_admin(hr_admin):
    # The site speaks the logged-in user's language: messages are asserted in
    # English, which the catalogues will not change.
    hr_admin.language = "en"
    hr_admin.last_name = "Rousseau"
    hr_admin.save(update_fields=["language", "last_name"])
    # UserLanguageMiddleware activates the user's language for the thread and
    # leaves it on: put back the previous one so later tests are not in English.
    with translation.override(translation.get_language()):
        yield


def upload(client, content: bytes, name="personnes.csv"):
    return client.post(
        reverse("people_import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response, field):
    return response.context["form"].errors.get(field)


# --- access ------------------------------------------------------------------


def all_urls(person, employee_import):
    p, i = person.pk, employee_import.pk
    return [
        ("people_list", "get", reverse("people_list")),
        ("people_create", "get", reverse("people_create")),
        ("people_edit", "get", reverse("people_edit", args=[p])),
        ("people_invite", "post", reverse("people_invite", args=[p])),
        ("people_import", "get", reverse("people_import")),
        ("people_import_template", "get", reverse("people_import_template")),
        ("people_import_preview", "get", reverse("people_import_preview", args=[i])),
        ("people_import_confirm", "post", reverse("people_import_confirm", args=[i])),
    ]


def test_every_people_url_is_covered():
    from accounts.urls import urlpatterns

    listed = {name for name, _m, _u in all_urls(UserFactory(), EmployeeImportFactory())}
    assert {p.name for p in urlpatterns} - {"language_switch"} == listed


def test_anonymous_is_sent_to_login_everywhere(client):
    for _name, method, url in all_urls(UserFactory(), EmployeeImportFactory()):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('account_login')}?next={url}", url


@pytest.mark.parametrize("who", ["participant_client", "manager_client"])
def test_people_pages_are_forbidden_to_other_roles(request, who):
    client = request.getfixturevalue(who)
    employee_import = EmployeeImportFactory()
    for _name, method, url in all_urls(UserFactory(), employee_import):
        assert getattr(client, method)(url).status_code == 403, url
    assert User.objects.filter(email="nora@example.org").exists() is False
    assert len(mail.outbox) == 0


def test_any_hr_admin_may_see_an_import(client):
    employee_import = EmployeeImportFactory()  # uploaded by another HR admin
    other_hr = UserFactory(role=User.Role.HR_ADMIN, language="en")
    client.force_login(other_hr)
    response = client.get(reverse("people_import_preview", args=[employee_import.pk]))
    assert response.status_code == 200
    assert [row.email for row in response.context["plan"].to_create] == ["nora@example.org"]


def test_an_unknown_import_is_not_found(hr_client):
    assert hr_client.get(reverse("people_import_preview", args=[999])).status_code == 404
    assert hr_client.post(reverse("people_import_confirm", args=[999])).status_code == 404


# --- upload and preview ------------------------------------------------------

GOOD_FILE = (
    "courriel;prénom;nom;service;poste;responsable;ancienneté;langue\r\n"
    "nora@example.org;Nora;Benali;Data;Analyste;;2;en\r\n"
    "yanis@example.org;Yanis;Morel;Data;Stagiaire;nora@example.org;0;en\r\n"
)


def test_upload_shows_a_preview_and_creates_nobody(hr_client, hr_admin):
    people_before = User.objects.count()
    response = upload(hr_client, "\ufeff".encode() + GOOD_FILE.encode())
    employee_import = EmployeeImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people_import_preview", args=[employee_import.pk])
    assert employee_import.uploaded_by == hr_admin
    assert employee_import.filename == "personnes.csv"
    assert employee_import.content == GOOD_FILE
    assert employee_import.applied_at is None

    response = hr_client.get(response["Location"])
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.problems == []
    assert [row.email for row in plan.to_create] == ["nora@example.org", "yanis@example.org"]
    content = response.content.decode()
    assert "2 new people receive an invitation email." in content
    assert reverse("people_import_confirm", args=[employee_import.pk]) in content
    assert User.objects.count() == people_before
    assert len(mail.outbox) == 0


def test_upload_with_commas_and_english_headers(hr_client):
    upload(hr_client, b"email,first_name,last_name\nnora@example.org,Nora,Benali\n")
    response = hr_client.get(EmployeeImport.objects.get().get_absolute_url())
    assert response.context["plan"].problems == []
    assert response.context["plan"].delimiter == ","


def test_upload_in_windows_1252_is_refused_with_a_hint(hr_client):
    response = upload(
        hr_client, "email;first_name;last_name\nl@example.org;Léa;M\n".encode("cp1252")
    )
    assert response.status_code == 422
    assert form_errors(response, "file") == [
        "Bad encoding: the file is not in UTF-8 (unreadable character at byte 43). "
        "In Excel, use File › Save as › “CSV UTF-8 (comma delimited) (*.csv)”; "
        "in LibreOffice, choose the character set “Unicode (UTF-8)”."
    ]
    assert "CSV UTF-8 (comma delimited)" in response.content.decode()
    assert EmployeeImport.objects.count() == 0


def test_upload_larger_than_2_mb_is_refused(hr_client):
    line = b"someone@example.org;Some;One\n"
    content = b"email;first_name;last_name\n" + line * (3 * 1024 * 1024 // len(line))
    response = upload(hr_client, content)
    assert response.status_code == 422
    assert form_errors(response, "file") == [
        "The file is larger than 2 MB. Split it into several files."
    ]
    assert EmployeeImport.objects.count() == 0


def test_upload_of_a_binary_file_is_refused(hr_client):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
    response = upload(hr_client, png, name="photo.csv")
    assert response.status_code == 422
    assert form_errors(response, "file")[0].startswith("This is not a text file.")
    assert EmployeeImport.objects.count() == 0


def test_upload_of_an_empty_file_is_refused(hr_client):
    response = upload(hr_client, b"")
    assert response.status_code == 422
    assert form_errors(response, "file") == ["The file is empty."]
    assert EmployeeImport.objects.count() == 0


def test_upload_without_a_file(hr_client):
    response = hr_client.post(reverse("people_import"), {})
    assert response.status_code == 422
    assert form_errors(response, "file") == ["This field is required."]


def test_preview_lists_the_problems_and_offers_no_confirmation(hr_client):
    employee_import = EmployeeImportFactory(
        content="email;first_name;last_name;manager_email\n"
        "nora@example.org;Nora;;\n"
        "yanis@example.org;Yanis;Morel;ghost@example.org\n"
    )
    response = hr_client.get(employee_import.get_absolute_url())
    assert response.status_code == 200
    assert [(p.line, p.column, p.message) for p in response.context["plan"].problems] == [
        (2, "last_name", "The last name is missing."),
        (
            3,
            "manager_email",
            "No one has the email “ghost@example.org”, in this file or on the platform.",
        ),
    ]
    content = response.content.decode()
    assert "<td>The last name is missing.</td>" in content
    assert "Nothing can be imported until the file is clean" in content
    assert reverse("people_import_confirm", args=[employee_import.pk]) not in content


def test_preview_shows_the_changes_for_people_already_there(hr_client):
    boss = UserFactory(email="boss@example.org", first_name="Anne", last_name="Leroy")
    UserFactory(
        email="nora@example.org",
        first_name="Nora",
        last_name="Benali",
        department="Marketing",
        job_title="Analyste",
        seniority_years=2,
        language="fr",
    )
    employee_import = EmployeeImportFactory(
        content="email;first_name;last_name;department;manager;language\n"
        "NORA@example.org;Nora;Benali;Finance;boss@example.org;en\n"
    )
    response = hr_client.get(employee_import.get_absolute_url())
    assert response.context["plan"].to_create == []
    assert response.context["updates"][0]["changes"] == [
        {"label": "department", "old": "Marketing", "new": "Finance"},
        {"label": "line manager", "old": None, "new": boss.email},
        {"label": "preferred language", "old": "French", "new": "English"},
    ]
    content = response.content.decode()
    assert "<del>Marketing</del> → <ins>Finance</ins>" in content
    assert "<del>—</del> → <ins>boss@example.org</ins>" in content


def test_preview_shows_the_direction_of_new_people_and_its_changes(hr_client):
    UserFactory(email="nora@example.org", first_name="Nora", last_name="Benali")
    employee_import = EmployeeImportFactory(
        content="email;first_name;last_name;direction\n"
        "nora@example.org;Nora;Benali;Direction financière\n"
        "yanis@example.org;Yanis;Morel;Direction des systèmes d’information\n"
    )
    response = hr_client.get(employee_import.get_absolute_url())
    assert response.context["updates"][0]["changes"] == [
        {"label": "direction", "old": None, "new": "Direction financière"},
    ]
    content = response.content.decode()
    assert "<del>—</del> → <ins>Direction financière</ins>" in content
    assert "<td>Direction des systèmes d’information</td>" in content
    assert '<th scope="col">Direction</th>' in content


def test_the_upload_page_documents_the_direction_column(hr_client):
    content = hr_client.get(reverse("people_import")).content.decode()
    assert "<code>direction</code>" in content
    assert "<td>division, business_unit</td>" in content
    assert "<td>service, département</td>" in content


# --- confirmation ----------------------------------------------------------------


@pytest.fixture
def lea():
    """Already on the platform, with a password of her own."""
    return UserFactory(
        email="lea@example.org",
        first_name="Léa",
        last_name="Martin",
        department="Marketing",
        job_title="Stagiaire",
        seniority_years=1,
        language="fr",
        role=User.Role.MANAGER,
    )


IMPORT_FILE = (
    "email;first_name;last_name;department;job_title;manager_email;seniority;language\n"
    "nora@example.org;Nora;Benali;Data;Analyste;lea@example.org;2;en\n"
    "yanis@example.org;Yanis;Morel;Data;Stagiaire;nora@example.org;;en\n"
    "LEA@example.org;Léa;Martin;Direction;Directrice;;12;\n"
)


def confirm(client, employee_import, capture):
    with capture(execute=True) as callbacks:
        response = client.post(reverse("people_import_confirm", args=[employee_import.pk]))
    return response, callbacks


def test_confirm_creates_updates_sets_managers_and_invites(
    hr_client, hr_admin, lea, django_capture_on_commit_callbacks
):
    employee_import = EmployeeImportFactory(content=IMPORT_FILE)
    response, callbacks = confirm(hr_client, employee_import, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("people_list")
    assert messages_of(response) == ["2 people created, 1 updated; 2 invitations sent."]

    nora = User.objects.get(email="nora@example.org")
    yanis = User.objects.get(email="yanis@example.org")
    assert (
        nora.first_name,
        nora.last_name,
        nora.department,
        nora.job_title,
        nora.manager,
        nora.seniority_years,
        nora.language,
        nora.role,
    ) == ("Nora", "Benali", "Data", "Analyste", lea, 2, "en", User.Role.PARTICIPANT)
    assert (yanis.manager, yanis.seniority_years, yanis.job_title) == (nora, 0, "Stagiaire")
    assert not nora.has_usable_password() and not yanis.has_usable_password()

    lea.refresh_from_db()
    assert (lea.department, lea.job_title, lea.seniority_years) == ("Direction", "Directrice", 12)
    assert (lea.language, lea.role, lea.manager) == ("fr", User.Role.MANAGER, None)
    assert lea.check_password("password")  # her account is untouched

    employee_import.refresh_from_db()
    assert employee_import.applied_by == hr_admin
    assert employee_import.applied_at is not None
    assert (employee_import.created_count, employee_import.updated_count) == (2, 1)

    assert len(callbacks) == 2
    assert [message.to for message in mail.outbox] == [["nora@example.org"], ["yanis@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "[Reverse mentoring] Claire Rousseau invites you to reverse mentoring"
    assert "Hello Nora," in message.body
    assert "Claire Rousseau invites you to join the reverse-mentoring programme." in message.body
    assert "The link works for 3 days." in message.body
    assert re.search(r"http://testserver/accounts/password/reset/key/\w+-[\w-]+/", message.body)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="http://testserver/accounts/password/reset/key/' in html


def test_confirm_a_file_with_a_direction_column(hr_client, lea, django_capture_on_commit_callbacks):
    User.objects.filter(pk=lea.pk).update(direction="Direction commerciale")
    employee_import = EmployeeImportFactory(
        content="Courriel;Prénom;Nom;Service;Direction\n"
        "nora@example.org;Nora;Benali;Comptabilité;Direction financière\n"
        "yanis@example.org;Yanis;Morel;Data;\n"
        "lea@example.org;Léa;Martin;Communication;\n"
    )
    response, _callbacks = confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert messages_of(response) == ["2 people created, 1 updated; 2 invitations sent."]
    people = User.objects.exclude(role=User.Role.HR_ADMIN).order_by("email")
    assert list(people.values_list("email", "department", "direction")) == [
        ("lea@example.org", "Communication", "Direction commerciale"),  # empty cell: kept
        ("nora@example.org", "Comptabilité", "Direction financière"),
        ("yanis@example.org", "Data", ""),
    ]


def test_the_invitation_link_lets_the_person_choose_a_password(
    hr_client, django_capture_on_commit_callbacks
):
    employee_import = EmployeeImportFactory()
    confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)

    newcomer = Client()
    response = newcomer.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = newcomer.post(
        form_url, {"password1": "Mentorat-2026!", "password2": "Mentorat-2026!"}
    )
    assert response.status_code == 302
    nora = User.objects.get(email="nora@example.org")
    assert nora.check_password("Mentorat-2026!")


def test_confirming_twice_is_refused_and_nothing_happens_twice(
    hr_client, lea, django_capture_on_commit_callbacks
):
    employee_import = EmployeeImportFactory(content=IMPORT_FILE)
    confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    people = User.objects.count()

    response, callbacks = confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert response.context["confirm_errors"] == ["This file has already been imported."]
    assert "This file has already been imported." in response.content.decode()
    assert callbacks == []
    assert User.objects.count() == people
    assert len(mail.outbox) == 2


def test_an_applied_import_shows_what_it_did(hr_client, django_capture_on_commit_callbacks):
    employee_import = EmployeeImportFactory()
    confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    response = hr_client.get(employee_import.get_absolute_url())
    content = response.content.decode()
    assert "by Claire Rousseau: 1 created, 0 updated." in content
    assert reverse("people_import_confirm", args=[employee_import.pk]) not in content


def test_confirming_a_file_with_problems_is_refused(hr_client, django_capture_on_commit_callbacks):
    employee_import = EmployeeImportFactory(
        content="email;first_name;last_name\nnora@example.org;Nora;Benali\nbad;Bad;Email\n"
    )
    people = User.objects.count()
    response, callbacks = confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert response.context["confirm_errors"] == [
        "The file has problems (people may have changed on the platform since the preview). "
        "Fix them and upload the file again; nothing was imported."
    ]
    assert User.objects.count() == people
    assert callbacks == [] and mail.outbox == []
    employee_import.refresh_from_db()
    assert employee_import.applied_at is None


def test_confirm_checks_the_file_again(hr_client, lea, django_capture_on_commit_callbacks):
    employee_import = EmployeeImportFactory(
        content="email;first_name;last_name;manager_email\nnora@example.org;Nora;Benali;lea@example.org\n"
    )
    assert hr_client.get(employee_import.get_absolute_url()).context["plan"].problems == []
    lea.delete()  # after the preview, before the confirmation

    response, _ = confirm(hr_client, employee_import, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert [p.message for p in response.context["plan"].problems] == [
        "No one has the email “lea@example.org”, in this file or on the platform."
    ]
    assert not User.objects.filter(email="nora@example.org").exists()


def test_confirm_needs_post(hr_client):
    employee_import = EmployeeImportFactory()
    response = hr_client.get(reverse("people_import_confirm", args=[employee_import.pk]))
    assert response.status_code == 405


def test_template_download(hr_client):
    response = hr_client.get(reverse("people_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="people-import-template.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith(
        "\ufeffcourriel;prénom;nom;service;direction;poste;responsable;ancienneté;langue\r\n"
    )
    plan = parse_employees(text, {})
    assert plan.problems == []
    assert len(plan.to_create) == 2


# --- the people list ---------------------------------------------------------------


def queries_for(client, url, **headers):
    client.get(url, **headers)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def make_people(n):
    boss = UserFactory()
    for _ in range(n - 1):
        UserFactory(manager=boss)


def test_people_list_query_count_does_not_grow(hr_client):
    make_people(1)
    small, response = queries_for(hr_client, reverse("people_list"))
    assert response.context["page"].paginator.count == 2  # with the HR admin
    make_people(20)
    large, response = queries_for(hr_client, reverse("people_list"))
    assert response.context["page"].paginator.count == 22
    assert small == large


def test_people_list_shows_each_person(hr_client):
    boss = UserFactory(first_name="Anne", last_name="Leroy")
    person = UserFactory(
        first_name="Nora",
        last_name="Benali",
        email="nora@example.org",
        department="Data",
        direction="Direction financière",
        job_title="Analyste",
        manager=boss,
        seniority_years=4,
    )
    content = hr_client.get(reverse("people_list")).content.decode()
    assert f'<a href="{reverse("people_edit", args=[person.pk])}">Nora Benali</a>' in content
    assert '<th scope="col">Direction</th>' in content
    for cell in [
        "nora@example.org",
        "Data",
        "Direction financière",
        "Analyste",
        "Anne Leroy",
        "4",
        "Participant",
    ]:
        assert f"<td>{cell}</td>" in content or f'<td class="text-end">{cell}</td>' in content
    assert "Invited" in content
    assert "Import a CSV file" in content and "Add a person" in content


def test_people_list_is_paginated_by_fifty(hr_client):
    for n in range(55):
        UserFactory(last_name=f"Zz{n:02}")
    response = hr_client.get(reverse("people_list"))
    assert len(response.context["people"]) == 50
    response = hr_client.get(reverse("people_list"), {"page": 2})
    assert len(response.context["people"]) == 6  # 55 and the HR admin
    assert "Page 2 of 2" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("benali", ["nora@example.org"]),
        ("YANIS", ["yanis@example.org"]),
        ("finance", ["yanis@example.org"]),
        ("@example.org data", ["nora@example.org"]),
        ("nora finance", []),
    ],
)
def test_people_search(hr_client, query, expected):
    UserFactory(email="nora@example.org", first_name="Nora", last_name="Benali", department="Data")
    UserFactory(
        email="yanis@example.org", first_name="Yanis", last_name="Morel", department="Finance"
    )
    response = hr_client.get(reverse("people_list"), {"q": query})
    assert [person.email for person in response.context["people"]] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("financière", ["nora@example.org"]),
        ("DIRECTION", ["nora@example.org", "yanis@example.org"]),
        ("direction commerciale", ["yanis@example.org"]),
        ("morel financière", []),
    ],
)
def test_people_search_by_direction(hr_client, query, expected):
    UserFactory(
        email="nora@example.org",
        first_name="Nora",
        last_name="Benali",
        department="Comptabilité",
        direction="Direction financière",
    )
    UserFactory(
        email="yanis@example.org",
        first_name="Yanis",
        last_name="Morel",
        department="Ventes",
        direction="Direction commerciale",
    )
    response = hr_client.get(reverse("people_list"), {"q": query})
    assert [person.email for person in response.context["people"]] == expected


def test_people_search_with_htmx_returns_the_table_only(hr_client):
    UserFactory(email="nora@example.org", first_name="Nora", last_name="Benali")
    response = hr_client.get(reverse("people_list"), {"q": "nora"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="people-table">')
    assert "<html" not in content
    assert "nora@example.org" in content
    assert "rh@example.org" not in content


# --- adding and editing a person -----------------------------------------------------


def person_data(**overrides):
    return {
        "email": "Nora@Example.org",
        "first_name": "Nora",
        "last_name": "Benali",
        "department": "Data",
        "direction": "Direction financière",
        "job_title": "Analyste",
        "manager": "",
        "seniority_years": "2",
        "language": "en",
        "role": "participant",
        **overrides,
    }


def test_add_a_person_sends_an_invitation(hr_client, lea, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(reverse("people_create"), person_data(manager=lea.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("people_list")
    nora = User.objects.get(email="nora@example.org")
    assert (
        nora.first_name,
        nora.last_name,
        nora.department,
        nora.direction,
        nora.job_title,
    ) == ("Nora", "Benali", "Data", "Direction financière", "Analyste")
    assert (nora.manager, nora.seniority_years, nora.language, nora.role) == (
        lea,
        2,
        "en",
        User.Role.PARTICIPANT,
    )
    assert not nora.has_usable_password()
    assert messages_of(response) == [
        "Nora Benali added; an invitation is on its way to nora@example.org."
    ]
    assert [message.to for message in mail.outbox] == [["nora@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_person_form_puts_the_direction_next_to_the_department(hr_client, lea):
    response = hr_client.get(reverse("people_edit", args=[lea.pk]))
    assert list(response.context["form"].fields)[3:6] == ["department", "direction", "job_title"]
    assert 'name="direction"' in response.content.decode()


def test_edit_a_person_clears_their_direction(hr_client, lea):
    User.objects.filter(pk=lea.pk).update(direction="Direction commerciale")
    response = hr_client.post(
        reverse("people_edit", args=[lea.pk]),
        person_data(email="lea@example.org", direction="", role="manager"),
    )
    assert response.status_code == 302
    lea.refresh_from_db()
    assert (lea.department, lea.direction) == ("Data", "")


def test_add_a_person_with_an_email_taken_in_another_case(hr_client, lea):
    response = hr_client.post(reverse("people_create"), person_data(email="LEA@example.org"))
    assert response.status_code == 422
    assert form_errors(response, "email") == ["Someone on the platform already has this email."]
    assert User.objects.filter(email__iexact="lea@example.org").count() == 1


def test_add_a_person_needs_a_name(hr_client):
    response = hr_client.post(reverse("people_create"), person_data(first_name="", last_name=""))
    assert response.status_code == 422
    assert form_errors(response, "first_name") == ["This field is required."]
    assert form_errors(response, "last_name") == ["This field is required."]


def test_edit_a_person(hr_client, lea):
    boss = UserFactory(email="boss@example.org")
    response = hr_client.post(
        reverse("people_edit", args=[lea.pk]),
        person_data(email="lea@example.org", first_name="Léa", manager=boss.pk, role="manager"),
    )
    assert response.status_code == 302
    lea.refresh_from_db()
    assert (lea.last_name, lea.department, lea.direction, lea.manager, lea.role) == (
        "Benali",
        "Data",
        "Direction financière",
        boss,
        User.Role.MANAGER,
    )
    assert lea.check_password("password")
    assert messages_of(response) == ["Léa Benali saved."]


def test_edit_refuses_a_loop_in_the_reporting_line(hr_client):
    top = UserFactory(email="top@example.org")
    middle = UserFactory(manager=top)
    bottom = UserFactory(manager=middle)
    response = hr_client.post(
        reverse("people_edit", args=[top.pk]),
        person_data(email="top@example.org", manager=bottom.pk),
    )
    assert response.status_code == 422
    assert form_errors(response, "manager") == ["This would create a loop in the reporting line."]
    top.refresh_from_db()
    assert top.manager is None


def test_edit_does_not_offer_the_person_as_their_own_manager(hr_client, lea):
    response = hr_client.get(reverse("people_edit", args=[lea.pk]))
    assert lea not in response.context["form"].fields["manager"].queryset
    response = hr_client.post(
        reverse("people_edit", args=[lea.pk]), person_data(email="lea@example.org", manager=lea.pk)
    )
    assert response.status_code == 422
    assert form_errors(response, "manager") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    lea.refresh_from_db()
    assert lea.manager is None


def test_edit_with_an_email_taken_by_someone_else(hr_client, lea):
    UserFactory(email="nora@example.org")
    response = hr_client.post(reverse("people_edit", args=[lea.pk]), person_data())
    assert response.status_code == 422
    assert form_errors(response, "email") == ["Someone on the platform already has this email."]


def test_an_hr_admin_cannot_change_their_own_role(hr_client, hr_admin):
    response = hr_client.post(
        reverse("people_edit", args=[hr_admin.pk]),
        person_data(email=hr_admin.email, role="participant"),
    )
    assert response.status_code == 302
    hr_admin.refresh_from_db()
    assert hr_admin.role == User.Role.HR_ADMIN


def test_send_the_invitation_again(hr_client):
    nora = UserFactory(email="nora@example.org", language="en")
    response = hr_client.post(reverse("people_invite", args=[nora.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people_edit", args=[nora.pk])
    assert messages_of(response) == ["Invitation sent again to nora@example.org."]
    assert [message.to for message in mail.outbox] == [["nora@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_no_invitation_for_someone_who_has_logged_in(hr_client, lea):
    Client().force_login(lea)  # sets last_login
    response = hr_client.post(reverse("people_invite", args=[lea.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [
        "Léa Martin has already logged in. If they forgot their password, they can reset it "
        "from the login page."
    ]
    assert mail.outbox == []


def test_edit_page_offers_the_invitation_only_before_the_first_login(hr_client, lea):
    invite_url = reverse("people_invite", args=[lea.pk])
    assert invite_url in hr_client.get(reverse("people_edit", args=[lea.pk])).content.decode()
    Client().force_login(lea)
    assert invite_url not in hr_client.get(reverse("people_edit", args=[lea.pk])).content.decode()


def test_people_list_history_restore_gets_the_whole_page(hr_client):
    response = hr_client.get(
        reverse("people_list"),
        {"q": "nora"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_a_file_repeating_a_persons_direction_changes_nothing():
    """The plan reads each person's current direction: repeating it is no change."""
    UserFactory(
        email="lea@example.org",
        first_name="Léa",
        last_name="Martin",
        department="Marketing",
        direction="Direction commerciale",
    )
    upload = EmployeeImportFactory(
        content="email;first_name;last_name;department;direction\n"
        "lea@example.org;Léa;Martin;Marketing;Direction commerciale\n"
    )
    plan = employee_import_plan(employee_import=upload)
    assert [row.email for row in plan.unchanged] == ["lea@example.org"]
    assert plan.to_update == []
