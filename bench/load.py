"""Load test over HTTP: participants' pair pages and HR's dashboard at a fixed rate.

    python bench/load.py                        # 150 requests a second for 5 minutes
    python bench/load.py --duration 30          # a short run
    python bench/load.py --duration 30 --reuse-data
    python bench/load.py --record               # also add the run to bench/RESULTS.md

1. Data. A database of its own (PostgreSQL ``mentoring_load``, dropped and re-created;
   the name may be neither ``mentoring`` nor ``test_*``), filled by the generator of
   ``bench/dashboard.py`` at the size of a real programme: by default 1,000 participants,
   400 pairs (most active, some ended or declined), 5,000 sessions, 2,000 check-ins, goals
   and self-assessments; then what a participant's page also reads: the skills each
   participant offers and seeks, the published matching proposals behind the pairs (the
   "why you were matched" lines), agendas for half the planned sessions and private notes.
   Then the engagement snapshot of the programme and its cohorts, as the nightly task
   computes it, so the dashboard has figures. ``--reuse-data`` keeps the data of a
   previous run (same options) and only takes a new snapshot. The database is kept.
2. Sessions. The HR admin and ``--logged-in`` participants (drawn over all the pairs) are
   logged in through Django's own login (``Client.force_login``: database sessions, as
   in service); their session cookies go to the targets file for wrk.
3. Server. gunicorn, ``--workers`` sync workers, production settings
   (``MENTORING_PRODUCTION=true``, DEBUG off, static files collected under
   ``var/load/``, ``--redis`` (db 6) as the cache, plain HTTP on 127.0.0.1). The socket
   is opened here with TCP_DEFER_ACCEPT and handed to gunicorn (``--bind fd://``): wrk
   opens each connection as soon as the previous response is in, then waits for the
   request's time, and a sync worker that accepted such an idle connection would be
   stuck on it until the request comes. A buffering proxy spares the workers that in
   service; deferred accept does the same here (the kernel hands a connection over
   once its request has arrived).
4. Load. wrk with ``bench/load.lua``: one connection per thread, each thread paced
   by a timetable (its share of ``--rate``, see the Lua file), each request the HR
   dashboard (programme or one cohort) with probability ``--dashboard-share``, otherwise
   a random logged-in participant's own pair page with their cookie. First
   ``--warmup`` seconds whose figures are dropped, then ``--duration`` seconds measured.
   Non-2xx answers and socket errors (connect, read, write, timeout) are errors.

Progress goes to stderr. The last line on stdout is one JSON object: rps, p50_ms, p95_ms,
errors, then extras (p99, per endpoint, latency counted from each request's slot, the
server's own time per request from gunicorn's access log, CPU use).
"""

