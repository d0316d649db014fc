"""The registration rush over HTTP: 500 signed-in workers registering at once for 100 places,
through the portal served by gunicorn on PostgreSQL, with a million people on record.

Figures (``bench <name> <value> <unit>``):

- ``registration_rush_per_second``: 500 / (wall time from the first request's connect to the
  last response) for 500 ``POST /activities/<id>/`` sent at once, each with its own worker's
  session cookie and CSRF cookie + field.
- ``registration_rush_p99_ms``: p99 of those 500 requests' latencies (connect to last byte
  of the response, queueing in the listen backlog included).
- ``registration_rush_overbooked``: checked in the database afterwards: max(0, registered -
  100) + people registered more than once + |activity.taken - registered| (must be 0).
- ``portal_activity_list_p95_ms``: p95 of 200 sequential ``GET /activities/`` of signed-in
  workers (one at a time, a new connection each, as nginx makes them).
- ``registration_database_ceiling_per_second``: the registration's locking pattern sent
  straight to PostgreSQL with psycopg, no Django, no HTTP: 32 connections (a thread each)
  make 500 registrations of 500 people for a fresh activity with 500 places, each ``BEGIN;
  SELECT ... FOR UPDATE`` of the activity row; ``INSERT`` the registration; ``UPDATE`` the
  counter; ``COMMIT``. 500 / wall time, median of the runs.
- ``registration_vs_ceiling``: ``registration_rush_per_second`` / that ceiling.
- ``signin_per_second``: 100 workers at once post the portal's mobile + password form
  (``POST /login/``, the CSRF token from a ``GET /login/`` before, not timed) to the same
  production-mode gunicorn; successful sign-ins (302 to ``/me/`` with a session) / wall time,
  median of the rounds. Passwords are hashed with the configured hasher before the rounds.
- ``signin_argon2id_19m_per_second``: the same with ``PASSWORD_HASHERS`` overridden (bench
  settings module ``_settings_argon2id_19m``) to Argon2id with 19 MiB, t=2, p=1;
  ``BENCH_SIGNIN_ARGON2ID_19M=0`` leaves it out.

Set-up, not measured: a federation, 8 street federations and 200 enterprise unions; 1,000,000
people (COPY, valid ID numbers, encrypted, hashed and masked as the app does); 500 worker
accounts linked to people, each with a database session made beforehand (no password hashing
in the rush); 200 other activities (all kinds, statuses, restrictions) with ~10,000
registrations; the rush activity (published, first come first served, 100 places, open, run
by the federation so open to every worker). gunicorn runs in production mode (DJANGO_ENV=
production, DEBUG off, generated SECRET_KEY and PII keys, persistent connections, collected
static files, manifest storage) behind a client that sends what nginx would (``Host``,
``X-Forwarded-Proto: https``, ``Origin``). Each worker's activity page is fetched before the
rush, as a browser shows it before the click: that warms gunicorn up and yields the CSRF token.

The load generator is a small asyncio HTTP/1.1 client (standard library only) on the same
machine, so it takes little of the 2 cores.

``BENCH_GUNICORN`` chooses the server configuration: ``sync:5`` (5 sync workers) or
``gthread:2x4`` (2 workers of 4 threads); a comma-separated list runs one rush per
configuration (each on a fresh rush activity) and prints the figures of the first, the others
on stderr, to compare them.

Where the CPU goes is printed to stderr for every run (gunicorn, the bench database's
PostgreSQL backends, PostgreSQL's own processes, the client), with a last line comparing the
rush's CPU per registration with the bare pattern's, and the time of one commit (the WAL
flush the row lock waits for).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import os
import queue
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import BENCH_DB, database_url, emit, fresh_database, note, setup_django

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
PEOPLE = 1_000_000
WORKERS = 500
PLACES = 100
OTHER_ACTIVITIES = 200
STREETS = 8
UNIONS_PER_STREET = 25  # 200 enterprise unions
LIST_REQUESTS = 200
SEED = 2015
DEFAULT_GUNICORN = "sync:3"  # one more than the cores: best measured (docs/benchmarks.md)
RUSHES = int(os.environ.get("BENCH_RUSHES", "3"))  # figures are the median of this many
PACED_RATE = 300  # arrivals per second in the paced runs (the throughput target)
HOST = "127.0.0.1"

# --- data --------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚华玉萍红娥玲芬燕彬鑫宇浩凯健俊帆帅旭宁龙林欣佳婷雪琳晨曦"  # noqa: E501
JOBS = ("操作工", "职员", "技术员", "班组长", "质检员", "仓管员", "司机")


def _union_tree(actor: Any) -> tuple[Any, list[Any], list[Any]]:
    from gonghui.organisation.models import UnionKind
    from gonghui.organisation.services import union_create

    founded = dt.date(2005, 1, 1)
    fed = union_create(
        actor=actor,
        parent=None,
        name="江岸区总工会",
        code="JA",
        kind=UnionKind.FEDERATION,
        founded_on=founded,
    )
    streets, grassroots = [], []
    for s in range(STREETS):
        street = union_create(
            actor=actor,
            parent=fed,
            name=f"江岸区第{s + 1}街道总工会",
            code=f"JA-S{s + 1:02d}",
            kind=UnionKind.STREET_FEDERATION,
            founded_on=founded,
        )
        streets.append(street)
        for e in range(UNIONS_PER_STREET):
            grassroots.append(
                union_create(
                    actor=actor,
                    parent=street,
                    name=f"江岸第{s + 1}街道第{e + 1}企业工会",
                    code=f"JA-S{s + 1:02d}-E{e + 1:03d}",
                    kind=UnionKind.ENTERPRISE,
                    founded_on=founded,
                )
            )
    return fed, streets, grassroots


def _people_rows(union_ids: list[int], now: dt.datetime) -> Any:
    """PEOPLE rows of valid, distinct people, made as the app makes them (AES-GCM ciphertext,
    keyed hash, mask) but with the per-row Python kept to the minimum: 1,000,000 of them."""
    from django.conf import settings

    from gonghui.core import pii
    from gonghui.demo.names import LOCAL_REGIONS, MIGRANT_REGIONS

    aead = pii._aead(settings.PII_KEY)
    hasher = hmac.new(settings.PII_HASH_KEY.encode(), digestmod=hashlib.sha256)
    rng = random.Random(SEED)
    first_day = dt.date(1965, 1, 1).toordinal()
    days = dt.date(1999, 12, 31).toordinal() - first_day
    # GB 11643 check digit: weights of the 17 digits; the weighted sums of the region, birth
    # date and sequence parts are computed once each, not per person.
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

    def weighted(digits: str, offset: int) -> int:
        return sum(int(c) * w for c, w in zip(digits, weights[offset:], strict=False))

    local = [(r, weighted(r, 0)) for r in LOCAL_REGIONS]
    migrant_regions = [(r, weighted(r, 0)) for r in MIGRANT_REGIONS[:6]]
    sequences = [(f"{n:03d}", weighted(f"{n:03d}", 14)) for n in range(1000)]
    names = [s + g for s in SURNAMES for g in GIVEN] + [
        s + g + h for s in SURNAMES[:20] for g in GIVEN[:20] for h in GIVEN[20:40]
    ]
    rng.shuffle(names)
    nonces = os.urandom(12 * PEOPLE)
    born_cache: dict[int, tuple[dt.date, str, int]] = {}
    n_unions, n_names = len(union_ids), len(names)
    for i in range(PEOPLE):
        migrant = i % 5 < 2
        region, region_sum = migrant_regions[i % 6] if migrant else local[i % 6]
        # i -> (birth day, sequence number) is one-to-one: i // 999 < days, and 7919 (a
        # prime) times it modulo days spreads the birth days over 1965-1999.
        k = i // 999
        if k not in born_cache:
            born = dt.date.fromordinal(first_day + (k * 7919) % days)
            ymd = born.strftime("%Y%m%d")
            born_cache[k] = (born, ymd, weighted(ymd, 6))
        born, ymd, born_sum = born_cache[k]
        seq, seq_sum = sequences[1 + i % 999]
        check = (12 - (region_sum + born_sum + seq_sum) % 11) % 11
        ric = f"{region}{ymd}{seq}{'X' if check == 10 else check}"
        raw = ric.encode()
        nonce = nonces[12 * i : 12 * i + 12]
        h = hasher.copy()
        h.update(raw)
        yield (
            union_ids[i % n_unions],
            names[i % n_names],
            "g1:" + base64.urlsafe_b64encode(nonce + aead.encrypt(nonce, raw, None)).decode(),
            h.hexdigest(),
            ric[:6] + "********" + ric[-4:],
            "M" if int(ric[16]) % 2 else "F",
            born,
            f"+86138{i:08d}",
            None,
            "安徽省阜阳市" if migrant else "浙江省杭州市",
            migrant,
            "",
            "",
            JOBS[i % len(JOBS)],
            "汉族",
            "高中",
            "群众",
            None,
            now,
        )


PERSON_FIELDS = (
    "union",
    "name",
    "ric_encrypted",
    "ric_hash",
    "ric_masked",
    "gender",
    "birth_date",
    "mobile",
    "employer",
    "hukou",
    "migrant",
    "skill_grade",
    "workplace",
    "job_title",
    "ethnicity",
    "education",
    "political_status",
    "import_batch",
    "created_at",
)


@dataclass
class World:
    fed_id: int
    worker_ids: list[int]  # user ids
    sessions: dict[int, str]  # user id -> session key
    actor_id: int


def build_world() -> World:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from gonghui.accounts.models import RoleGrant, User
    from gonghui.activities.models import (
        Activity,
        ActivityKind,
        ActivityStatus,
        Allocation,
        Registration,
    )
    from gonghui.core.bulk import insert_rows
    from gonghui.membership.models import Membership, Person, StartReason

    rng = random.Random(SEED)
    started = time.monotonic()
    actor = User.objects.create_superuser("sysadmin", password=secrets.token_urlsafe(16))
    fed, streets, grassroots = _union_tree(actor)
    note(f"union tree: 1 + {len(streets)} + {len(grassroots)} unions")

    now = timezone.now()
    t = time.monotonic()
    with transaction.atomic():
        person_ids = insert_rows(
            Person, PERSON_FIELDS, _people_rows([u.pk for u in grassroots], now), PEOPLE
        )
    note(f"{PEOPLE} people COPied in {time.monotonic() - t:.0f} s")

    # 500 workers spread over the unions, each an account with an open membership.
    t = time.monotonic()
    step = PEOPLE // WORKERS
    worker_people = [person_ids[i * step + (i % step)] for i in range(WORKERS)]
    people = Person.objects.in_bulk(worker_people)
    password = make_password(secrets.token_urlsafe(12))  # one hash: no Argon2 x 500
    # The user name is the mobile number on record, as a worker's first sign-in makes it
    # (accounts.services: claim), so the portal's mobile + password form signs them in.
    users = User.objects.bulk_create(
        [
            User(username=people[pid].mobile, first_name=people[pid].name, password=password)
            for pid in worker_people
        ]
    )
    for user, pid in zip(users, worker_people, strict=True):
        user.person_id = pid
    User.objects.bulk_update(users, ["person"])
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=u, role=RoleGrant.Role.WORKER, union=None) for u in users]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                person_id=pid,
                union_id=people[pid].union_id,
                started_on=dt.date(2012, 3, 1),
                start_reason=StartReason.JOINED,
            )
            for pid in worker_people
        ]
    )
    sessions = sign_in(users)
    note(f"{WORKERS} worker accounts and sessions in {time.monotonic() - t:.1f} s")

    # 200 other activities at every level, with registrations of people on record.
    today = timezone.localdate()
    organisers = [fed] * 20 + [rng.choice(streets) for _ in range(40)]
    organisers += [rng.choice(grassroots) for _ in range(OTHER_ACTIVITIES - len(organisers))]
    kinds = [k for k in ActivityKind.values]
    statuses = [ActivityStatus.PUBLISHED] * 7 + [
        ActivityStatus.CLOSED,
        ActivityStatus.DRAFT,
        ActivityStatus.CANCELLED,
    ]
    activities = []
    for i, union in enumerate(organisers):
        starts = today + dt.timedelta(days=rng.randint(-120, 180))
        status = rng.choice(statuses)
        capacity = rng.choice((None, 30, 50, 100, 200, 500))
        activities.append(
            Activity(
                union=union,
                kind=rng.choice(kinds),
                title=f"{union.name}活动{i + 1}",
                description="活动内容介绍。" * 5,
                place="江岸区职工服务中心",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.choice((0, 0, 1, 2))),
                capacity=capacity,
                allocation=Allocation.LOTTERY
                if capacity and rng.random() < 0.2
                else Allocation.FIRST_COME,
                opens_at=now - dt.timedelta(days=10),
                closes_at=None,
                women_only=rng.random() < 0.1,
                migrants_only=rng.random() < 0.1,
                members_only=rng.random() < 0.3,
                status=status,
                cancelled_reason="天气原因" if status == ActivityStatus.CANCELLED else "",
            )
        )
    activities = Activity.objects.bulk_create(activities)
    registrations = []
    for a in activities:
        if not a.capacity or a.status == ActivityStatus.DRAFT:
            continue
        n = rng.randint(0, min(a.capacity, 120))
        if a.allocation == Allocation.LOTTERY:
            status, a.taken = "applied", 0
        else:
            status, a.taken = "registered", n
        registrations += [
            Registration(activity=a, person_id=pid, status=status)
            for pid in rng.sample(person_ids, n)
        ]
    # and a few of the workers' own, so their list marks them
    for pid in worker_people[::5]:
        a = rng.choice(activities)
        open_first_come = a.status != ActivityStatus.DRAFT and a.allocation == Allocation.FIRST_COME
        if open_first_come and a.capacity and a.taken < a.capacity:
            a.taken += 1
            registrations.append(Registration(activity=a, person_id=pid, status="registered"))
    Registration.objects.bulk_create(registrations, batch_size=5000, ignore_conflicts=True)
    Activity.objects.bulk_update(activities, ["taken"])
    note(f"{len(activities)} other activities, {len(registrations)} registrations")

    t = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    note(f"VACUUM ANALYZE in {time.monotonic() - t:.0f} s")
    note(f"set-up took {time.monotonic() - started:.0f} s")
    return World(
        fed_id=fed.pk,
        worker_ids=[u.pk for u in users],
        sessions=sessions,
        actor_id=actor.pk,
    )


def sign_in(users: list[Any]) -> dict[int, str]:
    """A database session for each user, as a sign-in leaves it (ModelBackend, the session
    hash of the password), made directly: the rush measures registration, not Argon2."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from gonghui.core.sessions import SessionStore

    sessions: dict[int, str] = {}
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTH_BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        assert store.session_key is not None
        sessions[user.pk] = store.session_key
    return sessions


