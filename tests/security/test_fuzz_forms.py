"""Hypothesis-generated input to every form of the apps, posted through the real views.

Each target below is one form behind one view, posted by the user who may use it.
Over 10,000 inputs are generated in all (``test_fuzz_budget...`` counts them).
About a fifth go through the real view with the test client (view, form, service,
save, template), the form being also bound on its own to know whether the
input is valid:

- no exception and no 5xx, ever;
- a valid input is accepted (a redirect, or the 200 of an HTMX partial), and the
  page it leads to renders; a service may still refuse it, with a message;
- an invalid input is refused with a 200/4xx that shows an error, and the
  database is exactly as before (same row counts in every table of the apps,
  same values in the rows the form edits).

The others are bound to the form directly, ten times cheaper: its
fields, clean() and the model's full_clean never raise, and never write.

Values are drawn per field type: unicode text with control characters, NUL
bytes (PostgreSQL refuses them: a classic 500), strings at and beyond the
length limit, numbers out of range, huge integers, malformed dates, malformed
ids for choices, missing fields, and files of random bytes or wrong extensions.
Every example runs in a savepoint that is rolled back, so each one starts from
the same scenario, built once per target.

Deterministic tests complete it: NUL in every field of every form and in every
query string a view reads (run them on PostgreSQL: ``DATABASE_URL=postgres://...``),
control characters and line breaks in names through every export, PDF, calendar
and mail, and ``test_every_form_is_fuzzed``, which walks the apps' modules and
fails on a form class that no target posts and that is not excluded with a reason.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connection, transaction
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import EmployeeImportForm, PersonForm
from accounts.models import User
from audit.forms import AuditFilterForm
from evaluation.forms import AssessmentForm, CheckInForm
from evaluation.selectors import assessment_skills
from notifications.forms import PreferencesForm
from pairs.forms import (
    CloseForm,
    DeclineForm,
    GoalForm,
    GoalProgressForm,
    IntroForm,
    LearnedForm,
    PrivateNoteForm,
    SessionLogForm,
    SessionPlanForm,
)
from pairs.models import Goal, Pairing, Session
from privacy.forms import AnonymiseForm
from programmes.forms import (
    CohortForm,
    EnrolmentForm,
    ProgrammeForm,
    SkillAreaForm,
    TrainingModuleForm,
)
from programmes.models import ParticipantSkill, Programme
from tests.factories import (
    ActivePairingFactory,
    CohortFactory,
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

# The apps whose forms must all be fuzzed.
APPS = (
    "accounts",
    "programmes",
    "matching",
    "pairs",
    "evaluation",
    "notifications",
    "audit",
    "privacy",
)

# Form classes deliberately not fuzzed here, with the reason. Keep it short.
EXCLUDED: dict[str, str] = {}

MISSING = object()  # a field left out of the POST altogether
ERROR_MARKERS = ("is-invalid", "invalid-feedback", "alert-danger", "errorlist")

# Tiny files whose content `filetype` recognises.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


PNG_BYTES = _png_bytes()


# Strategies --------------------------------------------------------------------------------

# Any character a browser could send: no lone surrogates (they cannot be encoded in UTF-8).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
NO_NUL_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
CONTROL_CHAR = st.characters(max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028"])
TRICKY = st.sampled_from(
    [
        "\u202e",  # right-to-left override
        "\u200b",  # zero-width space
        "\ufeff",  # byte-order mark
        "e\u0301",  # combining accent
        "😀",
        "👩🏽‍💻",  # ZWJ sequence
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "ﷺ",
        "\U0010ffff",
        "Ω≈ç√",
        "表ポあA鷗ŒéＢ逍Üßªąñ丂㐀𠀀",
        "'; DROP TABLE accounts_user; --",
        "%s%s%n",
        "{{ 7*7 }}",
        "{% csrf_token %}",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "../../etc/passwd",
        "\r\n",
        "\\",
    ]
)
# Email addresses (st.emails() is slow): plain, dotted, tagged, upper case, unicode, quoted.
EMAILS = st.builds(
    "{}@{}".format,
    st.one_of(
        st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=12),
        st.sampled_from(["jean.dupont", "a+tag", "UPPER", "o'neil", "élodie", '"quoted <x>"']),
    ),
    st.sampled_from(["example.org", "Example.ORG", "sub.example.fr", "xn--e1afmkfd.xn--p1ai"]),
)
# Valid-looking text: printable unicode mostly, with control characters and oddities.
WEIRD_TEXT = st.lists(
    st.one_of(
        st.text(NO_NUL_CHAR, min_size=1, max_size=8),
        st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=8),
        CONTROL_CHAR.filter(lambda c: c != "\x00"),
        TRICKY,
    ),
    min_size=1,
    max_size=6,
).map("".join)
NUL_TEXT = st.builds(
    lambda a, b: f"{a}\x00{b}", st.text(NO_NUL_CHAR, max_size=5), st.text(ANY_CHAR, max_size=5)
)
MALFORMED_IDS = st.sampled_from(
    [
        "",
        " ",
        "abc",
        "-1",
        "0",
        "1.5",
        "1e3",
        "0x1",
        "1\x00",
        "\x00",
        " 1",
        "１",
        "[1]",
        "None",
        "null",
        "9" * 19,
        "9" * 40,
        "9223372036854775808",
        "-9223372036854775809",
        "1; DROP TABLE x",
        "<img src=x onerror=alert(1)>",
    ]
)
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        [
            "NaN",
            "nan",
            "Infinity",
            "-Infinity",
            "1e309",
            "-1e309",
            "1e-400",
            "9" * 400,
            "0." + "0" * 50 + "1",
            "1,5",
            "1_000",
            "+5",
            " 12 ",
            "٣",  # Arabic-Indic digit three
            "１２",
            "12abc",
            "--1",
            "1\x00",
            "2147483648",
            "32768",
            "65536",
            "-32769",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
MALFORMED_DATES = st.one_of(
    st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "-2026-01-01",
            "2026-1-1",
            "01/02/2026",
            "31/12/9999",
            "2026/06/01",
            "2026-06-01T25:00",
            "2026-06-01 10:00",
            "2026-06-01\x00",
            "today",
            "now",
            "1e10",
            "２０２６-０１-０１",
        ]
    ),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda d: d.isoformat()
    ),
)
MALFORMED_DATETIMES = st.one_of(
    MALFORMED_DATES,
    st.sampled_from(
        [
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2026-03-29T02:30",  # does not exist in Paris
            "2026-10-25T02:30",  # happens twice in Paris
            "2026-06-01T10:00:00+14:00",
            "2026-06-01T10:00Z",
            "2026-06-01T10:60",
            "2026-06-01T10",
        ]
    ),
)
COMMON_BAD = st.one_of(
    st.sampled_from(["", " ", "\x00", "\t\n", "undefined", "true", "[]", "{}"]),
    NUL_TEXT,
    st.text(ANY_CHAR, max_size=20),
    st.just(MISSING),
)


def _limits(validators) -> tuple:
    low = high = max_length = None
    for validator in validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
        elif isinstance(validator, MaxLengthValidator):
            limit = validator.limit_value
            max_length = limit if max_length is None else min(max_length, limit)
    return low, high, max_length


def _validators(form, name: str) -> list:
    """The form field's validators, and the model field's ones that ModelForm runs later."""
    validators = list(form.fields[name].validators)
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None and name in {f.name for f in model._meta.get_fields()}:
        validators += model._meta.get_field(name).validators
    return validators


def _text_of_length(n: int) -> st.SearchStrategy[str]:
    """Exactly n characters (code points: what max_length and PostgreSQL count)."""
    return st.sampled_from(["a", "é", "😀", "表", "x "]).map(lambda c: (c * n)[:n])


def _file(name: str, content: bytes) -> tuple:
    return ("__file__", name, content)


FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "evidence.pdf",
            "photo.png",
            "photo.PNG",
            "evidence.exe",
            "evidence.pdf.exe",
            "evidence",
            ".pdf",
            "evidence.php",
            "evidence.svg",
            "evidence.html",
            "évidence ✓.pdf",
            "con.pdf",
            "a" * 300 + ".pdf",
            "people.csv",
            "people.txt",
            "people.xlsx",
        ]
    ),
    st.builds(
        lambda stem, ext: f"{stem}.{ext}",
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).filter(
            lambda s: "/" not in s and "\\" not in s and '"' not in s
        ),
        st.sampled_from(["pdf", "png", "jpg", "docx", "csv", "txt", "exe", ""]),
    ).filter(lambda name: name.strip(".")),
)
FILE_CONTENTS = st.one_of(
    st.binary(max_size=600),
    st.sampled_from([b"", PDF_BYTES, PNG_BYTES, b"\x00" * 64, b"\xff\xfe" + "a".encode("utf-16")]),
    st.builds(lambda head, tail: head + tail, st.sampled_from([PDF_BYTES, PNG_BYTES]), st.binary()),
)
ANY_FILE = st.builds(_file, FILE_NAMES, FILE_CONTENTS)
EVIDENCE_FILES = st.one_of(
    st.builds(
        _file,
        st.sampled_from(["preuve.pdf", "Preuve finale.PDF", "capture d’écran.png", "x.png"]),
        st.sampled_from([PDF_BYTES, PNG_BYTES]),
    ).filter(lambda f: f[1].lower().endswith(".pdf") == f[2].startswith(b"%PDF")),
    ANY_FILE,
)

CSV_COLUMNS = [
    "email",
    "first_name",
    "last_name",
    "department",
    "direction",
    "job_title",
    "manager_email",
    "seniority",
    "language",
    "Prénom",
    "unknown",
    "",
]
PRINTABLE = st.characters(exclude_categories=("Cs", "Cc"))
CSV_CELL = st.one_of(
    EMAILS,
    EMAILS,
    st.sampled_from(["fr", "en", "English", "12", "61", "-1", "rh@example.org", ""]),
    st.text(PRINTABLE, min_size=1, max_size=30),
    st.text(PRINTABLE, min_size=1, max_size=30),
    st.sampled_from(["=1+1", "@SUM(A1)", "<script>alert(1)</script>", '"a;b"', '"multi\nline"']),
    st.text(ANY_CHAR, max_size=10),
    _text_of_length(151),
)


@st.composite
def csv_files(draw):
    columns = draw(st.sampled_from([CSV_COLUMNS[:3], CSV_COLUMNS[:9], CSV_COLUMNS]))
    columns = draw(st.permutations(columns))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    lines = [delimiter.join(columns)]
    for _ in range(draw(st.integers(0, 5))):
        cells = draw(st.lists(CSV_CELL, min_size=len(columns) - 1, max_size=len(columns) + 1))
        lines.append(delimiter.join(cells))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    content = text.encode(encoding, errors="replace")
    name = draw(st.sampled_from(["people.csv", "people.txt", "personnes.CSV", "people.xlsx"]))
    return _file(name, content)


CSV_FILES = st.one_of(csv_files(), csv_files(), ANY_FILE)


def field_strategies(form, name: str, overrides: dict) -> tuple[st.SearchStrategy, ...]:
    """(valid, invalid) strategies for one field, from its type and its validators."""
    field_ = form.fields[name]
    low, high, max_length = _limits(_validators(form, name))
    max_length = getattr(field_, "max_length", None) or max_length
    # Optional fields are mostly filled in: a valid input should reach the save.
    optional = () if field_.required else (st.just(MISSING), st.just(""))

    def present(strategy):
        return st.one_of(strategy, strategy, strategy, *optional)

    if isinstance(field_, forms.FileField):
        valid = present(overrides.get(name, ANY_FILE))
        invalid = st.one_of(ANY_FILE, st.just("not a file"), st.just(MISSING))
    elif isinstance(field_, forms.ModelMultipleChoiceField):
        pks = [str(pk) for pk in field_.queryset.values_list("pk", flat=True)]
        valid = st.lists(st.sampled_from(pks), min_size=1 if field_.required else 0, unique=True)
        invalid = st.one_of(
            st.lists(MALFORMED_IDS, min_size=1, max_size=3),
            st.lists(st.sampled_from([*pks, "abc", "0", "9" * 20]), min_size=1, max_size=4),
            st.just(MISSING),
        )
    elif isinstance(field_, forms.ModelChoiceField):
        pks = [str(pk) for pk in field_.queryset.values_list("pk", flat=True)]
        valid = present(st.sampled_from(pks))
        invalid = st.one_of(MALFORMED_IDS, st.just(MISSING), st.lists(st.sampled_from(pks)))
    elif isinstance(field_, forms.MultipleChoiceField):
        values = [str(value) for value, _label in field_.choices]
        valid = st.lists(st.sampled_from(values), min_size=1 if field_.required else 0, unique=True)
        invalid = st.one_of(
            st.lists(st.one_of(COMMON_BAD.filter(lambda v: v is not MISSING), HUGE_NUMBERS)),
            st.lists(st.sampled_from([*values, "x", "99"]), min_size=1),
            st.just(MISSING),
        )
    elif isinstance(field_, forms.ChoiceField):
        values = [str(value) for value, _label in field_.choices if str(value) != ""]
        valid = present(st.sampled_from(values))
        invalid = st.one_of(
            COMMON_BAD,
            HUGE_NUMBERS,
            st.sampled_from(values).map(str.upper),
            st.sampled_from(values).map(lambda v: v + "\x00"),
            st.sampled_from(values).map(lambda v: f" {v} "),
            st.lists(st.sampled_from(values), min_size=2, max_size=2),
        )
    elif isinstance(field_, forms.BooleanField):
        valid = (
            st.sampled_from(["on", "1", "true", "True"])
            if field_.required
            else (st.sampled_from(["on", "", "false", "0", "off", MISSING]))
        )
        invalid = st.one_of(
            st.sampled_from(["", "false", "0", "False", MISSING, "\x00"]), COMMON_BAD
        )
    elif isinstance(field_, forms.DateTimeField):
        valid = present(
            overrides.get(
                name,
                st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
                    lambda d: d.strftime("%Y-%m-%dT%H:%M")
                ),
            )
        )
        invalid = st.one_of(MALFORMED_DATETIMES, COMMON_BAD)
    elif isinstance(field_, forms.DateField):
        valid = present(
            overrides.get(
                name,
                st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)).map(
                    date.isoformat
                ),
            )
        )
        invalid = st.one_of(MALFORMED_DATES, COMMON_BAD)
    elif isinstance(field_, forms.DecimalField):
        places = field_.decimal_places or 2
        lo = Decimal(low if low is not None else -1000)
        hi = Decimal(high if high is not None else 1000)
        valid = present(
            overrides.get(
                name,
                st.decimals(min_value=lo, max_value=hi, places=places, allow_nan=False).map(str),
            )
        )
        invalid = st.one_of(
            HUGE_NUMBERS,
            st.decimals(places=places + 3, allow_nan=False, allow_infinity=False).map(str),
            st.just(str(lo - 1)),
            st.just(str(hi + 1)),
            COMMON_BAD,
        )
    elif isinstance(field_, forms.IntegerField):
        lo = low if low is not None else -1000
        hi = high if high is not None else 1000
        valid = present(overrides.get(name, st.integers(min_value=lo, max_value=hi).map(str)))
        invalid = st.one_of(
            HUGE_NUMBERS,
            st.just(str(lo - 1)),
            st.just(str(hi + 1)),
            st.floats(min_value=max(lo, -1e9), max_value=min(hi, 1e9)).map(repr),
            COMMON_BAD,
        )
    elif isinstance(field_, forms.CharField):
        limit = max_length or 3000
        texts = [WEIRD_TEXT.map(lambda s, n=limit: s[:n]), _text_of_length(limit)]
        if isinstance(field_, forms.EmailField):
            texts = [
                EMAILS,
                st.builds(lambda s: f"{s}@example.org", st.uuids().map(str)),
            ]
        elif isinstance(field_, forms.URLField):
            texts = [
                st.sampled_from(
                    [
                        "https://example.org/video?id=1&t=2",
                        "http://example.org",
                        "example.org/path",
                        "https://xn--e1afmkfd.xn--p1ai/",
                        "https://пример.рф/путь",
                        "ftp://example.org/file",
                    ]
                ),
                st.from_regex(r"\Ahttps://[a-z]{1,10}\.(org|com|fr)/[a-z0-9/_-]{0,20}\Z"),
            ]
        valid = present(overrides.get(name, st.one_of(*texts)))
        invalid = st.one_of(
            NUL_TEXT,
            _text_of_length(limit + 1),
            st.just("a" * (limit + 1000)),
            st.sampled_from(
                [
                    "javascript:alert(1)",
                    "JaVaScRiPt:alert(1)",
                    " javascript:alert(1)",
                    "java\tscript:alert(1)",
                    "data:text/html,<script>alert(1)</script>",
                    "vbscript:msgbox(1)",
                    "http://",
                    "https://exa mple.org",
                    "https://[::1",
                    "not an email",
                    "a@",
                    "@b.org",
                    "a@b@c.org",
                ]
            ),
            COMMON_BAD,
            st.just("   "),
        )
    else:  # pragma: no cover - a new field type: fail loudly rather than fuzz nothing
        raise AssertionError(f"No strategy for {type(field_).__name__} ({name})")
    return valid, invalid


UNKNOWN_FIELD = st.tuples(
    st.text(st.characters(codec="ascii", categories=["L"]), min_size=1, max_size=20),
    st.text(ANY_CHAR, max_size=50),
)


@st.composite
def _posts(draw, strategies: dict, extra: dict) -> dict:
    names = list(strategies)
    mode = draw(st.sampled_from(["valid", "valid", "one_bad", "one_bad", "chaos"]))
    broken = draw(st.sampled_from(names)) if names else None
    data = {}
    for name, (valid, invalid, anything) in strategies.items():
        if mode == "chaos":
            value = draw(anything)
        else:
            value = draw(invalid if name == broken and mode == "one_bad" else valid)
        if value is not MISSING:
            data[name] = value
    for name, strategy in extra.items():
        value = draw(strategy)
        if value is not MISSING:
            data[name] = value
    if draw(st.integers(0, 9)) == 0:  # a field the form does not know
        name, value = draw(UNKNOWN_FIELD)
        data.setdefault(name, value)
    return data


def form_data(form, overrides: dict, extra: dict) -> st.SearchStrategy[dict]:
    """POSTs for the form: all valid, one field broken, or anything at all in each field."""
    strategies = {}
    for name in form.fields:
        valid, invalid = field_strategies(form, name, overrides)
        strategies[name] = (valid, invalid, st.one_of(valid, invalid))
    return _posts(strategies, extra)


# The scenario --------------------------------------------------------------------------------


def build_scenario() -> SimpleNamespace:
    """Everyone and everything the forms need, built once per target."""
    today = timezone.localdate()
    now = timezone.now()
    s = SimpleNamespace(today=today)
    s.hr = UserFactory(role=User.Role.HR_ADMIN, first_name="Claire", last_name="RH")
    s.colleague = UserFactory(first_name="Paul", last_name="Collègue", manager=s.hr)
    s.volunteer = UserFactory(first_name="Vic", last_name="Volontaire")
    s.digital = SkillAreaFactory(name="Fuzz Excel", name_en="Fuzz Excel", category="digital")
    s.digital2 = SkillAreaFactory(name="Fuzz IA", name_en="Fuzz AI", category="digital")
    s.leadership = SkillAreaFactory(
        name="Fuzz stratégie", name_en="Fuzz strategy", category="leadership"
    )
    areas = [s.digital, s.digital2, s.leadership]

    s.open_programme = ProgrammeFactory(
        name="Ouvert",
        status=Programme.Status.ENROLMENT,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=300),
        skill_areas=areas,
    )
    s.open_cohort = CohortFactory(
        programme=s.open_programme,
        name="Vague ouverte",
        starts_on=s.open_programme.starts_on,
        ends_on=s.open_programme.ends_on,
    )

    s.pairing = ActivePairingFactory()  # P1: active, no session held yet
    s.programme = s.pairing.cohort.programme
    s.programme.skill_areas.set(areas)
    s.cohort = s.pairing.cohort
    s.mentor, s.mentee = s.pairing.mentor.user, s.pairing.mentee.user
    ParticipantSkill.objects.create(
        participant=s.pairing.mentee, skill_area=s.digital, direction="seek", level=2
    )
    s.goal = GoalFactory(pairing=s.pairing, skill_area=s.digital, learner="mentee")
    s.planned = SessionFactory(pairing=s.pairing, created_by=s.mentee)
    s.module = TrainingModuleFactory(programme=s.programme)

    # P2: active with a session held, for what members learned.
    s.pairing2 = ActivePairingFactory(cohort=s.cohort)
    s.held = HeldSessionFactory(pairing=s.pairing2)

    # P3: proposed, waiting for the intro meeting and both answers.
    s.proposed = PairingFactory(
        cohort=s.cohort,
        mentor=ParticipantFactory(cohort=s.cohort, role="mentor"),
        mentee=ParticipantFactory(cohort=s.cohort, role="mentee"),
        intro_at=now + timedelta(days=2),
        intro_place="Café",
    )
    # P4: ended, for the closing questionnaire and the final self-assessment.
    s.ended = PairingFactory(
        cohort=s.cohort,
        status=Pairing.Status.ENDED,
        outcome="completed",
        activated_at=now - timedelta(days=50),
        ended_at=now - timedelta(days=2),
    )
    ParticipantSkill.objects.create(
        participant=s.ended.mentee, skill_area=s.digital2, direction="seek", level=1
    )
    s.proposed_mentor, s.proposed_mentee = s.proposed.mentor.user, s.proposed.mentee.user
    s.mentor2 = s.pairing2.mentor.user
    s.ended_mentor, s.ended_mentee = s.ended.mentor.user, s.ended.mentee.user
    s.clients = {}
    return s


def client_for(s, user) -> Client:
    if user.pk not in s.clients:
        client = Client()
        client.force_login(user)
        s.clients[user.pk] = client
    return s.clients[user.pk]


# Targets ------------------------------------------------------------------------------------


@dataclass
class Target:
    """One form behind one view, and who posts it."""

    name: str
    form_class: type
    user: str  # an attribute of the scenario
    url: Callable  # scenario -> URL
    bind: Callable  # (scenario, data, files) -> the form, built as the view builds it
    examples: int  # generated inputs for this target, views and forms together
    overrides: Callable = lambda s: {}  # scenario -> {field: strategy of valid values}
    extra: Callable = lambda s: {}  # scenario -> {POST name: strategy} besides the form's
    canonical: Callable = lambda s: {}  # scenario -> {field: a valid value} (NUL test base)
    watch: Callable = lambda s: []  # scenario -> rows a refused POST must leave as they are
    htmx: bool = False  # also post as HTMX (partial templates)
    may_404: bool = False  # extra values may hold malformed ids: a 404 is then right
    always_valid: bool = False  # no input can be invalid (a lone checkbox)
    method: str = "post"  # "get" for a filter form read from the query string
    after: Callable | None = None  # (scenario, client, response): what follows an accepted input


def _date_between(a: date, b: date):
    return st.dates(min_value=a, max_value=b).map(date.isoformat)


def _datetime_between(a: datetime, b: datetime):
    return st.datetimes(min_value=a, max_value=b).map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))


def _programme_dates(s):
    return {
        "starts_on": _date_between(date(2025, 1, 1), date(2027, 12, 31)),
        "ends_on": _date_between(date(2026, 1, 1), date(2030, 12, 31)),
    }


def _cohort_dates(s):
    p = s.programme
    return {
        "starts_on": _date_between(p.starts_on - timedelta(days=2), p.starts_on + timedelta(30)),
        "ends_on": _date_between(p.ends_on - timedelta(days=30), p.ends_on + timedelta(days=2)),
    }


def _future_session(s):
    now = datetime.now()
    return {"starts_at": _datetime_between(now - timedelta(days=2), now + timedelta(days=220))}


def _past_session(s):
    now = datetime.now()
    return {"starts_at": _datetime_between(now - timedelta(days=50), now + timedelta(days=2))}


def _goal_fields(s):
    return {
        "deadline": _date_between(s.today - timedelta(days=50), s.today + timedelta(days=210)),
        # Mostly the pair's own areas: a mentee's goal is digital, a mentor's is not.
        "skill_area": st.sampled_from([s.digital.pk, s.digital2.pk, s.leadership.pk]).map(str),
    }


def _import_confirm(s, client, response):
    """Apply the uploaded file (refused with 409 if it has problems), then list the people."""
    confirmed = client.post(response["Location"] + "confirm/", CSRF)
    assert confirmed.status_code in (302, 409), f"{confirmed.status_code} confirming an import"
    assert client.get(reverse("people_list")).status_code == 200


def _local(days: int) -> str:
    """A datetime-local value ``days`` from now, as a browser posts it."""
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _goal_canonical(s):
    deadline = (s.today + timedelta(days=20)).isoformat()
    return {"learner": "mentee", "skill_area": str(s.digital.pk), "deadline": deadline}


def _fresh(instance):
    return type(instance).objects.get(pk=instance.pk)


def _session_log_form(s, data, files, session):
    pairing = session.pairing
    return SessionLogForm(
        data,
        instance=session,
        goals=pairing.goals.filter(status__in=Goal.OPEN),
        topics=pairing.cohort.programme.skill_areas.all(),
    )


def _assessment_form(s, pairing, side):
    def bind(s, data, files):
        state = assessment_skills(pairing, side, timezone.localdate())
        return AssessmentForm(data, skills=state["skills"])

    return bind


TARGETS = [
    # accounts
    Target(
        "people_import",
        EmployeeImportForm,
        "hr",
        lambda s: reverse("people_import"),
        lambda s, d, f: EmployeeImportForm(d, f),
        350,
        overrides=lambda s: {"file": CSV_FILES},
        after=_import_confirm,
        canonical=lambda s: {
            "file": _file("people.csv", b"email;first_name;last_name\nnora@example.org;Nora;B\n")
        },
    ),
    Target(
        "people_create",
        PersonForm,
        "hr",
        lambda s: reverse("people_create"),
        lambda s, d, f: PersonForm(d, by=s.hr),
        350,
        overrides=lambda s: {
            "email": st.sampled_from(["new@example.org", "Nouveau.Collègue@Example.org"])
        },
    ),
    Target(
        "people_edit",
        PersonForm,
        "hr",
        lambda s: reverse("people_edit", args=[s.colleague.pk]),
        lambda s, d, f: PersonForm(d, instance=_fresh(s.colleague), by=s.hr),
        300,
        watch=lambda s: [s.colleague],
    ),
    Target(
        "people_edit_self",
        PersonForm,
        "hr",
        lambda s: reverse("people_edit", args=[s.hr.pk]),
        lambda s, d, f: PersonForm(d, instance=_fresh(s.hr), by=s.hr),
        200,
        overrides=lambda s: {"email": st.just(s.hr.email)},
        canonical=lambda s: {"email": s.hr.email},
        watch=lambda s: [s.hr],
    ),
    # programmes
    Target(
        "programme_create",
        ProgrammeForm,
        "hr",
        lambda s: reverse("programme_create"),
        lambda s, d, f: ProgrammeForm(d),
        350,
        overrides=_programme_dates,
        canonical=lambda s: {"starts_on": "2027-01-01", "ends_on": "2027-06-30"},
    ),
    Target(
        "programme_edit",
        ProgrammeForm,
        "hr",
        lambda s: reverse("programme_edit", args=[s.programme.pk]),
        lambda s, d, f: ProgrammeForm(d, instance=_fresh(s.programme)),
        300,
        overrides=lambda s: {
            "starts_on": _date_between(s.programme.starts_on - timedelta(days=10), s.today),
            "ends_on": _date_between(s.programme.ends_on, s.programme.ends_on + timedelta(900)),
        },
        canonical=lambda s: {
            "starts_on": s.programme.starts_on.isoformat(),
            "ends_on": s.programme.ends_on.isoformat(),
        },
        watch=lambda s: [s.programme],
    ),
    Target(
        "cohort_create",
        CohortForm,
        "hr",
        lambda s: reverse("cohort_create", args=[s.programme.pk]),
        lambda s, d, f: CohortForm(d, instance=None, programme=_fresh(s.programme)),
        350,
        overrides=_cohort_dates,
        canonical=lambda s: {
            "starts_on": s.programme.starts_on.isoformat(),
            "ends_on": s.programme.ends_on.isoformat(),
        },
        htmx=True,
    ),
    Target(
        "cohort_edit",
        CohortForm,
        "hr",
        lambda s: reverse("cohort_edit", args=[s.programme.pk, s.cohort.pk]),
        lambda s, d, f: CohortForm(d, instance=_fresh(s.cohort), programme=_fresh(s.programme)),
        300,
        overrides=lambda s: {
            "starts_on": _date_between(s.programme.starts_on, s.cohort.starts_on),
            "ends_on": _date_between(s.cohort.ends_on, s.programme.ends_on),
        },
        canonical=lambda s: {
            "starts_on": s.cohort.starts_on.isoformat(),
            "ends_on": s.cohort.ends_on.isoformat(),
        },
        watch=lambda s: [s.cohort],
        htmx=True,
    ),
    Target(
        "skill_area_create",
        SkillAreaForm,
        "hr",
        lambda s: reverse("skill_area_create"),
        lambda s, d, f: SkillAreaForm(d),
        350,
    ),
    Target(
        "skill_area_edit",
        SkillAreaForm,
        "hr",
        lambda s: reverse("skill_area_edit", args=[s.leadership.pk]),
        lambda s, d, f: SkillAreaForm(d, instance=_fresh(s.leadership)),
        300,
        watch=lambda s: [s.leadership],
        htmx=True,
    ),
    Target(
        "enrol_mentor",
        EnrolmentForm,
        "volunteer",
        lambda s: reverse("enrol_role", args=[s.open_programme.pk, "mentor"]),
        lambda s, d, f: EnrolmentForm(d, programme=s.open_programme, role="mentor"),
        350,
    ),
    Target(
        "enrol_mentee",
        EnrolmentForm,
        "volunteer",
        lambda s: reverse("enrol_role", args=[s.open_programme.pk, "mentee"]),
        lambda s, d, f: EnrolmentForm(d, programme=s.open_programme, role="mentee"),
        300,
    ),
    Target(
        "training_module_create",
        TrainingModuleForm,
        "hr",
        lambda s: reverse("training_module_create", args=[s.programme.pk]),
        lambda s, d, f: TrainingModuleForm(d),
        300,
    ),
    Target(
        "training_module_edit",
        TrainingModuleForm,
        "hr",
        lambda s: reverse("training_module_edit", args=[s.programme.pk, s.module.pk]),
        lambda s, d, f: TrainingModuleForm(d, instance=_fresh(s.module)),
        250,
        watch=lambda s: [s.module],
    ),
    # pairs
    Target(
        "pairing_intro",
        IntroForm,
        "proposed_mentor",
        lambda s: reverse("pairing_intro", args=[s.proposed.pk]),
        lambda s, d, f: IntroForm(d, instance=_fresh(s.proposed)),
        350,
        canonical=lambda s: {"intro_at": _local(2)},
        watch=lambda s: [s.proposed],
    ),
    Target(
        "pairing_answer",
        DeclineForm,
        "proposed_mentee",
        lambda s: reverse("pairing_answer", args=[s.proposed.pk]),
        # Only a "decline" reads the form; "accept" ignores it.
        lambda s, d, f: DeclineForm(d if d is None or d.get("answer") == "decline" else {}),
        300,
        extra=lambda s: {
            "answer": st.sampled_from(["decline", "decline", "accept", "", "maybe", MISSING])
        },
        watch=lambda s: [s.proposed],
        canonical=lambda s: {"answer": "decline"},
    ),
    Target(
        "goal_create",
        GoalForm,
        "mentee",
        lambda s: reverse("goal_create", args=[s.pairing.pk]),
        lambda s, d, f: GoalForm(d, pairing=_fresh(s.pairing)),
        400,
        overrides=_goal_fields,
        canonical=_goal_canonical,
    ),
    Target(
        "goal_edit",
        GoalForm,
        "mentor",
        lambda s: reverse("goal_edit", args=[s.goal.pk]),
        lambda s, d, f: GoalForm(d, instance=_fresh(s.goal), pairing=_fresh(s.pairing)),
        350,
        overrides=_goal_fields,
        canonical=_goal_canonical,
        watch=lambda s: [s.goal],
    ),
    Target(
        "goal_progress",
        GoalProgressForm,
        "mentee",
        lambda s: reverse("goal_progress", args=[s.goal.pk]),
        lambda s, d, f: GoalProgressForm(d, f, goal=_fresh(s.goal)),
        400,
        overrides=lambda s: {"file": EVIDENCE_FILES},
        watch=lambda s: [s.goal],
    ),
    Target(
        "session_create",
        SessionPlanForm,
        "mentee",
        lambda s: reverse("session_create", args=[s.pairing.pk]),
        lambda s, d, f: SessionPlanForm(d),
        350,
        overrides=_future_session,
        canonical=lambda s: {"starts_at": _local(3)},
        extra=lambda s: {},
    ),
    Target(
        "session_edit",
        SessionPlanForm,
        "mentor",
        lambda s: reverse("session_edit", args=[s.planned.pk]),
        lambda s, d, f: SessionPlanForm(d, instance=_fresh(s.planned)),
        350,
        overrides=_future_session,
        canonical=lambda s: {"starts_at": _local(3)},
        watch=lambda s: [s.planned],
    ),
    Target(
        "session_log",
        SessionLogForm,
        "mentee",
        lambda s: reverse("session_log", args=[s.planned.pk]),
        lambda s, d, f: _session_log_form(s, d, f, _fresh(s.planned)),
        400,
        overrides=_past_session,
        canonical=lambda s: {"starts_at": _local(-1)},
        watch=lambda s: [s.planned, s.goal],
    ),
    Target(
        "session_log_new",
        SessionLogForm,
        "mentor",
        lambda s: reverse("session_log_new", args=[s.pairing.pk]),
        lambda s, d, f: _session_log_form(
            s, d, f, Session(pairing=_fresh(s.pairing), format=Session.Format.REMOTE)
        ),
        350,
        overrides=_past_session,
        canonical=lambda s: {"starts_at": _local(-1)},
        watch=lambda s: [s.goal],
    ),
    Target(
        "session_learned",
        LearnedForm,
        "mentor2",
        lambda s: reverse("session_learned", args=[s.held.pk]),
        lambda s, d, f: LearnedForm(d),
        300,
        watch=lambda s: [s.held],
    ),
    Target(
        "private_note_create",
        PrivateNoteForm,
        "mentee",
        lambda s: reverse("private_note_create", args=[s.pairing.pk]),
        lambda s, d, f: PrivateNoteForm(d),
        300,
        extra=lambda s: {
            "session": st.one_of(st.just(MISSING), st.just(str(s.planned.pk)), MALFORMED_IDS)
        },
        may_404=True,
    ),
    Target(
        "pairing_close",
        CloseForm,
        "mentor",
        lambda s: reverse("pairing_close", args=[s.pairing.pk]),
        lambda s, d, f: CloseForm(d),
        300,
        watch=lambda s: [s.pairing, s.planned],
    ),
    Target(
        "pairing_close_hr",
        CloseForm,
        "hr",
        lambda s: reverse("pairing_close", args=[s.pairing2.pk]),
        lambda s, d, f: CloseForm(d),
        200,
        watch=lambda s: [s.pairing2],
    ),
    # evaluation
    Target(
        "checkin_respond",
        CheckInForm,
        "mentee",
        lambda s: reverse("checkin_respond", args=[s.pairing.pk]),
        lambda s, d, f: CheckInForm(d),
        350,
        extra=lambda s: {"number": st.one_of(st.sampled_from(["1", "1", "2", "0"]), MALFORMED_IDS)},
        may_404=True,
        canonical=lambda s: {"number": "1"},
    ),
    Target(
        "closing_respond",
        CheckInForm,
        "ended_mentor",
        lambda s: reverse("closing_respond", args=[s.ended.pk]),
        lambda s, d, f: CheckInForm(d, closing=True),
        300,
    ),
    Target(
        "assessment_baseline",
        AssessmentForm,
        "mentee",
        lambda s: reverse("assessment_respond", args=[s.pairing.pk, "baseline"]),
        lambda s, d, f: _assessment_form(s, _fresh(s.pairing), "mentee")(s, d, f),
        300,
    ),
    Target(
        "assessment_final",
        AssessmentForm,
        "ended_mentee",
        lambda s: reverse("assessment_respond", args=[s.ended.pk, "final"]),
        lambda s, d, f: _assessment_form(s, _fresh(s.ended), "mentee")(s, d, f),
        250,
    ),
    # notifications
    Target(
        "notification_preferences",
        PreferencesForm,
        "mentee",
        lambda s: reverse("notification_list"),
        lambda s, d, f: PreferencesForm(d, instance=_fresh(s.mentee)),
        150,
        watch=lambda s: [s.mentee],
        always_valid=True,
    ),
    # audit (a filter form, read from the query string)
    Target(
        "audit_log",
        AuditFilterForm,
        "hr",
        lambda s: reverse("audit_log"),
        lambda s, d, f: AuditFilterForm(d),
        250,
        overrides=lambda s: {
            "date_from": _date_between(s.today - timedelta(days=400), s.today),
            "date_to": _date_between(s.today - timedelta(days=30), s.today + timedelta(days=30)),
        },
        method="get",
    ),
    # privacy
    Target(
        "person_anonymise",
        AnonymiseForm,
        "hr",
        lambda s: reverse("person_anonymise", args=[s.colleague.pk]),
        lambda s, d, f: AnonymiseForm(d, person=_fresh(s.colleague)),
        250,
        overrides=lambda s: {
            "email": st.sampled_from(
                [s.colleague.email, s.colleague.email.upper(), f"  {s.colleague.email} "]
            )
        },
        canonical=lambda s: {"email": s.colleague.email},
        watch=lambda s: [s.colleague],
    ),
]


# Running a target ------------------------------------------------------------------------------

# About a fifth of each target's inputs go through the real views (test client, whole stack);
# the rest are bound to the form directly (fields, clean(), the model's full_clean), which is
# about ten times cheaper, so the whole file stays within a few minutes.
VIEW_SHARE = 0.18
MINIMUM_INPUTS = 10_000
FOLLOW_REDIRECTS = 25  # per target: the pages after an accepted input cost a request each
EXECUTED: Counter = Counter()  # inputs actually run in this session, per layer and target
CSRF = {"csrfmiddlewaretoken": "x" * 64}  # a browser always posts it (the client skips the check)


def _tables() -> list[str]:
    labels = {*APPS, "auditlog"}
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in labels
        }
    )


def _row_counts(tables) -> tuple:
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _rows(instances) -> list:
    found = []
    for instance in instances:
        model = type(instance)
        found.append(list(model.objects.filter(pk=instance.pk).values()))
        for m2m in model._meta.many_to_many:
            related = getattr(model.objects.get(pk=instance.pk), m2m.name)
            found.append(sorted(related.values_list("pk", flat=True)))
    return found


def _server_file_name(name: str) -> str | None:
    """The file name as the view sees it, after the test client and the multipart parser."""
    parser = MultiPartParser.__new__(MultiPartParser)
    return parser.sanitize_file_name(os.path.basename(SimpleUploadedFile(name, b"").name))


def _request_parts(data: dict) -> tuple[dict, MultiValueDict, MultiValueDict]:
    """(what the client posts, request.POST as the view reads it, request.FILES)."""
    payload, post, files = dict(CSRF), MultiValueDict(), MultiValueDict()
    for name, value in {**CSRF, **data}.items():
        if isinstance(value, tuple):
            _tag, file_name, content = value
            payload[name] = SimpleUploadedFile(file_name, content)
            if (server_name := _server_file_name(file_name)) is not None:
                files.setlist(name, [SimpleUploadedFile(server_name, content)])
        else:
            payload[name] = value
            post.setlist(name, value if isinstance(value, list) else [value])
    return payload, post, files


def _describe(data: dict) -> str:
    shown = {
        name: ((*value[:2], f"<{len(value[2])} bytes>") if isinstance(value, tuple) else value)
        for name, value in data.items()
    }
    text = repr(shown)
    return text if len(text) < 2000 else text[:2000] + "…"


def _error_messages(response) -> bool:
    from django.contrib import messages
    from django.contrib.messages import get_messages

    return any(m.level >= messages.ERROR for m in get_messages(response.wsgi_request))


def post_and_check(s, target: Target, data: dict, htmx: bool, stats: Counter, tables) -> str:
    """Send one input through the view and check the answer; all in a rolled-back savepoint.

    Returns "accepted" or "refused".
    """
    client = client_for(s, getattr(s, target.user))
    url = target.url(s)
    payload, post, files = _request_parts(data)
    with transaction.atomic():
        counts_before = _row_counts(tables)
        rows_before = _rows(target.watch(s))
        with transaction.atomic():
            valid = target.bind(s, post, files).is_valid()
            transaction.set_rollback(True)

        def where(status):
            state = "valid" if valid else "invalid"
            return f"{target.name} ({state} input, {status}) for {_describe(data)}"

        headers = {"HX-Request": "true"} if htmx else {}
        try:
            if target.method == "get":
                response = client.get(url, payload, headers=headers)
            else:
                response = client.post(url, payload, headers=headers)
        except Exception as error:
            raise AssertionError(f"{type(error).__name__}: {error} in {where('-')}") from error
        status = response.status_code
        assert status < 500, f"server error in {where(status)}"
        body = response.content.decode("utf-8", errors="replace")
        error_message = _error_messages(response)
        shows_error = error_message or any(marker in body for marker in ERROR_MARKERS)
        if status in (301, 302, 303):
            accepted = not error_message
        elif status == 200:
            accepted = not shows_error
        else:
            assert 400 <= status < 500, f"unexpected status in {where(status)}"
            accepted = False
        if accepted:
            assert valid, f"invalid input accepted: {where(status)}"
            if status != 200 and stats["followed"] < FOLLOW_REDIRECTS:
                # The page the redirect leads to renders what was saved.
                stats["followed"] += 1
                page = client.get(response["Location"], follow=True)
                assert page.status_code == 200, f"{page.status_code} after {where(status)}"
            if target.after:
                target.after(s, client, response)
        else:
            if status == 404:
                assert target.may_404, f"404 in {where(status)}"
            else:
                assert shows_error, f"no error shown in {where(status)}"
            assert _row_counts(tables) == counts_before, f"rows added or deleted in {where(status)}"
            assert _rows(target.watch(s)) == rows_before, f"rows changed in {where(status)}"
        transaction.set_rollback(True)
    client.cookies.pop("messages", None)
    outcome = "accepted" if accepted else "refused"
    stats[f"{outcome} {'valid' if valid else 'invalid'}"] += 1
    return outcome


def bind_and_check(s, target: Target, data: dict, stats: Counter, tables) -> None:
    """Bind one input to the form directly: validation never raises, and never writes."""
    _payload, post, files = _request_parts(data)
    with transaction.atomic():
        counts_before = _row_counts(tables)
        form = target.bind(s, post, files)
        try:
            valid = form.is_valid()
            form.errors.as_ul()
            form.non_field_errors().as_text()
        except Exception as error:
            raise AssertionError(
                f"{type(error).__name__}: {error} validating {target.name} for {_describe(data)}"
            ) from error
        assert _row_counts(tables) == counts_before, f"{target.name}: validation wrote rows"
        transaction.set_rollback(True)
    stats["form valid" if valid else "form invalid"] += 1


HYPOTHESIS_SETTINGS = {
    "deadline": None,
    "database": None,  # no .hypothesis/ folder; a failure prints its example to reproduce
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}


def _quiet_requests():
    """4xx answers are expected by the hundred: keep django.request to errors."""
    logger = logging.getLogger("django.request")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    return logger, previous


def run_target(target: Target, examples: int | None = None) -> Counter:
    total = examples or target.examples
    view_examples = max(1, round(total * VIEW_SHARE))
    form_examples = max(1, total - view_examples)
    s = build_scenario()
    tables = _tables()
    stats: Counter = Counter()
    strategy = form_data(target.bind(s, None, None), target.overrides(s), target.extra(s))
    htmx = st.booleans() if target.htmx else st.just(False)

    @settings(max_examples=view_examples, **HYPOTHESIS_SETTINGS)
    @given(data=strategy, htmx=htmx)
    def through_the_view(data, htmx):
        EXECUTED["view", target.name] += 1
        post_and_check(s, target, data, htmx, stats, tables)

    @settings(max_examples=form_examples, **HYPOTHESIS_SETTINGS)
    @given(data=strategy)
    def through_the_form(data):
        EXECUTED["form", target.name] += 1
        bind_and_check(s, target, data, stats, tables)

    logger, level = _quiet_requests()
    try:
        started = time.monotonic()
        through_the_view()
        middle = time.monotonic()
        through_the_form()
        stats["view seconds"] = round(middle - started, 1)
        stats["form seconds"] = round(time.monotonic() - middle, 1)
    finally:
        logger.setLevel(level)
    return stats


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_fuzz_form(target, media):
    # FUZZ_EXAMPLES=40 runs every target on 40 inputs, for a quick local check.
    stats = run_target(target, int(os.environ.get("FUZZ_EXAMPLES", 0)) or None)
    print(f"\n{target.name}: {dict(stats)}")
    assert stats["accepted valid"] > 0, f"{target.name}: no generated input was accepted"
    if not target.always_valid:
        assert stats["refused invalid"] > 0, f"{target.name}: no invalid input was posted"
        assert stats["form invalid"] > 0


# Every form is fuzzed --------------------------------------------------------------------------


def discovered_forms() -> dict[str, type]:
    """Every form class defined in the apps' modules (migrations aside), by dotted name."""
    reverse("home")  # loads the root URLconf first: it registers the converters the apps use
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or ".tests" in info.name:
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_form_is_fuzzed():
    found = discovered_forms()
    fuzzed = {f"{t.form_class.__module__}.{t.form_class.__qualname__}" for t in TARGETS}
    missing = set(found) - fuzzed - set(EXCLUDED)
    assert not missing, (
        f"Forms no target posts (add a Target, or EXCLUDED with a reason): {missing}"
    )
    stale = set(EXCLUDED) - set(found)
    assert not stale, f"EXCLUDED names forms that no longer exist: {stale}"
    assert len(found) >= 20, sorted(found)  # the walk itself works