import argparse
import json
import os
import platform
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VAR = ROOT / "var" / "load"
LUA = ROOT / "bench" / "load.lua"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## HTTP load: `bench/load.py`"
RUNS_MARKER = "<!-- bench/load.py --record adds runs above this line -->"
PROGRAMME_NAME = "Mentorat inversé (charge)"
WRK_INSTALL = "apt-get install -y -q --no-install-recommends wrk"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--duration", type=int, default=300, help="measured seconds (default 300)")
    add("--rate", type=float, default=150.0, help="requests a second in total (default 150)")
    add("--warmup", type=int, default=10, help="seconds of load before, not measured")
    add("--connections", type=int, default=64, help="wrk threads, one connection each")
    add("--dashboard-share", type=float, default=0.1, help="share of HR dashboard requests")
    add("--arrivals", choices=["uniform", "poisson"], default="uniform")
    add("--workers", type=int, default=4, help="gunicorn sync workers")
    add("--participants", type=int, default=1000, help="half mentors")
    add("--pairings", type=int, default=400)
    add("--sessions", type=int, default=5000)
    add("--checkins", type=int, default=2000)
    add("--logged-in", type=int, default=400, help="participants with a session")
    add("--seed", type=int, default=42)
    add("--reuse-data", action="store_true", help="keep the data of a previous run")
    add("--timeout", type=int, default=10, help="wrk's timeout, seconds (then an error)")
    add(
        "--plain-accept",
        action="store_true",
        help="no TCP_DEFER_ACCEPT on the listening socket (to see what it changes)",
    )
    add("--record", action="store_true", help="add this run to bench/RESULTS.md")
    add("--note", default="", help="a note for the --record entry")
    add(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/mentoring_load",
        help="PostgreSQL URL of a database the benchmark may drop and re-create",
    )
    add("--redis", default="redis://127.0.0.1:6379/6", help="cache; a non-zero Redis db")
    args = parser.parse_args()
    name = args.postgres.rsplit("/", 1)[1]
    if name in ("", "mentoring", "postgres", "template0", "template1") or name.startswith("test"):
        parser.error(f"--postgres: refusing to drop the database {name!r}; use a dedicated one")
    redis_db = urllib.parse.urlsplit(args.redis).path.strip("/")
    if not redis_db.isdigit() or int(redis_db) == 0:
        parser.error("--redis: use a non-zero Redis database, e.g. redis://127.0.0.1:6379/6")
    if args.duration < 1 or args.rate <= 0 or args.warmup < 0 or args.workers < 1:
        parser.error("--duration, --rate and --workers must be positive, --warmup >= 0")
    if not 0 <= args.dashboard_share <= 1:
        parser.error("--dashboard-share is between 0 and 1")
    if args.connections < 1 or args.logged_in < 1:
        parser.error("--connections and --logged-in must be at least 1")
    if not 1 <= args.pairings <= args.participants // 2:
        parser.error("--pairings must be between 1 and half the participants")
    return args