def rush_activity(world: World, label: str, places: int = PLACES) -> int:
    """A new published first-come activity of the federation with ``places`` places, open
    now."""
    from django.utils import timezone

    from gonghui.accounts.models import User
    from gonghui.activities.models import ActivityKind, Allocation
    from gonghui.activities.services import activity_create, activity_publish
    from gonghui.organisation.models import Union

    actor = User.objects.get(pk=world.actor_id)
    now = timezone.now()
    activity = activity_create(
        actor=actor,
        union=Union.objects.get(pk=world.fed_id),
        kind=ActivityKind.HEALTH_CHECK,
        title=f"职工免费体检（{label}）",
        description="先到先得，名额有限。",
        place="江岸区人民医院",
        starts_on=timezone.localdate() + dt.timedelta(days=14),
        capacity=places,
        allocation=Allocation.FIRST_COME,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(days=1),
    )
    return activity_publish(actor=actor, activity=activity).pk


def check_rush(activity_id: int, places: int = PLACES) -> tuple[int, dict[str, int]]:
    from django.db.models import Count

    from gonghui.activities.models import Activity, Registration

    activity = Activity.objects.get(pk=activity_id)
    regs = Registration.objects.filter(activity_id=activity_id)
    by_status = dict(regs.values_list("status").annotate(n=Count("id")).order_by())
    twice = (
        regs.exclude(status="cancelled")
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    registered = by_status.get("registered", 0)
    overbooked = max(0, registered - places) + twice + abs(activity.taken - registered)
    facts = {
        **by_status,
        "taken": activity.taken,
        "waiting": activity.waiting,
        "people_twice": twice,
    }
    return overbooked, facts


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes
    started: float
    ended: float

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000


async def http(port: int, raw: bytes) -> Response:
    """One request on a new connection (``Connection: close``), read to the end."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(raw)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, list[str]] = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers.setdefault(k.strip().lower(), []).append(v.strip())
        length = headers.get("content-length")
        body = await reader.readexactly(int(length[0])) if length else await reader.read()
    finally:
        writer.close()
    return Response(status, headers, body, started, time.perf_counter())


def request_bytes(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
) -> bytes:
    origin = f"https://{HOST}:{port}"
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {HOST}:{port}",
        "X-Forwarded-Proto: https",  # what nginx sets in front of gunicorn (docs/deploy.md)
        "X-Real-IP: 127.0.0.1",
        "User-Agent: gonghui-bench",
        "Accept: text/html",
        "Connection: close",
        "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()),
    ]
    body = b""
    if form is not None:
        from urllib.parse import urlencode

        body = urlencode(form).encode()
        lines += [
            f"Origin: {origin}",
            f"Referer: {origin}{path}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def cookie_value(resp: Response, name: str) -> str | None:
    for c in resp.headers.get("set-cookie", []):
        key, _, rest = c.partition("=")
        if key.strip() == name:
            return rest.split(";", 1)[0]
    return None


async def bounded(coros: list[Any], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(c: Any) -> Any:
        async with gate:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=1000, method="inclusive")[int(q * 1000) - 1]


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS=f"{HOST},localhost",
        STATIC_ROOT=static_root,
        CONN_MAX_AGE="60",  # the production default (settings.py), not the benchmarks' 0
        GONGHUI_BEHIND_PROXY="1",
        LOG_LEVEL="WARNING",
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    t = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    note(f"collectstatic (manifest storage) in {time.monotonic() - t:.0f} s")


def parse_config(spec: str) -> list[str]:
    kind, _, size = spec.partition(":")
    if kind == "sync":
        return ["--worker-class", "sync", "--workers", size or "5"]
    if kind == "gthread":
        workers, _, threads = (size or "2x4").partition("x")
        return ["--worker-class", "gthread", "--workers", workers, "--threads", threads or "4"]
    raise SystemExit(f"BENCH_GUNICORN: unknown configuration {spec!r} (sync:N, gthread:WxT)")


class Gunicorn:
    """gunicorn as deploy/gunicorn.service runs it (minus systemd), in its own process group."""

    def __init__(self, spec: str, env: dict[str, str]) -> None:
        self.spec = spec
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "gonghui.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                *parse_config(spec),
                "--timeout",
                "120",
                "--graceful-timeout",
                "30",
                # deploy/gunicorn.service recycles a worker after 2000 requests; a run sends
                # each worker about that many, and a restart inside a rush would measure
                # Python's start-up, not the registration.
                "--max-requests",
                "20000",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--backlog",
                "2048",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.output()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start listening")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own session: gunicorn's group
                self.proc.wait()
        self.log.close()


# --- where the CPU goes ------------------------------------------------------------------------


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_pids() -> dict[str, list[int]]:
    """PostgreSQL's processes: the backends of connections to the bench database and the
    server's own (WAL writer, checkpointer, autovacuum, ...). Backends of other databases
    (other work on a shared server) are left out."""
    out: dict[str, list[int]] = {"postgres": [], "postgres_other": []}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() != "postgres":
                    continue
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "127.0.0.1(" in cmdline or "[local]" in cmdline:
                # "postgres: 15/main: <user> <database> 127.0.0.1(<port>) <state>"
                if f" {BENCH_DB} " in cmdline:
                    out["postgres"].append(int(entry.name))
            else:
                out["postgres_other"].append(int(entry.name))
    return out


Snapshot = dict[str, dict[int, float]]


def cpu_snapshot(server: Gunicorn | None) -> Snapshot:
    """CPU seconds used so far, process by process, by gunicorn (master and workers; none
    without a server), PostgreSQL (the bench database's backends, and the server's other
    processes) and this process (the load generator)."""
    if not Path("/proc/self/stat").exists():
        return {}  # not Linux
    out = {}
    if server is not None:
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children")
        workers = [int(p) for p in children.read_text().split()] if children.exists() else []
        out["gunicorn"] = {p: _cpu_of(p) for p in [server.proc.pid, *workers]}
    for kind, pids in _postgres_pids().items():
        out[kind] = {p: _cpu_of(p) for p in pids}
    out["client"] = {os.getpid(): sum(os.times()[:2])}
    return out


def cpu_used(before: Snapshot, after: Snapshot, n: int) -> dict[str, float]:
    """Milliseconds of CPU per operation, by component, between two snapshots: each process's
    CPU since the first (all of it for a process started since); a process that ended in
    between is left out (what it used last is unknown), so no component goes negative when
    connections close."""
    return {
        kind: sum(cpu - before[kind].get(pid, 0.0) for pid, cpu in after[kind].items()) * 1000 / n
        for kind in before
    }


def cpu_line(used: dict[str, float], wall: float, n: int) -> str:
    cores = os.cpu_count() or 1
    return (
        ", ".join(f"{k} {v:.1f} ms" for k, v in used.items())
        + f", total {sum(used.values()):.1f} ms (the {cores} cores had "
        f"{cores * wall * 1000 / n:.1f} ms per operation)"
    )


# --- the measured part -------------------------------------------------------------------------


async def prepare(
    port: int, world: World, activity_id: int
) -> dict[int, tuple[dict[str, str], str]]:
    """Every worker opens the activity page (as before the click): warms gunicorn up and
    yields each worker's CSRF cookie and form token."""
    path = f"/activities/{activity_id}/"
    gets = [
        http(port, request_bytes(port, "GET", path, cookies={"sessionid": world.sessions[uid]}))
        for uid in world.worker_ids
    ]
    pages = await bounded(gets, 8)
    out = {}
    for uid, page in zip(world.worker_ids, pages, strict=True):
        token = CSRF_FIELD.search(page.body)
        csrf_cookie = cookie_value(page, "csrftoken")
        if page.status != 200 or token is None or csrf_cookie is None:
            raise RuntimeError(f"activity page for user {uid}: {page.status} {page.body[:300]!r}")
        cookies = {"sessionid": world.sessions[uid], "csrftoken": csrf_cookie}
        out[uid] = (cookies, token.group(1).decode())
    return out


async def rush(
    port: int, activity_id: int, prepared: dict[int, Any], rate: float | None = None
) -> list[Response]:
    """Every worker's POST: all at once (``rate`` None), or the i-th started i / rate seconds
    after the first (arrivals at ``rate`` per second)."""
    path = f"/activities/{activity_id}/"
    raws = [
        request_bytes(port, "POST", path, cookies=c, form={"csrfmiddlewaretoken": t})
        for c, t in prepared.values()
    ]
    if rate is None:
        return await asyncio.gather(*(http(port, raw) for raw in raws))
    start = time.perf_counter()

    async def at(i: int, raw: bytes) -> Response:
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        return await http(port, raw)

    return await asyncio.gather(*(at(i, raw) for i, raw in enumerate(raws)))


async def list_latencies(port: int, world: World) -> list[float]:
    out = []
    for i in range(LIST_REQUESTS):
        uid = world.worker_ids[(i * 37) % len(world.worker_ids)]
        cookies = {"sessionid": world.sessions[uid]}
        resp = await http(port, request_bytes(port, "GET", "/activities/", cookies=cookies))
        if resp.status != 200 or b'class="item"' not in resp.body:
            raise RuntimeError(f"activity list: {resp.status} {resp.body[:300]!r}")
        out.append(resp.ms)
    return out


def one_rush(
    spec: str, server: Gunicorn, world: World, prepared: dict[int, Any], rate: float | None
) -> dict[str, Any]:
    """One rush on a new activity, checked in the database afterwards."""
    label = "rush" if rate is None else f"arrivals at {rate:.0f}/s"
    activity_id = rush_activity(world, f"{spec} {label}")
    time.sleep(1)  # let the machine settle (the previous rush's commits, autovacuum)
    load = os.getloadavg()[0]
    cpu_before = cpu_snapshot(server)
    responses = asyncio.run(rush(server.port, activity_id, prepared, rate))
    cpu_after = cpu_snapshot(server)
    wall = max(r.ended for r in responses) - min(r.started for r in responses)
    latencies = [r.ms for r in responses]
    codes: dict[int, int] = {}
    for r in responses:
        codes[r.status] = codes.get(r.status, 0) + 1
    overbooked, facts = check_rush(activity_id)
    out: dict[str, Any] = {
        "rps": WORKERS / wall,
        "p99": percentile(latencies, 0.99),
        "overbooked": overbooked,
        "cpu": {},
    }
    note(
        f"[{spec}] {label}: {WORKERS} POSTs in {wall * 1000:.0f} ms = {out['rps']:.0f}/s; "
        f"latency p50 {percentile(latencies, 0.5):.0f} ms, p90 {percentile(latencies, 0.9):.0f}"
        f" ms, p99 {out['p99']:.0f} ms, max {max(latencies):.0f} ms; responses {codes}; "
        f"load average before {load:.2f}"
    )
    if cpu_before:
        out["cpu"] = cpu_used(cpu_before, cpu_after, WORKERS)
        note(f"[{spec}]   CPU per registration: {cpu_line(out['cpu'], wall, WORKERS)}")
    note(f"[{spec}]   database afterwards: {facts}")
    if codes != {302: WORKERS} or facts.get("registered") != PLACES:
        raise RuntimeError(f"[{spec}] the rush went wrong: responses {codes}, database {facts}")
    if facts.get("waitlisted") != WORKERS - PLACES or facts["waiting"] != WORKERS - PLACES:
        raise RuntimeError(f"[{spec}] waitlist wrong: {facts}")
    return out


def measure(spec: str, env: dict[str, str], world: World) -> dict[str, Any]:
    """RUSHES rushes of 500 at once, then RUSHES runs of 500 arriving at PACED_RATE per
    second, each on a new activity, against one gunicorn warmed up by the activity pages."""
    server = Gunicorn(spec, env)
    try:
        server.wait_ready()
        t = time.monotonic()
        warm_up = rush_activity(world, f"{spec} warm-up")
        prepared = asyncio.run(prepare(server.port, world, warm_up))
        asyncio.run(list_latencies(server.port, world))  # warm the list page too (not kept)
        note(
            f"[{spec}] warm-up: {WORKERS} activity pages and the list in "
            f"{time.monotonic() - t:.1f} s"
        )
        bursts = [one_rush(spec, server, world, prepared, None) for _ in range(RUSHES)]
        paced = [one_rush(spec, server, world, prepared, PACED_RATE) for _ in range(RUSHES)]
        list_ms = asyncio.run(list_latencies(server.port, world))
    except BaseException:
        note(f"[{spec}] gunicorn output:\n{server.output()}")
        raise
    finally:
        server.stop()
    note(
        f"[{spec}] activity list: p50 {percentile(list_ms, 0.5):.1f} ms, "
        f"p95 {percentile(list_ms, 0.95):.1f} ms, max {max(list_ms):.1f} ms"
    )
    return {
        "rps": statistics.median(r["rps"] for r in bursts),
        "p99": statistics.median(r["p99"] for r in bursts),
        "paced_p99": statistics.median(r["p99"] for r in paced),
        "overbooked": sum(r["overbooked"] for r in bursts + paced),
        "list_p95": percentile(list_ms, 0.95),
        "cpu": median_cpu([r["cpu"] for r in bursts]),
    }


def median_cpu(splits: list[dict[str, float]]) -> dict[str, float]:
    """Component by component, the median of the runs' CPU per operation."""
    if not splits or not splits[0]:
        return {}
    return {k: statistics.median(s[k] for s in splits) for k in splits[0]}


# --- the database's ceiling --------------------------------------------------------------------

CEILING_CONNECTIONS = 32
_CEILING_LOCK = 'SELECT "capacity", "taken" FROM "activities_activity" WHERE "id" = %s FOR UPDATE'
_CEILING_INSERT = (
    'INSERT INTO "activities_registration" ("activity_id", "person_id", "child_name", "status", '
    '"priority", "created_at") VALUES (%s, %s, \'\', %s, false, now())'
)
_CEILING_COUNTER = (
    'UPDATE "activities_activity" SET "taken" = "taken" + %s, "waiting" = "waiting" + %s '
    'WHERE "id" = %s'
)

# The same three steps as one statement (its own transaction), as the app's PostgreSQL path
# sends them (activities.services, decision 0012) minus the audit entry: the row lock is then
# held for one statement and the commit, not across three round trips.
_CEILING_ONE_STATEMENT = """
WITH activity AS (
    SELECT "id", "capacity", "taken" FROM "activities_activity" WHERE "id" = %(a)s FOR UPDATE
), registration AS (
    INSERT INTO "activities_registration"
        ("activity_id", "person_id", "child_name", "status", "priority", "created_at")
    SELECT "id", %(p)s, '', CASE WHEN "taken" < "capacity" THEN 'registered'
                                 ELSE 'waitlisted' END, false, now()
    FROM activity RETURNING "status"
)
UPDATE "activities_activity"
SET "taken" = "taken" + ("registration"."status" = 'registered')::int,
    "waiting" = "waiting" + ("registration"."status" = 'waitlisted')::int
FROM registration WHERE "activities_activity"."id" = %(a)s
"""


def _ceiling_once(
    activity_id: int, person_ids: list[int], *, one_statement: bool = False
) -> tuple[float, dict[str, float]]:
    """One registration per person for ``activity_id``, straight to PostgreSQL from
    CEILING_CONNECTIONS threads (a connection each, opened before): BEGIN; lock the activity
    row FOR UPDATE; insert the registration; update the counter; COMMIT (``one_statement``:
    the three as one statement). The wall time from the threads' release to the last commit,
    and the CPU per registration."""
    import psycopg

    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for pid in person_ids:
        todo.put(pid)
    conns = [psycopg.connect(database_url(), autocommit=True) for _ in range(CEILING_CONNECTIONS)]
    start = threading.Barrier(CEILING_CONNECTIONS + 1)
    errors: list[BaseException] = []

    def work(conn: Any) -> None:
        try:
            start.wait()
            while True:
                try:
                    pid = todo.get_nowait()
                except queue.Empty:
                    return
                if one_statement:
                    conn.execute(_CEILING_ONE_STATEMENT, {"a": activity_id, "p": pid})
                    continue
                with conn.transaction():  # BEGIN ... COMMIT
                    capacity, taken = conn.execute(_CEILING_LOCK, [activity_id]).fetchone()
                    registered = taken < capacity
                    conn.execute(
                        _CEILING_INSERT,
                        [activity_id, pid, "registered" if registered else "waitlisted"],
                    )
                    conn.execute(
                        _CEILING_COUNTER, [int(registered), int(not registered), activity_id]
                    )
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=work, args=(c,)) for c in conns]
    try:
        for t in threads:
            t.start()
        cpu_before = cpu_snapshot(None)
        start.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        cpu_after = cpu_snapshot(None)
    finally:
        for c in conns:
            c.close()
    if errors:
        raise RuntimeError(f"database ceiling: {errors[0]!r}")
    used = cpu_used(cpu_before, cpu_after, len(person_ids)) if cpu_before else {}
    return wall, used


