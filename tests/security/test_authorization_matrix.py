"""Who reaches which URL of the whole site: one row per URL pattern, one column per actor.

The test walks every pattern of the resolver (our apps, allauth's ``accounts/``,
``admin/`` and ``healthz``) and looks each one up in ``TABLE``: a pattern
without a row fails ``test_every_url_pattern_has_a_row``, and so does a row
whose URL is gone. Adding a view therefore means deciding, here, who may open it.

The six actors, on one scenario built once for the module (each test runs in a
savepoint rolled back at its end, so a POST never leaks into the next test):

- anonymous: nobody signed in;
- outsider: a participant in an active pair of *another* programme, with no
  link to any object in the URL;
- participant: the mentee of the scenario's pair (the enrolled participant,
  author of the private note, owner of the calendar feed, of the evidence file,
  who has answered the baseline self-assessment);
- partner: the other member of the pair, the mentor (who has answered the first
  check-in);
- manager: a sponsor, who reads programmes and aggregates;
- hr: an HR admin.

Outcomes are exact: a status code, ``LOGIN`` (302 to allauth's login whose
``next=`` is the requested URL), or ``to("name")`` (302 to the URL named).
Every row is requested with GET; views that take a POST (forms, POST-only
actions) are also posted to, with a body that fills in no field unless the row
gives data, and must never answer 500 (the test client raises the view's
exception).

The admin is checked as a prefix: every pattern under ``admin/`` is covered by
``ADMIN_PREFIX``, and a few representative rows (index, login, logout, an app
index, a changelist, a change page, the password change) record what our
roles get. None of our roles is staff, so the admin sends them to its login,
which sends anonymous visitors to allauth's login and answers 403 to anyone
else signed in.

allauth's rate limits are switched off here: repeated anonymous posts from one
address would otherwise answer 429 depending on what ran before.
tests/accounts/test_brute_force.py covers them.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.models import User
from evaluation.models import Assessment
from matching.models import MatchRun, PairRule, Proposal
from notifications.models import Notification
from pairs.models import CalendarFeed, GoalUpdate, PrivateNote
from programmes.models import Programme
from tests.factories import (
    ActivePairingFactory,
    CheckInFactory,
    CohortFactory,
    EmployeeImportFactory,
    GoalFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SessionFactory,
    SkillAreaFactory,
    TrainingModuleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "outsider", "participant", "partner", "manager", "hr")
ADMIN_PREFIX = "admin/"


# The scenario ---------------------------------------------------------------------


@dataclass
class Scenario:
    programme: object
    cohort: object
    area: object
    mentor: object  # Participant rows
    mentee: object
    spare: object  # an approved mentee of the cohort left unmatched
    pairing: object
    run: object
    rule: object
    goal: object
    update: object
    session: object
    note: object
    feed: object
    module: object
    employee_import: object
    reset_key: str
    users: dict = field(default_factory=dict)


def _build() -> Scenario:
    today = timezone.localdate()
    area = SkillAreaFactory()  # digital: what the mentee learns
    leadership = SkillAreaFactory(category="leadership")  # what the mentor learns
    programme = ProgrammeFactory(
        status=Programme.Status.RUNNING,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=200),
        skill_areas=[area, leadership],
    )
    cohort = CohortFactory(
        programme=programme,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=200),
    )
    mentor = ParticipantFactory(
        cohort=cohort, role="mentor", offers={area: 4}, seeks={leadership: 1}
    )
    mentee = ParticipantFactory(cohort=cohort, role="mentee", seeks={area: 1})
    spare = ParticipantFactory(cohort=cohort, role="mentee", seeks={area: 2})
    hr = UserFactory(role=User.Role.HR_ADMIN)
    manager = UserFactory(role=User.Role.MANAGER)
    run = MatchRun.objects.create(
        cohort=cohort,
        status=MatchRun.Status.DONE,
        progress=100,
        started_by=hr,
        n_mentors=1,
        n_mentees=2,
        published_at=timezone.now() - timedelta(days=50),
        published_by=hr,
    )
    proposal = Proposal.objects.create(
        run=run,
        mentor=mentor,
        mentee=mentee,
        total=0.8,
        teach=0.9,
        give_back=0.5,
        availability=1,
        format=1,
        language=1,
    )
    rule = PairRule.objects.create(
        cohort=cohort, mentor=mentor, mentee=spare, kind=PairRule.Kind.FORBID, created_by=hr
    )
    pairing = ActivePairingFactory(cohort=cohort, mentor=mentor, mentee=mentee, proposal=proposal)
    goal = GoalFactory(pairing=pairing, skill_area=area)
    update = GoalUpdate.objects.create(
        goal=goal,
        author=mentee.user,
        value=1,
        previous_value=0,
        status="in_progress",
        file=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 preuve", content_type="application/pdf"),
        file_name="preuve.pdf",
        file_type="application/pdf",
    )
    session = SessionFactory(pairing=pairing)
    note = PrivateNote.objects.create(pairing=pairing, author=mentee.user, body="Note du mentoré")
    # The mentor answered the first check-in (due on day 30); the mentee has not.
    CheckInFactory(pairing=pairing, respondent=mentor.user, number=1)
    # The mentee answered the baseline self-assessment; the mentor has not.
    Assessment.objects.create(
        pairing=pairing,
        respondent=mentee.user,
        side="mentee",
        kind=Assessment.Kind.BASELINE,
        skill_area=area,
        level=1,
    )
    feed = CalendarFeed.objects.create(user=mentee.user, token=secrets.token_urlsafe(24))
    Notification.objects.create(
        key=f"matrix:{mentee.pk}",
        kind=Notification.Kind.STALLED_NUDGE,
        recipient=mentee.user,
        object_id=pairing.pk,
        due_on=today,
        status="sent",
        subject="Votre binôme vous attend",
        url=f"https://mentorat.example.org/pairings/{pairing.pk}/",
    )
    module = TrainingModuleFactory(programme=programme)
    employee_import = EmployeeImportFactory(uploaded_by=hr)
    outsider = ActivePairingFactory().mentee.user  # in another programme
    assert outsider.participations.get().programme_id != programme.pk
    return Scenario(
        programme=programme,
        cohort=cohort,
        area=area,
        mentor=mentor,
        mentee=mentee,
        spare=spare,
        pairing=pairing,
        run=run,
        rule=rule,
        goal=goal,
        update=update,
        session=session,
        note=note,
        feed=feed,
        module=module,
        employee_import=employee_import,
        reset_key=(
            f"{user_pk_to_url_str(mentee.user)}-{default_token_generator.make_token(mentee.user)}"
        ),
        users={
            "anonymous": None,
            "outsider": outsider,
            "participant": mentee.user,
            "partner": mentor.user,
            "manager": manager,
            "hr": hr,
        },
    )


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once; each test's own transaction is a savepoint inside this one."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = False


# Outcomes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    """302 to allauth's login, with next= the requested URL (or the one given)."""

    next: str | None = None

    def problem(self, response, url):
        if response.status_code != 302:
            return f"{response.status_code}, expected 302 to login"
        location = urlsplit(response["Location"])
        expected_next = self.next or url
        if location.path != reverse("account_login"):
            return f"302 to {response['Location']}, expected the login"
        if parse_qs(location.query).get("next") != [expected_next]:
            return f"302 to {response['Location']}, expected next={expected_next}"
        return None

    def __repr__(self):
        return "LOGIN" if self.next is None else f"LOGIN(next={self.next})"


