"""Benchmark the HR dashboard of a large programme: snapshot refresh and page time.

    python bench/dashboard.py                                   # 1,000,000 sessions
    python bench/dashboard.py --participants 200 --pairings 100 --sessions 5000 \\
        --checkins 1000 --requests 5                            # a quick check

Generates one organisation in a database of its own (PostgreSQL ``mentoring_bench``,
dropped and re-created, dropped again at the end unless ``--keep``): a running
programme (started 300 days ago, ends in 65, a session every 14 days) with three
cohorts (the pilot, then two waves), N participant employees over ~40 departments
in 8 directions, half mentors and half mentees, P pairs (most active, some ended
completed or early, some declined; started 30 to 290 days ago), S sessions spread
over the pairs' lives (~85 % held, planned ones ahead, some cancelled), C periodic
check-ins, about three goals a pair and baseline and final self-assessments for a
share of the members. Sessions, check-ins, goals and assessments go in through
PostgreSQL COPY (psycopg 3), people and pairs through bulk_create; then VACUUM
ANALYZE, as a database in service would have its statistics. All random choices
come from random.Random(--seed), so two runs generate the same data.

Then it times, in this process:
- the snapshot refresh, ``evaluation.metrics.engagement_snapshot_take`` for the
  programme and its cohorts (best of ``--snapshot-runs``);
- the HR dashboard page, ``programme_dashboard``, through ``django.test.Client``
  logged in as the HR admin: ``--requests`` GETs after 5 warm-up ones, each must
  answer 200; the time of each is taken around ``client.get`` (the whole Django
  stack, middleware and session included, no network), and the queries of one
  more request are counted with CaptureQueriesContext.

Django runs with DEBUG off, as in production. Progress goes to stderr; the
summary to stdout, whose last line is one JSON object: sessions, snapshot_s,
dashboard_p50_ms, dashboard_p95_ms, queries, then extras.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Eight directions of five departments each.
DIRECTIONS = {
    "Direction financière": [
        "Comptabilité", "Contrôle de gestion", "Trésorerie", "Fiscalité", "Audit interne",
    ],
    "Direction commerciale": [
        "Ventes France", "Ventes export", "Grands comptes", "Service client",
        "Administration des ventes",
    ],
    "Direction marketing et communication": [
        "Marketing produit", "Marketing digital", "Communication interne", "Relations presse",
        "Études de marché",
    ],
    "Direction des ressources humaines": [
        "Recrutement", "Formation", "Paie", "Relations sociales", "Développement RH",
    ],
    "Direction des opérations": [
        "Production", "Qualité", "Maintenance", "Méthodes", "Sécurité et environnement",
    ],
    "Direction de la supply chain": [
        "Achats", "Approvisionnement", "Logistique", "Transport", "Planification",
    ],
    "Direction des systèmes d'information": [
        "Infrastructure", "Développement", "Support utilisateurs", "Données", "Cybersécurité",
    ],
    "Direction juridique et conformité": [
        "Juridique", "Conformité", "Contrats", "Propriété intellectuelle", "Assurances",
    ],
}  # fmt: skip
DEPARTMENTS = [(d, dept) for d, depts in DIRECTIONS.items() for dept in depts]

# (name, share of the pairs, pairs activated between these many days ago)
COHORTS = [("Pilote", 0.2, (210, 290)), ("Vague 2", 0.4, (120, 200)), ("Vague 3", 0.4, (30, 110))]
FUTURE_DAYS = 14  # active pairs have sessions planned up to this far ahead
WARM_UP = 5


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000, help="half mentors")
    parser.add_argument("--pairings", type=int, default=5_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--checkins", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200, help="timed dashboard GETs")
    parser.add_argument("--snapshot-runs", type=int, default=3, help="best of these many")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/mentoring_bench",
        help="PostgreSQL URL of a database the benchmark may drop and re-create",
    )
    args = parser.parse_args()
    if args.participants < 2:
        parser.error("--participants must be at least 2")
    if not 1 <= args.pairings <= args.participants // 2:
        parser.error("--pairings must be between 1 and half the participants (one mentee each)")
    if min(args.sessions, args.checkins) < 0 or args.requests < 1 or args.snapshot_runs < 1:
        parser.error("--sessions and --checkins must be >= 0, --requests and --snapshot-runs >= 1")
    return args


def prepare_database(url: str) -> str:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(slots=True)
class Pair:
    """What the generators of sessions, check-ins, goals and assessments need of a pair."""

    pk: int
    mentor_user: int
    mentee_user: int
    started: datetime | None  # activated_at; None when declined
    ended: datetime | None
    quiet_since: datetime | None = None  # an active pair whose sessions stopped (stalled)

    def sessions_until(self, now: datetime) -> datetime:
        return self.ended or self.quiet_since or now + timedelta(days=FUTURE_DAYS)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split total into integers proportional to weights (largest remainders), summing to it."""
    if not weights:
        return []
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def copy_rows(model, columns: list[str], rows: Iterable[tuple], *, bulk: bool = False) -> int:
    """COPY rows into the model's table; fail clearly if a NOT NULL column is left out.

    bulk: drop the table's secondary indexes, unique and foreign-key constraints
    first and re-create them after (as pg_restore does): on a million rows this is
    several times faster than checking three foreign keys and updating eight
    indexes row by row. Re-creating them checks every row, so the data is as
    constrained as if inserted one by one, and the schema ends identical.
    """
    from django.db import connection

    required = {f.column for f in model._meta.concrete_fields if not f.null and not f.primary_key}
    missing = sorted(required - set(columns))
    if missing:
        sys.exit(
            f"bench/dashboard.py does not fill {model._meta.db_table}: {', '.join(missing)} "
            "(NOT NULL): add them to the generator"
        )
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        if bulk:
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
                [table],
            )
            constraints = cursor.fetchall()  # unique ones first: a foreign key may need one
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND indexrelid NOT IN "
                "(SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
            for name, _, _ in reversed(constraints):
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        with cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if bulk:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for name, _, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")
    return count


