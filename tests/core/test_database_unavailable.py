"""While the database cannot be reached, pages answer 503 (a plain Chinese page; JSON for the
API) with Retry-After, and work again once it is back. Other database errors stay 500s."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import api_token_create, user_create
from gonghui.core.unavailable import RETRY_AFTER, is_database_unavailable
from tests import factories as f

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def _connect_to_a_closed_port() -> None:
    """What Django meets when the server is down: a real connection attempt, refused, with
    the driver's error wrapped as Django wraps it."""
    with connection.wrap_database_errors:
        psycopg.connect(host="127.0.0.1", port=1, dbname="x", user="x", connect_timeout=2)


@contextmanager
def database_down() -> Iterator[None]:
    # Every query opens a cursor through ensure_connection: make it fail as a lost server does.
    with mock.patch.object(connection, "ensure_connection", _connect_to_a_closed_port):
        yield


@pytest.fixture
def clients(district: Any, settings: Any) -> dict[str, Client]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    who = f.make_person(district.admin, district.A1)
    worker = user_create(
        actor=district.root, username="w", password=None, role=RoleGrant.Role.WORKER, person=who
    )
    portal = Client(raise_request_exception=False)
    portal.force_login(worker)
    back = Client(raise_request_exception=False)
    back.force_login(district.cadre_a)
    token = api_token_create(actor=district.root, user=worker, name="小程序")
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    return {"portal": portal, "back": back, "api": api}


PAGES = [("portal", "/me/"), ("back", "/admin/"), ("api", "/api/me/registrations")]


@pytest.mark.parametrize("debug", [False, True])
def test_pages_answer_503_while_the_database_is_unreachable_and_recover(
    clients: dict[str, Client], settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    with database_down():
        for who, url in PAGES:
            response = clients[who].get(url)
            assert response.status_code == 503, (url, response.status_code)
            assert response["Retry-After"] == str(RETRY_AFTER)
            if who == "api":
                assert response.json()["code"] == "database_unavailable"
                assert "数据库暂时无法连接" in response.json()["detail"]
            else:
                html = response.content.decode()
                assert "系统暂时无法使用" in html
                assert "数据库暂时无法连接" in html
    for who, url in PAGES:  # the database is back: nothing to restart
        assert clients[who].get(url).status_code == 200, url


def test_a_lock_timeout_is_not_an_unreachable_database(
    clients: dict[str, Client], monkeypatch: Any
) -> None:
    def locked(**kwargs: Any) -> Any:
        try:
            raise psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
        except psycopg.Error as err:
            raise OperationalError(str(err)) from err

    monkeypatch.setattr("gonghui.portal.views.own_memberships", locked)
    response = clients["portal"].get("/me/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def _django_error(driver_error: Exception) -> OperationalError:
    """``driver_error`` as Django's DatabaseErrorWrapper hands it on, whatever the backend."""
    error = OperationalError(*driver_error.args)
    error.__cause__ = driver_error
    return error


def test_which_database_errors_mean_unreachable(tmp_path: Path) -> None:
    with pytest.raises(OperationalError) as refused:
        _connect_to_a_closed_port()
    assert is_database_unavailable(refused.value)
    assert is_database_unavailable(InterfaceError("connection already closed"))
    assert is_database_unavailable(_django_error(psycopg.errors.AdminShutdown("shutting down")))
    assert not is_database_unavailable(_django_error(psycopg.errors.QueryCanceled("timeout")))
    assert not is_database_unavailable(_django_error(psycopg.errors.LockNotAvailable("lock")))
    assert not is_database_unavailable(ValueError("not a database error"))

    with pytest.raises(sqlite3.OperationalError) as cannot_open:
        sqlite3.connect(tmp_path / "missing" / "db.sqlite3")
    assert is_database_unavailable(_django_error(cannot_open.value))
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as locked:
            sqlite3.connect(path, timeout=0).execute("BEGIN IMMEDIATE")
    finally:
        holder.close()
    assert "locked" in str(locked.value)
    assert not is_database_unavailable(_django_error(locked.value))


REAL_OUTAGE = textwrap.dedent(
    """
    import os
    import django
    django.setup()
    from django.db import connection
    from django.test import Client

    def answers():
        page = Client(raise_request_exception=False)
        page.cookies["sessionid"] = "x" * 32  # a session to read: the database is needed
        api = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer nope")
        return page.get("/me/"), api.get("/api/me/registrations")

    page, api = answers()  # the server is not there (a closed port)
    assert page.status_code == 503 and page["Retry-After"], page.status_code
    assert "系统暂时无法使用" in page.content.decode()
    assert api.status_code == 503 and api.json()["code"] == "database_unavailable", api
    connection.settings_dict["PORT"] = os.environ["REAL_PORT"]  # the server is back
    page, api = answers()
    assert page.status_code == 302, page.status_code  # to the sign-in page, as usual
    assert api.status_code == 401, api.status_code  # an unknown token, as usual
    print("OUTAGE-OK")
    """
)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server to lose")
def test_a_real_outage_and_recovery_in_a_fresh_process() -> None:
    """No patching: Django in its own process, the database at a closed port, then back (the
    suite's test database, already migrated), without a restart."""
    real = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "gonghui.settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"postgres://{real['USER']}@{real['HOST'] or '127.0.0.1'}:1/{real['NAME']}",
        "REAL_PORT": str(real["PORT"] or 5432),
        "CONN_MAX_AGE": "0",
        "PYTHONPATH": str(REPO / "src"),
    }
    result = subprocess.run(  # noqa: S603 - our own snippet
        [sys.executable, "-c", REAL_OUTAGE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "OUTAGE-OK" in result.stdout, result.stderr[-3000:]
