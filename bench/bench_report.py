"""The annual report at city scale, and served from a streaming replica.

Figures (``bench <name> <value> <unit>``):

- ``report_build_seconds``: ``build_demo --scale N`` (N districts, each the demo district's
  shape; N = ``BENCH_REPORT_DISTRICTS``, default 20), the ANALYZE at its end included.
- ``report_district_seconds``: the full annual report of one district (every figure of the
  catalogue, this year and last, as the report page computes them), median of 3 runs after
  one warm-up run.
- ``report_city_seconds``: the same for the whole city (the root federation).
- ``report_slowest_metric_ms``: the slowest figure (this year + last) of the district's
  report; every figure's time is printed as a ``#`` line, for the district and the city.
- ``report_checks_seconds``: the logic checks of the district's report (the page runs them).
- ``report_pdf_seconds``: the district's printed report (WeasyPrint, with the dashboard's
  charts), rendered end to end.
- ``report_replica_district_seconds``: the district's report read through the router from
  the replica (core/replica.py).
- ``report_replica_lag_ms``: median time from a commit on the primary until the replica shows
  it (polled every 0.5 ms), over 50 writes; the maximum on stderr.

Set-up, not measured: the benchmark runs its own PostgreSQL primary (initdb into a temporary
directory, a port of its own, ``wal_level=replica``) so that a replica can be made from it
without touching the machine's server: after the build, ``pg_basebackup -R`` copies it into a
second directory and a second cluster starts there in hot standby on the next port. Both run
with the PostgreSQL binaries of ``/usr/lib/postgresql/*/bin`` (as the ``postgres`` OS user when
the benchmark runs as root) and are stopped and removed at the end. The load average is printed
at the start and before each figure: the machine may be shared.
"""

from __future__ import annotations

import atexit
import glob
import io
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common
from _common import emit, note

DISTRICTS = int(os.environ.get("BENCH_REPORT_DISTRICTS", "20"))
PORT = int(os.environ.get("BENCH_REPORT_PORT", "55432"))  # the primary; the replica: PORT + 1
HOST = "127.0.0.1"
YEAR = 2015
LAG_WRITES = 50


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise SystemExit("PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are missing")
    return Path(found[-1]).parent