def database_ceiling(world: World) -> dict[str, Any]:
    """RUSHES runs of the registration's locking pattern without Django or HTTP, each on a
    fresh activity with a place for everyone: what PostgreSQL alone allows on this machine."""
    from gonghui.accounts.models import User

    person_ids = list(
        User.objects.filter(pk__in=world.worker_ids).values_list("person_id", flat=True)
    )
    runs, one_statement = [], []
    for i in range(2 * RUSHES):
        single = i >= RUSHES  # then the same as one statement, for comparison (stderr only)
        label = "database ceiling, one statement" if single else "database ceiling"
        activity_id = rush_activity(world, f"{label} {i + 1}", places=len(person_ids))
        time.sleep(1)
        wall, used = _ceiling_once(activity_id, person_ids, one_statement=single)
        overbooked, facts = check_rush(activity_id, places=len(person_ids))
        if overbooked or facts.get("registered") != len(person_ids):
            raise RuntimeError(f"{label} went wrong: {facts}")
        rate = len(person_ids) / wall
        note(
            f"[{label}] {len(person_ids)} registrations from {CEILING_CONNECTIONS} "
            f"connections in {wall * 1000:.0f} ms = {rate:.0f}/s"
        )
        if used:
            split = cpu_line(used, wall, len(person_ids))
            note(f"[{label}]   CPU per registration: {split}")
        (one_statement if single else runs).append({"rps": rate, "cpu": used})
    note(
        f"[database ceiling] medians: {statistics.median(r['rps'] for r in runs):.0f}/s in five "
        f"round trips, {statistics.median(r['rps'] for r in one_statement):.0f}/s as one "
        "statement"
    )
    flush = commit_ms(activity_id)
    note(
        f"[database ceiling] one UPDATE and COMMIT after another on one connection: "
        f"{flush:.2f} ms each (median of {COMMITS}); the activity's row lock is held until the "
        f"commit's WAL flush, so one activity takes at most ~{1000 / flush:.0f} registrations "
        "per second in any locking pattern, whatever the CPU"
    )
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "cpu": median_cpu([r["cpu"] for r in runs]),
        "commit_ms": flush,
    }


