"""Cross-site scripting: hostile text in every field people can write, then every page shows it.

For each payload of the corpus a whole platform is built with the payload in
every user-editable text field (names, departments, programme and cohort
names and descriptions, skill areas, goals, sessions, notes, imports, matching
explanations, notifications...). Then every page that shows user text is
fetched, as the person who reads it, and checked:

- the payload is there, escaped (so the page really shows the field);
- its raw form is not: no tag, no attribute, no event handler comes from it;
- no ``on*=`` or ``hx-on`` attribute and no inline script anywhere (the CSP
  forbids them too), no ``javascript:`` URL in a link, and every JSON island
  (``json_script``, read by Chart.js) parses, holding the text as data;
- ``{{ 7*7 }}`` and ``{% now %}`` stay literal: user text is never a template.

The e-mails (invitation, notification) get the same checks on their HTML part.
CSV and XLSX exports are checked for formula injection, links and URL fields
for ``javascript:``, and the calendar files for injected properties.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template.loader import render_to_string
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from evaluation.metrics import engagement_snapshot_take
from evaluation.models import Assessment
from evaluation.selectors import verdict_context
from matching.services import match_run_execute, match_run_start
from notifications.models import Notification
from notifications.services import notification_send
from pairs.models import AgendaTemplate, GoalTemplate, GoalUpdate, Pairing, PrivateNote, Session
from programmes.models import Participant, Programme
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    CohortFactory,
    EmployeeImportFactory,
    GoalFactory,
    HeldSessionFactory,
    PairingFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SessionFactory,
    SkillAreaFactory,
    TrainingModuleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "svg": "'><svg onload=alert(1)>",
    "textarea": "</textarea><svg onload=alert(1)>",
    "title": "</title><script>alert(1)</script>",
    "attribute": '" autofocus onfocus="alert(1)',
    "template": "{{7*7}}{% now 'Y' %}",
    "js_url": "javascript:alert(1)",
    "escaped": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "json": "</script><script>alert(1)</script>",
    "entity": "&lt;script&gt;alert(1)&lt;/script&gt;",
}
# Links people write. The forms must refuse every one of these.
JAVASCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
# Valid URLs that carry markup: accepted, and escaped in href="...".
MARKUP_URL = 'https://example.org/?q="><svg/onload=alert(1)>'
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


JSON_ISLAND = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)


class _PageChecker(HTMLParser):
    """Collects what would run: handler attributes, script URLs, inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_islands: list[object] = []
        self._json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"event handler attribute <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"script URL <{tag} {name}={value!r}>")
        if tag == "script":
            if values.get("type") == "application/json":
                self._json = []
            elif not values.get("src"):
                self.problems.append(f"inline script <script {attrs}>")
        if tag in ("iframe", "object", "embed", "base", "svg", "img") and "alert(1)" in str(attrs):
            self.problems.append(f"injected <{tag} {attrs}>")

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            text = "".join(self._json)
            self._json = None
            try:
                self.json_islands.append(json.loads(text))
            except ValueError:
                self.problems.append(f"a json_script island does not parse: {text[:200]!r}")


def html_problems(body: str, payload: str) -> list[str]:
    checker = _PageChecker()
    checker.feed(body)
    checker.close()
    problems = list(checker.problems)
    # JSON islands hold the text as data, where only <, > and & need escaping (checked apart).
    markup = JSON_ISLAND.sub("", body)
    if any(c in payload for c in "<>\"'&") and payload in markup:
        at = markup.index(payload)
        problems.append(f"raw payload in the page: …{markup[max(0, at - 80) : at + 80]!r}…")
    for island in JSON_ISLAND.findall(body):
        if re.search(r"[<>&]", island):
            problems.append(f"unescaped < > & in a JSON island: {island[:200]!r}")
    return problems


def assert_safe_page(response, payload: str, where: str, *, shows: bool = True) -> str:
    assert response.status_code == 200, f"{where}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html"), where
    body = response.content.decode()
    problems = html_problems(body, payload)
    assert not problems, f"{where}: " + "\n".join(problems)
    if shows:
        assert escape(payload) in body, f"{where}: the payload is not shown (escaped)"
    return body


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


