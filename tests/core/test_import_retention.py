"""Uploaded import files and error reports (full ID numbers) are removed after the retention
period by a daily task; the batch keeps its counts, says when its files went, and can no
longer be checked or applied. The daily task queues its next run once."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gonghui.core import housekeeping
from gonghui.core.errors import DomainError
from gonghui.core.importing import tasks
from gonghui.core.importing.engine import (
    ImportErrorCode,
    batch_files,
    import_apply,
    import_check,
    import_create,
    import_request,
)
from gonghui.core.importing.retention import import_files_purge
from gonghui.core.models import AuditEntry, ImportBatch, ImportMode, ImportStatus
from gonghui.membership.models import Person
from tests.membership.roster_files import HEADER, person_row, ric_of, with_bad_check, write_xlsx

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 3, 31, 10, 0, tzinfo=SHANGHAI)
D = dt.date
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_FILE_RETENTION_DAYS = 30


def checked_batch(district: Any, tmp_path: Path, *, uploaded: dt.datetime) -> ImportBatch:
    """A checked roster of one good and one bad row (so it has an error report), uploaded at
    ``uploaded``."""
    rows = [
        HEADER,
        person_row("赵一", ric_of(D(1981, 1, 1), 51), joined=D(2015, 1, 5)),
        person_row("钱二", with_bad_check(ric_of(D(1982, 2, 2), 52)), joined=D(2015, 1, 5)),
    ]
    path = write_xlsx(tmp_path / f"r{uploaded:%m%d}.xlsx", rows)
    with time_machine.travel(uploaded, tick=False):
        batch = import_create(
            actor=district.admin, union=district.EA, path=path, filename=path.name, kind="roster"
        )
        import_check(actor=district.admin, batch=batch)
    batch.refresh_from_db()
    assert (batch.rows, batch.new, batch.invalid) == (2, 1, 1)
    assert Path(batch.stored_file).exists()
    assert Path(batch.report_file).exists()
    return batch


def counts(batch: ImportBatch) -> tuple[int, ...]:
    return (batch.rows, batch.new, batch.updated, batch.unchanged, batch.invalid)


def purge_entries(batch: ImportBatch) -> int:
    return AuditEntry.objects.filter(
        object_id=str(batch.pk), action="roster_import.files_removed"
    ).count()


def test_files_older_than_the_retention_are_removed_and_the_batch_keeps_its_counts(
    district: Any, tmp_path: Path
) -> None:
    batch = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=31))
    before = counts(batch)
    files = batch_files(batch)

    assert import_files_purge(actor=None, now=NOW) == 1

    batch.refresh_from_db()
    assert not any(p.exists() for p in files)
    assert batch.files_removed_at == NOW
    assert counts(batch) == before
    assert batch.status == ImportStatus.CHECKED
    assert purge_entries(batch) == 1


def test_files_younger_than_the_retention_stay(district: Any, tmp_path: Path) -> None:
    batch = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=29, hours=23))

    assert import_files_purge(actor=None, now=NOW) == 0

    batch.refresh_from_db()
    assert batch.files_removed_at is None
    assert Path(batch.stored_file).exists()
    assert Path(batch.report_file).exists()
    assert purge_entries(batch) == 0


def test_the_retention_period_comes_from_the_setting(
    district: Any, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    old = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=8))
    young = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=6))

    assert import_files_purge(actor=None, now=NOW) == 1

    assert ImportBatch.objects.get(pk=old.pk).files_removed_at == NOW
    assert ImportBatch.objects.get(pk=young.pk).files_removed_at is None


def test_an_error_report_left_by_an_earlier_check_is_removed_too(
    district: Any, tmp_path: Path
) -> None:
    batch = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=31))
    left_behind = Path(batch.report_file)
    # A later check that found no invalid row forgets the report, the file stays on disk.
    ImportBatch.objects.filter(pk=batch.pk).update(report_file="")

    import_files_purge(actor=None, now=NOW)

    assert not left_behind.exists()


def test_the_command_is_idempotent(district: Any, tmp_path: Path) -> None:
    batch = checked_batch(district, tmp_path, uploaded=timezone.now() - dt.timedelta(days=40))
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command("purge_import_files", stdout=out)
        outputs.append(out.getvalue())

    assert "files of 1 import batch" in outputs[0]
    assert "files of 0 import batch" in outputs[1]
    batch.refresh_from_db()
    assert batch.files_removed_at is not None
    assert purge_entries(batch) == 1


def test_apply_check_and_their_requests_are_refused_once_the_file_is_removed(
    district: Any, tmp_path: Path
) -> None:
    batch = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=31))
    import_files_purge(actor=None, now=NOW)
    people = Person.objects.count()

    for call, kw in (
        (import_apply, {"mode": ImportMode.VALID_ONLY}),
        (import_request, {"mode": ImportMode.VALID_ONLY}),
        (import_check, {}),
    ):
        with pytest.raises(DomainError) as info:
            call(actor=district.admin, batch=batch, **kw)
        assert info.value.code == ImportErrorCode.FILE_REMOVED
        assert "重新上传" in str(info.value.message)

    assert Person.objects.count() == people
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_a_check_queued_before_the_removal_fails_the_batch_with_the_reason(
    district: Any, tmp_path: Path
) -> None:
    batch = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=31))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING)
    import_files_purge(actor=None, now=NOW)

    tasks.check_import.call(batch.pk, district.admin.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "按保留期限删除" in batch.message


# --- the batch page --------------------------------------------------------------------------


def page(client: Client, batch: ImportBatch) -> str:
    response = client.get(reverse("admin:core_importbatch_change", args=[batch.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_batch_page_says_when_the_files_went_and_offers_no_report_or_apply(
    district: Any, tmp_path: Path
) -> None:
    batch = checked_batch(district, tmp_path, uploaded=timezone.now() - dt.timedelta(days=31))
    client = Client()
    client.force_login(district.admin)
    before = page(client, batch)
    assert 'data-testid="apply"' in before
    assert 'data-testid="error-report"' in before
    assert 'data-testid="files-removed"' not in before

    import_files_purge(actor=None)
    batch.refresh_from_db()
    after = page(client, batch)

    assert 'data-testid="files-removed"' in after
    removed_at = timezone.localtime(batch.files_removed_at)
    assert f"已于 {removed_at:%Y-%m-%d %H:%M} 按保留期限" in after
    assert 'data-testid="apply"' not in after
    assert 'data-testid="error-report"' not in after
    assert 'data-testid="import-counts"' in after
    report = reverse("admin:core_importbatch_report", args=[batch.pk])
    assert client.get(report).status_code == 404
    apply = reverse("admin:core_importbatch_apply", args=[batch.pk])
    response = client.post(apply, {"mode": ImportMode.VALID_ONLY}, follow=True)
    assert any("按保留期限删除" in str(m) for m in response.context["messages"])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_the_batch_page_says_when_the_files_will_go(district: Any, tmp_path: Path) -> None:
    uploaded = timezone.now() - dt.timedelta(days=3)
    batch = checked_batch(district, tmp_path, uploaded=uploaded)
    client = Client()
    client.force_login(district.admin)

    due = timezone.localtime(uploaded + dt.timedelta(days=30))
    assert f"将于 {due:%Y-%m-%d} 起删除" in page(client, batch)


# --- the daily task --------------------------------------------------------------------------


def queued_purges() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.purge_import_files.module_path, status=TaskResultStatus.READY
        )
    )


def test_a_run_queues_tomorrows_run_once(district: Any, tmp_path: Path, settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    batch = checked_batch(district, tmp_path, uploaded=NOW - dt.timedelta(days=31))

    with time_machine.travel(NOW, tick=False):
        assert tasks.purge_import_files.call() == 1
        assert tasks.purge_import_files.call() == 0  # a second run the same day

    queued = queued_purges()
    assert len(queued) == 1
    assert queued[0].run_after == dt.datetime(2025, 4, 1, 3, 0, tzinfo=SHANGHAI)
    assert ImportBatch.objects.get(pk=batch.pk).files_removed_at is not None


def test_schedule_housekeeping_queues_one_run_however_often_it_is_called(
    settings: Any,
) -> None:
    settings.TASKS = DATABASE_TASKS
    outputs = []
    for _ in range(3):
        out = StringIO()
        call_command("schedule_housekeeping", stdout=out)
        outputs.append(out.getvalue())

    assert outputs[0].strip() == "gonghui.core.importing.tasks.purge_import_files: queued"
    assert all("already queued" in o for o in outputs[1:])
    assert len(queued_purges()) == 1


def test_a_backend_that_cannot_defer_queues_no_next_run() -> None:
    # The tests' immediate backend runs a task at once: queuing the next day's run there
    # would run it at once too, for ever; cron runs the command in such setups.
    assert not housekeeping.queue_next(tasks.purge_import_files)
    assert tasks.purge_import_files.enqueue().return_value == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scheduled_purge_and_it_queues_the_next(
    district: Any, tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    batch = checked_batch(district, tmp_path, uploaded=timezone.now() - dt.timedelta(days=31))
    call_command("schedule_housekeeping", verbosity=0)

    call_command(
        "db_worker", batch=True, interval=0, verbosity=0, startup_delay=False, reload=False
    )

    batch.refresh_from_db()
    assert batch.files_removed_at is not None
    done = DBTaskResult.objects.get(
        task_path=tasks.purge_import_files.module_path, status=TaskResultStatus.SUCCESSFUL
    )
    assert done.return_value == 1
    (following,) = queued_purges()
    assert following.run_after == housekeeping.next_run()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks")
@pytest.mark.django_db(transaction=True)
def test_a_batch_being_applied_is_left_for_the_next_run(district: Any, tmp_path: Path) -> None:
    batch = checked_batch(district, tmp_path, uploaded=timezone.now() - dt.timedelta(days=31))
    locked, release = threading.Event(), threading.Event()

    def apply_holding_the_lock() -> None:
        try:
            with transaction.atomic():
                ImportBatch.objects.select_for_update().get(pk=batch.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=apply_holding_the_lock)
    holder.start()
    try:
        assert locked.wait(30)
        assert import_files_purge(actor=None) == 0
        assert Path(batch.stored_file).exists()
    finally:
        release.set()
        holder.join(30)

    assert import_files_purge(actor=None) == 1
    assert not Path(batch.stored_file).exists()