COMMITS = 200


def commit_ms(activity_id: int) -> float:
    """Median time of an UPDATE of the activity row and its COMMIT, one after another."""
    import psycopg

    times = []
    with psycopg.connect(database_url(), autocommit=True) as conn:
        for _ in range(COMMITS):
            t = time.perf_counter()
            with conn.transaction():
                conn.execute(_CEILING_COUNTER, [0, 0, activity_id])
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


# --- password sign-in --------------------------------------------------------------------------

SIGNINS = 100  # workers signing in at once
SIGNIN_WARM_UP = 6


@dataclass
class Account:
    typed: str  # the mobile number as a worker types it
    password: str


def signin_accounts(world: World, first: int, hasher: Any) -> list[Account]:
    """SIGNINS workers (from the ``first``-th) with a password of their own, hashed with
    ``hasher`` (a name in PASSWORD_HASHERS' sense, or an instance): set before anything is
    timed."""
    from django.contrib.auth.hashers import make_password

    from gonghui.accounts.models import User

    users = list(User.objects.filter(pk__in=world.worker_ids).order_by("pk")[first:][:SIGNINS])
    accounts = []
    t = time.monotonic()
    for user in users:
        password = secrets.token_urlsafe(12)
        user.password = make_password(password, hasher=hasher)
        accounts.append(Account(user.username.removeprefix("+86"), password))
    User.objects.bulk_update(users, ["password"])
    note(
        f"{len(users)} password hashes ({users[0].password.split('$', 4)[:4]}) in "
        f"{time.monotonic() - t:.1f} s"
    )
    return accounts