def generate_people(n_participants: int, rng: random.Random) -> tuple:
    """The programme, its cohorts, the HR admin, a manager and the participants' accounts."""
    from django.utils import timezone

    from accounts.models import User
    from programmes.models import Cohort, Programme, SkillArea

    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Mentorat inversé (benchmark)",
        objectives="Benchmark",
        status=Programme.Status.RUNNING,
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=65),
        session_cadence_days=14,
    )
    programme.skill_areas.set(SkillArea.objects.all())
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            programme=programme,
            name=name,
            is_pilot=(i == 0),
            target_pairs=1000,
            starts_on=programme.starts_on if i == 0 else today - timedelta(days=oldest + 10),
            ends_on=programme.ends_on,
        )
        for i, (name, _, (_, oldest)) in enumerate(COHORTS)
    )
    hr = User.objects.create_user(
        "rh@bench.example", first_name="Claire", last_name="RH", role=User.Role.HR_ADMIN,
        department="Développement RH", direction="Direction des ressources humaines",
    )  # fmt: skip
    User.objects.create_user(
        "manager@bench.example", first_name="Marc", last_name="Sponsor", role=User.Role.MANAGER,
        department="Ventes France", direction="Direction commerciale",
    )  # fmt: skip
    n_mentors = n_participants // 2

    def person(i: int) -> User:
        mentor = i < n_mentors
        kind, number = ("junior", i) if mentor else ("senior", i - n_mentors)
        direction, department = rng.choice(DEPARTMENTS)
        return User(
            email=f"{kind}{number}@bench.example",
            first_name=f"{kind.capitalize()}{number}",
            last_name="Bench",
            department=department,
            direction=direction,
            seniority_years=rng.randint(0, 5) if mentor else rng.randint(12, 35),
            language="en" if rng.random() < 0.15 else "fr",
            role=User.Role.PARTICIPANT,
            password="!",
        )

    users = User.objects.bulk_create((person(i) for i in range(n_participants)), batch_size=2000)
    return programme, cohorts, hr, users[:n_mentors], users[n_mentors:]