@dataclass(frozen=True)
class Redirect:
    """302 to the URL named (any arguments)."""

    name: str

    def problem(self, response, url):
        if response.status_code != 302:
            return f"{response.status_code}, expected 302 to {self.name}"
        path = urlsplit(response["Location"]).path
        view_name = resolve(path).view_name
        if view_name != self.name:
            return f"302 to {response['Location']} ({view_name}), expected {self.name}"
        return None

    def __repr__(self):
        return f"to({self.name})"


@dataclass(frozen=True)
class Status:
    code: int

    def problem(self, response, url):
        if response.status_code != self.code:
            where = f" to {response['Location']}" if response.has_header("Location") else ""
            return f"{response.status_code}{where}, expected {self.code}"
        return None

    def __repr__(self):
        return str(self.code)


LOGIN = Login()


def to(name: str) -> Redirect:
    return Redirect(name)


def who(default, **exceptions) -> dict:
    """Every actor gets ``default`` except those named."""
    unknown = set(exceptions) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    outcomes = {actor: exceptions.get(actor, default) for actor in ACTORS}
    return {a: Status(o) if isinstance(o, int) else o for a, o in outcomes.items()}


def signed_in(outcome, **exceptions) -> dict:
    """Login first; then ``outcome`` for everyone signed in (except those named)."""
    return who(outcome, anonymous=LOGIN, **exceptions)