async def login_pages(port: int, accounts: list[Account]) -> list[tuple[dict[str, str], str]]:
    """The login page for each account (not timed): its CSRF cookie and form token."""
    pages = await bounded(
        [http(port, request_bytes(port, "GET", "/login/", cookies={})) for _ in accounts], 8
    )
    out = []
    for page in pages:
        token = CSRF_FIELD.search(page.body)
        csrf_cookie = cookie_value(page, "csrftoken")
        if page.status != 200 or token is None or csrf_cookie is None:
            raise RuntimeError(f"login page: {page.status} {page.body[:300]!r}")
        out.append(({"csrftoken": csrf_cookie}, token.group(1).decode()))
    return out


def signin_request(port: int, account: Account, prepared: tuple[dict[str, str], str]) -> bytes:
    cookies, token = prepared
    form = {"csrfmiddlewaretoken": token, "username": account.typed, "password": account.password}
    return request_bytes(port, "POST", "/login/", cookies=cookies, form=form)


async def at_once(port: int, raws: list[bytes]) -> list[Response]:
    return await asyncio.gather(*(http(port, raw) for raw in raws))


def signed_in(resp: Response) -> bool:
    """The portal's answer to a good password: to the worker's page, with a session."""
    location = resp.headers.get("location", [""])[0]
    session = cookie_value(resp, "sessionid")
    return resp.status == 302 and location.endswith("/me/") and bool(session)