# The world ---------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _person(p: str, **extra) -> User:
    return UserFactory(
        first_name=p, last_name=p, department=p[:100], direction=p[:100], job_title=p, **extra
    )


def build_world(p: str) -> SimpleNamespace:
    """A running programme and an open one, every text field holding the payload ``p``."""
    today = timezone.localdate()
    now = timezone.now()
    w = SimpleNamespace(payload=p, today=today)
    w.hr = _person(p, role=User.Role.HR_ADMIN)
    w.manager = _person(p, role=User.Role.MANAGER)
    w.digital = SkillAreaFactory(
        name=f"{p} D"[:100], name_en=f"{p} D"[:100], description=p, category="digital"
    )
    w.leadership = SkillAreaFactory(
        name=f"{p} L"[:100], name_en=f"{p} L"[:100], description=p, category="leadership"
    )
    areas = [w.digital, w.leadership]

    # The running programme, with an active pair that did everything.
    w.programme = ProgrammeFactory(
        name=p,
        objectives=f"{p}\n{p}",
        status=Programme.Status.RUNNING,
        starts_on=today - timedelta(days=90),
        ends_on=today + timedelta(days=200),
        skill_areas=areas,
    )
    w.cohort = CohortFactory(
        programme=w.programme,
        name=p,
        starts_on=w.programme.starts_on,
        ends_on=w.programme.ends_on,
    )
    member = {"cohort": w.cohort, "motivation": p}
    w.pairing = ActivePairingFactory(
        cohort=w.cohort,
        mentor=ParticipantFactory(user=_person(p, seniority_years=2), role="mentor", **member),
        mentee=ParticipantFactory(user=_person(p, seniority_years=25), role="mentee", **member),
        intro_place=p,
    )
    w.mentor, w.mentee = w.pairing.mentor.user, w.pairing.mentee.user
    w.goal = GoalFactory(
        pairing=w.pairing, skill_area=w.digital, title=p, measure=p, unit=p[:40], learner="mentee"
    )
    GoalFactory(
        pairing=w.pairing,
        skill_area=w.leadership,
        title=p,
        measure=p,
        unit=p[:40],
        learner="mentor",
    )
    w.update = GoalUpdate.objects.create(
        goal=w.goal,
        author=w.mentee,
        value=Decimal("1"),
        previous_value=Decimal("0"),
        status="in_progress",
        note=p,
        link=MARKUP_URL,
        file=SimpleUploadedFile("evidence.pdf", PDF_BYTES),
        file_name=f"{p}.pdf",
        file_type="application/pdf",
        file_size=len(PDF_BYTES),
    )
    w.planned = SessionFactory(pairing=w.pairing, place=p, agenda=p)
    w.held = HeldSessionFactory(
        pairing=w.pairing,
        place=p,
        agenda=p,
        shared_notes=p,
        mentor_learned=p,
        mentee_learned=p,
        next_steps=p,
    )
    w.held.topics.set(areas)
    w.cancelled = SessionFactory(
        pairing=w.pairing,
        status=Session.Status.CANCELLED,
        starts_at=now - timedelta(days=10),
        place=p,
        agenda=p,
        cancel_reason=p,
    )
    PrivateNote.objects.create(pairing=w.pairing, author=w.mentee, body=p)
    PrivateNote.objects.create(pairing=w.pairing, session=w.held, author=w.mentee, body=p)
    CheckInFactory(pairing=w.pairing, respondent=w.mentee, comment=p, hr_comment=p)
    for kind, level in (("baseline", 1), ("final", 4)):
        Assessment.objects.create(
            pairing=w.pairing,
            respondent=w.mentee,
            side="mentee",
            kind=kind,
            skill_area=w.digital,
            level=level,
        )
    w.declined = PairingFactory(
        cohort=w.cohort,
        status=Pairing.Status.DECLINED,
        decline_reason=p,
        declined_by=w.mentee,
        declined_at=now - timedelta(days=20),
        mentor__user=_person(p),
        mentee__user=_person(p),
    )
    w.ended = PairingFactory(
        cohort=w.cohort,
        status=Pairing.Status.ENDED,
        outcome="ended_early",
        end_reason=p,
        activated_at=now - timedelta(days=60),
        ended_at=now - timedelta(days=5),
        mentor__user=_person(p),
        mentee__user=_person(p),
    )
    w.proposed = PairingFactory(
        cohort=w.cohort,
        status=Pairing.Status.PROPOSED,
        intro_place=p,
        mentor__user=_person(p),
        mentee__user=_person(p),
    )
    w.module = TrainingModuleFactory(programme=w.programme, title=p, content=p, url=MARKUP_URL)
    w.goal_template = GoalTemplate.objects.create(
        skill_area=w.digital,
        title=p,
        title_en=p,
        measure=p,
        measure_en=p,
        target_value=Decimal("3"),
        unit=p[:40],
        unit_en=p[:40],
    )
    w.agenda_template = AgendaTemplate.objects.create(
        skill_area=w.digital, minutes=45, title=p, title_en=p, agenda=p, agenda_en=p
    )
    Notification.objects.create(
        key=f"xss:{p}",
        kind=Notification.Kind.CHECKIN_DUE,
        recipient=w.mentee,
        pairing=w.pairing,
        due_on=today,
        status=Notification.Status.SENT,
        sent_at=now,
        subject=p,
        url=w.pairing.get_absolute_url(),
    )

    # The open programme: volunteers, one pending, and a matching run with its explanations.
    w.open = ProgrammeFactory(
        name=p,
        objectives=p,
        status=Programme.Status.ENROLMENT,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=300),
        mentor_training_required=False,
        skill_areas=areas,
    )
    w.open_cohort = CohortFactory(
        programme=w.open, name=p, starts_on=w.open.starts_on, ends_on=w.open.ends_on
    )
    volunteers = []
    for role, seniority in (("mentor", 1), ("mentor", 2), ("mentee", 20), ("mentee", 22)):
        skills = {"offers": {w.digital: 3}} if role == "mentor" else {"seeks": {w.digital: 1}}
        volunteers.append(
            ParticipantFactory(
                cohort=w.open_cohort,
                user=_person(p, seniority_years=seniority),
                role=role,
                motivation=p,
                **skills,
            )
        )
    w.open_mentee = volunteers[-1]
    w.lonely = ParticipantFactory(  # seeks what nobody offers: unmatched, with a reason
        cohort=w.open_cohort,
        user=_person(p, seniority_years=30),
        role="mentee",
        motivation=p,
        seeks={w.leadership: 2},
    )
    ParticipantFactory(
        cohort=w.open_cohort, user=_person(p), status=Participant.Status.PENDING, motivation=p
    )
    w.run = match_run_start(cohort=w.open_cohort, by=w.hr)
    match_run_execute(run_id=w.run.pk)
    w.run.refresh_from_db()
    assert w.run.status == "done", w.run.error

    # A CSV import waiting for confirmation, with the payload in its cells and its name.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["email", "first_name", "last_name", "department", "job_title"])
    writer.writerow(["nouvelle@example.org", p, p, p[:100], p])
    writer.writerow([w.mentee.email, p, p, f"{p} 2"[:100], p])
    writer.writerow([p, p, p, p[:100], p])  # an invalid email: a problem quoting it
    w.employee_import = EmployeeImportFactory(
        uploaded_by=w.hr, filename=p, content=buffer.getvalue()
    )

    engagement_snapshot_take(programme_id=w.programme.pk, today=today)
    return w


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # an app being written: its page is checked once it exists
        return None