def generate_pairs(
    programme,
    cohorts: list,
    mentor_users: list,
    mentee_users: list,
    n_pairings: int,
    rng: random.Random,
) -> list[Pair]:
    """Participants (approved, in cohorts) and the pairs, mentor i with mentee i."""
    from django.db.models import F
    from django.utils import timezone

    from pairs.models import Outcome, Pairing
    from programmes.models import Participant

    now = timezone.now()
    shares = [share for _, share, _ in COHORTS]
    # Mentor i and mentee i share a cohort; the unpaired ones are spread the same way.
    slots = rng.choices(
        range(len(cohorts)), weights=shares, k=max(len(mentor_users), len(mentee_users))
    )

    def profile(user, role: str, i: int) -> Participant:
        cohort = cohorts[slots[i]]
        consent = datetime.combine(cohort.starts_on, datetime.min.time(), now.tzinfo)
        return Participant(
            programme=programme,
            cohort=cohort,
            user=user,
            role=role,
            status=Participant.Status.APPROVED,
            availability=sum(1 << s for s in rng.sample(range(10), rng.randint(2, 5))),
            format=rng.choices(["either", "in_person", "remote"], [6, 2, 2])[0],
            languages=["fr"] + (["en"] if rng.random() < 0.4 else []),
            capacity=1,
            consent_at=consent - timedelta(days=rng.randint(15, 40)),
        )

    mentors = Participant.objects.bulk_create(
        (profile(u, "mentor", i) for i, u in enumerate(mentor_users)), batch_size=2000
    )
    mentees = Participant.objects.bulk_create(
        (profile(u, "mentee", i) for i, u in enumerate(mentee_users)), batch_size=2000
    )
    Participant.objects.update(created_at=F("consent_at"), updated_at=F("consent_at"))

    rows, pairs = [], []
    for i in range(n_pairings):
        mentor, mentee = mentors[i], mentees[i]
        _, _, (newest, oldest) = COHORTS[slots[i]]
        days_ago = rng.uniform(newest, oldest)
        start = now - timedelta(days=days_ago, seconds=rng.randint(0, 8 * 3600))
        pairing = Pairing(
            cohort=mentor.cohort,
            mentor=mentor,
            mentee=mentee,
            intro_at=start - timedelta(days=rng.randint(3, 10)),
            intro_place="https://visio.example/binome",
        )
        r = rng.random()
        if r < 0.06:
            pairing.status = Pairing.Status.DECLINED
            pairing.declined_by_id = rng.choice([mentor.user_id, mentee.user_id])
            pairing.declined_at = pairing.intro_at + timedelta(days=2)
        else:
            pairing.status = Pairing.Status.ACTIVE
            pairing.mentor_accepted_at = start - timedelta(hours=rng.randint(1, 48))
            pairing.mentee_accepted_at = start
            pairing.activated_at = start
            if r < 0.18:
                pairing.status = Pairing.Status.ENDED
                completed = rng.random() < 0.55
                pairing.outcome = Outcome.COMPLETED if completed else Outcome.ENDED_EARLY
                share = rng.uniform(0.75, 0.98) if completed else rng.uniform(0.15, 0.7)
                pairing.ended_at = start + timedelta(days=max(7.0, days_ago * share))
                pairing.ended_by_id = mentee.user_id
                if not completed:
                    pairing.end_reason = "Changement de poste."
        rows.append(pairing)
    pairings = Pairing.objects.bulk_create(rows, batch_size=2000)
    Pairing.objects.update(created_at=F("intro_at") - timedelta(days=7))
    for p in pairings:
        pair = Pair(p.pk, p.mentor.user_id, p.mentee.user_id, p.activated_at, p.ended_at)
        # One active pair in twelve went quiet a month or two ago: stalled on the dashboard.
        if p.status == Pairing.Status.ACTIVE and rng.random() < 1 / 12:
            quiet_days = rng.uniform(30, 60)
            if (now - p.activated_at).days > quiet_days + 14:
                pair.quiet_since = now - timedelta(days=quiet_days)
        pairs.append(pair)
    return pairs