# NUL bytes, deterministically ---------------------------------------------------------------


def canonical_value(form, name: str):
    """A valid value for one field, from its type alone (targets override the rest)."""
    field_ = form.fields[name]
    low, high, _max_length = _limits(_validators(form, name))
    if isinstance(field_, forms.FileField):
        return MISSING
    if isinstance(field_, forms.ModelMultipleChoiceField):
        return [str(field_.queryset.values_list("pk", flat=True)[0])]
    if isinstance(field_, forms.ModelChoiceField):
        return str(field_.queryset.values_list("pk", flat=True)[0]) if field_.required else MISSING
    choices = [str(v) for v, _label in getattr(field_, "choices", []) if str(v) != ""]
    if isinstance(field_, forms.MultipleChoiceField):
        return choices[:1]
    if isinstance(field_, forms.ChoiceField):
        return choices[0]
    if isinstance(field_, forms.BooleanField):
        return "on"
    if isinstance(field_, (forms.IntegerField, forms.DecimalField)):
        value = low if low is not None else 1
        value = max(value, 1) if high is None or high >= 1 else value
        return str(value)
    if isinstance(field_, forms.DateTimeField):
        return _local(-1)
    if isinstance(field_, forms.DateField):
        return (timezone.localdate() + timedelta(days=10)).isoformat()
    if isinstance(field_, forms.EmailField):
        return "canonical@example.org"
    if isinstance(field_, forms.URLField):
        return "https://example.org/canonical"
    if isinstance(field_, forms.CharField):
        return "Texte valide"
    raise AssertionError(f"No canonical value for {type(field_).__name__} ({name})")