def hr_only(outcome) -> dict:
    """Login first; then 403 for everyone but HR."""
    return who(403, anonymous=LOGIN, hr=outcome)


def readers(outcome) -> dict:
    """Login first; HR and managers read, participants get 403."""
    return who(403, anonymous=LOGIN, manager=outcome, hr=outcome)


def pair_read(outcome=200) -> dict:
    """A page of the pair: its members and HR read it, nobody else knows it exists."""
    return who(404, anonymous=LOGIN, participant=outcome, partner=outcome, hr=outcome)


def pair_write(participant=200, partner=None) -> dict:
    """A page where a member writes: HR may read the pair but not write in it."""
    partner = participant if partner is None else partner
    return who(404, anonymous=LOGIN, participant=participant, partner=partner, hr=403)


POST_ONLY = who(405)
# The body of a POST when the row gives none: a field no form knows. An empty
# body would leave the forms built with ``request.POST or None`` unbound, so the
# view would answer as to a GET; this one makes them bound, and invalid.
UNKNOWN_FIELD = {"matrix": "1"}


@dataclass(frozen=True)
class Row:
    """The URL's arguments, the GET outcomes, and the POST outcomes if it takes a POST."""

    args: Callable[[Scenario], list | dict] = lambda s: []
    get: dict = field(default_factory=dict)
    post: dict | None = None
    data: Callable[[Scenario], dict] = lambda s: dict(UNKNOWN_FIELD)

    def url(self, name: str, s: Scenario) -> str:
        args = self.args(s)
        if isinstance(args, dict):
            return reverse(name, kwargs=args)
        return reverse(name, args=args)


def _programme(s):
    return [s.programme.pk]


def _pairing(s):
    return [s.pairing.pk]


# The table ------------------------------------------------------------------------

