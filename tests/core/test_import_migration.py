"""The import batch moved from membership to core without losing a row.

The database is taken back to the migrations before the move (membership 0007, core 0005),
a batch is recorded there the old way — with a person and a membership it created, a change
it made and an audit entry — and the database is migrated forward again: the batch, its
counts and every link to it must be intact, and its audit trail must still open on its page.

On PostgreSQL this runs in the test database; on SQLite (the demo's database) it runs in a
subprocess on a fresh file, as ``test_sqlite_demo_path`` does.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

REPO = Path(__file__).resolve().parents[2]
BEFORE = [("membership", "0007_import_files_removed_at"), ("core", "0005_pii_access_log_record")]
APPLIED_AT = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def _record_a_batch_the_old_way(apps: Any, *, stale_core_type: bool) -> dict[str, int]:
    """Rows as they were before the move, through the historical models."""
    content_types = apps.get_model("contenttypes", "ContentType")
    old_type, _ = content_types.objects.get_or_create(app_label="membership", model="importbatch")
    if stale_core_type:
        # A database where Django already created core's content type (migrated to and fro).
        content_types.objects.get_or_create(app_label="core", model="importbatch")
    user = apps.get_model("accounts", "User").objects.create(username="migrator", password="!")
    union = apps.get_model("organisation", "Union").objects.create(
        name="迁移测试总工会", code="MIG-FED", kind="federation", path="9901", depth=0
    )
    batch = apps.get_model("membership", "ImportBatch").objects.create(
        union=union,
        actor=user,
        kind="roster",
        file_name="花名册.xlsx",
        file_sha256="ab" * 32,
        file_size=1234,
        stored_file="/nowhere/roster-1.xlsx",
        status="applied",
        mode="valid_only",
        rows=4,
        new=1,
        updated=1,
        unchanged=1,
        invalid=1,
        applied_at=APPLIED_AT,
    )
    person_model = apps.get_model("membership", "Person")
    person = person_model.objects.create(
        union=union,
        name="迁移",
        ric_encrypted="-",
        ric_hash="migration-test-hash",
        ric_masked="110101********0011",
        gender="M",
        birth_date=dt.date(1980, 1, 1),
        import_batch=batch,
    )
    membership = apps.get_model("membership", "Membership").objects.create(
        person=person,
        union=union,
        started_on=dt.date(2015, 3, 1),
        start_reason="joined",
        import_batch=batch,
    )
    changed = person_model.objects.create(
        union=union,
        name="更新",
        ric_encrypted="-",
        ric_hash="migration-test-hash-2",
        ric_masked="110101********0022",
        gender="F",
        birth_date=dt.date(1981, 1, 1),
    )
    change = apps.get_model("membership", "ImportChange").objects.create(
        batch=batch, person=changed, before={"mobile": ""}, after={"mobile": "+8613800000000"}
    )
    apps.get_model("core", "AuditEntry").objects.create(
        actor=user,
        action="roster_import.apply",
        content_type=old_type,
        object_id=str(batch.pk),
        object_repr="花名册.xlsx",
        union_path=union.path,
        message="导入会员花名册",
    )
    return {
        "batch": batch.pk,
        "person": person.pk,
        "membership": membership.pk,
        "change": change.pk,
        "changed": changed.pk,
    }


def scenario(*, stale_core_type: bool) -> None:
    """Migrate back, record a batch, migrate forward, check; raises AssertionError if not."""
    from django.contrib.contenttypes.models import ContentType

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    with transaction.atomic():
        ids = _record_a_batch_the_old_way(old_apps, stale_core_type=stale_core_type)

    executor = MigrationExecutor(connection)  # the graph as it is now applied
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    from gonghui.core.audit import history_for
    from gonghui.core.models import ImportBatch
    from gonghui.membership.models import ImportChange, Membership, Person

    batch = ImportBatch.objects.get(pk=ids["batch"])
    counts = (batch.rows, batch.new, batch.updated, batch.unchanged, batch.invalid)
    assert counts == (4, 1, 1, 1, 1), counts
    assert (batch.kind, batch.status, batch.mode) == ("roster", "applied", "valid_only")
    assert (batch.file_name, batch.file_size, batch.file_sha256) == ("花名册.xlsx", 1234, "ab" * 32)
    assert batch.applied_at == APPLIED_AT
    assert batch.union.code == "MIG-FED"
    assert batch.actor.username == "migrator"
    assert list(batch.created_persons.values_list("pk", flat=True)) == [ids["person"]]
    assert list(batch.created_memberships.values_list("pk", flat=True)) == [ids["membership"]]
    assert Person.objects.get(pk=ids["person"]).import_batch == batch
    assert Membership.objects.get(pk=ids["membership"]).import_batch == batch
    change = ImportChange.objects.get(pk=ids["change"])
    assert (change.batch, change.person_id) == (batch, ids["changed"])
    assert change.after == {"mobile": "+8613800000000"}
    # Its audit trail still opens on the batch's page.
    assert [e.action for e in history_for(batch)] == ["roster_import.apply"]
    assert ContentType.objects.get_for_model(ImportBatch).app_label == "core"
    # The table keeps its id sequence and its foreign key.
    later = ImportBatch.objects.create(
        union=batch.union,
        actor=batch.actor,
        kind="roster",
        file_name="later.csv",
        file_sha256="cd" * 32,
        file_size=1,
    )
    assert later.pk > batch.pk
    with transaction.atomic():
        ImportChange.objects.create(batch_id=later.pk + 1000, person_id=ids["changed"])
        with pytest.raises(IntegrityError):
            connection.check_constraints(table_names=["membership_importchange"])
        transaction.set_rollback(True)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite's PostgreSQL database")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stale_core_type", [False, True], ids=["fresh", "core-type-exists"])
def test_import_batches_survive_the_move_to_core_on_postgresql(stale_core_type: bool) -> None:
    scenario(stale_core_type=stale_core_type)


SQLITE_RUN = textwrap.dedent(
    """
    import django
    django.setup()
    from tests.core.test_import_migration import scenario
    scenario(stale_core_type=False)
    print("MIGRATION-OK")
    """
)


def test_import_batches_survive_the_move_to_core_on_sqlite(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migration.sqlite3'}",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and snippet
        [sys.executable, "-c", SQLITE_RUN],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "MIGRATION-OK" in result.stdout