def measure_signin(
    label: str, spec: str, env: dict[str, str], accounts: list[Account]
) -> dict[str, Any]:
    """RUSHES rounds of SIGNINS password sign-ins sent at once (each account once a round)
    to a gunicorn of its own; the median of successful sign-ins per second."""
    server = Gunicorn(spec, env)
    rounds = []
    try:
        server.wait_ready()
        prepared = asyncio.run(login_pages(server.port, accounts))
        raws = [signin_request(server.port, a, p) for a, p in zip(accounts, prepared, strict=True)]
        warm = asyncio.run(bounded([http(server.port, r) for r in raws[:SIGNIN_WARM_UP]], 3))
        if not all(signed_in(r) for r in warm):
            raise RuntimeError(f"[{label}] warm-up sign-in failed: {warm[0].status}")
        for _ in range(RUSHES):
            time.sleep(1)
            load = os.getloadavg()[0]
            cpu_before = cpu_snapshot(server)
            responses = asyncio.run(at_once(server.port, raws))
            cpu_after = cpu_snapshot(server)
            wall = max(r.ended for r in responses) - min(r.started for r in responses)
            ok = sum(signed_in(r) for r in responses)
            codes: dict[int, int] = {}
            for r in responses:
                codes[r.status] = codes.get(r.status, 0) + 1
            latencies = [r.ms for r in responses]
            note(
                f"[{label}] {len(raws)} sign-ins at once: {ok} signed in, {wall * 1000:.0f} ms = "
                f"{ok / wall:.1f}/s; latency p50 {percentile(latencies, 0.5):.0f} ms, "
                f"max {max(latencies):.0f} ms; responses {codes}; load average before {load:.2f}"
            )
            used = cpu_used(cpu_before, cpu_after, len(raws)) if cpu_before else {}
            if used:
                note(f"[{label}]   CPU per sign-in: {cpu_line(used, wall, len(raws))}")
            if ok != len(raws):
                raise RuntimeError(f"[{label}] only {ok} of {len(raws)} signed in: {codes}")
            rounds.append({"rps": ok / wall, "cpu": used})
    except BaseException:
        note(f"[{label}] gunicorn output:\n{server.output()}")
        raise
    finally:
        server.stop()
    return {
        "rps": statistics.median(r["rps"] for r in rounds),
        "cpu": median_cpu([r["cpu"] for r in rounds]),
    }


