"""The replica router: report reads go to the replica, writes and transactions never.

The "replica" alias of tests/settings.py mirrors the test database (Django's TEST MIRROR): a
second connection to the same data, so what each connection was asked shows where a read or a
write was routed. The tests run with real commits (transaction=True) so the second connection
sees the rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.activities import services as activity_services
from gonghui.activities.models import Registration
from gonghui.core.replica import ReplicaRouter, reading_from_replica
from gonghui.membership.models import Membership, Person
from gonghui.reports.models import ReportRelease
from tests import factories as f
from tests.activities.conftest import make_activity
from tests.reports.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
REPORT = reverse("admin:annual_report")


@pytest.fixture
def replica_on(settings: Any) -> None:
    settings.REPLICA_DATABASE = "replica"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _tables(queries: list[dict[str, str]]) -> str:
    return "\n".join(q["sql"] for q in queries)


def test_router_reads_from_the_replica_only_inside_the_block(replica_on: None) -> None:
    assert router.db_for_read(Person) == DEFAULT_DB_ALIAS
    with reading_from_replica() as alias:
        assert alias == "replica"
        assert router.db_for_read(Person) == "replica"
        assert router.db_for_write(Person) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            # A transaction on the primary reads the primary: what it locked and wrote.
            assert router.db_for_read(Person) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Person) == "replica"
    assert router.db_for_read(Person) == DEFAULT_DB_ALIAS
    assert ReplicaRouter().allow_migrate("replica", "membership") is False


def test_without_a_replica_configured_everything_reads_the_primary(settings: Any) -> None:
    settings.REPLICA_DATABASE = None
    with reading_from_replica() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Person) == DEFAULT_DB_ALIAS


def test_an_unreachable_replica_leaves_the_reads_on_the_primary(
    replica_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["replica"], "ensure_connection", refuse)
    with reading_from_replica() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Membership) == DEFAULT_DB_ALIAS


def test_the_report_page_reads_its_figures_from_the_replica(
    replica_on: None, district: Any
) -> None:
    f.make_person(district.root, district.EA, joined=dt.date(2015, 3, 1))
    client = client_for(district.admin)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(REPORT, {"union": district.F.pk, "year": 2015})

    assert response.status_code == 200
    assert "org.members_joined" in response.content.decode()
    replica_sql = _tables(on_replica.captured_queries)
    primary_sql = _tables(on_primary.captured_queries)
    # The figures (memberships, unions) were counted on the replica...
    assert '"membership_membership"' in replica_sql
    assert '"organisation_union"' in replica_sql
    # ... and the primary served only the request's own bookkeeping (session, user).
    assert '"membership_membership"' not in primary_sql
    for query in on_replica.captured_queries:
        assert not query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")), query


@pytest.mark.parametrize(
    ("name", "args", "extra"),
    [
        ("metric_drilldown", ["org.members_joined"], {}),
        ("metric_drilldown", ["org.members_joined"], {"format": "xlsx"}),
        ("annual_report", [], {"format": "xlsx"}),
        ("leaders_dashboard", [], {}),
        ("report_draft", [], {"format": "docx"}),
    ],
)
def test_drilldowns_exports_and_the_dashboard_read_from_the_replica(
    replica_on: None, district: Any, name: str, args: list[str], extra: dict[str, str]
) -> None:
    f.make_person(district.root, district.EA, joined=dt.date(2015, 3, 1))
    client = client_for(district.admin)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(
            reverse(f"admin:{name}", args=args), {"union": district.F.pk, "year": 2015, **extra}
        )

    assert response.status_code == 200
    assert '"membership_membership"' in _tables(on_replica.captured_queries)
    assert '"membership_membership"' not in _tables(on_primary.captured_queries)


def test_finalising_a_report_writes_and_reads_on_the_primary_only(
    replica_on: None, district: Any
) -> None:
    client = client_for(district.admin)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.post(
            reverse("admin:report_finalise"), {"union": district.F.pk, "year": 2015}
        )

    assert response.status_code == 302
    assert ReportRelease.objects.filter(union=district.F).count() == 1
    assert on_replica.captured_queries == []


def test_registration_never_reads_from_the_replica(replica_on: None, district: Any) -> None:
    activity = make_activity(district.root, district.EA)
    first, second = (
        f.make_person(district.root, district.EA, name=name, ric=f.make_ric(born=born))
        for name, born in (("甲", dt.date(1980, 1, 2)), ("乙", dt.date(1981, 2, 3)))
    )
    # As the portal registers: no replica block, a replica configured. Nothing reads it.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        activity_services.registration_create(actor=district.admin, activity=activity, person=first)
    assert on_replica.captured_queries == []

    # Even called inside a replica block, its rule (places left, under the activity's lock)
    # reads and writes the primary: the service's transaction keeps it there.
    with (
        reading_from_replica(),
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        activity_services.registration_create(
            actor=district.admin, activity=activity, person=second
        )
    assert Registration.objects.filter(activity=activity).count() == 2
    assert '"activities_' not in _tables(on_replica.captured_queries)
    assert "FOR UPDATE" in _tables(on_primary.captured_queries)
