"""What every benchmark module shares: the dedicated database, Django set-up, the output format.

Benchmarks run against their own PostgreSQL database, ``gonghui_bench`` (never the test or demo
database): a module that needs it calls :func:`fresh_database` first, which drops and recreates
it, points Django at it, and migrates. Child processes a module starts inherit the environment
and call :func:`setup_django` to reach the same database without resetting it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile

BENCH_DB = os.environ.get("BENCH_DATABASE", "gonghui_bench")  # dropped and recreated by each run
# The server (no database name): override to benchmark against another PostgreSQL.
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_url() -> str:
    return f"{SERVER_URL}/{BENCH_DB}"


def emit(name: str, value: float, unit: str) -> None:
    """One figure, on its own line: ``bench <name> <value> <unit>``."""
    print(f"bench {name} {value:.2f} {unit}", flush=True)


def note(message: str) -> None:
    """Context for people (stage timings, counts): stderr, so stdout holds only figures."""
    print(f"# {message}", file=sys.stderr, flush=True)


def _environment() -> None:
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    # DEBUG keeps every query in memory and slows the ORM: benchmarks measure production mode
    # (but the development keys, so no secrets are needed).
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("CONN_MAX_AGE", "0")
    # Uploaded files, error reports and import progress go to temporary directories, not into
    # the checkout's var/; the process that made them removes them when it ends (children
    # inherit the environment and use the same ones).
    for name, prefix in (("CACHE_DIR", "cache"), ("MEDIA_ROOT", "media")):
        if not os.environ.get(name):
            path = tempfile.mkdtemp(prefix=f"gonghui-bench-{prefix}-")
            os.environ[name] = path
            atexit.register(shutil.rmtree, path, ignore_errors=True)


def fresh_database() -> None:
    """Drop and recreate ``gonghui_bench``, set Django up on it and migrate. Call before any
    Django import that touches settings."""
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def setup_django() -> None:
    """Configure Django on the bench database (as it is: no reset, no migrate)."""
    _environment()
    import django

    django.setup()