def hasher_description(settings_module: str | None = None) -> str:
    """The first of PASSWORD_HASHERS with its Argon2 parameters, as gunicorn will use it."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher

    if settings_module is None:
        hasher = get_hasher()
        name = settings.PASSWORD_HASHERS[0]
    else:
        from _hashers import Argon2id19MiBPasswordHasher

        hasher = Argon2id19MiBPasswordHasher()
        name = f"{settings_module}: _hashers.Argon2id19MiBPasswordHasher"
    params = getattr(hasher, "params", None)
    if params is None:
        return name
    p = params()
    return (
        f"{name} ({p.type.name}, memory {p.memory_cost} KiB, time {p.time_cost}, "
        f"lanes {p.parallelism})"
    )


def where_it_goes(rush: dict[str, float], ceiling: dict[str, Any]) -> None:
    """Of the CPU a registration costs in the rush, what the bare database pattern costs and
    what the rest is (medians of the runs)."""
    bare = ceiling["cpu"]
    if not rush or not bare:
        return
    total = sum(rush.values())
    base = bare["postgres"] + bare["postgres_other"]
    note(
        f"where a registration's CPU goes: rush {total:.1f} ms = gunicorn {rush['gunicorn']:.1f}"
        f" ms (Django, psycopg, HTTP) + PostgreSQL backends {rush['postgres']:.1f} ms + "
        f"PostgreSQL's own processes {rush['postgres_other']:.1f} ms + client "
        f"{rush['client']:.1f} ms; the bare pattern (database ceiling, "
        f"{1000 / ceiling['rps']:.2f} ms of wall time each) costs PostgreSQL {base:.1f} ms and "
        f"its psycopg threads {bare['client']:.1f} ms; so {total - base:.1f} ms "
        f"({100 * (total - base) / total:.0f} %) of the rush's CPU is above the database's "
        "share of the bare pattern"
    )


def override_env(env: dict[str, str], settings_module: str) -> dict[str, str]:
    out = dict(env)
    out["DJANGO_SETTINGS_MODULE"] = settings_module
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH", "")) if p)
    return out


STATE = Path(tempfile.gettempdir()) / "gonghui-bench-registration.json"


def prepare_world() -> World:
    """Keys generated for the run, the same in this process (which writes the people and the
    sessions) and in gunicorn (production settings require them), then the data.

    ``BENCH_REUSE=1`` (for profiling, not for figures) skips the set-up and reuses the
    database and keys the previous run left (new sessions, as they expire)."""
    import json

    if os.environ.get("BENCH_REUSE") == "1" and STATE.exists():
        state = json.loads(STATE.read_text())
        os.environ.update(state["keys"])
        setup_django()
        from gonghui.accounts.models import User

        world = World(**state["world"])
        world.sessions = sign_in(list(User.objects.filter(pk__in=world.worker_ids)))
        note(f"reusing {BENCH_DB} as the previous run left it")
        return world
    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GONGHUI_PII_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "GONGHUI_PII_HASH_KEY": secrets.token_urlsafe(32),
    }
    os.environ.update(keys)
    fresh_database()
    world = build_world()
    state = {"keys": keys, "world": {**world.__dict__, "sessions": {}}}
    STATE.write_text(json.dumps(state))
    STATE.chmod(0o600)
    return world


def run() -> None:
    note(
        "load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    specs = [s.strip() for s in os.environ.get("BENCH_GUNICORN", DEFAULT_GUNICORN).split(",")]
    for spec in specs:
        parse_config(spec)
    with_19m = os.environ.get("BENCH_SIGNIN_ARGON2ID_19M", "1") == "1"
    world = prepare_world()
    ceiling = database_ceiling(world)
    with tempfile.TemporaryDirectory(prefix="gonghui-bench-static-") as static_root:
        env = production_env(static_root)
        collectstatic(env)
        results = [measure(spec, env, world) for spec in specs]
        # Passwords change only now: a new hash ends the rush sessions made from the old one.
        configured = hasher_description()
        note(f"sign-in with the configured hasher: {configured}")
        signin = measure_signin(
            "sign-in", specs[0], env, signin_accounts(world, 0, hasher="default")
        )
        if with_19m:
            from _hashers import Argon2id19MiBPasswordHasher

            module = "_settings_argon2id_19m"
            note(f"sign-in with the bench's hasher: {hasher_description(module)}")
            accounts = signin_accounts(world, SIGNINS, hasher=Argon2id19MiBPasswordHasher())
            signin_19m = measure_signin(
                "sign-in argon2id 19 MiB", specs[0], override_env(env, module), accounts
            )
    first = results[0]
    emit("registration_rush_per_second", first["rps"], "/s")
    emit("registration_rush_p99_ms", first["p99"], "ms")
    emit("registration_rush_overbooked", first["overbooked"], "count")
    emit(f"registration_paced_{PACED_RATE}_p99_ms", first["paced_p99"], "ms")
    emit("portal_activity_list_p95_ms", first["list_p95"], "ms")
    emit("registration_database_ceiling_per_second", ceiling["rps"], "/s")
    emit("registration_vs_ceiling", first["rps"] / ceiling["rps"], "x")
    emit("signin_per_second", signin["rps"], "/s")
    if with_19m:
        emit("signin_argon2id_19m_per_second", signin_19m["rps"], "/s")
    where_it_goes(first["cpu"], ceiling)
    for spec, r in zip(specs[1:], results[1:], strict=True):
        note(
            f"[{spec}] {r['rps']:.0f}/s, p99 {r['p99']:.0f} ms, overbooked {r['overbooked']:.0f}"
            f", p99 at {PACED_RATE}/s {r['paced_p99']:.0f} ms"
            f", list p95 {r['list_p95']:.1f} ms"
        )
    note(
        "load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    )