def canonical_data(s, target: Target) -> dict:
    form = target.bind(s, None, None)
    data = {name: canonical_value(form, name) for name in form.fields}
    data.update(target.canonical(s))
    return {name: value for name, value in data.items() if value is not MISSING}


NUL_TEXT_VALUES = ("avant\x00après",)  # text fields: the validator sees it anywhere
NUL_OTHER_VALUES = ("\x00", "1\x00")  # numbers, dates, choices, ids: alone or after a digit


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_nul_bytes_in_every_field_are_refused_not_a_500(target, media):
    """PostgreSQL refuses NUL in text: every field, and every extra POST value, says so."""
    s = build_scenario()
    tables = _tables()
    base = canonical_data(s, target)
    _payload, post, files = _request_parts(base)
    form = target.bind(s, post, files)
    assert form.is_valid(), f"{target.name}: the canonical input is not valid: {form.errors}"
    stats: Counter = Counter()
    logger, level = _quiet_requests()
    try:
        assert post_and_check(s, target, base, False, stats, tables) == "accepted"
        names = [*form.fields, *target.extra(s), *target.canonical(s)]
        for name in dict.fromkeys(names):
            field_ = form.fields.get(name)
            text = isinstance(field_, (forms.CharField, forms.FileField))
            for nul in NUL_TEXT_VALUES if text else NUL_OTHER_VALUES:
                if isinstance(field_, forms.FileField):
                    value = _file(f"a{nul}.csv", f"email;first_name;last_name\n{nul}".encode())
                elif isinstance(field_, forms.MultipleChoiceField):
                    value = [*(base.get(name) or [])[:1], nul]
                else:
                    value = nul
                outcome = post_and_check(s, target, {**base, name: value}, False, stats, tables)
                if isinstance(field_, forms.CharField):
                    assert outcome == "refused", f"{target.name}.{name} accepted {nul!r}"
    finally:
        logger.setLevel(level)