SESSION_COLUMNS = [
    "pairing_id", "uid", "status", "starts_at", "planned_minutes", "format", "place",
    "agenda", "held_minutes", "shared_notes", "mentor_learned", "mentee_learned",
    "next_steps", "cancel_reason", "logged_by_id", "logged_at", "sequence",
    "created_by_id", "created_at", "updated_at",
]  # fmt: skip


def session_rows(
    pairs: list[Pair], counts: list[int], now: datetime, rng: random.Random
) -> Iterator[tuple]:
    """Sessions evenly spread, with jitter, from each pair's start to its end or a bit ahead."""
    week = timedelta(days=7)
    for pair, n in zip(pairs, counts, strict=True):
        if not n:
            continue
        step = (pair.sessions_until(now) - pair.started).total_seconds() / n
        for j in range(n):
            starts_at = pair.started + timedelta(seconds=(j + rng.random()) * step)
            created_at = max(pair.started, starts_at - week)
            held = logged_by = logged_at = None
            if starts_at > now:
                status, updated_at = "planned", created_at
            else:
                r = rng.random()
                if r < 0.925:
                    status, held = "held", rng.randint(30, 90)
                    logged_by = pair.mentee_user
                    logged_at = updated_at = starts_at + timedelta(hours=2)
                elif r < 0.985:
                    status, updated_at = "cancelled", starts_at - timedelta(hours=3)
                else:  # past but never logged
                    status, updated_at = "planned", created_at
            yield (
                pair.pk, uuid.UUID(int=rng.getrandbits(128), version=4), status, starts_at,
                45, "remote", "", "", held, "", "", "", "", "", logged_by, logged_at, 0,
                pair.mentee_user, created_at, updated_at,
            )  # fmt: skip


CHECKIN_COLUMNS = [
    "pairing_id", "respondent_id", "side", "kind", "number", "due_on", "satisfaction",
    "progress", "confidence", "comment", "hr_comment", "answered_at",
]  # fmt: skip
SCORE_WEIGHTS = [2, 6, 17, 45, 30]  # 1 to 5: mostly satisfied, as pilots usually are


def checkin_rows(
    members: list[tuple[Pair, str]], counts: list[int], now: datetime, rng: random.Random
) -> Iterator[tuple]:
    """k periodic check-ins a member, numbered 1..k, due evenly over the pair's life so far."""
    first_day = timedelta(days=30)
    scores = range(1, 6)
    for (pair, side), k in zip(members, counts, strict=True):
        if not k:
            continue
        respondent = pair.mentor_user if side == "mentor" else pair.mentee_user
        first = pair.started + first_day
        last = min(now, pair.ended or now)
        step = max(timedelta(0), last - first) / k
        for number in range(1, k + 1):
            due = first + (number - 1) * step
            answered = min(now, due + timedelta(seconds=rng.randint(0, 6 * 86400)))
            satisfaction, progress, confidence = rng.choices(scores, SCORE_WEIGHTS, k=3)
            yield (
                pair.pk, respondent, side, "periodic", number, due.date(), satisfaction,
                progress, confidence, "", "", answered,
            )  # fmt: skip


GOAL_COLUMNS = [
    "pairing_id", "learner", "skill_area_id", "title", "measure", "target_value", "unit",
    "current_value", "deadline", "status", "achieved_on", "created_by_id", "created_at",
    "updated_at",
]  # fmt: skip