def pages(w) -> list[tuple[str, object, str, dict]]:
    """(label, who, URL, options) for every page that shows user text."""
    hr, manager, mentee, mentor = w.hr, w.manager, w.mentee, w.mentor
    p = w.programme
    found = [
        ("home (HR)", hr, reverse("home"), {}),
        ("home (mentee)", mentee, reverse("home"), {}),
        ("people list", hr, reverse("people_list"), {}),
        ("people table (HTMX)", hr, reverse("people_list"), {"htmx": True}),
        ("person edit", hr, reverse("people_edit", args=[mentee.pk]), {}),
        ("import upload", hr, reverse("people_import"), {}),
        ("import preview", hr, reverse("people_import_preview", args=[w.employee_import.pk]), {}),
        ("programme list", hr, reverse("programme_list"), {}),
        ("programme table (HTMX)", hr, reverse("programme_list"), {"htmx": True}),
        ("programme list (manager)", manager, reverse("programme_list"), {}),
        ("programme list (mentee)", mentee, reverse("programme_list"), {}),
        ("programme detail", hr, reverse("programme_detail", args=[p.pk]), {}),
        ("programme detail (mentee)", mentee, reverse("programme_detail", args=[p.pk]), {}),
        ("open programme (mentee)", mentee, reverse("programme_detail", args=[w.open.pk]), {}),
        ("enrol form", mentee, reverse("enrol_role", args=[w.open.pk, "mentee"]), {}),
        ("programme edit", hr, reverse("programme_edit", args=[p.pk]), {}),
        ("cohort edit", hr, reverse("cohort_edit", args=[p.pk, w.cohort.pk]), {}),
        ("participants", hr, reverse("participant_list", args=[w.open.pk]), {}),
        ("training", hr, reverse("training", args=[p.pk]), {}),
        ("training (mentor)", mentor, reverse("training", args=[p.pk]), {}),
        ("training module edit", hr, reverse("training_module_edit", args=[p.pk, w.module.pk]), {}),
        ("skill areas", hr, reverse("skill_area_list"), {}),
        ("skill area edit", hr, reverse("skill_area_edit", args=[w.digital.pk]), {}),
        ("matching", hr, reverse("cohort_matching", args=[w.open_cohort.pk]), {}),
        ("matching (manager)", manager, reverse("cohort_matching", args=[w.open_cohort.pk]), {}),
        (
            "candidates (HTMX)",
            hr,
            reverse("match_candidates", args=[w.run.pk, w.open_mentee.pk]),
            {"htmx": True},
        ),
        ("pairs follow-up", hr, reverse("programme_pairings", args=[p.pk]), {}),
        ("pair (HR)", hr, reverse("pairing_detail", args=[w.pairing.pk]), {}),
        ("pair (mentee)", mentee, reverse("pairing_detail", args=[w.pairing.pk]), {}),
        ("pair (mentor)", mentor, reverse("pairing_detail", args=[w.pairing.pk]), {}),
        ("declined pair (HR)", hr, reverse("pairing_detail", args=[w.declined.pk]), {}),
        ("ended pair (HR)", hr, reverse("pairing_detail", args=[w.ended.pk]), {}),
        ("close pair", mentee, reverse("pairing_close", args=[w.pairing.pk]), {}),
        ("goal (mentee)", mentee, reverse("goal_detail", args=[w.goal.pk]), {}),
        ("goal (HR)", hr, reverse("goal_detail", args=[w.goal.pk]), {}),
        ("goal edit", mentee, reverse("goal_edit", args=[w.goal.pk]), {}),
        (
            "goal from a template",
            mentee,
            reverse("goal_create", args=[w.pairing.pk]) + f"?template={w.goal_template.pk}",
            {},
        ),
        ("sessions", mentee, reverse("session_list", args=[w.pairing.pk]), {}),
        ("held session (mentee)", mentee, reverse("session_detail", args=[w.held.pk]), {}),
        ("held session (HR)", hr, reverse("session_detail", args=[w.held.pk]), {}),
        ("cancelled session", mentor, reverse("session_detail", args=[w.cancelled.pk]), {}),
        ("planned session", mentor, reverse("session_detail", args=[w.planned.pk]), {}),
        ("session edit", mentee, reverse("session_edit", args=[w.planned.pk]), {}),
        ("session log", mentee, reverse("session_log", args=[w.planned.pk]), {}),
        (
            "session from a template",
            mentee,
            reverse("session_create", args=[w.pairing.pk]) + f"?template={w.agenda_template.pk}",
            {},
        ),
        ("dashboard", hr, reverse("programme_dashboard", args=[p.pk]), {}),
        (
            "cohort dashboard",
            hr,
            reverse("programme_dashboard", args=[p.pk]) + f"?cohort={w.cohort.pk}",
            {},
        ),
        ("overview (manager)", manager, reverse("programme_overview", args=[p.pk]), {}),
        ("verdict", hr, reverse("cohort_verdict", args=[p.pk, w.cohort.pk]), {}),
        ("my progress", mentee, reverse("my_progress"), {}),
        ("notifications", mentee, reverse("notification_list"), {}),
    ]
    optional = [
        ("audit log", hr, _url("audit_log"), {}),
        ("my data", mentee, _url("my_data"), {}),
        ("anonymise", hr, _url("person_anonymise", w.ended.mentee.user.pk), {}),
    ]
    return found + [page for page in optional if page[2] is not None]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_page_escapes_user_text(payload, media):
    w = build_world(payload)
    clients = {}
    checked = 0
    for label, user, url, options in pages(w):
        client = clients.setdefault(user.pk, client_for(user))
        headers = {"HX-Request": "true"} if options.get("htmx") else {}
        response = client.get(url, headers=headers)
        assert_safe_page(response, payload, label, shows=options.get("shows", True))
        checked += 1
    assert checked >= 50

    # The chart data (json_script, read by Chart.js) holds the skill label as data.
    response = clients[w.hr.pk].get(reverse("programme_dashboard", args=[w.programme.pk]))
    checker = _PageChecker()
    checker.feed(response.content.decode())
    assert 'id="dashboard-data"' in response.content.decode()
    strings = [s for island in checker.json_islands for s in _json_strings(island)]
    assert any(payload in s for s in strings), "the skill label is not in the chart data"

    # WeasyPrint would fetch an injected <img src>: the verdict PDF's HTML is escaped too.
    html = render_to_string("evaluation/verdict_pdf.html", verdict_context(w.cohort, w.today))
    assert not html_problems(html, payload)
    assert escape(payload) in html