TABLE: dict[str, Row] = {
    # programmes -------------------------------------------------------------------
    "home": Row(get=signed_in(200)),
    "programme_list": Row(get=signed_in(200)),
    "programme_create": Row(get=hr_only(200), post=hr_only(422)),
    # A running programme: the outsider is not enrolled in it, it does not exist for them.
    "programme_detail": Row(_programme, signed_in(200, outsider=404)),
    "programme_edit": Row(_programme, hr_only(200), hr_only(422)),
    # A running programme cannot go back to draft: HR gets the page with the refusal.
    "programme_transition": Row(
        _programme, POST_ONLY, hr_only(409), data=lambda s: {"to": "draft"}
    ),
    "cohort_create": Row(_programme, hr_only(200), hr_only(422)),
    "cohort_edit": Row(lambda s: [s.programme.pk, s.cohort.pk], hr_only(200), hr_only(422)),
    # Enrolment is closed (the programme runs): whoever sees it is sent back to it.
    "enrol": Row(
        _programme,
        signed_in(to("programme_detail"), outsider=404),
        signed_in(to("programme_detail"), outsider=404),
    ),
    "enrol_role": Row(
        lambda s: [s.programme.pk, "mentee"],
        signed_in(to("programme_detail"), outsider=404),
        signed_in(to("programme_detail"), outsider=404),
    ),
    # Only an enrolled person withdraws; HR and managers have no enrolment of their own.
    "withdraw": Row(
        _programme,
        POST_ONLY,
        who(
            404,
            anonymous=LOGIN,
            participant=to("programme_detail"),
            partner=to("programme_detail"),
        ),
    ),
    "participant_list": Row(_programme, hr_only(200)),
    "participant_decide": Row(
        lambda s: [s.programme.pk, s.spare.pk],
        POST_ONLY,
        hr_only(to("participant_list")),
        data=lambda s: {"decision": "approve"},
    ),
    "training": Row(_programme, signed_in(200, outsider=404)),
    "training_module_create": Row(_programme, hr_only(200), hr_only(422)),
    "training_module_edit": Row(
        lambda s: [s.programme.pk, s.module.pk], hr_only(200), hr_only(422)
    ),
    # Mentors mark their own training; a mentee has none to mark.
    "training_mark": Row(
        lambda s: [s.programme.pk, s.module.pk],
        POST_ONLY,
        who(404, anonymous=LOGIN, participant=403, partner=to("training")),
        data=lambda s: {"done": "1"},
    ),
    "skill_area_list": Row(get=hr_only(200)),
    "skill_area_create": Row(get=hr_only(200), post=hr_only(422)),
    "skill_area_edit": Row(lambda s: [s.area.pk], hr_only(200), hr_only(422)),
    # accounts ---------------------------------------------------------------------
    # Anyone may switch language, signed in or not; with no next= it goes home.
    "language_switch": Row(get=POST_ONLY, post=who(to("home")), data=lambda s: {"language": "en"}),
    "people_list": Row(get=hr_only(200)),
    "people_create": Row(get=hr_only(200), post=hr_only(422)),
    "people_edit": Row(lambda s: [s.mentee.user.pk], hr_only(200), hr_only(422)),
    "people_invite": Row(lambda s: [s.mentee.user.pk], POST_ONLY, hr_only(to("people_edit"))),
    "people_import": Row(get=hr_only(200), post=hr_only(422)),
    "people_import_template": Row(get=hr_only(200)),
    "people_import_preview": Row(lambda s: [s.employee_import.pk], hr_only(200)),
    "people_import_confirm": Row(
        lambda s: [s.employee_import.pk], POST_ONLY, hr_only(to("people_list"))
    ),
    # matching ---------------------------------------------------------------------
    "cohort_matching": Row(lambda s: [s.cohort.pk], readers(200)),
    "match_run_start": Row(lambda s: [s.cohort.pk], POST_ONLY, hr_only(to("cohort_matching"))),
    "pair_rule_create": Row(
        lambda s: [s.cohort.pk],
        POST_ONLY,
        hr_only(to("cohort_matching")),
        data=lambda s: {"mentor": s.mentor.pk, "mentee": s.spare.pk, "kind": "lock"},
    ),
    "pair_rule_delete": Row(
        lambda s: [s.cohort.pk, s.rule.pk], POST_ONLY, hr_only(to("cohort_matching"))
    ),
    # The run is over: the poll answers 204 and tells HTMX to reload the page.
    "match_run_status": Row(lambda s: [s.run.pk], readers(204)),
    "match_candidates": Row(lambda s: [s.run.pk, s.spare.pk], hr_only(200)),
    # Already published: HR is sent back to the matching page, which says so.
    "match_run_publish": Row(lambda s: [s.run.pk], POST_ONLY, hr_only(to("cohort_matching"))),
    # pairs ------------------------------------------------------------------------
    "pairing_detail": Row(_pairing, pair_read()),
    # Empty posts: the members get the form back (invalid, or an answer already given).
    "pairing_intro": Row(_pairing, POST_ONLY, pair_write(422)),
    "pairing_answer": Row(_pairing, POST_ONLY, pair_write(409)),
    # HR may close a pair too.
    "pairing_close": Row(_pairing, pair_read(), pair_read(422)),
    "goal_create": Row(_pairing, pair_write(), pair_write(422)),
    "session_list": Row(_pairing, pair_read()),
    "session_create": Row(_pairing, pair_write(), pair_write(422)),
    "session_log_new": Row(_pairing, pair_write(), pair_write(422)),
    # An empty note is refused with a message on the pair's page.
    "private_note_create": Row(_pairing, POST_ONLY, pair_write(to("pairing_detail"))),
    "goal_detail": Row(lambda s: [s.goal.pk], pair_read()),
    "goal_edit": Row(lambda s: [s.goal.pk], pair_write(), pair_write(422)),
    "goal_progress": Row(lambda s: [s.goal.pk], POST_ONLY, pair_write(422)),
    "goal_evidence": Row(lambda s: [s.update.pk], pair_read()),
    "session_detail": Row(lambda s: [s.session.pk], pair_read()),
    "session_edit": Row(lambda s: [s.session.pk], pair_write(), pair_write(422)),
    "session_log": Row(lambda s: [s.session.pk], pair_write(), pair_write(422)),
    "session_learned": Row(lambda s: [s.session.pk], POST_ONLY, pair_write(422)),
    "session_ics": Row(lambda s: [s.session.pk], pair_read()),
    # The participant's note: nobody else, not the partner, not HR, knows it exists.
    "private_note_delete": Row(
        lambda s: [s.note.pk],
        POST_ONLY,
        who(404, anonymous=LOGIN, participant=to("pairing_detail")),
    ),
    "calendar_settings": Row(get=signed_in(200)),
    "calendar_renew": Row(get=POST_ONLY, post=signed_in(to("calendar_settings"))),
    # The participant's token: it is the credential, whoever holds it reads the feed.
    "calendar_feed": Row(lambda s: [s.feed.token], who(200)),
    "programme_pairings": Row(_programme, hr_only(200)),
    # evaluation -------------------------------------------------------------------
    # The partner answered the first check-in: nothing is due for them.
    "checkin_respond": Row(
        _pairing,
        pair_write(participant=200, partner=to("pairing_detail")),
        pair_write(422),
        data=lambda s: {"number": "1"},
    ),
    "closing_respond": Row(_pairing, pair_write(), pair_write(422)),
    # The participant answered the baseline: they are sent back to the pair.
    "assessment_respond": Row(
        lambda s: [s.pairing.pk, "baseline"],
        pair_write(participant=to("pairing_detail"), partner=200),
        pair_write(422),
    ),
    "programme_dashboard": Row(_programme, hr_only(200)),
    "programme_overview": Row(_programme, readers(200)),
    "cohort_verdict": Row(lambda s: [s.programme.pk, s.cohort.pk], hr_only(200)),
    # No figures yet: HR is sent to the verdict page, which says so.
    "cohort_verdict_pdf": Row(
        lambda s: [s.programme.pk, s.cohort.pk], hr_only(to("cohort_verdict"))
    ),
    "metrics_export": Row(lambda s: [s.programme.pk, "csv"], readers(200)),
    "pairs_export": Row(lambda s: [s.programme.pk, "xlsx"], hr_only(200)),
    "my_progress": Row(get=signed_in(200)),
    "snapshot_refresh": Row(_programme, POST_ONLY, hr_only(to("programme_pairings"))),
    # notifications ----------------------------------------------------------------
    "notification_list": Row(get=signed_in(200), post=signed_in(to("notification_list"))),
    "notification_read_all": Row(get=POST_ONLY, post=signed_in(to("notification_list"))),
    # audit ------------------------------------------------------------------------
    "audit_log": Row(get=hr_only(200)),
    # privacy ----------------------------------------------------------------------
    # Everyone's own data: the page, and the archive (POST, so no prefetcher builds one).
    "my_data": Row(get=signed_in(200)),
    "my_data_archive": Row(get=POST_ONLY, post=signed_in(200)),
    # HR erases a person (here the participant); the form asks for a confirmation.
    "person_anonymise": Row(lambda s: [s.mentee.user.pk], hr_only(200), hr_only(422)),
    # allauth (accounts/) ------------------------------------------------------------
    # The public pages answer everyone; those for signing in send the signed-in home.
    "account_login": Row(get=who(to("home"), anonymous=200)),
    "account_logout": Row(get=who(200, anonymous=to("account_login"))),
    "account_inactive": Row(get=who(200)),
    # Signing up is closed (HR brings people in): a page that says so.
    "account_signup": Row(get=who(to("home"), anonymous=200)),
    # No login by code is under way.
    "account_confirm_login_code": Row(get=who(to("home"), anonymous=to("account_login"))),
    "account_reauthenticate": Row(get=signed_in(200)),
    "account_email": Row(get=signed_in(200), post=who(405)),  # HR keeps sign-in addresses
    "account_email_verification_sent": Row(get=who(200)),
    "account_change_password": Row(get=signed_in(200)),
    # Everyone has a password already.
    "account_set_password": Row(get=signed_in(to("account_change_password"))),
    "account_reset_password": Row(get=who(200)),
    "account_reset_password_done": Row(get=who(200)),
    "account_confirm_email": Row(lambda s: {"key": "cle-inconnue"}, who(200)),
    # The participant's reset link: allauth moves the key into the session and
    # redirects to the same page. The participant signing in (last_login) voided
    # it, so they get the "bad link" page.
    "account_reset_password_from_key": Row(
        lambda s: dict(zip(("uidb36", "key"), s.reset_key.split("-", 1), strict=True)),
        who(to("account_reset_password_from_key"), participant=200),
    ),
    "account_reset_password_from_key_done": Row(get=who(200)),
    # admin/ (representative rows; every other admin URL is covered by ADMIN_PREFIX) ---
    "admin:index": Row(get=who(to("admin:login"))),
    "admin:login": Row(get=who(403, anonymous=Login(next="/admin/"))),
    # Not staff: the admin's logout sends back to its index (which sends to its login).
    "admin:logout": Row(get=who(to("admin:index")), post=who(to("admin:index"))),
    "admin:password_change": Row(get=who(to("admin:login"))),
    "admin:app_list": Row(lambda s: {"app_label": "accounts"}, who(to("admin:login"))),
    "admin:accounts_user_changelist": Row(get=who(to("admin:login"))),
    "admin:accounts_user_change": Row(lambda s: [s.mentee.user.pk], who(to("admin:login"))),
    # healthz: for load balancers, no login.
    "healthz": Row(get=who(200), post=who(405)),
}