def goal_rows(pairs: list[Pair], areas: dict, today: date, rng: random.Random) -> Iterator[tuple]:
    """Two to four goals a started pair, two thirds the mentee's (digital), some achieved."""
    statuses = ["achieved", "in_progress", "not_started", "dropped"]
    for pair in pairs:
        if pair.started is None:
            continue
        for n in range(rng.choice([2, 3, 3, 4])):
            learner = "mentee" if rng.random() < 0.67 else "mentor"
            area = rng.choice(areas[learner])
            target = Decimal(rng.randint(3, 20))
            created = pair.started + timedelta(days=rng.randint(0, 10))
            deadline = created.date() + timedelta(weeks=rng.randint(4, 16))
            status = rng.choices(statuses, [40, 30, 15, 15])[0]
            achieved_on = None
            if status == "achieved" and created.date() < today:
                current = target
                latest = min(today, deadline + timedelta(days=14))
                achieved_on = created.date() + timedelta(
                    days=rng.randint(1, max(1, (latest - created.date()).days))
                )
            elif status == "achieved":
                status, current = "not_started", Decimal(0)
            elif status == "not_started":
                current = Decimal(0)
            else:
                current = Decimal(rng.randint(0, int(target) - 1))
            updated = datetime.combine(achieved_on, created.timetz()) if achieved_on else created
            yield (
                pair.pk, learner, area, f"Objectif {n + 1}", "Réalisations", target, "fois",
                current, deadline, status, achieved_on,
                pair.mentee_user if learner == "mentee" else pair.mentor_user, created, updated,
            )  # fmt: skip


ASSESSMENT_COLUMNS = [
    "pairing_id", "respondent_id", "side", "kind", "skill_area_id", "level", "answered_at",
]  # fmt: skip


def assessment_rows(
    pairs: list[Pair], areas: dict, now: datetime, rng: random.Random
) -> Iterator[tuple]:
    """Baselines for 70 % of the members, finals for most of those whose pair ended or is old."""
    for pair in pairs:
        if pair.started is None:
            continue
        for side, user in (("mentor", pair.mentor_user), ("mentee", pair.mentee_user)):
            if rng.random() >= 0.7:
                continue
            skills = rng.sample(areas[side], min(len(areas[side]), rng.randint(2, 3)))
            final = (pair.ended is not None or (now - pair.started).days > 150) and (
                rng.random() < 0.8
            )
            baseline_at = pair.started + timedelta(days=rng.uniform(0, 5))
            final_at = (pair.ended or now) - timedelta(days=rng.uniform(0, 5))
            for area in skills:
                level = rng.randint(1, 3)
                yield (pair.pk, user, side, "baseline", area, level, baseline_at)
                if final:
                    gain = rng.choice([0, 1, 1, 1, 2])
                    yield (pair.pk, user, side, "final", area, min(5, level + gain), final_at)


def generate(args: argparse.Namespace) -> tuple:
    """Fill the bench database; return the programme, the HR admin and the row counts."""
    from django.db import connection
    from django.utils import timezone

    from evaluation.models import Assessment, CheckIn
    from pairs.models import Goal, Session
    from programmes.models import SkillArea

    rng = random.Random(args.seed)
    now = timezone.now()
    today = timezone.localdate()
    started = time.perf_counter()
    programme, cohorts, hr, mentor_users, mentee_users = generate_people(args.participants, rng)
    pairs = generate_pairs(programme, cohorts, mentor_users, mentee_users, args.pairings, rng)
    log(f"  people and pairs: {time.perf_counter() - started:.1f}s")

    # The mentee learns digital skills, the mentor leadership and business knowledge.
    areas = {"mentee": [], "mentor": []}
    for pk, category in SkillArea.objects.values_list("pk", "category"):
        areas["mentee" if category == SkillArea.Category.DIGITAL else "mentor"].append(pk)
    if not areas["mentee"] or not areas["mentor"]:
        sys.exit("the migrations seeded no digital or no leadership/business skill area")

    live = [p for p in pairs if p.started is not None]
    counts = {}
    step = time.perf_counter()
    weights = [(p.sessions_until(now) - p.started).days * rng.uniform(0.6, 1.4) for p in live]
    counts["sessions"] = copy_rows(
        Session,
        SESSION_COLUMNS,
        session_rows(live, allocate(args.sessions, weights), now, rng),
        bulk=True,
    )
    log(f"  {counts['sessions']:,} sessions: {time.perf_counter() - step:.1f}s")

    step = time.perf_counter()
    members = [(p, side) for p in live for side in ("mentor", "mentee")]
    weights = [max(1, ((p.ended or now) - p.started).days) for p, _ in members]
    counts["checkins"] = copy_rows(
        CheckIn,
        CHECKIN_COLUMNS,
        checkin_rows(members, allocate(args.checkins, weights), now, rng),
        bulk=True,
    )
    log(f"  {counts['checkins']:,} check-ins: {time.perf_counter() - step:.1f}s")

    step = time.perf_counter()
    counts["goals"] = copy_rows(Goal, GOAL_COLUMNS, goal_rows(pairs, areas, today, rng))
    counts["assessments"] = copy_rows(
        Assessment, ASSESSMENT_COLUMNS, assessment_rows(pairs, areas, now, rng)
    )
    log(
        f"  {counts['goals']:,} goals, {counts['assessments']:,} assessments: "
        f"{time.perf_counter() - step:.1f}s"
    )

    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics and visibility map, as in service
    log(f"  VACUUM ANALYZE: {time.perf_counter() - step:.1f}s")
    return programme, hr, counts


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def time_snapshot(programme, runs: int) -> list[float]:
    from django.utils import timezone

    from evaluation.metrics import engagement_snapshot_take

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        engagement_snapshot_take(programme_id=programme.pk, today=timezone.localdate())
        times.append(time.perf_counter() - started)
    return times