def test_the_checker_catches_what_it_should():
    payload = '"><img src=x onerror=alert(1)>'
    bad = [
        f'<input value="{payload}">',
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<div hx-on:click="alert(1)"></div>',
        '<script type="application/json">{"a": "</b>"}</script>',
        '<script type="application/json">{not json}</script>',
    ]
    for page in bad:
        assert html_problems(f"<html><body>{page}</body></html>", payload), page
    good = f'<input value="{escape(payload)}"><script src="/static/x.js"></script>'
    assert html_problems(good, payload) == []


# Every text field people write is in the world above, or said here why not.
USER_TEXT_FIELDS = {
    "accounts.User.first_name",
    "accounts.User.last_name",
    "accounts.User.department",
    "accounts.User.direction",
    "accounts.User.job_title",
    "accounts.EmployeeImport.filename",
    "accounts.EmployeeImport.content",
    "programmes.SkillArea.name",
    "programmes.SkillArea.name_en",
    "programmes.SkillArea.description",
    "programmes.Programme.name",
    "programmes.Programme.objectives",
    "programmes.Cohort.name",
    "programmes.TrainingModule.title",
    "programmes.TrainingModule.content",
    "programmes.Participant.motivation",
    "pairs.Pairing.intro_place",
    "pairs.Pairing.decline_reason",
    "pairs.Pairing.end_reason",
    "pairs.GoalTemplate.title",
    "pairs.GoalTemplate.title_en",
    "pairs.GoalTemplate.measure",
    "pairs.GoalTemplate.measure_en",
    "pairs.GoalTemplate.unit",
    "pairs.GoalTemplate.unit_en",
    "pairs.Goal.title",
    "pairs.Goal.measure",
    "pairs.Goal.unit",
    "pairs.GoalUpdate.note",
    "pairs.GoalUpdate.file_name",
    "pairs.AgendaTemplate.title",
    "pairs.AgendaTemplate.title_en",
    "pairs.AgendaTemplate.agenda",
    "pairs.AgendaTemplate.agenda_en",
    "pairs.Session.place",
    "pairs.Session.agenda",
    "pairs.Session.shared_notes",
    "pairs.Session.mentor_learned",
    "pairs.Session.mentee_learned",
    "pairs.Session.next_steps",
    "pairs.Session.cancel_reason",
    "pairs.PrivateNote.body",
    "evaluation.CheckIn.comment",
    "evaluation.CheckIn.hr_comment",
    "notifications.Notification.subject",
}
NOT_USER_TEXT = {
    "accounts.User.password": "a hash",
    "accounts.User.email": "validated as an address: test_an_email_address_with_markup_is_escaped",
    "programmes.TrainingModule.url": "a URL: test_links_refuse_script_urls, and MARKUP_URL above",
    "pairs.GoalUpdate.link": "a URL: test_links_refuse_script_urls, and MARKUP_URL above",
    "pairs.GoalUpdate.file_type": "detected from the file's content",
    "pairs.CalendarFeed.token": "random, made by the server",
    "matching.MatchRun.error": "the solver's error, for the logs",
    "matching.Unmatched.code": "a code from the solver",
    "notifications.Notification.key": "made by the server",
    "notifications.Notification.url": "made by the server from SITE_URL",
}
APP_LABELS = ("accounts", "programmes", "matching", "pairs", "evaluation", "notifications")
OPTIONAL_APP_LABELS = ("audit", "privacy")