EDGE_DATES = ("0001-01-01", "9999-12-31")
EDGE_DATETIMES = ("0001-01-01T00:00", "9999-12-31T23:59", "2026-03-29T02:30", "2026-10-25T02:30")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        t
        for t in TARGETS
        if t.name
        in {
            "programme_create",
            "programme_edit",
            "cohort_create",
            "cohort_edit",
            "goal_create",
            "goal_edit",
            "pairing_intro",
            "session_create",
            "session_edit",
            "session_log",
            "session_log_new",
            "audit_log",
        }
    ],
    ids=lambda t: t.name,
)
def test_extreme_dates_are_refused_or_work_never_a_500(target, media):
    """Year 1 is before 1 January 1 in UTC; year 9999 has no day after it: both overflow."""
    s = build_scenario()
    tables = _tables()
    base = canonical_data(s, target)
    form = target.bind(s, None, None)
    stats: Counter = Counter()
    logger, level = _quiet_requests()
    try:
        for name, field_ in form.fields.items():
            if isinstance(field_, forms.DateTimeField):
                values = EDGE_DATETIMES
            elif isinstance(field_, forms.DateField):
                values = EDGE_DATES
            else:
                continue
            for value in values:
                post_and_check(s, target, {**base, name: value}, False, stats, tables)
            if name == "starts_on" and "ends_on" in form.fields:  # the widest range of all
                data = {**base, "starts_on": EDGE_DATES[0], "ends_on": EDGE_DATES[1]}
                post_and_check(s, target, data, False, stats, tables)
    finally:
        logger.setLevel(level)
    assert stats