def check_tools() -> tuple[str, str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(f"wrk is not installed: {WRK_INSTALL} (Debian package wrk), then run again")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        sys.exit(f"no gunicorn beside {sys.executable}: install the project (it is a dependency)")
    return wrk, str(gunicorn)


# --- Environment ------------------------------------------------------------------------


def server_env(args: argparse.Namespace) -> dict:
    """Production settings on plain HTTP; the same for this process and for gunicorn."""
    return {
        "DATABASE_URL": args.postgres,
        "REDIS_URL": args.redis,
        "MENTORING_PRODUCTION": "true",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
    }


# --- Data -------------------------------------------------------------------------------


def build_data(args: argparse.Namespace):
    """Generate the programme (bench/dashboard.py's generator) and the pages' extras."""
    from bench import dashboard

    gen_args = argparse.Namespace(
        participants=args.participants,
        pairings=args.pairings,
        sessions=args.sessions,
        checkins=args.checkins,
        seed=args.seed,
    )
    programme, hr, counts = dashboard.generate(gen_args)
    programme.name = PROGRAMME_NAME
    programme.objectives = data_key(args)  # what --reuse-data checks
    programme.save(update_fields=["name", "objectives"])
    rng = random.Random(args.seed + 1)
    counts.update(build_extras(programme, rng))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return programme, hr, counts


def data_key(args: argparse.Namespace) -> str:
    sizes = ("participants", "pairings", "sessions", "checkins", "seed")
    return "Load test data: " + json.dumps({name: getattr(args, name) for name in sizes})


def build_extras(programme, rng: random.Random) -> dict:
    """Skills offered and sought, proposals behind the pairs, agendas and private notes."""
    from django.db import connection
    from django.utils import timezone

    from matching.models import MatchRun, Proposal
    from matching.score import coverage
    from pairs.models import Pairing, PrivateNote, Session
    from programmes.models import Participant, ParticipantSkill, SkillArea

    digital, other = [], []
    for pk, category in SkillArea.objects.values_list("pk", "category"):
        (digital if category == SkillArea.Category.DIGITAL else other).append(pk)

    # Juniors (mentors) offer digital skills and seek leadership; seniors the reverse.
    skills: dict[int, dict[str, dict[int, int]]] = {}
    rows = []
    for participant in Participant.objects.filter(programme=programme).order_by("pk"):
        teach, learn = (digital, other) if participant.role == "mentor" else (other, digital)
        own = {"offer": {}, "seek": {}}
        for direction, areas, levels in (("offer", teach, (2, 4)), ("seek", learn, (1, 3))):
            for area in rng.sample(areas, min(len(areas), rng.randint(2, 3))):
                own[direction][area] = rng.randint(*levels)
                rows.append(
                    ParticipantSkill(
                        participant=participant,
                        skill_area_id=area,
                        direction=direction,
                        level=own[direction][area],
                    )
                )
        skills[participant.pk] = own
    ParticipantSkill.objects.bulk_create(rows, batch_size=2000)

    def covered(offers: dict, seeks: dict) -> list[dict]:
        return [
            {"skill": s, "offered": offers[s], "wished": w, "coverage": coverage(offers[s], w)}
            for s, w in sorted(seeks.items())
            if s in offers and coverage(offers[s], w) > 0
        ]

    now = timezone.now()
    pairings = list(Pairing.objects.select_related("mentor", "mentee", "cohort").order_by("pk"))
    runs = {}
    for cohort in {p.cohort for p in pairings}:
        runs[cohort.pk] = MatchRun.objects.create(
            cohort=cohort,
            status=MatchRun.Status.DONE,
            progress=100,
            started_at=now,
            finished_at=now,
            published_at=now,
        )
    proposals = []
    for p in pairings:
        mentor, mentee = p.mentor, p.mentee
        common = mentor.availability & mentee.availability
        fmt = mentor.format if mentee.format == "either" else mentee.format
        details = {
            "taught": covered(skills[mentor.pk]["offer"], skills[mentee.pk]["seek"]),
            "given_back": covered(skills[mentee.pk]["offer"], skills[mentor.pk]["seek"]),
            "common_slots": [slot for slot in range(10) if common >> slot & 1],
            "format": fmt,
            "languages": sorted(set(mentor.languages) & set(mentee.languages)),
        }
        parts = [rng.uniform(0.3, 1) for _ in range(5)]
        proposals.append(
            Proposal(
                run=runs[p.cohort_id],
                mentor=mentor,
                mentee=mentee,
                total=sum(parts) / 5,
                teach=parts[0],
                give_back=parts[1],
                availability=parts[2],
                format=parts[3],
                language=parts[4],
                details=details,
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=2000)
    for p, proposal in zip(pairings, proposals, strict=True):
        p.proposal = proposal
    Pairing.objects.bulk_update(pairings, ["proposal"], batch_size=2000)

    # Half the planned sessions have their agenda; the rest show "agenda to prepare".
    agendas = Session.objects.filter(status=Session.Status.PLANNED, pk__in=_even_ids(Session))
    agendas.update(agenda="1. Retour sur les objectifs\n2. Démonstration\n3. Prochaines étapes")

    notes = []
    for p in pairings:
        if p.activated_at is None:
            continue
        for author in (p.mentor.user_id, p.mentee.user_id):
            for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 6])):
                notes.append(
                    PrivateNote(
                        pairing=p,
                        author_id=author,
                        body=f"Idée à creuser : {rng.choice(['outil', 'réunion', 'projet'])}.",
                    )
                )
    PrivateNote.objects.bulk_create(notes, batch_size=2000)
    with connection.cursor() as cursor:  # written over the pair's life, not all today
        cursor.execute(
            # The table names are our models', no outside input (bandit B608).
            f"UPDATE {PrivateNote._meta.db_table} n SET created_at = p.activated_at"  # nosec B608
            " + (n.id * 7919 % 1000) / 1000.0 * (COALESCE(p.ended_at, now()) - p.activated_at)"
            f" FROM {Pairing._meta.db_table} p WHERE p.id = n.pairing_id"
        )
    return {"skills": len(rows), "proposals": len(proposals), "private_notes": len(notes)}