def _text_fields() -> dict[str, models.Field]:
    found = {}
    for model in apps.get_models():
        if model._meta.app_label not in APP_LABELS + OPTIONAL_APP_LABELS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                found[f"{model._meta.label}.{field.name}"] = field
    return found


def test_every_text_field_is_in_the_world_or_excluded_with_a_reason(media):
    fields = _text_fields()
    unknown = set(fields) - USER_TEXT_FIELDS - set(NOT_USER_TEXT)
    assert not unknown, f"New text fields: add them to build_world or NOT_USER_TEXT: {unknown}"
    payload = PAYLOADS["img"]
    build_world(payload)
    for label in sorted(USER_TEXT_FIELDS):
        model = fields[label].model
        name = fields[label].name
        assert model.objects.filter(**{f"{name}__contains": payload[:30]}).exists(), label


def test_an_email_address_with_markup_is_escaped(media):
    # A quoted local part may hold < > / = ( ): Django's EmailValidator accepts it.
    email = '"<svg/onload=alert(1)>"@example.org'
    hr = UserFactory(role=User.Role.HR_ADMIN)
    person = UserFactory(email=email, first_name="", last_name="")
    open_programme = ProgrammeFactory(status=Programme.Status.ENROLMENT)
    ParticipantFactory(
        cohort=CohortFactory(programme=open_programme), user=person, status="pending"
    )
    client = client_for(hr)
    response = client.post(
        reverse("people_create"),
        {
            "email": email.replace("svg", "img"),
            "first_name": "A",
            "last_name": "B",
            "language": "fr",
            "role": "participant",
            "seniority_years": "1",
        },
    )
    assert response.status_code in (302, 422)
    for url in (reverse("people_list"), reverse("people_edit", args=[person.pk])):
        assert_safe_page(client.get(url), email, url)
    url = reverse("participant_list", args=[open_programme.pk])
    assert_safe_page(client.get(url), email, url, shows=False)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_emails_escape_user_text(payload, media, django_capture_on_commit_callbacks):
    w = build_world(payload)
    mail.outbox.clear()
    # The invitation names the HR admin who sends it; the match names the partner.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.hr).post(
            reverse("people_create"),
            {
                "email": "invitee@example.org",
                "first_name": payload,
                "last_name": payload,
                "language": "fr",
                "role": "participant",
                "seniority_years": "3",
            },
        )
    assert response.status_code == 302
    notification = Notification.objects.create(
        key=f"xss-match:{w.proposed.pk}",
        kind=Notification.Kind.MATCH_PUBLISHED,
        recipient=w.proposed.mentee.user,
        pairing=w.proposed,
        due_on=w.today,
    )
    assert notification_send(notification_id=notification.pk) == "sent"
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        html = [content for content, kind in message.alternatives if kind == "text/html"]
        assert html, f"no HTML part in {message.subject!r}"
        problems = html_problems(html[0], payload)
        assert not problems, f"{message.subject!r}: " + "\n".join(problems)
        assert escape(payload) in html[0], f"{message.subject!r} does not show the payload"