# The walk -------------------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, key) for every pattern of the site; the key is the (namespaced) name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            key = (f"{namespace}:{name}" if namespace else name) if name else route
            yield route, key


def test_every_url_pattern_has_a_row():
    patterns = list(url_patterns())
    keys = {key for _route, key in patterns}
    missing = sorted(
        f"{key} ({route})"
        for route, key in patterns
        if key not in TABLE and not route.startswith(ADMIN_PREFIX)
    )
    gone = sorted(set(TABLE) - keys)
    assert not missing, "URL patterns without a row in TABLE: " + ", ".join(missing)
    assert not gone, "rows in TABLE for URLs that no longer exist: " + ", ".join(gone)


def test_every_row_gives_every_actor_an_outcome():
    incomplete = sorted(
        name
        for name, row in TABLE.items()
        if set(row.get) != set(ACTORS) or (row.post is not None and set(row.post) != set(ACTORS))
    )
    assert not incomplete


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_access(client, scenario, name, actor):
    row = TABLE[name]
    url = row.url(name, scenario)
    user = scenario.users[actor]
    if user is not None:
        client.force_login(user)
    problems = []
    response = client.get(url)
    if problem := row.get[actor].problem(response, url):
        problems.append(f"GET {url} as {actor}: {problem}")
    if row.post is not None:
        response = client.post(url, row.data(scenario))
        if problem := row.post[actor].problem(response, url):
            problems.append(f"POST {url} as {actor}: {problem}")
    assert not problems, "\n".join(problems)
