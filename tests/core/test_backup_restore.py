"""Backups restore: a pg_dump of the database comes back whole and its ID numbers still decrypt.

Runs only on PostgreSQL; it drives the real client tools (pg_dump, pg_restore, createdb,
dropdb) against the test database, so the data is committed (``transaction=True``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from gonghui.core import pii
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup_restore_check.sh"
JOINED = dt.date(2015, 3, 1)


def _url(dbname: str) -> str:
    """A libpq URL for ``dbname`` on the test database's server (password via PGPASSWORD)."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    host = s.get("HOST") or ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    netloc = f"{user}@{host}{port}" if user else f"{host}{port}"
    return f"postgres://{netloc}/{quote(dbname, safe='')}"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed tool names, arguments built here
        list(args), capture_output=True, text=True, env=_env(), timeout=timeout, check=False
    )


@pytest.fixture
def pg() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are checked on PostgreSQL only")


@pytest.fixture
def people(pg: None, district: Any) -> list[tuple[int, str]]:
    """Two people with memberships, built through the services; (id, ID number) of each."""
    made = []
    for _ in range(2):
        ric = f.make_ric()
        person = f.make_person(district.root, district.EA, joined=JOINED, ric=ric)
        made.append((person.pk, ric))
    return made


@pytest.fixture
def scratch_db() -> Iterator[str]:
    """The name of a database that does not exist yet; dropped afterwards if it was created."""
    name = f"gh_test_restore_{os.getpid()}_{secrets.token_hex(4)}"
    server = _url(connection.settings_dict["NAME"])
    try:
        yield name
    finally:
        dropped = _run("dropdb", "--if-exists", "--force", f"--maintenance-db={server}", name)
        assert dropped.returncode == 0, dropped.stderr


@pytest.mark.django_db(transaction=True)
def test_backup_restore_check_script_passes(people: list[tuple[int, str]]) -> None:
    result = _run("bash", str(SCRIPT), _url(connection.settings_dict["NAME"]))

    assert result.returncode == 0, result.stdout + result.stderr
    ok = re.search(r"^restore check ok: (\d+) tables, (\d+) rows$", result.stdout, re.M)
    assert ok, result.stdout
    tables, rows = int(ok[1]), int(ok[2])
    assert tables >= 10  # every app's tables, not an empty schema
    assert rows >= len(people) + 7  # at least the people and the district's seven unions


@pytest.mark.django_db(transaction=True)
def test_id_numbers_decrypt_after_restore(
    people: list[tuple[int, str]], scratch_db: str, tmp_path: Path
) -> None:
    source = _url(connection.settings_dict["NAME"])
    dump = tmp_path / "gonghui.dump"
    steps = [
        ("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={source}"),
        ("createdb", f"--maintenance-db={source}", scratch_db),
        (
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_url(scratch_db)}",
            str(dump),
        ),
    ]
    for step in steps:
        done = _run(*step)
        assert done.returncode == 0, f"{step[0]}: {done.stderr}"

    person_id, ric = people[0]
    password = connection.settings_dict.get("PASSWORD") or None
    with psycopg.connect(_url(scratch_db), password=password) as restored:
        row = restored.execute(
            "SELECT ric_encrypted, ric_hash FROM membership_person WHERE id = %s", [person_id]
        ).fetchone()

    assert row is not None
    encrypted, ric_hash = row
    assert encrypted != ric  # stored encrypted, not in clear
    assert pii.decrypt(encrypted) == ric
    assert ric_hash == pii.lookup_hash(ric)  # look-ups and uniqueness still work