def test_verdict_pdf_renders_hostile_names(media):
    w = build_world(PAYLOADS["img"])
    response = client_for(w.hr).get(
        reverse("cohort_verdict_pdf", args=[w.programme.pk, w.cohort.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_query_strings_are_not_reflected_raw(payload, media):
    """Searches and filters echo what they were given: escaped, never as markup."""
    w = build_world("Texte")
    p = w.programme.pk
    pages = [
        (w.hr, reverse("people_list"), ["q", "page"]),
        (w.hr, reverse("programme_list"), ["status"]),
        (w.hr, reverse("participant_list", args=[w.open.pk]), ["role", "status"]),
        (w.hr, reverse("programme_pairings", args=[p]), ["stalled"]),
        (w.hr, reverse("training", args=[p]), ["participant"]),
        (w.hr, reverse("programme_dashboard", args=[p]), ["cohort"]),
        (w.mentee, reverse("goal_create", args=[w.pairing.pk]), ["template", "learner"]),
        (w.mentee, reverse("session_create", args=[w.pairing.pk]), ["template"]),
    ]
    if audit := _url("audit_log"):
        pages.append((w.hr, audit, ["programme", "type", "actor", "date_from", "date_to"]))
    for user, url, names in pages:
        response = client_for(user).get(url, dict.fromkeys(names, payload))
        assert response.status_code < 500, url
        if response["Content-Type"].startswith("text/html"):
            problems = html_problems(response.content.decode(), payload)
            assert not problems, f"{url}: " + "\n".join(problems)
    response = client_for(w.hr).get(reverse("people_list"), {"q": payload})
    assert_safe_page(response, payload, "people search")  # the search box shows it back


# Links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", JAVASCRIPT_URLS)
def test_links_refuse_script_urls(url, media):
    from pairs.models import GoalUpdate as Update
    from programmes.models import TrainingModule

    w = build_world("Texte")
    mentee = client_for(w.mentee)
    updates = Update.objects.count()
    response = mentee.post(
        reverse("goal_progress", args=[w.goal.pk]), {"value": "2", "link": url, "note": ""}
    )
    assert response.status_code == 422
    assert Update.objects.count() == updates
    modules = TrainingModule.objects.count()
    response = client_for(w.hr).post(
        reverse("training_module_create", args=[w.programme.pk]),
        {"title": "Module", "url": url, "duration_minutes": "20", "position": "1"},
    )
    assert response.status_code == 422
    assert TrainingModule.objects.count() == modules


def test_links_with_markup_are_accepted_and_escaped(media):
    w = build_world("Texte")
    mentee = client_for(w.mentee)
    response = mentee.post(
        reverse("goal_progress", args=[w.goal.pk]), {"value": "2", "link": MARKUP_URL}
    )
    assert response.status_code == 302
    page = mentee.get(reverse("goal_detail", args=[w.goal.pk]))
    assert_safe_page(page, MARKUP_URL, "goal with a link")


# Calendars -------------------------------------------------------------------------------------


def test_calendar_files_do_not_take_properties_from_user_text(media):
    from icalendar import Calendar

    injected = "Salle 3\r\nATTENDEE:mailto:evil@example.org\r\nEND:VEVENT"
    w = build_world("Texte")
    Session.objects.filter(pk=w.planned.pk).update(place=injected, agenda=injected)
    response = client_for(w.mentee).get(reverse("session_ics", args=[w.planned.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert "ATTENDEE" not in events[0]
    assert str(events[0]["LOCATION"]).replace("\r", "") == injected.replace("\r", "")


# Spreadsheets --------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _xlsx_cells(content: bytes) -> list:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}"
                cells.append(cell.value)
    return cells


@pytest.mark.parametrize("formula", FORMULAS)
def test_exports_neutralise_formulas(formula, media):
    w = build_world(formula)
    exports = [
        (w.hr, reverse("metrics_export", args=[w.programme.pk, "csv"])),
        (w.hr, reverse("metrics_export", args=[w.programme.pk, "xlsx"])),
        (w.manager, reverse("metrics_export", args=[w.programme.pk, "xlsx"])),
        (w.hr, reverse("pairs_export", args=[w.programme.pk, "csv"])),
        (w.hr, reverse("pairs_export", args=[w.programme.pk, "xlsx"])),
    ]
    for user, url in exports:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]
        content = response.content
        cells = _csv_cells(content) if url.endswith(".csv") else _xlsx_cells(content)
        texts = [c for c in cells if isinstance(c, str)]
        dangerous = [c for c in texts if c.startswith(DANGEROUS_START) and not _is_number(c)]
        assert not dangerous, f"{url}: {dangerous[:5]}"
        if user == w.hr:  # the value is there, neutralised (XLSX reads a lone CR back as LF)
            shown = [t for t in texts if t.startswith("'") and formula.strip() in t]
            assert shown, f"{url}: the value is not in the export"