def _even_ids(model):
    from django.db.models import F, IntegerField
    from django.db.models.functions import Mod

    return (
        model.objects.annotate(parity=Mod(F("pk"), 2, output_field=IntegerField()))
        .filter(parity=0)
        .values("pk")
    )


def collect_static() -> bool:
    """collectstatic into var/load/ (production serves the hashed names), unless up to date."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = max(
        (
            os.path.getmtime(storage.path(path))
            for finder in get_finders()
            for path, storage in finder.list([])
        ),
        default=0,
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


def take_snapshot(programme) -> float:
    from django.utils import timezone

    from evaluation.metrics import engagement_snapshot_take

    started = time.perf_counter()
    engagement_snapshot_take(programme_id=programme.pk, today=timezone.localdate())
    return time.perf_counter() - started


def log_in(args: argparse.Namespace, programme, hr) -> list[tuple[str, str, str]]:
    """Targets (kind, path, cookie): HR's dashboards and participants' pair pages."""
    from django.conf import settings
    from django.contrib.sessions.models import Session as DjangoSession
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from pairs.models import Pairing

    def session_cookie(user) -> str:
        client = Client()
        client.force_login(user)  # Django's login: session, signals, last_login
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    members = [
        (pk, user)
        for pk, mentor, mentee in Pairing.objects.filter(cohort__programme=programme)
        .order_by("pk")
        .values_list("pk", "mentor__user", "mentee__user")
        for user in (mentor, mentee)
    ]
    chosen = random.Random(args.seed + 2).sample(members, min(args.logged_in, len(members)))
    users = User.objects.in_bulk([user for _, user in chosen])
    dashboard = reverse("programme_dashboard", args=[programme.pk])
    with transaction.atomic():  # one commit for all the logins rather than ten each
        DjangoSession.objects.all().delete()  # the sessions of a previous run
        hr_cookie = session_cookie(hr)
        targets = [("dashboard", dashboard, hr_cookie)]
        for cohort in programme.cohorts.order_by("pk"):
            targets.append(("dashboard", f"{dashboard}?cohort={cohort.pk}", hr_cookie))
        for pairing, user in chosen:
            path = reverse("pairing_detail", args=[pairing])
            targets.append(("pair", path, session_cookie(users[user])))
    return targets


# --- Server -----------------------------------------------------------------------------


def listening_socket(defer_accept: bool = True) -> socket.socket:
    """127.0.0.1 on a free port, with deferred accept (see the docstring, point 3)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if defer_accept:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 30)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def start_gunicorn(gunicorn: str, args, env: dict, sock: socket.socket) -> subprocess.Popen:
    fd = sock.fileno()
    command = [
        gunicorn,
        "mentoring.wsgi:application",
        "--bind", f"fd://{fd}",
        "--workers", str(args.workers),
        "--worker-class", "sync",
        "--timeout", "60",
        "--backlog", "2048",
        "--access-logfile", str(VAR / "access.log"),
        "--access-logformat", "%(s)s %(D)s %(U)s",
        "--error-logfile", str(VAR / "gunicorn.log"),
        "--no-control-socket",  # its default path is one per user, shared with any other
    ]  # fmt: skip
    (VAR / "access.log").unlink(missing_ok=True)
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, pass_fds=[fd], start_new_session=True
    )


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master; it stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}): see {VAR / 'gunicorn.log'}")
        try:
            # Our own server, http://127.0.0.1:<port> (bandit B310).
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # nosec B310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer /healthz within 60 s: see {VAR / 'gunicorn.log'}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_targets(base: str, targets: list[tuple[str, str, str]]) -> None:
    """Each kind of page answers 200 with its session: not a login page, not a 403."""
    opener = urllib.request.build_opener(NoRedirect)
    sample = [t for t in targets if t[0] == "dashboard"] + [t for t in targets if t[0] == "pair"][
        :8
    ]
    for kind, path, cookie in sample:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        try:
            with opener.open(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
        if status != 200 or b"<html" not in body:
            sys.exit(f"GET {path} ({kind}) answered {status}, not a page: see {VAR}/gunicorn.log")


# --- Load -------------------------------------------------------------------------------


def cpu_ticks() -> tuple[int, int]:
    """Busy and total jiffies of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def process_cpu_s(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_backends(url: str) -> list[int]:
    """The PostgreSQL backends serving the load database (gunicorn's, kept by CONN_MAX_AGE)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [pid for (pid,) in rows]


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def run_wrk(wrk: str, base: str, targets_file: Path, args, seconds: int, name: str) -> dict:
    """One wrk run: its LOAD_RESULT figures, each response's line, wrk's own CPU seconds."""
    n = args.connections
    out = VAR / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    command = [
        wrk, "-t", str(n), "-c", str(n), "-d", f"{seconds}s", "--timeout", f"{args.timeout}s",
        "-s", str(LUA), base + "/",
        "--", str(targets_file), str(args.rate), str(args.dashboard_share), str(args.seed),
        args.arrivals, str(n), str(out),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    text = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    result = None
    for line in text.splitlines():
        if line.startswith("LOAD_RESULT "):
            result = json.loads(line.removeprefix("LOAD_RESULT "))
        else:
            log(f"  wrk: {line}")
    if process.returncode != 0 or result is None:
        sys.exit(f"wrk failed ({process.returncode}): {shlex.join(command)}")
    responses = []  # (kind, status, latency ms, ms from the slot)
    for path in sorted(out.glob("thread-*.tsv")):
        for line in path.read_text().splitlines():
            kind, code, latency, from_slot = line.split("\t")
            responses.append((kind, int(code), float(latency), float(from_slot)))
    result["responses"] = responses
    result["wrk_cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


def quantiles(values: list[float]) -> dict:
    if not values:
        return {}
    if len(values) == 1:
        values = values * 2
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(max(values), 1),
    }


def per_endpoint(responses: list[tuple]) -> dict:
    out = {}
    for kind in ("pair", "dashboard"):
        rows = [r for r in responses if r[0] == kind]
        statuses = {}
        for _, code, _, _ in rows:
            statuses[str(code)] = statuses.get(str(code), 0) + 1
        out[kind] = {
            "requests": len(rows),
            "statuses": statuses,
            **quantiles([r[2] for r in rows]),
            "from_slot_p95_ms": quantiles([r[3] for r in rows]).get("p95_ms"),
        }
    return out


def server_times(offset: int) -> dict:
    """gunicorn's own time per request (access log from offset on), per endpoint, in ms."""
    times = {"pair": [], "dashboard": []}
    with open(VAR / "access.log", "rb") as f:
        f.seek(offset)
        for line in f.read().decode().splitlines():
            parts = line.split()
            if len(parts) < 3:
                continue
            kind = "dashboard" if "/dashboard/" in parts[2] else "pair"
            times[kind].append(int(parts[1]) / 1000)
    return {
        kind: {
            "requests": len(values),
            **quantiles(values),
            "mean_ms": round(statistics.fmean(values), 1),
        }
        for kind, values in times.items()
        if values
    }


# --- Report -----------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kib = int(Path("/proc/meminfo").read_text().split("MemTotal:", 1)[1].split()[0])
    return f"{cpu}, {os.cpu_count()} cores, {kib / 1024 / 1024:.0f} GiB RAM"


def versions(wrk: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()
    gunicorn = __import__("gunicorn").__version__
    return (
        f"Python {platform.python_version()}, PostgreSQL {postgres}, gunicorn {gunicorn}, "
        f"wrk {wrk_version[1] if len(wrk_version) > 1 else '?'}"
    )


def record(args, result: dict, about: str, load_before: float) -> None:
    """Add the run to the section of bench/RESULTS.md (created if it is not there)."""
    command = "python bench/load.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
    entry = (
        f"- {datetime.now():%Y-%m-%d %H:%M}, {about}; load average {load_before:.2f} before"
        f" the run{'; ' + args.note if args.note else ''}.\n\n"
        f"      {command.replace(' --record', '')}\n      {json.dumps(result)}\n\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if RUNS_MARKER not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\nRuns:\n\n{RUNS_MARKER}\n"
    text = text.replace(RUNS_MARKER, entry + RUNS_MARKER, 1)
    RESULTS.write_text(text)
    log(f"recorded in {RESULTS}")


# --- Main -------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    wrk, gunicorn = check_tools()
    VAR.mkdir(parents=True, exist_ok=True)
    env = server_env(args)
    os.environ.update(env)

    from bench.dashboard import drop_database, prepare_database

    reuse = args.reuse_data and database_exists(args.postgres)
    if not reuse:
        prepare_database(args.postgres)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from accounts.models import User
    from programmes.models import Programme

    started = time.perf_counter()
    programme = None
    if reuse:  # only data generated with the same options
        programme = Programme.objects.filter(name=PROGRAMME_NAME, objectives=data_key(args)).first()
    if programme is None:
        if reuse:
            connections.close_all()
            drop_database(args.postgres)
            prepare_database(args.postgres)
        call_command("migrate", verbosity=0)
        log(
            f"generating {args.participants:,} participants, {args.pairings:,} pairs, "
            f"{args.sessions:,} sessions, {args.checkins:,} check-ins (seed {args.seed})"
        )
        programme, hr, counts = build_data(args)
        log(f"  data: {counts} in {time.perf_counter() - started:.1f}s")
    else:
        hr = User.objects.get(email="rh@bench.example")
        log(f"reusing the data in {args.postgres.rsplit('/', 1)[1]} ({programme.objectives})")
    snapshot_s = take_snapshot(programme)
    log(f"  engagement snapshot: {snapshot_s:.1f}s")
    step = time.perf_counter()
    if collect_static():
        log(f"  collectstatic: {time.perf_counter() - step:.1f}s")
    step = time.perf_counter()
    targets = log_in(args, programme, hr)
    targets_file = VAR / "targets.txt"
    targets_file.write_text("".join(f"{k} {p} {s}\n" for k, p, s in targets))
    n_pairs = len({p for k, p, _ in targets if k == "pair"})
    logged_in = sum(1 for k, _, _ in targets if k == "pair")
    log(
        f"  {logged_in} participants logged in over {n_pairs} pairs, and HR: "
        f"{time.perf_counter() - step:.1f}s"
    )
    about = f"{machine()}; {versions(wrk)}"
    connections.close_all()
    load_before = os.getloadavg()[0]  # the machine's own load, before ours

    sock = listening_socket(defer_accept=not args.plain_accept)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = start_gunicorn(gunicorn, args, env, sock)
    try:
        wait_until_up(base, server)
        check_targets(base, targets)
        workers = children_of(server.pid)
        log(f"gunicorn up at {base} ({len(workers)} workers)")
        if args.warmup:
            log(f"warm-up: {args.warmup}s at {args.rate:g} requests a second")
            run_wrk(wrk, base, targets_file, args, args.warmup, "warmup")
        offset = (VAR / "access.log").stat().st_size
        busy0, total0 = cpu_ticks()
        server_cpu0 = process_cpu_s([*workers, server.pid])
        backends = postgres_backends(args.postgres)
        postgres_cpu0 = process_cpu_s(backends)
        log(f"measuring: {args.duration}s at {args.rate:g} requests a second ({args.arrivals})")
        result = run_wrk(wrk, base, targets_file, args, args.duration, "run")
        busy1, total1 = cpu_ticks()
        server_cpu = process_cpu_s([*workers, server.pid]) - server_cpu0
        postgres_cpu = process_cpu_s(backends) - postgres_cpu0
        workers_after = children_of(server.pid)
    finally:
        stop_gunicorn(server)
        sock.close()

    duration = result["duration_s"]
    requests = int(result["requests"])
    socket_errors = {k: int(v) for k, v in result["socket_errors"].items()}
    errors = int(result["non2xx"]) + sum(socket_errors.values())
    ours = server_cpu + postgres_cpu + result["wrk_cpu_s"]
    ours_pct = 100 * ours / (duration * (os.cpu_count() or 1))
    served_ms = server_times(offset)
    served = max(1, sum(figures["requests"] for figures in served_ms.values()))
    summary = {
        "rps": round(requests / duration, 1),
        "p50_ms": round(result["p50_ms"], 1),
        "p95_ms": round(result["p95_ms"], 1),
        "errors": errors,
        "duration_s": round(duration, 1),
        "requests": requests,
        "target_rps": args.rate,
        "p99_ms": round(result["p99_ms"], 1),
        "max_ms": round(result["max_ms"], 1),
        "mean_ms": round(result["mean_ms"], 1),
        "from_slot_p95_ms": quantiles([r[3] for r in result["responses"]]).get("p95_ms"),
        "late_requests": int(result["late_requests"]),
        "non2xx": int(result["non2xx"]),
        "socket_errors": socket_errors,
        "endpoints": per_endpoint(result["responses"]),
        "server_ms": served_ms,
        "cpu_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "server_cpu_s": round(server_cpu, 1),
        "postgres_cpu_s": round(postgres_cpu, 1),
        "cpu_ms_per_request": {  # per request the server answered in the measured window
            "gunicorn": round(1000 * server_cpu / served, 1),
            "postgres": round(1000 * postgres_cpu / served, 1),
            "wrk": round(1000 * result["wrk_cpu_s"] / served, 2),
        },
        "wrk_cpu_s": round(result["wrk_cpu_s"], 1),
        "load_before": round(load_before, 2),
        # CPU used meanwhile by all but gunicorn, its PostgreSQL backends and wrk, in % of
        # the machine: other jobs, and the kernel's loopback network, PostgreSQL's own
        # background processes (a few % when the machine is otherwise idle, more when busy)
        "other_cpu_pct": round(
            max(0.0, 100 * (busy1 - busy0) / max(1, total1 - total0) - ours_pct), 1
        ),
        "workers": args.workers,
        "worker_restarts": len(set(workers_after) - set(workers)),
        "connections": args.connections,
        "arrivals": args.arrivals,
        "defer_accept": not args.plain_accept,
        "dashboard_share": args.dashboard_share,
        "logged_in": logged_in,
        "pairs_loaded": n_pairs,
        "snapshot_s": round(snapshot_s, 2),
    }
    log(
        f"{requests:,} requests in {duration:.1f}s ({summary['rps']} a second), p50 "
        f"{summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms, "
        f"{errors} errors; machine CPU {summary['cpu_busy_pct']} % busy"
    )
    if summary["late_requests"] > requests * 0.01:
        why = (
            "the server did not keep up (saturated)"
            if summary["rps"] < 0.95 * args.rate
            else "too few connections for the latency: raise --connections"
        )
        log(
            f"  {summary['late_requests']} requests went out >10 ms after their slot: {why}; "
            "from_slot_p95_ms counts the wait"
        )
    if summary["other_cpu_pct"] > 10:
        log(
            f"  {summary['other_cpu_pct']} % of the machine's CPU went elsewhere meanwhile "
            "(other jobs, the kernel): the figures are noisy"
        )
    if args.record:
        record(args, summary, about, load_before)
    print(json.dumps(summary))


def database_exists(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


if __name__ == "__main__":
    main()