def _as_postgres(args: list[str]) -> list[str]:
    """Server binaries refuse to run as root: run them as the postgres OS user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str]) -> None:
    subprocess.run(_as_postgres(args), check=True, stdout=subprocess.DEVNULL)


class Cluster:
    """A PostgreSQL cluster of the benchmark's own, in a temporary directory."""

    def __init__(self, root: Path, name: str, port: int) -> None:
        self.dir = root / name
        self.port = port
        self.log = root / f"{name}.log"
        self.bin = _pg_bin()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def init_primary(self) -> None:
        _run([str(self.bin / "initdb"), "-D", str(self.dir), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8"])  # fmt: skip
        conf = [
            f"port = {self.port}",
            f"listen_addresses = '{HOST}'",
            f"unix_socket_directories = '{self.dir.parent}'",  # not in the base backup
            "wal_level = replica",
            "max_wal_senders = 4",
            "hot_standby = on",
            # Report queries on the replica are not cancelled by the primary's cleanup.
            "hot_standby_feedback = on",
            "shared_buffers = 512MB",
            "work_mem = 32MB",
            "maintenance_work_mem = 256MB",
            "max_wal_size = 8GB",  # no forced checkpoints in the middle of the build
        ]
        with (self.dir / "postgresql.conf").open("a") as f:
            f.write("\n".join(conf) + "\n")
        with (self.dir / "pg_hba.conf").open("a") as f:
            f.write(f"host replication all {HOST}/32 trust\n")

    def init_replica_of(self, primary: Cluster) -> None:
        _run([str(self.bin / "pg_basebackup"), "-h", HOST, "-p", str(primary.port), "-U",
              "postgres", "-D", str(self.dir), "-R", "-X", "stream", "-c", "fast"])  # fmt: skip
        with (self.dir / "postgresql.auto.conf").open("a") as f:
            f.write(f"port = {self.port}\n")

    def start(self) -> None:
        _run([str(self.bin / "pg_ctl"), "-D", str(self.dir), "-l", str(self.log), "-w", "start"])
        atexit.register(self.stop)

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            stop = [str(self.bin / "pg_ctl"), "-D", str(self.dir), "-m", "fast", "-w", "stop"]
            subprocess.run(
                _as_postgres(stop),
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) != 0


def _timed(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls after one warm-up call, and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _figure_times(union: Any) -> list[tuple[float, str]]:
    """Each implemented figure's time (this year and last, as the report computes it)."""
    from gonghui.core.metrics import MetricQuery, compute, implemented
    from gonghui.core.scope import SYSTEM
    from gonghui.reports.selectors import report_period

    period = report_period(YEAR)
    query = MetricQuery(actor=SYSTEM, union=union, period=period)
    before = query.with_period(period.previous())
    times = []
    for metric_id in implemented():
        started = time.perf_counter()
        compute(metric_id, query)
        compute(metric_id, before)
        times.append((time.perf_counter() - started, metric_id))
    return sorted(times, reverse=True)


def _lag_ms(primary_url: str, replica_url: str) -> list[float]:
    import psycopg

    lags = []
    with (
        psycopg.connect(primary_url, autocommit=True) as primary,
        psycopg.connect(replica_url, autocommit=True) as replica,
    ):
        primary.execute("CREATE TABLE IF NOT EXISTS bench_lag (n integer PRIMARY KEY)")
        deadline = time.monotonic() + 30
        while replica.execute("SELECT to_regclass('bench_lag')").fetchone()[0] is None:
            if time.monotonic() > deadline:
                raise SystemExit("the replica never showed the primary's table")
            time.sleep(0.01)
        for n in range(1, LAG_WRITES + 1):
            primary.execute("INSERT INTO bench_lag VALUES (%s)", [n])
            committed = time.perf_counter()
            while not replica.execute("SELECT 1 FROM bench_lag WHERE n = %s", [n]).fetchone():
                time.sleep(0.0005)
            lags.append((time.perf_counter() - committed) * 1000)
            time.sleep(0.02)
    return lags


def run() -> None:
    if not (_free(PORT) and _free(PORT + 1)):
        raise SystemExit(f"ports {PORT} and {PORT + 1} are taken (set BENCH_REPORT_PORT)")
    root = Path(tempfile.mkdtemp(prefix="gonghui-bench-report-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary, replica = Cluster(root, "primary", PORT), Cluster(root, "replica", PORT + 1)
    primary.init_primary()
    primary.start()
    note(f"primary on port {PORT}; cores {len(os.sched_getaffinity(0))}; load {_load()}")

    # Django on the benchmark's own primary, the replica configured (it starts later).
    _common.SERVER_URL = f"postgres://postgres@{HOST}:{PORT}"
    os.environ["GONGHUI_REPLICA_URL"] = replica.url(_common.BENCH_DB)
    _common.fresh_database()
    from django.core.management import call_command

    from gonghui.core.replica import reading_from_replica
    from gonghui.core.scope import SYSTEM
    from gonghui.organisation.models import Union
    from gonghui.reports.checks import run_checks
    from gonghui.reports.printing import render_pdf, report_print_context
    from gonghui.reports.selectors import annual_report, report_period

    started = time.monotonic()
    out = io.StringIO()
    call_command("build_demo", scale=DISTRICTS, stdout=out)
    emit("report_build_seconds", time.monotonic() - started, "s")
    for line in out.getvalue().splitlines():
        if line.startswith(("district", "analyzed", "City")):
            note(line)

    district = Union.objects.get(code="JA")
    city = Union.objects.get(parent__isnull=True)

    def report_of(union: Any) -> Callable[[], Any]:
        return lambda: annual_report(actor=SYSTEM, union=union, year=YEAR)

    note(f"load before the district's report: {_load()}")
    took, report = _timed(report_of(district))
    emit("report_district_seconds", took, "s")
    note(f"district report: {report.n_computed} figures computed of {len(report.rows)}")
    note(f"load before the city's report: {_load()}")
    took, _city = _timed(report_of(city))
    emit("report_city_seconds", took, "s")

    for label, union in (("district", district), ("city", city)):
        times = _figure_times(union)
        if label == "district":
            emit("report_slowest_metric_ms", times[0][0] * 1000, "ms")
        for seconds, metric_id in times:
            note(f"{label} figure {metric_id}: {seconds * 1000:.1f} ms")

    took, _outcomes = _timed(
        lambda: run_checks(actor=SYSTEM, union=district, period=report_period(YEAR)), runs=1
    )
    emit("report_checks_seconds", took, "s")

    def pdf() -> bytes:
        fresh = annual_report(actor=SYSTEM, union=district, year=YEAR)
        return render_pdf("reports/print/report.html", report_print_context(SYSTEM, fresh))

    note(f"load before the PDF: {_load()}")
    took, content = _timed(pdf, runs=1)
    emit("report_pdf_seconds", took, "s")
    note(f"PDF: {len(content):,} bytes")

    # The replica: a base backup of the primary as it now is, started in hot standby.
    started = time.monotonic()
    replica.init_replica_of(primary)
    replica.start()
    note(f"replica made and started in {time.monotonic() - started:.0f} s (port {PORT + 1})")
    with reading_from_replica() as alias:
        if alias != "replica":
            raise SystemExit("the router did not read from the replica")
        took, on_replica = _timed(report_of(district))
    if on_replica.values() != report.values():
        raise SystemExit("the replica's report differs from the primary's")
    emit("report_replica_district_seconds", took, "s")
    lags = _lag_ms(primary.url(_common.BENCH_DB), replica.url(_common.BENCH_DB))
    emit("report_replica_lag_ms", statistics.median(lags), "ms")
    note(f"replica lag over {len(lags)} writes: median {statistics.median(lags):.2f} ms, "
         f"max {max(lags):.2f} ms; load {_load()}")  # fmt: skip
    from django.db import connections

    connections.close_all()