# Query strings, deterministically ----------------------------------------------------------

HOSTILE_PARAMETERS = [
    "\x00",
    "a\x00b",
    "1\x00",
    "9" * 30,
    "-1",
    "<script>alert(1)</script>",
    "é" * 300,
]


def _query_pages(s) -> list[tuple[object, str, list[str], dict]]:
    """(who, URL, parameters it reads, headers) for every view that reads the query string."""
    p = s.programme.pk
    pages = [
        (s.hr, reverse("people_list"), ["q", "page"], {}),
        (s.hr, reverse("people_list"), ["q", "page"], {"HX-Request": "true"}),
        (s.hr, reverse("programme_list"), ["status"], {}),
        (s.hr, reverse("participant_list", args=[p]), ["role", "status"], {}),
        (s.hr, reverse("programme_pairings", args=[p]), ["stalled"], {}),
        (s.hr, reverse("training", args=[p]), ["participant"], {}),
        (s.hr, reverse("programme_dashboard", args=[p]), ["cohort"], {}),
        (s.hr, reverse("skill_area_edit", args=[s.leadership.pk]), ["cancel"], {"HX-Request": "1"}),
        (s.mentee, reverse("goal_create", args=[s.pairing.pk]), ["template", "learner"], {}),
        (s.mentee, reverse("session_create", args=[s.pairing.pk]), ["template"], {}),
        (s.mentor, reverse("session_edit", args=[s.planned.pk]), ["template"], {}),
    ]
    try:
        audit = reverse("audit_log")
    except Exception:  # the audit app is being written
        audit = None
    if audit:
        fields = ["programme", "type", "actor", "date_from", "date_to", "page"]
        pages.append((s.hr, audit, fields, {}))
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE_PARAMETERS)
def test_hostile_query_strings_are_never_a_500(value):
    """NUL in a search or a filter is the classic PostgreSQL-only 500."""
    s = build_scenario()
    logger, level = _quiet_requests()
    try:
        for user, url, names, headers in _query_pages(s):
            client = client_for(s, user)
            for name in names:
                response = client.get(url, {name: value}, headers=headers)
                assert response.status_code < 500, f"{url}?{name}={value!r}"
            response = client.get(url, dict.fromkeys(names, value), headers=headers)
            assert response.status_code < 500, f"{url} with every parameter {value!r}"
    finally:
        logger.setLevel(level)


