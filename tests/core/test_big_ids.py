"""An id beyond 64 bits in a URL is a 404 on both databases, never a 500.

PostgreSQL compares such a number as ``numeric`` and finds nothing; SQLite cannot bind it at
all (``OverflowError``). The suite runs on PostgreSQL, so the SQLite path runs in a
subprocess with its own database, as the demo test does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from gonghui.accounts.models import RoleGrant
from gonghui.accounts.services import api_token_create, user_create
from gonghui.activities.models import Activity
from gonghui.core import sql
from tests import factories as f

REPO = Path(__file__).resolve().parents[2]
BIG = ["9223372036854775808", "99999999999999999999999"]  # 2**63, and one far beyond


def probe(worker: Any, cadre: Any) -> list[tuple[str, str, int]]:
    """Every kind of page that takes an id, with ids beyond 64 bits: those not answering 404
    (the back office may send a missing object to its index instead)."""
    portal = Client(raise_request_exception=False)
    portal.force_login(worker)
    back = Client(raise_request_exception=False)
    back.force_login(cadre)
    bearer = "Bearer " + api_token_create(actor=cadre, user=worker, name="大数")
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=bearer)
    bearer = "Bearer " + api_token_create(actor=cadre, user=cadre, name="大数")
    cadre_api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=bearer)
    json = {"content_type": "application/json"}
    bad = []
    for big in BIG:
        calls = [
            (portal, "get", f"/activities/{big}/", {}),
            (portal, "post", f"/registrations/{big}/cancel/", {}),
            (portal, "get", f"/aid/{big}/", {}),
            (portal, "get", f"/aid/apply/{big}/", {}),
            (portal, "post", f"/aid/{big}/withdraw/", {}),
            (api, "get", f"/api/activities/{big}", {}),
            (api, "post", f"/api/activities/{big}/registrations", {"data": {}, **json}),
            (api, "post", f"/api/registrations/{big}/cancel", {}),
            (cadre_api, "get", f"/api/unions/{big}", {}),
            (cadre_api, "get", f"/api/activities/{big}/registrations", {}),
            (back, "get", f"/admin/activities/activity/{big}/change/", {}),
            (back, "get", f"/admin/activities/registration/{big}/change-place/", {}),
            (back, "get", f"/admin/organisation/union/{big}/change/", {}),
            (back, "get", f"/admin/membership/person/{big}/change/", {}),
            (back, "get", f"/admin/membership/importbatch/{big}/report/", {}),
            (back, "get", f"/admin/assistance/disbursement/document/{big}/", {}),
        ]
        for client, method, url, kw in calls:
            response = getattr(client, method)(url, **kw)
            missing = response.status_code == 404 or (
                url.startswith("/admin/") and response.status_code == 302
            )
            if not missing:
                bad.append((method, url, response.status_code))
    return bad


@pytest.mark.django_db
def test_ids_beyond_64_bits_are_not_found(district: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    who = f.make_person(district.admin, district.A1)
    worker = user_create(
        actor=district.root, username="big", password=None, role=RoleGrant.Role.WORKER, person=who
    )
    assert probe(worker, district.root) == []


@pytest.mark.django_db
def test_get_one_finds_no_row_for_an_id_beyond_64_bits(django_assert_num_queries: Any) -> None:
    where = '"activities_activity"."id" = %s'
    with django_assert_num_queries(0):  # not sent: SQLite could not bind it
        assert sql.get_one(Activity, where, [2**63]) is None
        assert sql.get_one(Activity, where, [-(2**63) - 1]) is None
    with django_assert_num_queries(1):
        assert sql.get_one(Activity, where, [2**63 - 1]) is None


def test_the_id_converter_refuses_numbers_beyond_64_bits() -> None:
    assert resolve(f"/activities/{2**63 - 1}/").kwargs == {"pk": 2**63 - 1}
    for big in BIG:
        with pytest.raises(Resolver404):
            resolve(f"/activities/{big}/")
    assert reverse("portal:activity", args=[12]) == "/activities/12/"


SQLITE_PROBE = textwrap.dedent(
    """
    import django
    django.setup()
    from gonghui.accounts.models import RoleGrant, User
    from gonghui.accounts.services import user_create
    from tests import factories as f
    from tests.core.test_big_ids import probe

    root = User.objects.create_superuser("root", password=f.PASSWORD)
    federation = f.make_union(root, None, f.KIND.FEDERATION, "区总工会")
    who = f.make_person(root, federation)
    worker = user_create(
        actor=root, username="big", password=None, role=RoleGrant.Role.WORKER, person=who
    )
    print("BAD", probe(worker, root))
    """
)


def test_ids_beyond_64_bits_are_not_found_on_sqlite(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "gonghui.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'big.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
    }
    for args in (["manage.py", "migrate", "--noinput", "-v0"], ["-c", SQLITE_PROBE]):
        result = subprocess.run(  # noqa: S603 - our own manage.py and snippet
            [sys.executable, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, f"{args[:2]}:\n{result.stdout}\n{result.stderr[-3000:]}"
    assert "BAD []" in result.stdout, result.stdout
