"""Benchmark the matching service end to end on a generated cohort.

    python bench/matching.py --mentors 2000 --mentees 2000            # PostgreSQL
    python bench/matching.py --mentors 300 --mentees 300 --sqlite     # no server

Generates a realistic organisation in a database of its own (PostgreSQL
``mentoring_bench``, dropped and re-created, or ``var/bench.sqlite3``): departments
with reporting lines, juniors volunteering as mentors and seniors as mentees, the
15 default skill areas with levels, weekly availability, formats, languages and
mentor training. It then runs the real service (load, score, hard rules, solve,
store proposals and reasons) exactly as the worker does, and checks the total
against an independent optimum (LAPJVsp on a sparse graph, bench/oracle.py) and a
greedy matcher. The last line printed is one JSON object.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENTS = [
    "Finance", "Commercial", "Marketing", "Ressources humaines", "Opérations", "Juridique",
    "Achats", "Industrie", "Systèmes d'information", "Communication", "Logistique", "R&D",
]  # fmt: skip


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite", action="store_true", help="use var/bench.sqlite3")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/mentoring_bench",
        help="PostgreSQL URL of a database the benchmark may drop and re-create",
    )
    return parser.parse_args()


def prepare_database(args) -> str:
    if args.sqlite:
        path = ROOT / "var" / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = args.postgres.rsplit("/", 1)[1]
    admin_url = args.postgres.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return args.postgres


def generate(n_mentors: int, n_mentees: int, seed: int):
    """Create the organisation and the cohort; return the cohort and its HR admin."""
    from datetime import date

    from django.utils import timezone

    from accounts.models import User
    from programmes.models import (
        Cohort,
        Participant,
        ParticipantSkill,
        Programme,
        SkillArea,
        TrainingCompletion,
        TrainingModule,
    )

    rng = random.Random(seed)
    hr = User.objects.create_user("rh@bench.example", role=User.Role.HR_ADMIN)
    # Department heads, outside the cohort, at the top of each reporting line.
    heads = User.objects.bulk_create(
        User(email=f"head{i}@bench.example", department=d, seniority_years=30, password="!")
        for i, d in enumerate(DEPARTMENTS)
    )
    head_of = {h.department: h for h in heads}

    def language():
        return "en" if rng.random() < 0.15 else "fr"

    seniors = User.objects.bulk_create(
        User(
            email=f"senior{i}@bench.example",
            first_name=f"Senior{i}",
            last_name="Bench",
            department=(dept := rng.choice(DEPARTMENTS)),
            manager=head_of[dept],
            seniority_years=rng.randint(12, 35),
            language=language(),
            password="!",
        )
        for i in range(n_mentees)
    )
    by_department = {}
    for senior in seniors:
        by_department.setdefault(senior.department, []).append(senior)
    # A third of the juniors report to a senior of the cohort: rules to respect.
    juniors = User.objects.bulk_create(
        User(
            email=f"junior{i}@bench.example",
            first_name=f"Junior{i}",
            last_name="Bench",
            department=(dept := rng.choice(DEPARTMENTS)),
            manager=rng.choice(by_department.get(dept, heads))
            if rng.random() < 0.33
            else head_of[dept],
            seniority_years=rng.randint(0, 5),
            language=language(),
            password="!",
        )
        for i in range(n_mentors)
    )

    areas = list(SkillArea.objects.all())
    digital = [a for a in areas if a.category == "digital"]
    other = [a for a in areas if a.category != "digital"]
    programme = Programme.objects.create(
        name="Mentorat inversé (benchmark)",
        objectives="Benchmark",
        status=Programme.Status.ENROLMENT,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 7, 31),
        min_seniority_gap=8,
        mentor_training_required=True,
    )
    programme.skill_areas.set(areas)
    cohort = Cohort.objects.create(
        programme=programme,
        name="Benchmark",
        is_pilot=True,
        target_pairs=max(1, min(n_mentors, n_mentees)),
        starts_on=date(2026, 10, 1),
        ends_on=date(2027, 6, 30),
    )
    modules = TrainingModule.objects.bulk_create(
        TrainingModule(programme=programme, title=f"Module {i}", position=i) for i in range(3)
    )

    def profile(user, role):
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
            consent_at=timezone.now(),
        )

    mentors = Participant.objects.bulk_create(profile(u, "mentor") for u in juniors)
    mentees = Participant.objects.bulk_create(profile(u, "mentee") for u in seniors)
    skills = []
    for p in mentors:
        for area in rng.sample(digital, rng.randint(2, 4)):
            skills.append(ParticipantSkill(participant=p, skill_area=area, direction="offer",
                                           level=rng.randint(2, 4)))  # fmt: skip
        for area in rng.sample(other, rng.randint(0, 2)):
            skills.append(ParticipantSkill(participant=p, skill_area=area, direction="seek",
                                           level=rng.randint(1, 4)))  # fmt: skip
    for p in mentees:
        for area in rng.sample(digital, rng.randint(1, 3)):
            skills.append(ParticipantSkill(participant=p, skill_area=area, direction="seek",
                                           level=rng.randint(1, 4)))  # fmt: skip
        for area in rng.sample(other, rng.randint(1, 3)):
            skills.append(ParticipantSkill(participant=p, skill_area=area, direction="offer",
                                           level=rng.randint(2, 4)))  # fmt: skip
    ParticipantSkill.objects.bulk_create(skills, batch_size=5000)
    # 95 % of the mentors finished their training.
    TrainingCompletion.objects.bulk_create(
        (
            TrainingCompletion(participant=p, module=m, marked_by=hr)
            for p in mentors
            if rng.random() < 0.95
            for m in modules
        ),
        batch_size=5000,
    )
    return cohort, hr


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"  # the task runs here, in-process
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from bench.oracle import greedy_total, oracle_total
    from matching.models import MatchRun
    from matching.score import score
    from matching.services import Pool, match_run_start

    started = time.perf_counter()
    cohort, hr = generate(args.mentors, args.mentees, args.seed)
    generate_s = time.perf_counter() - started
    print(f"generated {args.mentors} mentors and {args.mentees} mentees in {generate_s:.1f}s")

    started = time.perf_counter()
    run = match_run_start(cohort=cohort, by=hr)  # queued, then executed by the eager task
    end_to_end_s = time.perf_counter() - started
    run = MatchRun.objects.get(pk=run.pk)
    if run.status != MatchRun.Status.DONE:
        sys.exit(f"run ended {run.status}: {run.error}")
    timings = run.settings_used["timings"]

    # The same matrix again, outside the timing, for the independent checks.
    pool = Pool(cohort)
    matrix = score(pool.mentor_people, pool.mentee_people, pool.weights, pool.rules)
    capacities = [p.capacity - used for p, used in zip(pool.mentors, pool.capacity_used)]  # noqa: B905
    oracle = oracle_total(matrix.total, capacities)
    greedy = greedy_total(matrix.total, capacities)
    proposals = list(run.proposals.values_list("total", flat=True))
    result = {
        "n_mentors": args.mentors,
        "n_mentees": args.mentees,
        "database": "sqlite" if args.sqlite else "postgresql",
        "load_s": timings["load_s"],
        "score_s": timings["score_s"],
        "solve_s": timings["solve_s"],
        "store_s": timings["store_s"],
        "end_to_end_s": round(end_to_end_s, 3),
        "pairs": len(proposals),
        "unmatched": run.unmatched.count(),
        "total": round(run.total_score, 6),
        "oracle_total": round(oracle, 6),
        "greedy_total": round(greedy, 6),
        "worst_pair_score": round(min(proposals), 4) if proposals else None,
    }
    if abs(result["total"] - result["oracle_total"]) > 1e-6 * max(1, len(proposals)):
        print(json.dumps(result))
        sys.exit("total differs from the oracle's optimum")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