# Control characters, deterministically -----------------------------------------------------

# What the forms accept in a single-line field (only NUL is refused), and what then travels
# to spreadsheets (XLSX refuses C0 controls), mail headers (no line breaks), PDF and iCalendar.
CONTROL_NAME = "Léa\x01\x08\x0b\x0c\x1b\x1f\x7f\u2028"
NEWLINE_NAME = "Martin\r\nBcc: evil@example.org\n"


@pytest.mark.django_db
def test_control_characters_in_names_reach_every_output_without_a_500(media):
    from django.core import mail

    from evaluation.metrics import engagement_snapshot_take
    from notifications.models import Notification
    from notifications.services import notification_send

    s = build_scenario()
    hr = client_for(s, s.hr)
    for user, first, last in (
        (s.mentor, CONTROL_NAME, NEWLINE_NAME),
        (s.mentee, NEWLINE_NAME, CONTROL_NAME),
        (s.proposed_mentor, NEWLINE_NAME, CONTROL_NAME),
    ):
        data = {
            **CSRF,
            "email": user.email,
            "first_name": first,
            "last_name": last,
            "department": CONTROL_NAME,
            "direction": NEWLINE_NAME,
            "job_title": CONTROL_NAME,
            "seniority_years": "3",
            "language": "fr",
            "role": "participant",
        }
        response = hr.post(reverse("people_edit", args=[user.pk]), data)
        assert response.status_code == 302, response.content.decode()[-2000:]
    Cohort = type(s.cohort)
    Cohort.objects.filter(pk=s.cohort.pk).update(name=CONTROL_NAME)
    type(s.programme).objects.filter(pk=s.programme.pk).update(name=NEWLINE_NAME)
    Session.objects.filter(pk=s.planned.pk).update(place=CONTROL_NAME, agenda=NEWLINE_NAME)
    engagement_snapshot_take(programme_id=s.programme.pk, today=s.today)

    p = s.programme.pk
    for url in (
        reverse("pairs_export", args=[p, "csv"]),
        reverse("pairs_export", args=[p, "xlsx"]),
        reverse("metrics_export", args=[p, "csv"]),
        reverse("metrics_export", args=[p, "xlsx"]),
        reverse("programme_dashboard", args=[p]),
        reverse("programme_pairings", args=[p]),
        reverse("people_list"),
        reverse("cohort_verdict", args=[p, s.cohort.pk]),
        reverse("cohort_verdict_pdf", args=[p, s.cohort.pk]),
    ):
        assert hr.get(url).status_code == 200, url
    mentee = client_for(s, s.mentee)
    for url in (
        reverse("pairing_detail", args=[s.pairing.pk]),
        reverse("session_ics", args=[s.planned.pk]),
        reverse("my_progress"),
    ):
        assert mentee.get(url).status_code == 200, url

    # Mail: the partner's name goes into the subject, which must stay one line.
    mail.outbox.clear()
    notification = Notification.objects.create(
        key="control:match",
        kind=Notification.Kind.MATCH_PUBLISHED,
        recipient=s.proposed_mentee,
        pairing=s.proposed,
        due_on=s.today,
    )
    assert notification_send(notification_id=notification.pk) == "sent"
    (message,) = mail.outbox
    message.message()  # builds the headers: a line break there raises BadHeaderError
    assert "\n" not in message.subject and "\r" not in message.subject


def test_fuzz_budget_is_at_least_ten_thousand_inputs():
    total = sum(target.examples for target in TARGETS)
    views = sum(max(1, round(t.examples * VIEW_SHARE)) for t in TARGETS)
    print(f"\n{total} generated inputs: {views} through the views, {total - views} on the forms")
    assert total >= MINIMUM_INPUTS


@pytest.mark.slow
def test_fuzz_inputs_actually_run():
    """Last in the file: once every target has run, count what Hypothesis really generated."""
    done = {name for _layer, name in EXECUTED}
    if done != {target.name for target in TARGETS} or os.environ.get("FUZZ_EXAMPLES"):
        pytest.skip("only meaningful after a full run of every target")
    views = sum(n for (layer, _name), n in EXECUTED.items() if layer == "view")
    total = sum(EXECUTED.values())
    print(f"\n{total} inputs run: {views} through the views, {total - views} on the forms")
    assert total >= MINIMUM_INPUTS