def time_dashboard(programme, hr, requests: int) -> tuple[list[float], int]:
    """Milliseconds of each timed GET, and the number of queries of one more."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("programme_dashboard", args=[programme.pk])
    except NoReverseMatch:
        sys.exit(
            "no URL named 'programme_dashboard' (taking a programme's pk): the HR dashboard "
            "view does not exist yet, so it cannot be timed; the figures above stand"
        )
    client = Client()
    client.force_login(hr)

    def get() -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            where = response.get("Location", "")
            sys.exit(f"GET {url} answered {response.status_code} {where}".rstrip())
        return elapsed * 1000

    for _ in range(WARM_UP):
        get()
    times = [get() for _ in range(requests)]
    with CaptureQueriesContext(connection) as queries:
        get()
    return times, len(queries.captured_queries)


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args.postgres)
    os.environ["DEBUG"] = "false"  # time what production runs: no query log, no debug pages
    os.environ["ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from pairs.models import Session

    try:
        call_command("migrate", verbosity=0)
        log(
            f"generating {args.participants:,} participants, {args.pairings:,} pairs, "
            f"{args.sessions:,} sessions, {args.checkins:,} check-ins (seed {args.seed})"
        )
        started = time.perf_counter()
        programme, hr, counts = generate(args)
        generate_s = time.perf_counter() - started
        sessions = Session.objects.count()
        print(
            f"generated {args.participants:,} participants, {args.pairings:,} pairs, "
            f"{sessions:,} sessions, {counts['checkins']:,} check-ins, {counts['goals']:,} "
            f"goals, {counts['assessments']:,} assessments in {generate_s:.1f}s",
            flush=True,
        )

        snapshot_times = time_snapshot(programme, args.snapshot_runs)
        snapshot_s = min(snapshot_times)
        runs = ", ".join(f"{t:.2f}" for t in snapshot_times)
        print(
            f"snapshot refresh (programme + 3 cohorts): {snapshot_s:.2f}s, best of "
            f"{len(snapshot_times)} ({runs} s)",
            flush=True,
        )

        times, queries = time_dashboard(programme, hr, args.requests)
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(args.postgres)
            log(f"database {args.postgres.rsplit('/', 1)[1]} dropped")
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(
        f"HR dashboard: {len(times)} GETs after {WARM_UP} warm-up ones, p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms; {queries} queries a request",
        flush=True,
    )
    result = {
        "sessions": sessions,
        "snapshot_s": round(snapshot_s, 2),
        "dashboard_p50_ms": round(p50, 1),
        "dashboard_p95_ms": round(p95, 1),
        "queries": queries,
        "participants": args.participants,
        "pairings": args.pairings,
        "checkins": counts["checkins"],
        "goals": counts["goals"],
        "assessments": counts["assessments"],
        "generate_s": round(generate_s, 1),
        "snapshot_runs_s": [round(t, 2) for t in snapshot_times],
        "requests": len(times),
        "dashboard_mean_ms": round(statistics.fmean(times), 1),
        "dashboard_max_ms": round(max(times), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
